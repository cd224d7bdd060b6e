#include "models/cni/bridge.h"

#include <fmt/format.h>

namespace ol::cni {

namespace nc = netconfig;
using wire::Ipv4Prefix;

namespace {

constexpr const char* kOrigin = "CNI bridge";

// setupBridge → ensureBridge: created once with the configured MTU; an existing bridge is reused
// as it is (its MTU is not changed).
void ensure_bridge(const BridgeConf& c, const CniArgs& a, const HostView& host, const Naming& names, nc::NetConfig& out) {
  if (host.link_exists(a.host_netns, c.bridge)) return;
  nc::LinkAdd br{.netns = a.host_netns, .name = c.bridge, .kind = nc::LinkKind::Bridge};
  br.address = names.mac(c.bridge + " of " + a.host_netns);
  br.mtu = c.mtu;
  out.add(br, kOrigin);
  out.add(nc::LinkSet{.netns = a.host_netns, .dev = c.bridge, .up = true}, kOrigin);
}

// setupVeth: the pair is made inside the container, the host end moved out, set up, enslaved.
std::string setup_veth(const BridgeConf& c, const CniArgs& a, const Naming& names, nc::NetConfig& out) {
  const std::string host_veth = names.host_veth(a.container_id);
  nc::LinkAdd veth{.netns = a.netns, .name = a.ifname, .kind = nc::LinkKind::Veth};
  veth.address = names.mac(a.ifname + " of " + a.netns);
  veth.mtu = c.mtu;
  // The reference plugin creates the pair through netlink with TxQLen 0 (no queue on either end).
  veth.txqueuelen = 0;
  veth.peer = nc::VethPeer{host_veth, names.mac(host_veth + " of " + a.host_netns), c.mtu, a.host_netns, 0};
  out.add(veth, kOrigin);
  out.add(nc::LinkSet{.netns = a.host_netns, .dev = host_veth, .up = true}, kOrigin);
  out.add(nc::LinkSet{.netns = a.host_netns, .dev = host_veth, .master = c.bridge}, kOrigin);
  out.add(nc::BridgeLinkSet{a.host_netns, host_veth, c.hairpin}, kOrigin);
  return host_veth;
}

// ipam.ConfigureIface: link up, addresses, then the routes in the result's order.
void configure_iface(const CniArgs& a, const IpamResult& r, bool default_gw, nc::NetConfig& out) {
  out.add(nc::LinkSet{.netns = a.netns, .dev = a.ifname, .up = true}, kOrigin);
  // netlink's AddrAdd fills in the broadcast address for IPv4 prefixes shorter than /31.
  std::optional<wire::Ipv4Addr> brd;
  if (r.address.len < 31) brd = r.address.broadcast();
  out.add(nc::AddrAdd{a.netns, r.address, brd, a.ifname}, kOrigin);
  for (const auto& rt : r.routes)
    out.add(nc::RouteOp{.verb = nc::Verb::Add, .netns = a.netns, .dst = rt.dst, .via = rt.gw, .dev = a.ifname}, kOrigin);
  if (default_gw)
    out.add(nc::RouteOp{.verb = nc::Verb::Add, .netns = a.netns, .dst = {{0}, 0}, .via = r.gateway, .dev = a.ifname},
            kOrigin);
}

// ensureAddr: the gateway goes on the bridge unless it is there; another IPv4 address is an error.
void ensure_gateway(const BridgeConf& c, const CniArgs& a, const HostView& host, const IpamResult& r, nc::NetConfig& out) {
  const Ipv4Prefix gw{r.gateway, r.address.len};
  for (const auto& have : host.addresses(a.host_netns, c.bridge)) {
    if (have == gw) return;
    if (!c.force_address)
      throw CniError(999, fmt::format("\"{}\" already has an IP address different from {}", c.bridge, gw.str()));
  }
  std::optional<wire::Ipv4Addr> brd;
  if (gw.len < 31) brd = gw.broadcast();
  out.add(nc::AddrAdd{a.host_netns, gw, brd, c.bridge}, kOrigin);
}

}  // namespace

BridgeResult bridge_add(const BridgeConf& c, const CniArgs& a, const HostView& host, HostLocal& ipam,
                        const Naming& names, nc::NetConfig& out) {
  ensure_bridge(c, a, host, names, out);
  BridgeResult res;
  res.host_veth = setup_veth(c, a, names, out);
  res.ipam = ipam.add(c.ipam, c.name, a.container_id, a.ifname);
  configure_iface(a, res.ipam, c.is_default_gateway, out);
  if (c.is_gateway) {
    ensure_gateway(c, a, host, res.ipam, out);
    out.add(nc::Sysctl{a.host_netns, "net.ipv4.ip_forward", "1"}, kOrigin);  // enableIPForward
  }
  return res;
}

void bridge_del(const BridgeConf& c, const CniArgs& a, const HostView& host, HostLocal& ipam, nc::NetConfig& out) {
  // cmdDel deletes the container's link (its peer goes with it), then releases the address;
  // a link already gone is not an error, so DEL can be repeated.
  if (host.link_exists(a.netns, a.ifname)) out.add(nc::LinkDel{a.netns, a.ifname}, kOrigin);
  ipam.del(c.ipam, c.name, a.container_id, a.ifname);
}

}  // namespace ol::cni
