#include "models/kernel/af_packet.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "models/kernel/cpu_work.h"
#include "models/kernel/dev.h"
#include "models/kernel/device.h"
#include "models/kernel/netns.h"
#include "models/kernel/tracing.h"
#include "models/wire/ethernet.h"

namespace ol::kernel {

PacketSocket* packet_bind(Netns& ns, Device& dev, std::uint16_t protocol, std::function<void(const Packet&)> on_packet) {
  auto s = std::make_unique<PacketSocket>();
  s->dev = &dev;
  s->protocol = protocol;
  s->on_packet = std::move(on_packet);
  // packet_do_bind on a device that is down: no hook yet (NETDEV_UP adds it) and sk_err = ENETDOWN.
  s->sk_err_netdown = !dev.admin_up;
  ns.sockets.packet.push_back(std::move(s));
  return ns.sockets.packet.back().get();
}

void packet_close(Netns& ns, PacketSocket* s) {
  auto& v = ns.sockets.packet;
  v.erase(std::remove_if(v.begin(), v.end(), [s](const auto& x) { return x.get() == s; }), v.end());
}

void packet_deliver(Netns& ns, Device& dev, std::uint16_t protocol, const Packet& p) {
  // The callback may close sockets (a client done with its exchange): walk a copy of the list.
  std::vector<PacketSocket*> socks;
  for (const auto& s : ns.sockets.packet)
    if (s->dev == &dev && s->protocol == protocol) socks.push_back(s.get());
  for (PacketSocket* s : socks) {
    const auto& v = ns.sockets.packet;
    if (std::none_of(v.begin(), v.end(), [s](const auto& x) { return x.get() == s; })) continue;
    ns.work.charge(cost::Step::UdpQueueRcvSkb, p.size());  // packet_rcv's clone and queueing
    if (p.traced) ns.tracing.trace(p, ns, &dev, "packet_rcv", "a copy to the packet socket", "", "", "kernel->user");
    s->on_packet(p);
  }
}

bool packet_sendmsg(Netns& ns, PacketSocket& s, const wire::MacAddr& dst, std::span<const std::uint8_t> ip_packet,
                    bool traced) {
  Device* dev = s.dev;
  // sock_alloc_send_skb reports a pending socket error first, once.
  if (std::exchange(s.sk_err_netdown, false)) return false;
  if (!dev || !dev->admin_up) return false;
  ns.work.charge(cost::Step::Syscall, 0);
  ns.work.charge(cost::Step::CopyFromUser, std::uint32_t(ip_packet.size()));
  PacketPtr p = ns.pool.get(std::uint32_t(ip_packet.size()));
  p->id = ns.pool.new_packet_id();
  p->traced = traced;
  std::memcpy(p->put(std::uint32_t(ip_packet.size())), ip_packet.data(), ip_packet.size());
  p->at_l3 = true;
  if (traced) ns.tracing.trace(*p, ns, dev, "packet_sendmsg", "to " + dst.str(), "", "", "user->kernel");
  // dev_hard_header → eth_header: the program's address, the device's own MAC.
  wire::EthernetRepr{dst, dev->mac, std::uint16_t(wire::EtherType::Ipv4)}.emit(
      wire::MutBytes(p->push(wire::EthernetRepr::kLen), wire::EthernetRepr::kLen));
  p->at_l3 = false;
  dev_queue_xmit(*dev, std::move(p));
  return true;
}

}  // namespace ol::kernel
