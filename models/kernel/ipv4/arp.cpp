// net/ipv4/arp.c: answer requests for our addresses, learn from what we hear, ask when resolving.
#include <fmt/format.h>

#include "models/kernel/dev.h"
#include "models/kernel/device.h"
#include "models/kernel/drop.h"
#include "models/kernel/dump.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"
#include "models/kernel/tracing.h"
#include "models/wire/arp.h"
#include "models/wire/ethernet.h"

namespace ol::kernel {

namespace {

void arp_send(Netns& ns, Device& dev, wire::ArpOp op, wire::Ipv4Addr tip, const wire::MacAddr& eth_dst,
              wire::Ipv4Addr sip, const wire::MacAddr& tha, std::uint64_t id, bool traced) {
  PacketPtr p = ns.pool.get();
  p->id = id ? id : ns.pool.new_packet_id();
  p->traced = traced;
  wire::ArpRepr{op, dev.mac, sip, tha, tip}.emit(wire::MutBytes(p->put(wire::ArpRepr::kLen), wire::ArpRepr::kLen));
  wire::EthernetRepr{eth_dst, dev.mac, std::uint16_t(wire::EtherType::Arp)}.emit(
      wire::MutBytes(p->push(wire::EthernetRepr::kLen), wire::EthernetRepr::kLen));
  if (p->traced)
    ns.tracing.trace(*p, ns, &dev, op == wire::ArpOp::Request ? "arp_solicit" : "arp_send",
                   op == wire::ArpOp::Request ? fmt::format("who-has {} tell {}", tip.str(), sip.str())
                                              : fmt::format("{} is-at {}", sip.str(), dev.mac.str()));
  dev_queue_xmit(dev, std::move(p));
}

}  // namespace

void arp_solicit(Netns& ns, Neighbour& n, bool unicast) {
  Device& dev = *n.dev;
  auto sip = inet_select_addr(dev, n.ip);
  const bool traced = !n.arp_queue.empty() && n.arp_queue.front()->traced;
  const std::uint64_t id = n.arp_queue.empty() ? 0 : n.arp_queue.front()->id;
  arp_send(ns, dev, wire::ArpOp::Request, n.ip, unicast && n.lladdr ? *n.lladdr : wire::MacAddr::broadcast(),
           sip.value_or(wire::Ipv4Addr{}), wire::MacAddr::zero(), id, traced);
}

void arp_rcv(Netns& ns, Device& dev, PacketPtr p) {
  auto arp = wire::ArpRepr::parse(wire::Bytes(p->data(), p->size()));
  if (!arp || dev.noarp())
    return kfree_skb_reason(ns, &dev, std::move(p), DropReason::NotSpecified, "arp_rcv");
  // arp_process: a request for one of our addresses (arp_ignore=0: any local address) is answered,
  // and its sender is remembered as STALE; a reply to us makes an existing entry REACHABLE.
  const bool for_us = ns.is_local_addr(arp->target_ip);
  if (arp->op == wire::ArpOp::Request && for_us) {
    Neighbour& n = ns.neigh.lookup_or_create(&dev, arp->sender_ip);
    ns.neigh.update_from_arp(n, arp->sender_mac, false);
    if (p->traced)
      ns.tracing.trace(*p, ns, &dev, "arp_process", "request for us: reply", "neigh", format_neigh(n));
    arp_send(ns, dev, wire::ArpOp::Reply, arp->sender_ip, arp->sender_mac, arp->target_ip, arp->sender_mac,
             p->id, p->traced);
    return ns.neigh.flush_queue(n);
  }
  if (Neighbour* n = ns.neigh.lookup(&dev, arp->sender_ip)) {
    const bool solicited = arp->op == wire::ArpOp::Reply && p->pkt_type == PktType::Host;
    ns.neigh.update_from_arp(*n, arp->sender_mac, solicited);
    if (p->traced) ns.tracing.trace(*p, ns, &dev, "arp_process", "neighbour updated", "neigh", format_neigh(*n));
    return ns.neigh.flush_queue(*n);
  }
  if (p->traced) ns.tracing.trace(*p, ns, &dev, "arp_process", "ignored (not for us)");
}

}  // namespace ol::kernel
