#include "models/kernel/dev.h"

#include <algorithm>

#include <fmt/format.h>

#include "models/kernel/af_packet.h"
#include "models/kernel/cpu_work.h"
#include "models/kernel/devices/bridge.h"
#include "models/kernel/drop.h"
#include "models/kernel/gso.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"
#include "models/kernel/tracing.h"
#include "models/wire/ethernet.h"

namespace ol::kernel {

Softnet::~Softnet() = default;

namespace {
// skb_get_hash, reduced: the addresses of an IPv4 packet and the 4 bytes after a 20-byte header
// (the ports of TCP and UDP), at its Ethernet or IPv4 header; 0 for anything else.
std::uint32_t flow_hash(const Packet& p) {
  wire::Bytes l3 = p.bytes();
  if (!p.at_l3) {
    auto eth = wire::EthernetView::new_checked(l3);
    if (!eth || !eth->is_ipv4()) return 0;
    l3 = eth->payload();
  }
  constexpr std::size_t kFrom = wire::ipv4::kSrcAddr.start, kTo = wire::ipv4::kHeaderLen + 4;
  std::uint32_t h = 0;
  if (l3.size() >= kTo)
    for (std::size_t i = kFrom; i < kTo; ++i) h = (h ^ l3[i]) * 16777619u;
  return h;
}
}  // namespace

// get_rps_cpu: a packet that stays on this node (veth, tun and vxlan decap call netif_rx on the
// running CPU) joins the current core's backlog; one from the wire joins the core RSS picks.
int Softnet::get_rps_cpu(const Device& dev, const Packet& p) const {
  const cost::NodeCpu* c = dev.netns->cpu;
  if (!c) return 0;
  if (work_.running_on(c)) return work_.running_core();
  return int(flow_hash(p) % std::uint32_t(c->cores()));
}

void Softnet::netif_rx(Device& dev, PacketPtr p, Nanos at) {
  std::uint32_t slot;
  if (!free_pending_.empty()) {
    slot = free_pending_.back();
    free_pending_.pop_back();
  } else {
    slot = std::uint32_t(pending_.size());
    pending_.emplace_back();
  }
  pending_[slot].core = get_rps_cpu(dev, *p);
  pending_[slot].from_wire = dev.netns->cpu && !work_.running_on(dev.netns->cpu);
  pending_[slot].p = std::move(p);
  pending_[slot].dev = &dev;
  work_.sim.at(std::max(at, work_.now()), this, slot);
}

Softnet::Backlog& Softnet::backlog(cost::NodeCpu* c, int core) {
  if (c->index >= backlogs_.size()) backlogs_.resize(c->index + 1);
  auto& v = backlogs_[c->index];
  if (v.empty())
    for (int i = 0; i < c->cores(); ++i) {
      v.push_back(std::make_unique<Backlog>());
      v.back()->softnet = this;
      v.back()->cpu = c;
      v.back()->core = i;
    }
  return *v[std::size_t(core)];
}

void Softnet::schedule(Backlog& b) {
  b.scheduled = true;
  work_.sim.at(b.cpu->free_at(b.core), &b);
}

void Softnet::Backlog::on_event(std::uint64_t) {
  scheduled = false;
  if (slots.empty()) return;
  if (cpu->free_at(core) > softnet->work_.sim.now()) return softnet->schedule(*this);  // the core was taken meanwhile
  const std::uint32_t slot = slots.front();
  slots.pop_front();
  cpu->softirq_done(core);
  softnet->receive(slot);
  if (!slots.empty()) softnet->schedule(*this);
}

// enqueue_to_backlog: run now on an idle core, else wait in its queue, else (full) drop.
void Softnet::on_event(std::uint64_t cookie) {
  auto slot = std::uint32_t(cookie);
  Device* dev = pending_[slot].dev;
  cost::NodeCpu* c = dev->dead ? nullptr : dev->netns->cpu;
  if (c) {
    Backlog& b = backlog(c, pending_[slot].core);
    if (!b.slots.empty() || c->free_at(b.core) > work_.sim.now()) {
      if (b.slots.size() >= netdev_max_backlog) {
        PacketPtr p = std::move(pending_[slot].p);
        free_pending_.push_back(slot);
        return kfree_skb_reason(*dev->netns, dev, std::move(p), DropReason::CpuBacklog, "enqueue_to_backlog");
      }
      b.slots.push_back(slot);
      c->softirq_raise(b.core);
      if (!b.scheduled) schedule(b);
      return;
    }
  }
  receive(slot);
}

// netif_receive_skb on the packet's core, as one piece of work.
void Softnet::receive(std::uint32_t slot) {
  Device* dev = pending_[slot].dev;
  if (!dev->dead) work_.begin(dev->netns->cpu, pending_[slot].core);
  PacketPtr p = std::move(pending_[slot].p);
  free_pending_.push_back(slot);
  if (dev->dead) return;  // the device was deleted while the packet was on its way
  work_.set_flow(p->flow);
  if (pending_[slot].from_wire && p->gso_size && wire_frames) {
    // A burst that crossed the wire arrived as MSS-sized frames: the driver handed each to
    // napi_gro_receive, which glued them back (the NIC's TSO had cut them up). The merged skb
    // then goes up the stack once: napi_gro_flush -> __netif_receive_skb_core.
    for (std::uint32_t i = 0; i < p->gso_segs(); ++i) work_.charge(cost::Step::NapiGroReceive, p->seglen());
  }
  work_.charge(cost::Step::NetifReceiveSkb, p->size());
  netif_receive_skb(*dev, std::move(p));
  work_.end();
}

namespace {
// eth_type_trans: classify by destination MAC relative to the receiving device, then pull the header.
void eth_type_trans(Device& dev, Packet& p) {
  auto dst = eth_hdr(p).dst_addr();
  if (dst.is_broadcast()) p.pkt_type = PktType::Broadcast;
  else if (dst.is_multicast()) p.pkt_type = PktType::Multicast;
  else if (dev.is_local_mac(dst)) p.pkt_type = PktType::Host;
  else p.pkt_type = PktType::Otherhost;
  p.pull(wire::EthernetRepr::kLen);
  p.at_l3 = true;
}
}  // namespace

void netif_receive_skb(Device& dev, PacketPtr p) {
  Netns& ns = *dev.netns;
  p->dev = &dev;
  ++dev.stats.rx_packets;
  dev.stats.rx_bytes += p->size();
  if (ns.tracing.tap_rx) ns.tracing.tap_rx(dev, *p);
  if (!dev.admin_up) return kfree_skb_reason(ns, &dev, std::move(p), DropReason::DevReady, "netif_receive_skb");
  if (dev.master) return dev.master->br_handle_frame(dev, std::move(p));
  if (!dev.has_l2()) {  // TUN: a bare IP packet
    p->at_l3 = true;
    p->pkt_type = PktType::Host;
    return ip_rcv(ns, dev, std::move(p));
  }
  if (p->size() < wire::EthernetRepr::kLen)
    return kfree_skb_reason(ns, &dev, std::move(p), DropReason::NotSpecified, "eth_type_trans");
  const std::uint16_t type = eth_hdr(*p).ethertype();
  eth_type_trans(dev, *p);
  if (!ns.sockets.packet.empty()) packet_deliver(ns, dev, type, *p);  // ptype_base's packet_rcv, before ip_rcv
  if (type == std::uint16_t(wire::EtherType::Arp)) return arp_rcv(ns, dev, std::move(p));
  if (type == std::uint16_t(wire::EtherType::Ipv4)) return ip_rcv(ns, dev, std::move(p));
  kfree_skb_reason(ns, &dev, std::move(p), DropReason::UnhandledProto, "__netif_receive_skb_core");
}

void dev_queue_xmit(Device& dev, PacketPtr p) {
  Netns& ns = *dev.netns;
  if (!dev.admin_up) {
    ++dev.stats.tx_dropped;
    return kfree_skb_reason(ns, &dev, std::move(p), DropReason::DevReady, "dev_queue_xmit");
  }
  if (p->gso_size && !dev.gso) {  // validate_xmit_skb: the device cannot take the burst whole
    if (p->traced) ns.tracing.trace(*p, ns, &dev, "skb_gso_segment", fmt::format("{} segments", p->gso_segs()));
    return skb_gso_segment(ns, std::move(p), [&dev](PacketPtr s) { dev_queue_xmit(dev, std::move(s)); });
  }
  ++dev.stats.tx_packets;
  dev.stats.tx_bytes += p->size();
  if (ns.tracing.tap) ns.tracing.tap(dev, *p);
  dev.start_xmit(std::move(p));
}

}  // namespace ol::kernel
