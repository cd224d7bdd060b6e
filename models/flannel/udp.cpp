// The udp backend (backend/udp): TUN flannel0 with the lease's network address as a /32 and ONE
// route for the whole flannel network; peers are not kernel state at all but entries in the
// user-space proxy's table, sent over its control socket.
#include "models/flannel/udp.h"

namespace ol::flannel {

namespace nc = netconfig;

void UdpNetwork::setup(const Ipv4Prefix& lease, nc::NetConfig& out) {
  const std::string dev = "flannel0";
  out.add(nc::TuntapAdd{ctx_.netns, dev}, origin());
  out.add(nc::AddrAdd{ctx_.netns, {lease.network(), 32}, std::nullopt, dev}, origin());
  out.add(nc::LinkSet{.netns = ctx_.netns, .dev = dev, .mtu = mtu()}, origin());
  out.add(nc::LinkSet{.netns = ctx_.netns, .dev = dev, .up = true}, origin());
  out.add(nc::RouteOp{.verb = nc::Verb::Add, .netns = ctx_.netns, .dst = ctx_.conf->network, .dev = dev,
                      .scope = nc::RouteScope::Universe},
          origin());
}

void UdpNetwork::add_peer(const Lease& peer, nc::NetConfig&) {
  if (ctx_.proxy) ctx_.proxy->set_route(peer.subnet, peer.attrs.public_ip, port());
}

void UdpNetwork::remove_peer(const Lease& peer, nc::NetConfig&) {
  if (ctx_.proxy) ctx_.proxy->del_route(peer.subnet);
}

}  // namespace ol::flannel
