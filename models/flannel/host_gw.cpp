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

// routeAdd: remember it; a route to the same subnet through another gateway is deleted (and
// forgotten) first; an identical one is left alone.
void HostGwNetwork::add_peer(const Lease& peer, nc::NetConfig& out) {
  const OwnedRoute want{peer.subnet, peer.attrs.public_ip};
  if (std::find(routes_.begin(), routes_.end(), want) == routes_.end()) routes_.push_back(want);
  std::optional<KernelRoute> have = ctx_.kernel.route ? ctx_.kernel.route(peer.subnet) : std::nullopt;
  if (have && have->gw == want.gw && have->dev == ctx_.ext_iface) return;  // "Route to … already exists, skipping."
  if (have) {
    nc::RouteOp del{.verb = nc::Verb::Del, .netns = ctx_.netns, .dst = peer.subnet, .via = have->gw, .dev = have->dev};
    out.add(del, origin());
    if (have->gw) std::erase(routes_, OwnedRoute{peer.subnet, *have->gw});
    if (std::find(routes_.begin(), routes_.end(), want) == routes_.end()) routes_.push_back(want);
  }
  out.add(route_op(nc::Verb::Add, want), origin());
}

void HostGwNetwork::remove_peer(const Lease& peer, nc::NetConfig& out) {
  const OwnedRoute r{peer.subnet, peer.attrs.public_ip};
  std::erase(routes_, r);
  out.add(route_op(nc::Verb::Del, r), origin());
}

// checkSubnetExistInRoutes: every remembered route missing from the kernel is added again.
void HostGwNetwork::check_routes(nc::NetConfig& out) {
  for (const OwnedRoute& r : routes_) {
    std::optional<KernelRoute> have = ctx_.kernel.route ? ctx_.kernel.route(r.dst) : std::nullopt;
    if (!have || have->gw != r.gw || have->dev != ctx_.ext_iface) out.add(route_op(nc::Verb::Add, r), "flanneld host-gw route check");
  }
}

}  // namespace ol::flannel
