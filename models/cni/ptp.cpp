#include "models/cni/ptp.h"

#include <fmt/format.h>

#include "models/cni/bridge.h"

namespace ol::cni {

namespace nc = netconfig;
using nlohmann::json;
using wire::Ipv4Prefix;

namespace {

constexpr const char* kOrigin = "CNI ptp";

// setupContainerVeth, after ipam.ConfigureIface: "configure the interface with 192.168.3.5/24,
// then delete the 192.168.3.0/24 dev $ifName route that was automatically added. Then add
// 192.168.3.1/32 dev $ifName and 192.168.3.0/24 via 192.168.3.1": all traffic ARPs for the gateway.
void point_container_at_gateway(const Runtime& rt, const ResultIp& ip, nc::NetConfig& out) {
  const Ipv4Prefix subnet{ip.address.network(), ip.address.len};
  out.add(nc::RouteOp{.verb = nc::Verb::Del, .netns = rt.netns, .dst = subnet, .dev = rt.ifname}, kOrigin);
  out.add(nc::RouteOp{.verb = nc::Verb::Add, .netns = rt.netns, .dst = {*ip.gateway, 32}, .dev = rt.ifname,
                      .scope = nc::RouteScope::Link, .src = ip.address.addr},
          kOrigin);
  out.add(nc::RouteOp{.verb = nc::Verb::Add, .netns = rt.netns, .dst = subnet, .via = ip.gateway, .dev = rt.ifname,
                      .src = ip.address.addr},
          kOrigin);
}

// setupHostVeth: the gateway as a /32 on the host end, and a host-scoped route to the container.
void setup_host_veth(const Runtime& rt, const std::string& veth, const ResultIp& ip, nc::NetConfig& out) {
  out.add(nc::AddrAdd{rt.host_netns, {*ip.gateway, 32}, std::nullopt, veth}, kOrigin);
  out.add(nc::RouteOp{.verb = nc::Verb::Add, .netns = rt.host_netns, .dst = {ip.address.addr, 32}, .dev = veth,
                      .scope = nc::RouteScope::Host},
          kOrigin);
}

Result ptp_add(const PtpConf& c, const json& conf, const Runtime& rt, PluginHost& h) {
  // IPAM first (unlike bridge), then forwarding, then the pair.
  Result r = with_ipam({}, exec_plugin(c.ipam_type, "ADD", conf, rt, h), 1);
  release_on_error(c.ipam_type, conf, rt, h, [&] {
    for (const auto& ip : r.ips)
      if (!ip.gateway) throw CniError(999, fmt::format("ptp: the IPAM result for {} has no gateway", ip.address.str()));
    h.out.add(nc::Sysctl{rt.host_netns, "net.ipv4.ip_forward", "1"}, kOrigin);  // ip.EnableForward
    const std::string veth = setup_veth_pair(rt, c.mtu, h, kOrigin);
    r.interfaces = {host_interface(veth, rt, h), container_interface(rt, h)};
    configure_iface(rt, r, h.out, kOrigin);
    for (const auto& ip : r.ips) point_container_at_gateway(rt, ip, h.out);
    for (const auto& ip : r.ips) setup_host_veth(rt, veth, ip, h.out);
  });
  return r;
}

}  // namespace

PtpConf ptp_conf(const json& conf) {
  PtpConf c;
  c.name = conf["name"].get<std::string>();
  c.mtu = conf.value("mtu", 0);
  if (c.mtu == 0) c.mtu = 1500;
  if (c.mtu < 68 || c.mtu > 65535) throw CniError(999, fmt::format("invalid MTU {}", c.mtu));
  c.ip_masq = conf.value("ipMasq", false);
  if (conf.contains("ipam")) c.ipam_type = conf["ipam"].value("type", "");
  // ipam.ExecAdd with an empty type fails to find a plugin named ""
  if (c.ipam_type.empty()) throw CniError(999, "ptp: the configuration has no \"ipam\" with a \"type\"; ptp needs an IPAM plugin");
  return c;
}

Result ptp_main(const std::string& command, const json& conf, const Runtime& rt, PluginHost& h) {
  const PtpConf c = ptp_conf(conf);
  if (command == "ADD") return ptp_add(c, conf, rt, h);
  if (command == "CHECK") {
    exec_plugin(c.ipam_type, "CHECK", conf, rt, h);
    validate_container_ips(conf, rt, h, "ptp: ");
    return {};
  }
  // cmdDel: IPAM first; then the container's link, if it is still there (its peer, the host
  // end with the gateway /32 and the host route, goes with it).
  exec_plugin(c.ipam_type, "DEL", conf, rt, h);
  del_container_link(rt, h, kOrigin);
  return {};
}

}  // namespace ol::cni
