// net/ipv4/ip_forward.c: TTL, MTU with DF, then out through ip_output.
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

void ip_forward(Netns& ns, Device& in, PacketPtr p, const RouteResult& rt) {
  ns.work.charge(cost::Step::IpForward, p->size());
  if (p->pkt_type != PktType::Host)
    return kfree_skb_reason(ns, &in, std::move(p), DropReason::Otherhost, "ip_forward");
  const auto ip = ip_hdr(*p);
  if (ip.ttl() <= 1) {
    icmp_send(ns, *p, wire::icmp::kTimeExceeded, wire::icmp::kTtlExceeded, 0);
    return kfree_skb_reason(ns, &in, std::move(p), DropReason::IpInhdr, "ip_forward");
  }
  // ip_exceeds_mtu: a DF packet that does not fit the next hop is refused with the next hop's MTU.
  if (p->seglen() > std::uint32_t(rt.mtu) && ip.dont_frag()) {
    icmp_send(ns, *p, wire::icmp::kDestUnreach, wire::icmp::kFragNeeded, std::uint16_t(rt.mtu));
    return kfree_skb_reason(ns, &in, std::move(p), DropReason::PktTooBig, "ip_forward");
  }
  ip.decrease_ttl();
  if (p->traced) ns.tracing.trace(*p, ns, &in, "ip_forward", fmt::format("forward out {} ttl {}", rt.dev->name, ip.ttl()));
  ip_output(ns, std::move(p), rt);  // ip_forward_finish → dst_output
}

}  // namespace ol::kernel
