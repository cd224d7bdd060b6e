// net/ipv4/ping.c: ICMP echo requests from an unprivileged "ping socket", as iputils' ping sends.
#include <cstring>

#include "models/kernel/cpu_work.h"
#include "models/kernel/device.h"
#include "models/kernel/dump.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"
#include "models/kernel/tracing.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"

namespace ol::kernel {

Errno ping_sendmsg(Netns& ns, std::uint16_t id, std::uint16_t seq, wire::Ipv4Addr dst, std::uint32_t payload_len,
                   bool traced, PmtuDisc pmtudisc, std::uint8_t ttl, std::uint64_t* packet_id) {
  ns.work.charge(cost::Step::Syscall, 0);
  ns.work.charge(cost::Step::CopyFromUser, payload_len);
  auto rt = ip_route_output(ns, dst);
  const std::uint32_t size = wire::Ipv4Repr::kLen + wire::IcmpRepr::kLen + payload_len;
  if (size > Packet::kMaxData) return Errno::MsgSize;
  PacketPtr p = ns.pool.get(size);
  p->id = ns.pool.new_packet_id();
  p->traced = traced;
  p->flow = ns.work.flow();
  if (packet_id) *packet_id = p->id;
  std::uint8_t* m = p->put(wire::IcmpRepr::kLen + payload_len);
  for (std::uint32_t i = 0; i < payload_len; ++i) m[wire::IcmpRepr::kLen + i] = std::uint8_t(0x10 + i);
  wire::IcmpRepr::echo(wire::icmp::kEchoRequest, id, seq).emit_message(wire::MutBytes(m, p->size()));
  if (!rt) {
    ip_push_header(ns, *p, {}, dst, std::uint8_t(wire::IpProto::Icmp), std::uint8_t(ns.default_ttl), true);
    if (p->traced) {
      ns.tracing.trace(*p, ns, nullptr, "ping_v4_sendmsg", "send", "", "", "user->kernel");
      ns.tracing.trace(*p, ns, nullptr, "fib_lookup", "connect: Network is unreachable", "route", "");
    }
    return Errno::NetUnreach;
  }
  if (pmtudisc == PmtuDisc::Do && size > std::uint32_t(rt->mtu)) return Errno::MsgSize;  // ip_append_data
  const bool df = ip_dont_fragment(pmtudisc, size, *rt);
  ip_push_header(ns, *p, rt->src, dst, std::uint8_t(wire::IpProto::Icmp), ttl ? ttl : std::uint8_t(ns.default_ttl), df);
  if (p->traced) {
    ns.tracing.trace(*p, ns, nullptr, "ping_v4_sendmsg", "send", "", "", "user->kernel");
    ns.tracing.trace(*p, ns, rt->dev, "fib_lookup", "output", "route",
                   format_route(*rt->route, rt->type != RouteType::Unicast));
  }
  ip_local_out(ns, std::move(p), *rt);
  return Errno::Ok;
}

}  // namespace ol::kernel
