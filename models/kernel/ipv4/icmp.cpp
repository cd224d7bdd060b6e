// net/ipv4/icmp.c: echo replies, errors sent (icmp_send) and errors received (icmp_unreach).
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "models/kernel/cpu_work.h"
#include "models/kernel/device.h"
#include "models/kernel/drop.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"
#include "models/kernel/tracing.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"

namespace ol::kernel {

namespace {

constexpr std::size_t kIcmpErrorMax = 576;  // an error carries as much of the original as fits here
constexpr Nanos kPmtuExpires = 600 * kNanosPerSecond;  // net.ipv4.route.mtu_expires
constexpr int kMinPmtu = 552;                         // net.ipv4.route.min_pmtu

bool is_error(std::uint8_t type) { return type != wire::icmp::kEchoRequest && type != wire::icmp::kEchoReply; }

// icmp_echo: the reply carries the request's identifier, sequence and data back.
void icmp_echo(Netns& ns, Device& dev, PacketPtr p, std::size_t hl) {
  const auto ip = ip_hdr(*p);
  const auto src = ip.src_addr(), dst = ip.dst_addr();
  auto rt = ip_route_output(ns, src, dst);
  if (!rt) return kfree_skb_reason(ns, &dev, std::move(p), DropReason::IpOutNoRoutes, "icmp_reply");
  const bool traced = p->traced;
  const auto id = p->id;
  p->pull(std::uint32_t(hl));
  auto echo = *wire::IcmpRepr::parse(wire::Bytes(p->data(), p->size()));
  wire::IcmpRepr::echo(wire::icmp::kEchoReply, echo.id, echo.seq).emit_message(wire::MutBytes(p->data(), p->size()));
  // The kernel's ICMP socket is IP_PMTUDISC_DONT: a large reply is fragmented, never refused.
  ip_push_header(ns, *p, dst, src, std::uint8_t(wire::IpProto::Icmp), std::uint8_t(ns.default_ttl), false);
  p->id = id;
  p->traced = traced;
  if (p->traced) ns.tracing.trace(*p, ns, &dev, "icmp_echo", "reply to " + src.str());
  ip_local_out(ns, std::move(p), *rt);
}

// icmp_unreach: learn the path MTU, then tell the socket whose packet it was.
void icmp_unreach(Netns& ns, const wire::IcmpRepr& icmp, wire::Ipv4Addr from, wire::Bytes inner) {
  auto ih = wire::Ipv4Repr::parse(inner);
  if (!ih) return;
  if (icmp.type == wire::icmp::kDestUnreach && icmp.code == wire::icmp::kFragNeeded) {
    ns.pmtu[ih->dst.v] = PmtuEntry{std::max<int>(icmp.next_hop_mtu(), kMinPmtu), ns.now() + kPmtuExpires};
  }
  if (ih->protocol != std::uint8_t(wire::IpProto::Icmp) || inner.size() < ih->header_len() + 8) return;
  auto echo = wire::IcmpRepr::parse(inner.subspan(ih->header_len()));
  if (!echo || echo->type != wire::icmp::kEchoRequest) return;
  if (PingSocket* s = ns.sockets.ping_lookup(echo->id))
    s->replies.push_back({ns.now(), from, echo->seq, 0, icmp.type, icmp.code, icmp.next_hop_mtu(), 0});
}

}  // namespace

void icmp_rcv(Netns& ns, Device& dev, PacketPtr p) {
  ns.work.charge(cost::Step::IcmpRcv, p->size());
  const auto ip = ip_hdr(*p);
  const std::size_t hl = ip.header_len();
  const wire::Bytes msg = ip.payload();
  auto icmp = wire::IcmpRepr::parse(msg);
  if (!icmp || !wire::icmp_checksum_ok(msg))
    return kfree_skb_reason(ns, &dev, std::move(p), DropReason::NotSpecified, "icmp_rcv");
  const auto from = ip.src_addr();
  if (p->traced)
    ns.tracing.trace(*p, ns, &dev, "icmp_rcv", fmt::format("{} from {}", wire::icmp_type_name(icmp->type, icmp->code), from.str()));
  if (icmp->type == wire::icmp::kEchoRequest) return icmp_echo(ns, dev, std::move(p), hl);
  if (icmp->type == wire::icmp::kEchoReply) {
    if (PingSocket* s = ns.sockets.ping_lookup(icmp->id)) {  // ping_rcv
      s->replies.push_back({ns.now(), from, icmp->seq, ip.ttl(), icmp->type, 0, 0,
                            std::uint32_t(msg.size())});
      if (p->traced) ns.tracing.trace(*p, ns, &dev, "ping_rcv", "deliver to ping", "", "", "kernel->user");
      return;
    }
    return kfree_skb_reason(ns, &dev, std::move(p), DropReason::NoSocket, "ping_rcv");
  }
  if (icmp->type == wire::icmp::kDestUnreach || icmp->type == wire::icmp::kTimeExceeded)
    icmp_unreach(ns, *icmp, from, msg.subspan(wire::IcmpRepr::kLen));
}

void icmp_send(Netns& ns, const Packet& orig, std::uint8_t type, std::uint8_t code, std::uint16_t info) {
  const auto oh = ip_hdr(orig);
  const auto osrc = oh.src_addr(), odst = oh.dst_addr();
  // Never answer an error with an error, a non-first fragment, or a source that is not a host.
  if (oh.frag_offset_units()) return;
  if (osrc.is_zero() || osrc.is_limited_broadcast() || osrc.is_multicast()) return;
  if (oh.protocol() == std::uint8_t(wire::IpProto::Icmp)) {
    const wire::Bytes omsg = oh.payload();
    if (!omsg.empty() && is_error(omsg[wire::icmp::kType.start])) return;
  }
  // The source is the original destination when that was us, else what the route back selects.
  const wire::Ipv4Addr saddr = ns.is_local_addr(odst) ? odst : wire::Ipv4Addr{};
  auto rt = ip_route_output(ns, osrc, saddr);
  if (!rt) return;
  const std::size_t quoted = std::min<std::size_t>(orig.size(), kIcmpErrorMax - 28);
  PacketPtr p = ns.pool.get();
  p->id = orig.id;  // keep the walk of the packet that caused it together
  p->traced = orig.traced;
  std::uint8_t* m = p->put(std::uint32_t(wire::IcmpRepr::kLen + quoted));
  std::memcpy(m + wire::IcmpRepr::kLen, orig.data(), quoted);
  wire::IcmpRepr{type, code, 0, 0, info}.emit_message(wire::MutBytes(m, wire::IcmpRepr::kLen + quoted));
  ip_push_header(ns, *p, rt->src, osrc, std::uint8_t(wire::IpProto::Icmp), std::uint8_t(ns.default_ttl), false);
  if (p->traced)
    ns.tracing.trace(*p, ns, rt->dev, "icmp_send",
                   fmt::format("{}{} to {}", wire::icmp_type_name(type, code),
                               code == wire::icmp::kFragNeeded && type == wire::icmp::kDestUnreach ? fmt::format(" (mtu {})", info) : "",
                               osrc.str()));
  ip_local_out(ns, std::move(p), *rt);
}

}  // namespace ol::kernel
