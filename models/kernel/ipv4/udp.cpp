// net/ipv4/udp.c: receive to a socket (or to a tunnel's encap_rcv, such as VXLAN's), and send.
#include <cstring>

#include <fmt/format.h>

#include "models/kernel/cpu_work.h"
#include "models/kernel/device.h"
#include "models/kernel/drop.h"
#include "models/kernel/dump.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"
#include "models/kernel/tracing.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"
#include "models/wire/udp.h"

namespace ol::kernel {

void udp_rcv(Netns& ns, Device& dev, PacketPtr p) {
  const auto ip = ip_hdr(*p);
  const std::size_t hl = ip.header_len();
  const auto src = ip.src_addr(), dst = ip.dst_addr();
  auto udp = wire::UdpView::new_checked(ip.payload());
  if (!udp) return kfree_skb_reason(ns, &dev, std::move(p), DropReason::NotSpecified, "udp_rcv");
  if (udp->checksum() != 0 && !wire::udp_checksum_ok(src, dst, udp->datagram()))
    return kfree_skb_reason(ns, &dev, std::move(p), DropReason::UdpCsum, "udp_rcv");
  const std::uint16_t dport = udp->dst_port();
  UdpSocket* s = ns.sockets.udp_lookup(dst, dport);
  if (!s) {
    if (p->traced) ns.tracing.trace(*p, ns, &dev, "__udp4_lib_rcv", fmt::format("no socket on port {}", dport));
    if (!dst.is_limited_broadcast()) icmp_send(ns, *p, wire::icmp::kDestUnreach, wire::icmp::kPortUnreach, 0);
    return kfree_skb_reason(ns, &dev, std::move(p), DropReason::NoSocket, "__udp4_lib_rcv");
  }
  if (s->encap_rcv) {  // udp_queue_rcv_one_skb: a tunnel's socket
    if (p->traced) ns.tracing.trace(*p, ns, &dev, "udp_rcv", fmt::format("encap socket :{}", dport));
    p->pull(std::uint32_t(hl));
    p->at_l3 = false;
    return s->encap_rcv(*s, std::move(p), src);
  }
  // __udp_enqueue_schedule_skb counts each queued skb's truesize, not its bytes: a datagram that
  // would take the queue past SO_RCVBUF is dropped, unless the queue is empty (as Linux 6.18 does:
  // 256 datagrams of 64 bytes, 92 of 1400, fill 212992; older kernels let one more overshoot).
  const std::uint32_t truesize = skb_truesize(*p);
  if (s->rmem_alloc + truesize > s->rcvbuf && s->rmem_alloc) {
    ++s->drops;
    return kfree_skb_reason(ns, &dev, std::move(p), DropReason::SocketRcvbuff, "__udp_enqueue_schedule_skb");
  }
  ns.work.charge(cost::Step::UdpQueueRcvSkb, p->size());
  if (p->traced) ns.tracing.trace(*p, ns, &dev, "udp_queue_rcv_skb", fmt::format("queued on :{}", dport));
  s->rmem_alloc += truesize;
  s->rx.push_back(std::move(p));
  if (s->on_readable) s->on_readable();
}

PacketPtr udp_recvmsg(Netns& ns, UdpSocket& s) {
  if (s.rx.empty()) return PacketPtr(nullptr, PacketReturn{&ns.pool});
  PacketPtr p = std::move(s.rx.front());
  s.rx.pop_front();
  s.rmem_alloc -= skb_truesize(*p);  // udp_rmem_release: the same length, so the same truesize
  ns.work.set_flow(p->flow);
  ns.work.charge(cost::Step::Syscall, 0);
  ns.work.charge(cost::Step::UdpRecvmsg, p->size());
  ns.work.charge(cost::Step::CopyToUser, p->size());
  if (p->traced) ns.tracing.trace(*p, ns, nullptr, "udp_recvmsg", "copied to user space", "", "", "kernel->user");
  return p;
}

Errno udp_sendmsg(Netns& ns, std::uint16_t sport, wire::Ipv4Addr dst, std::uint16_t dport, std::uint32_t payload_len,
                  const std::uint8_t* payload, bool traced, PmtuDisc pmtudisc, std::uint64_t* packet_id) {
  ns.work.charge(cost::Step::Syscall, 0);
  ns.work.charge(cost::Step::CopyFromUser, payload_len);
  ns.work.charge(cost::Step::UdpSendmsg, payload_len);
  auto rt = ip_route_output(ns, dst);
  if (!rt) return Errno::NetUnreach;
  const std::uint32_t udp_len = wire::UdpRepr::kLen + payload_len;
  const std::uint32_t size = wire::Ipv4Repr::kLen + udp_len;
  if (size > Packet::kMaxData || udp_len > 0xffff) return Errno::MsgSize;
  if (pmtudisc == PmtuDisc::Do && size > std::uint32_t(rt->mtu)) return Errno::MsgSize;
  PacketPtr p = ns.pool.get(size);
  p->id = packet_id && *packet_id ? *packet_id : ns.pool.new_packet_id();
  p->traced = traced;
  p->flow = ns.work.flow();
  if (packet_id) *packet_id = p->id;
  std::uint8_t* d = p->put(udp_len);
  if (payload) std::memcpy(d + wire::UdpRepr::kLen, payload, payload_len);
  else std::memset(d + wire::UdpRepr::kLen, 0, payload_len);
  wire::UdpRepr{sport, dport, std::uint16_t(udp_len), 0}.emit(wire::MutBytes(d, wire::UdpRepr::kLen));
  const auto udp = wire::UdpViewMut::new_unchecked(wire::MutBytes(d, udp_len));
  udp.set_checksum(wire::udp_checksum(rt->src, dst, udp.datagram()));
  ip_push_header(ns, *p, rt->src, dst, std::uint8_t(wire::IpProto::Udp), std::uint8_t(ns.default_ttl),
                 ip_dont_fragment(pmtudisc, size, *rt));
  if (p->traced) {
    ns.tracing.trace(*p, ns, nullptr, "udp_sendmsg", "send", "", "", "user->kernel");
    ns.tracing.trace(*p, ns, rt->dev, "fib_lookup", "output", "route", format_route(*rt->route, rt->type != RouteType::Unicast));
  }
  ip_local_out(ns, std::move(p), *rt);
  return Errno::Ok;
}

}  // namespace ol::kernel
