#include "lab/dhcp_wiring.h"

namespace ol::cluster {

namespace nc = netconfig;

std::string dhcp_server_netns(const std::string& node) { return node + "-dhcp"; }

// The operator's set-up before any pod: the bridge the bridge plugin will find (and reuse as it
// is), a veth from it to the server's namespace, the server's address.
void wire_dhcp_server(const std::string& node, const nlohmann::json& plugin, const scenario::DhcpServerSpec& d,
                      const cni::Naming& names, nc::NetConfig& out) {
  const std::string bridge = plugin.value("bridge", "cni0"), srv = dhcp_server_netns(node);
  const int mtu = plugin.value("mtu", 1500);
  nc::LinkAdd br{.netns = node, .name = bridge, .kind = nc::LinkKind::Bridge};
  br.address = names.mac(bridge + " of " + node);  // the address the bridge plugin would give it
  br.mtu = mtu;
  out.add(br, kDhcpServerOrigin);
  out.add(nc::LinkSet{.netns = node, .dev = bridge, .up = true}, kDhcpServerOrigin);
  out.add(nc::NetnsAdd{srv}, kDhcpServerOrigin);
  nc::LinkAdd veth{.netns = node, .name = "dhcpd0", .kind = nc::LinkKind::Veth};
  veth.address = names.mac("dhcpd0 of " + node);
  veth.mtu = mtu;
  veth.peer = nc::VethPeer{"eth0", names.mac("eth0 of " + srv), mtu, srv, std::nullopt};
  out.add(veth, kDhcpServerOrigin);
  out.add(nc::LinkSet{.netns = node, .dev = "dhcpd0", .master = bridge}, kDhcpServerOrigin);
  out.add(nc::LinkSet{.netns = node, .dev = "dhcpd0", .up = true}, kDhcpServerOrigin);
  out.add(nc::LinkSet{.netns = srv, .dev = "lo", .up = true}, kDhcpServerOrigin);
  std::optional<wire::Ipv4Addr> brd;
  if (d.address.len < 31) brd = d.address.broadcast();
  out.add(nc::AddrAdd{srv, d.address, brd, "eth0"}, kDhcpServerOrigin);
  out.add(nc::LinkSet{.netns = srv, .dev = "eth0", .up = true}, kDhcpServerOrigin);
}


traffic::DhcpServerConf dhcp_server_conf(const scenario::DhcpServerSpec& d) {
  traffic::DhcpServerConf c;
  c.range_start = d.first;
  c.range_end = d.last;
  c.address = d.address;
  c.router = d.router;
  c.lease_time = d.lease_time;
  for (const auto& [dst, gw] : d.routes) c.routes.push_back({dst, gw});
  return c;
}

}  // namespace ol::cluster
