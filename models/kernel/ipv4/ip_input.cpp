// net/ipv4/ip_input.c: ip_rcv checks the header, ip_rcv_finish routes the packet in
// (ip_route_input_noref), then ip_local_deliver hands it to ICMP or UDP.
#include <fmt/format.h>

#include "models/kernel/cpu_work.h"
#include "models/kernel/device.h"
#include "models/kernel/drop.h"
#include "models/kernel/dump.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/ipv4/ip_defrag.h"
#include "models/kernel/netns.h"
#include "models/kernel/tracing.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"

namespace ol::kernel {

namespace {

void ip_error(Netns& ns, Device& dev, PacketPtr p, bool no_route) {
  // With forwarding off, ip_error only counts; with it on, it reports net unreachable.
  if (!ns.ip_forward)
    return kfree_skb_reason(ns, &dev, std::move(p), DropReason::IpInaddrErrors, "ip_error");
  if (no_route) icmp_send(ns, *p, wire::icmp::kDestUnreach, wire::icmp::kNetUnreach, 0);
  kfree_skb_reason(ns, &dev, std::move(p), DropReason::IpInNoRoutes, "ip_error");
}

// ip_route_input_noref → ip_route_input_slow: one fib_lookup (local table, then main); a local or
// broadcast route delivers here, anything else is forwarded when forwarding is on.
void ip_rcv_finish(Netns& ns, Device& dev, PacketPtr p) {
  const auto dst = ip_hdr(*p).dst_addr();
  const Route* r = fib_lookup(ns, dst);
  const bool local = r && (r->type == RouteType::Local || r->type == RouteType::Broadcast);
  if (local || dst.is_limited_broadcast()) {
    if (p->traced) ns.tracing.trace(*p, ns, &dev, "fib_lookup", "local", "route", local ? format_route(*r, true) : "");
    return ip_local_deliver(ns, dev, std::move(p));
  }
  if (!ns.ip_forward) return ip_error(ns, dev, std::move(p), false);
  if (p->traced) ns.tracing.trace(*p, ns, &dev, "fib_lookup", r ? "forward" : "no route", "route", r ? format_route(*r, false) : "");
  if (!r) return ip_error(ns, dev, std::move(p), true);
  ip_forward(ns, dev, std::move(p), route_result(*r, dst));
}

}  // namespace

void ip_rcv(Netns& ns, Device& dev, PacketPtr p) {
  ns.work.charge(cost::Step::IpRcv, p->size());
  ns.pool.wmem.orphan(*p);  // ip_rcv_core: "Must drop socket now because of tproxy"
  // ip_rcv_core: frames for another host (promiscuous bridge ports) are not ours.
  if (p->pkt_type == PktType::Otherhost)
    return kfree_skb_reason(ns, &dev, std::move(p), DropReason::Otherhost, "ip_rcv");
  auto hdr = wire::Ipv4View::new_checked(p->bytes());
  if (!hdr || hdr->total_len() < hdr->header_len() || hdr->total_len() > p->size())
    return kfree_skb_reason(ns, &dev, std::move(p), DropReason::IpInhdr, "ip_rcv");
  if (!hdr->verify_checksum()) return kfree_skb_reason(ns, &dev, std::move(p), DropReason::IpCsum, "ip_rcv");
  p->trim(hdr->total_len());  // drop Ethernet padding
  if (p->traced)
    ns.tracing.trace(*p, ns, &dev, "ip_rcv", fmt::format("{} > {} ttl {}", hdr->src_addr().str(), hdr->dst_addr().str(), hdr->ttl()));
  ip_rcv_finish(ns, dev, std::move(p));
}

void ip_local_deliver(Netns& ns, Device& dev, PacketPtr p) {
  if (ip_hdr(*p).is_fragment()) {
    p = ip_defrag(ns, std::move(p));
    if (!p) return;  // waiting for the other fragments
  }
  switch (ip_hdr(*p).protocol()) {
    case std::uint8_t(wire::IpProto::Icmp): return icmp_rcv(ns, dev, std::move(p));
    case std::uint8_t(wire::IpProto::Udp): return udp_rcv(ns, dev, std::move(p));
    case std::uint8_t(wire::IpProto::Tcp): return tcp_v4_rcv(ns, dev, std::move(p));
    default:
      icmp_send(ns, *p, wire::icmp::kDestUnreach, 2 /* protocol unreachable */, 0);
      kfree_skb_reason(ns, &dev, std::move(p), DropReason::UnhandledProto, "ip_local_deliver_finish");
  }
}

}  // namespace ol::kernel
