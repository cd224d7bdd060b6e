// The host-gw backend (backend/hostgw + backend/route_network.go): no device, one route per peer
// via the peer's underlay address. The kernel refuses a gateway that is not on a connected
// subnet, so peers across a router get no route (flanneld logs "Error adding route to …").
#include "models/flannel/host_gw.h"

namespace ol::flannel {

namespace nc = netconfig;

void HostGwNetwork::setup(const Ipv4Prefix&, nc::NetConfig&) {}

void HostGwNetwork::add_peer(const Lease& peer, nc::NetConfig& out) {
  out.add(nc::RouteOp{.verb = nc::Verb::Add, .netns = ctx_.netns, .dst = peer.subnet, .via = peer.attrs.public_ip,
                      .dev = ctx_.ext_iface},
          origin());
}

void HostGwNetwork::remove_peer(const Lease& peer, nc::NetConfig& out) {
  out.add(nc::RouteOp{.verb = nc::Verb::Del, .netns = ctx_.netns, .dst = peer.subnet, .via = peer.attrs.public_ip,
                      .dev = ctx_.ext_iface},
          origin());
}

}  // namespace ol::flannel
