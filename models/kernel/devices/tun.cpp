#include "models/kernel/devices/tun.h"

#include <cstring>

#include <fmt/format.h>

#include "models/kernel/dev.h"
#include "models/kernel/drop.h"
#include "models/kernel/gso.h"
#include "models/kernel/netns.h"
#include "models/kernel/cpu_work.h"
#include "models/kernel/tracing.h"

namespace ol::kernel {

void TunDevice::attach(std::function<void()> on_readable) {
  attached = true;
  on_readable_ = std::move(on_readable);
}

void TunDevice::detach() {
  attached = false;
  on_readable_ = nullptr;
  queue_.clear();
}

void TunDevice::start_xmit(PacketPtr p) {
  netns->work.charge(cost::Step::TunNetXmit, p->size());
  if (!attached) {
    ++stats.tx_dropped;
    return kfree_skb_reason(*netns, this, std::move(p), DropReason::DevReady, "tun_net_xmit");
  }
  if (queue_.size() >= txqueuelen) {
    ++stats.tx_dropped;
    return kfree_skb_reason(*netns, this, std::move(p), DropReason::FullRing, "tun_net_xmit");
  }
  netns->pool.wmem.orphan(*p);  // held for as long as the reader takes: skb_orphan
  if (p->traced) netns->tracing.trace(*p, *netns, this, "tun_net_xmit", "queued for the reader");
  queue_.push_back(std::move(p));
  if (on_readable_) on_readable_();
}

PacketPtr TunDevice::read() {
  if (queue_.empty()) return PacketPtr(nullptr, PacketReturn{&netns->pool});
  PacketPtr p = std::move(queue_.front());
  queue_.pop_front();
  CpuWork& w = netns->work;  // read(): a system call, the driver's work and the copy out
  w.set_flow(p->flow);
  w.charge(cost::Step::Syscall, 0);
  w.charge(cost::Step::TunDoRead, p->size());
  w.charge(cost::Step::CopyToUser, p->size());
  if (p->traced)
    netns->tracing.trace(*p, *netns, this, "tun_do_read", "copied to user space", "", "", "kernel->user");
  return p;
}

void TunDevice::write(wire::Bytes ip_packet, std::uint64_t packet_id, bool traced) {
  Netns& ns = *netns;  // write(): a system call, the copy in and the driver's work
  ns.work.charge(cost::Step::Syscall, 0);
  ns.work.charge(cost::Step::CopyFromUser, std::uint32_t(ip_packet.size()));
  ns.work.charge(cost::Step::TunGetUser, std::uint32_t(ip_packet.size()));
  PacketPtr p = ns.pool.get(std::uint32_t(ip_packet.size()));
  std::memcpy(p->put(std::uint32_t(ip_packet.size())), ip_packet.data(), ip_packet.size());
  p->at_l3 = true;
  p->id = packet_id ? packet_id : ns.pool.new_packet_id();
  p->traced = traced;
  p->flow = ns.work.flow();
  if (p->traced) ns.tracing.trace(*p, *netns, this, "tun_get_user", "injected as received", "", "", "user->kernel");
  ns.softnet.netif_rx(*this, std::move(p), ns.work.now());
}

}  // namespace ol::kernel
