// The host-gw backend (backend/hostgw + backend/route_network.go): no device, one route per peer
// via the peer's underlay address. The kernel refuses a gateway that is not on a connected
// subnet, so peers across a router get no route (flanneld logs "Error adding route to …").
// Every route asked for is remembered first (addToRouteList), so the 10 s routeCheck keeps
// retrying a failed one and restores one the kernel lost (eth0 went down and flushed it).
#include "models/flannel/host_gw.h"

#include <algorithm>

namespace ol::flannel {

namespace nc = netconfig;

void HostGwNetwork::setup(const Ipv4Prefix&, nc::NetConfig&) {}

nc::RouteOp HostGwNetwork::route_op(nc::Verb verb, const OwnedRoute& r) const {
  return nc::RouteOp{.verb = verb, .netns = ctx_.netns, .dst = r.dst, .via = r.gw, .dev = ctx_.ext_iface};
}

namespace {

bool before(const HostGwNetwork::OwnedRoute& a, const HostGwNetwork::OwnedRoute& b) {
  if (a.dst.addr.v != b.dst.addr.v) return a.dst.addr.v < b.dst.addr.v;
  return a.dst.len != b.dst.len ? a.dst.len < b.dst.len : a.gw.v < b.gw.v;
}

}  // namespace

// Only what came since the last compaction is sorted, then merged into the sorted rest: leases are
// listed in key order ("10.244.10.0-24" before "10.244.2.0-24"), not by address, so sorting the
// whole list each time it doubled was 7 % of a 5,000-node build.
void HostGwNetwork::compact() {
  const auto tail = routes_.begin() + std::ptrdiff_t(sorted_);
  std::sort(tail, routes_.end(), before);
  std::inplace_merge(routes_.begin(), tail, routes_.end(), before);
  routes_.erase(std::unique(routes_.begin(), routes_.end()), routes_.end());
  compacted_ = sorted_ = routes_.size();
}

void HostGwNetwork::forget(const OwnedRoute& r) {
  const auto at = std::find(routes_.begin(), routes_.end(), r);
  if (at == routes_.end()) return;
  sorted_ = std::min(sorted_, std::size_t(at - routes_.begin()));  // what was in order before it still is
  routes_.erase(std::remove(at, routes_.end(), r), routes_.end());
  compacted_ = std::min(compacted_, routes_.size());
}

void HostGwNetwork::remember(const OwnedRoute& r) {
  routes_.push_back(r);
  if (routes_.size() > 2 * compacted_ + 64) compact();
}

const std::vector<HostGwNetwork::OwnedRoute>& HostGwNetwork::routes() {
  compact();
  return routes_;
}

// routeAdd: remember it; a route to the same subnet through another gateway is deleted (and
// forgotten) first; an identical one is left alone.
void HostGwNetwork::add_peer(const Lease& peer, nc::NetConfig& out) {
  const OwnedRoute want{peer.subnet, peer.attrs.public_ip};
  remember(want);
  std::optional<KernelRoute> have = ctx_.kernel.route ? ctx_.kernel.route(peer.subnet) : std::nullopt;
  if (have && have->gw == want.gw && have->dev == ctx_.ext_iface) return;  // "Route to … already exists, skipping."
  if (have) {
    out.add(nc::RouteOp{.verb = nc::Verb::Del, .netns = ctx_.netns, .dst = peer.subnet, .via = have->gw, .dev = have->dev}, origin());
    if (have->gw) forget(OwnedRoute{peer.subnet, *have->gw});  // removeFromRouteList
  }
  out.add(route_op(nc::Verb::Add, want), origin());
}

void HostGwNetwork::remove_peer(const Lease& peer, nc::NetConfig& out) {
  const OwnedRoute r{peer.subnet, peer.attrs.public_ip};
  forget(r);
  out.add(route_op(nc::Verb::Del, r), origin());
}

// checkSubnetExistInRoutes: every remembered route missing from the kernel is added again (in
// destination order).
void HostGwNetwork::check_routes(nc::NetConfig& out) {
  for (const OwnedRoute& r : routes()) {
    std::optional<KernelRoute> have = ctx_.kernel.route ? ctx_.kernel.route(r.dst) : std::nullopt;
    if (!have || have->gw != r.gw || have->dev != ctx_.ext_iface) out.add(route_op(nc::Verb::Add, r), "flanneld host-gw route check");
  }
}

}  // namespace ol::flannel
