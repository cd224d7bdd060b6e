// net/ipv4/route.c and fib_frontend.c: output route resolution and source address selection.
#include <algorithm>

#include "models/kernel/cpu_work.h"
#include "models/kernel/device.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"

namespace ol::kernel {

const char* strerror_text(Errno e) {
  switch (e) {
#define OL_ERRNO_CASE(name, text) \
  case Errno::name: return text;
    OL_ERRNOS(OL_ERRNO_CASE)
#undef OL_ERRNO_CASE
  }
  return "Unknown error";
}

const Route* fib_lookup(Netns& ns, wire::Ipv4Addr dst, Scope min_scope) {
  ns.work.charge(cost::Step::FibLookup, 0);
  if (const Route* r = ns.local_table.lookup(dst, min_scope)) return r;
  return ns.main_table.lookup(dst, min_scope);
}

std::optional<wire::Ipv4Addr> inet_select_addr(const Device& dev, wire::Ipv4Addr dst) {
  for (const IfAddr& a : dev.addrs)
    if (a.local.contains(dst)) return a.local.addr;
  if (!dev.addrs.empty()) return dev.addrs.front().local.addr;
  for (auto& d : dev.netns->devices())
    if (!d->addrs.empty() && d->kind != DevKind::Loopback) return d->addrs.front().local.addr;
  return std::nullopt;
}

RouteResult route_result(const Route& r, wire::Ipv4Addr dst) {
  RouteResult rt;
  rt.route = &r;
  rt.type = r.type;
  rt.dev = r.dev;
  rt.nexthop = r.gw.value_or(dst);
  rt.mtu = r.dev->mtu;
  return rt;
}

std::optional<RouteResult> ip_route_output(Netns& ns, wire::Ipv4Addr dst, wire::Ipv4Addr saddr) {
  const Route* r = fib_lookup(ns, dst);
  if (!r) return std::nullopt;
  RouteResult rt = route_result(*r, dst);
  // A local destination is reached through lo (ip_route_output_key_hash_rcu: dev_out = loopback).
  if (r->type == RouteType::Local) rt.dev = &ns.loopback();
  if (!saddr.is_zero()) {
    rt.src = saddr;
  } else if (r->prefsrc) {
    rt.src = *r->prefsrc;
  } else if (r->type == RouteType::Local) {
    rt.src = dst;
  } else {
    rt.src = inet_select_addr(*r->dev, rt.nexthop).value_or(wire::Ipv4Addr{});
  }
  rt.mtu = rt.dev->mtu;
  if (auto it = ns.pmtu.find(dst.v); it != ns.pmtu.end()) {
    if (it->second.expires > ns.now()) rt.mtu = std::min(rt.mtu, it->second.mtu);
    else ns.pmtu.erase(it);
  }
  return rt;
}

}  // namespace ol::kernel
