// The vxlan backend (backend/vxlan): device flannel.<VNI> with learning off and the lease's network
// address as a /32; per peer, in this order so the kernel never ARPs: a permanent neighbour for the
// peer's VTEP address, an FDB entry sending that MAC to the peer's underlay address, then the onlink
// route. DirectRouting puts a host-gw route instead for peers on the same L2 segment.
#include "models/flannel/vxlan.h"

#include <fmt/format.h>

namespace ol::flannel {

namespace nc = netconfig;

VxlanNetwork::VxlanNetwork(BackendContext ctx) : ctx_(std::move(ctx)), dev_(fmt::format("flannel.{}", ctx_.conf->vni)) {}

// ensureLink: an existing flannel.<VNI> of the same VNI and underlay is kept, with its MAC (a
// restarted flanneld); ensureV4AddressOnLink adds the address only when it is missing.
void VxlanNetwork::setup(const Ipv4Prefix& lease, nc::NetConfig& out) {
  const bool exists = ctx_.kernel.link_mac && ctx_.kernel.link_mac(dev_);
  if (!exists) create_device(out);
  const Ipv4Prefix addr{lease.network(), 32};
  if (!exists || !ctx_.kernel.has_addr || !ctx_.kernel.has_addr(dev_, addr))
    out.add(nc::AddrAdd{ctx_.netns, addr, std::nullopt, dev_}, origin());
  out.add(nc::LinkSet{.netns = ctx_.netns, .dev = dev_, .up = true}, origin());
}

void VxlanNetwork::create_device(nc::NetConfig& out) {
  nc::LinkAdd link{.netns = ctx_.netns, .name = dev_, .kind = nc::LinkKind::Vxlan};
  link.address = ctx_.vtep_mac;
  // flanneld always asks for Backend.MTU (default eth0's) minus 50; without Backend.MTU that is
  // what the kernel derives from the lower device anyway, so the command leaves it out.
  if (ctx_.conf->mtu) link.mtu = mtu();
  link.vxlan = nc::VxlanOptions{ctx_.conf->vni, ctx_.public_ip, ctx_.ext_iface, ctx_.conf->port, true};
  out.add(link, origin());
}

nlohmann::json VxlanNetwork::backend_data() const {
  nlohmann::ordered_json j;
  j["VNI"] = ctx_.conf->vni;
  j["VtepMAC"] = ctx_.vtep_mac.str();
  return nlohmann::json::parse(j.dump());
}

bool VxlanNetwork::direct(const Lease& peer) const {
  return ctx_.conf->direct_routing && ctx_.on_link && ctx_.on_link(peer.attrs.public_ip);
}

namespace {

// LeaseStore parsed BackendData's VtepMAC when it stored the lease; a lease made otherwise is read
// here. One without a VtepMAC that parses (written by hand, say) gets all zeros.
wire::MacAddr vtep_mac_of(const Lease& peer) {
  if (peer.attrs.vtep_mac) return *peer.attrs.vtep_mac;
  const nlohmann::json& d = peer.attrs.backend_data;
  if (d.is_object() && d.contains("VtepMAC") && d["VtepMAC"].is_string())
    if (auto mac = wire::MacAddr::parse(d["VtepMAC"].get<std::string>())) return *mac;
  return wire::MacAddr::zero();
}

}  // namespace

void VxlanNetwork::add_peer(const Lease& peer, nc::NetConfig& out) {
  const auto gw = peer.subnet.network();
  if (direct(peer)) {
    out.add(nc::RouteOp{.verb = nc::Verb::Replace, .netns = ctx_.netns, .dst = peer.subnet, .via = peer.attrs.public_ip,
                        .dev = ctx_.ext_iface},
            origin());
    return;
  }
  const auto mac = vtep_mac_of(peer);
  out.add(nc::NeighOp{.verb = nc::Verb::Replace, .netns = ctx_.netns, .ip = gw, .lladdr = mac, .dev = dev_,
                      .nud = nc::Nud::Permanent},
          origin());
  // AddFDB is netlink.NeighSet (NLM_F_CREATE|NLM_F_REPLACE): `bridge fdb replace`, so a peer whose
  // address changed has one remote, not two.
  out.add(nc::FdbOp{.verb = nc::Verb::Replace, .netns = ctx_.netns, .mac = mac, .dev = dev_, .dst = peer.attrs.public_ip,
                    .self = true, .permanent = true},
          origin());
  out.add(nc::RouteOp{.verb = nc::Verb::Replace, .netns = ctx_.netns, .dst = peer.subnet, .via = gw, .dev = dev_,
                      .onlink = true},
          origin());
}

void VxlanNetwork::remove_peer(const Lease& peer, nc::NetConfig& out) {
  const auto gw = peer.subnet.network();
  if (direct(peer)) {
    out.add(nc::RouteOp{.verb = nc::Verb::Del, .netns = ctx_.netns, .dst = peer.subnet, .via = peer.attrs.public_ip,
                        .dev = ctx_.ext_iface},
            origin());
    return;
  }
  const auto mac = vtep_mac_of(peer);
  out.add(nc::NeighOp{.verb = nc::Verb::Del, .netns = ctx_.netns, .ip = gw, .lladdr = mac, .dev = dev_}, origin());
  out.add(nc::FdbOp{.verb = nc::Verb::Del, .netns = ctx_.netns, .mac = mac, .dev = dev_, .dst = peer.attrs.public_ip,
                    .self = true},
          origin());
  out.add(nc::RouteOp{.verb = nc::Verb::Del, .netns = ctx_.netns, .dst = peer.subnet, .via = gw, .dev = dev_,
                      .onlink = true},
          origin());
}

}  // namespace ol::flannel
