// net/ipv4/ip_output.c: ip_local_out → ip_output → ip_finish_output (fragment what does not fit)
// → ip_finish_output2 (neighbour output, which adds the Ethernet header).
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "models/kernel/cpu_work.h"
#include "models/kernel/dev.h"
#include "models/kernel/device.h"
#include "models/kernel/drop.h"
#include "models/kernel/dump.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"
#include "models/kernel/tracing.h"
#include "models/wire/checksum.h"
#include "models/wire/ethernet.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"

namespace ol::kernel {

void ip_push_header(Netns& ns, Packet& p, wire::Ipv4Addr src, wire::Ipv4Addr dst, std::uint8_t proto,
                    std::uint8_t ttl, bool df) {
  wire::Ipv4Repr h;
  h.total_len = std::uint16_t(p.size() + wire::Ipv4Repr::kLen);
  h.id = df ? 0 : ns.next_ip_id++;  // ip_select_ident: DF packets of a connected flow may use 0
  h.df = df;
  h.ttl = ttl;
  h.protocol = proto;
  h.src = src;
  h.dst = dst;
  h.emit(wire::MutBytes(p.push(wire::Ipv4Repr::kLen), wire::Ipv4Repr::kLen));
  p.at_l3 = true;
}

bool ip_dont_fragment(PmtuDisc pmtudisc, std::uint32_t size, const RouteResult& rt) {
  switch (pmtudisc) {
    case PmtuDisc::Do: return true;
    case PmtuDisc::Dont: return false;
    case PmtuDisc::Want: return size <= std::uint32_t(rt.mtu);  // fragment locally what does not fit
  }
  return true;
}

void ip_local_out(Netns& ns, PacketPtr p, const RouteResult& rt) {
  if (p->traced) ns.tracing.trace(*p, ns, rt.dev, "ip_local_out", "out " + rt.dev->name);
  ip_output(ns, std::move(p), rt);
}

namespace {

// ip_do_fragment: split the payload in pieces of (mtu - header) rounded down to 8 bytes.
void ip_fragment(Netns& ns, PacketPtr p, const RouteResult& rt) {
  const auto ip = ip_hdr(*p);
  const std::size_t hl = ip.header_len();
  const wire::Bytes data = ip.payload();
  const std::size_t payload = data.size();
  const std::size_t chunk = (std::size_t(rt.mtu) - hl) & ~std::size_t(7);
  const bool last_has_mf = ip.more_frags();
  const std::uint16_t base_off = ip.frag_offset_units();
  if (p->traced) ns.tracing.trace(*p, ns, rt.dev, "ip_fragment", fmt::format("fragment to mtu {}", rt.mtu));
  for (std::size_t off = 0; off < payload; off += chunk) {
    const std::size_t n = std::min(chunk, payload - off);
    PacketPtr f = ns.pool.get();
    f->id = p->id;
    f->traced = p->traced;
    f->at_l3 = true;
    std::uint8_t* fh = f->put(std::uint32_t(hl + n));
    std::memcpy(fh, ip.header().data(), hl);
    std::memcpy(fh + hl, data.data() + off, n);
    const bool more = off + n < payload || last_has_mf;
    auto fip = ip_hdr(*f);
    fip.set_total_len(std::uint16_t(hl + n));
    fip.set_frag(false, more, std::uint16_t(base_off + off / 8));
    fip.fill_checksum();
    ip_finish_output2(ns, std::move(f), rt);
  }
}

void push_eth(Packet& p, const wire::MacAddr& dst, const wire::MacAddr& src) {
  wire::EthernetRepr{dst, src, std::uint16_t(wire::EtherType::Ipv4)}.emit(
      wire::MutBytes(p.push(wire::EthernetRepr::kLen), wire::EthernetRepr::kLen));
  p.at_l3 = false;
}

}  // namespace

void ip_output(Netns& ns, PacketPtr p, const RouteResult& rt) {
  // ip_finish_output: fragment a packet larger than the MTU (DF packets were refused earlier; a
  // DF packet still too big here, e.g. after the MTU shrank, is dropped with frag-needed).
  if (p->seglen() > std::uint32_t(rt.mtu)) {
    if (ip_hdr(*p).dont_frag()) {
      icmp_send(ns, *p, wire::icmp::kDestUnreach, wire::icmp::kFragNeeded, std::uint16_t(rt.mtu));
      return kfree_skb_reason(ns, rt.dev, std::move(p), DropReason::PktTooBig, "ip_fragment");
    }
    return ip_fragment(ns, std::move(p), rt);
  }
  ip_finish_output2(ns, std::move(p), rt);
}

void ip_finish_output2(Netns& ns, PacketPtr p, const RouteResult& rt) {
  ns.work.charge(cost::Step::IpOutput, p->size());
  Device& dev = *rt.dev;
  if (!dev.has_l2()) return dev_queue_xmit(dev, std::move(p));  // TUN: no link-layer header
  if (dev.kind == DevKind::Loopback) {
    push_eth(*p, dev.mac, dev.mac);
    return dev_queue_xmit(dev, std::move(p));
  }
  if (rt.type == RouteType::Broadcast || rt.nexthop.is_limited_broadcast()) {
    push_eth(*p, wire::MacAddr::broadcast(), dev.mac);
    return dev_queue_xmit(dev, std::move(p));
  }
  Neighbour& n = ns.neigh.lookup_or_create(&dev, rt.nexthop);
  if (p->traced)
    ns.tracing.trace(*p, ns, &dev, "neigh_resolve_output", nud_name(n.state), "neigh", format_neigh(n));
  ns.neigh.output(n, std::move(p));
}

void dst_confirm(Netns& ns, wire::Ipv4Addr dst) {
  // The socket's cached route, in the kernel: no lookup to charge for here.
  const Route* r = ns.main_table.lookup(dst);
  if (!r || !r->dev) return;
  if (Neighbour* n = ns.neigh.lookup(r->dev, r->gw.value_or(dst))) NeighTable::confirm(*n, ns.now());
}

}  // namespace ol::kernel
