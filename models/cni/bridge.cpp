#include "models/cni/bridge.h"

#include <algorithm>

#include <fmt/format.h>

namespace ol::cni {

namespace nc = netconfig;
using nlohmann::json;
using wire::Ipv4Prefix;

namespace {

constexpr const char* kOrigin = "CNI bridge";

// setupBridge → ensureBridge: created once with the configured MTU; an existing bridge is reused
// as it is (its MTU is not changed).
void ensure_bridge(const BridgeConf& c, const Runtime& rt, PluginHost& h) {
  if (h.host.link_exists(rt.host_netns, c.bridge)) return;
  nc::LinkAdd br{.netns = rt.host_netns, .name = c.bridge, .kind = nc::LinkKind::Bridge};
  br.address = h.names.mac(c.bridge + " of " + rt.host_netns);
  br.mtu = c.mtu;
  h.out.add(br, kOrigin);
  h.out.add(nc::LinkSet{.netns = rt.host_netns, .dev = c.bridge, .up = true}, kOrigin);
}

// ensureAddr: the gateway goes on the bridge unless it is there; another IPv4 address is an error.
void ensure_gateway(const BridgeConf& c, const Runtime& rt, const ResultIp& ip, PluginHost& h) {
  const Ipv4Prefix gw{*ip.gateway, ip.address.len};
  for (const auto& have : h.host.addresses(rt.host_netns, c.bridge)) {
    if (have == gw) return;
    if (!c.force_address)
      throw CniError(999, fmt::format("failed to set bridge addr: \"{}\" already has an IP address different from {}",
                                      c.bridge, gw.str()));
  }
  std::optional<wire::Ipv4Addr> brd;
  if (gw.len < 31) brd = gw.broadcast();
  h.out.add(nc::AddrAdd{rt.host_netns, gw, brd, c.bridge}, kOrigin);
}

// calcGateways: the gateway defaults to the subnet's first address; isDefaultGateway adds a
// default route through it to the result (unless the IPAM result has one).
void calc_gateways(const BridgeConf& c, Result& r) {
  bool have_default = false;
  for (auto& ip : r.ips) {
    if (!ip.gateway) ip.gateway = wire::Ipv4Addr{ip.address.network().v + 1};
    for (const auto& rt : r.routes) have_default |= rt.gw && rt.dst.len == 0;
    if (c.is_default_gateway && !have_default) {
      r.routes.push_back({{{0}, 0}, ip.gateway});
      have_default = true;
    }
  }
}

Result bridge_add(const BridgeConf& c, const json& conf, const Runtime& rt, PluginHost& h) {
  ensure_bridge(c, rt, h);
  const std::string host_veth = setup_veth_pair(rt, c.mtu, h, kOrigin);
  h.out.add(nc::LinkSet{.netns = rt.host_netns, .dev = host_veth, .master = c.bridge}, kOrigin);
  h.out.add(nc::BridgeLinkSet{rt.host_netns, host_veth, c.hairpin}, kOrigin);
  Result r;
  r.interfaces = {{c.bridge, h.names.mac(c.bridge + " of " + rt.host_netns).str(), ""},
                  host_interface(host_veth, rt, h), container_interface(rt, h)};
  if (c.ipam_type.empty()) {  // layer 2 only: the container's link is just set up
    h.out.add(nc::LinkSet{.netns = rt.netns, .dev = rt.ifname, .up = true}, kOrigin);
    return r;
  }
  r = with_ipam(std::move(r), exec_plugin(c.ipam_type, "ADD", conf, rt, h), 2);
  release_on_error(c.ipam_type, conf, rt, h, [&] {
    calc_gateways(c, r);
    configure_iface(rt, r, h.out, kOrigin);
    if (c.is_gateway) {
      ensure_gateway(c, rt, r.ips.front(), h);
      h.out.add(nc::Sysctl{rt.host_netns, "net.ipv4.ip_forward", "1"}, kOrigin);  // enableIPForward
    }
  });
  return r;
}

void bridge_check(const BridgeConf& c, const json& conf, const Runtime& rt, PluginHost& h) {
  if (!c.ipam_type.empty()) exec_plugin(c.ipam_type, "CHECK", conf, rt, h);
  if (!h.host.link_exists(rt.host_netns, c.bridge))
    throw CniError(999, fmt::format("CNI created bridge {} in host namespace was not found", c.bridge));
  validate_container_ips(conf, rt, h, "");
}

}  // namespace

BridgeConf bridge_conf(const json& conf) {
  BridgeConf c;
  c.name = conf["name"].get<std::string>();
  c.cni_version = conf.value("cniVersion", "0.3.1");
  c.bridge = conf.value("bridge", "cni0");
  c.mtu = conf.value("mtu", 1500);
  c.is_default_gateway = conf.value("isDefaultGateway", false);
  c.is_gateway = conf.value("isGateway", false) || c.is_default_gateway;
  c.hairpin = conf.value("hairpinMode", false);
  c.ip_masq = conf.value("ipMasq", false);
  c.force_address = conf.value("forceAddress", false);
  if (conf.contains("ipam")) c.ipam_type = conf["ipam"].value("type", "");
  if (c.mtu < 68 || c.mtu > 65535) throw CniError(999, fmt::format("invalid MTU {}", c.mtu));
  return c;
}

std::string setup_veth_pair(const Runtime& rt, int mtu, PluginHost& h, const char* origin) {
  const std::string host_veth = h.names.host_veth(rt.container_id);
  nc::LinkAdd veth{.netns = rt.netns, .name = rt.ifname, .kind = nc::LinkKind::Veth};
  veth.address = h.names.mac(rt.ifname + " of " + rt.netns);
  veth.mtu = mtu;
  veth.txqueuelen = 0;  // created through netlink with TxQLen 0: no queue on either end
  veth.peer = nc::VethPeer{host_veth, h.names.mac(host_veth + " of " + rt.host_netns), mtu, rt.host_netns, 0};
  h.out.add(veth, origin);
  h.out.add(nc::LinkSet{.netns = rt.host_netns, .dev = host_veth, .up = true}, origin);
  return host_veth;
}

ResultInterface host_interface(const std::string& veth, const Runtime& rt, const PluginHost& h) {
  return {veth, h.names.mac(veth + " of " + rt.host_netns).str(), ""};
}

ResultInterface container_interface(const Runtime& rt, const PluginHost& h) {
  return {rt.ifname, h.names.mac(rt.ifname + " of " + rt.netns).str(), rt.netns_path()};
}

void del_container_link(const Runtime& rt, PluginHost& h, const char* origin) {
  if (h.host.link_exists(rt.netns, rt.ifname)) h.out.add(nc::LinkDel{rt.netns, rt.ifname}, origin);
}

void validate_container_ips(const json& conf, const Runtime& rt, const PluginHost& h, const std::string& who) {
  if (!conf.contains("prevResult")) throw CniError(999, who + "Required prevResult missing");
  const Result prev = parse_result(conf["prevResult"]);
  if (!h.host.link_exists(rt.netns, rt.ifname))
    throw CniError(999, fmt::format("{}CNI created interface in container {} not found", who, rt.ifname));
  const auto have = h.host.addresses(rt.netns, rt.ifname);
  for (const auto& ip : prev.ips)
    if (std::find(have.begin(), have.end(), ip.address) == have.end())
      throw CniError(999, fmt::format("Failed to match addr {} on interface {}", ip.address.str(), rt.ifname));
}

void release_on_error(const std::string& ipam_type, const json& conf, const Runtime& rt, PluginHost& h,
                      const std::function<void()>& configure) {
  try {
    configure();
  } catch (const CniError&) {
    try {
      exec_plugin(ipam_type, "DEL", conf, rt, h);
    } catch (const CniError&) {  // the first error is the one to report
    }
    throw;
  }
}

// ipam.ConfigureIface: link up, addresses, then the result's routes (a route without a gateway
// goes via the address's gateway).
void configure_iface(const Runtime& rt, const Result& r, nc::NetConfig& out, const char* origin) {
  out.add(nc::LinkSet{.netns = rt.netns, .dev = rt.ifname, .up = true}, origin);
  for (const auto& ip : r.ips) {
    // netlink's AddrAdd fills in the broadcast address for IPv4 prefixes shorter than /31.
    std::optional<wire::Ipv4Addr> brd;
    if (ip.address.len < 31) brd = ip.address.broadcast();
    out.add(nc::AddrAdd{rt.netns, ip.address, brd, rt.ifname}, origin);
  }
  const std::optional<wire::Ipv4Addr> gw = r.ips.empty() ? std::nullopt : r.ips.front().gateway;
  for (const auto& rt_ : r.routes)
    out.add(nc::RouteOp{.verb = nc::Verb::Add, .netns = rt.netns, .dst = rt_.dst, .via = rt_.gw ? rt_.gw : gw, .dev = rt.ifname},
            origin);
}

Result with_ipam(Result r, const Result& ipam, int index) {
  if (ipam.ips.empty()) throw CniError(999, "IPAM plugin returned missing IP config");
  r.ips = ipam.ips;
  for (auto& ip : r.ips) ip.interface = index;
  r.routes = ipam.routes;
  return r;
}

Result bridge_main(const std::string& command, const json& conf, const Runtime& rt, PluginHost& h) {
  const BridgeConf c = bridge_conf(conf);
  if (command == "ADD") return bridge_add(c, conf, rt, h);
  if (command == "CHECK") {
    bridge_check(c, conf, rt, h);
    return {};
  }
  // DEL: the link first (its peer goes with it), then IPAM ("call ipam.ExecDel after clean up
  // device in netns"); either may already be gone.
  del_container_link(rt, h, kOrigin);
  if (!c.ipam_type.empty()) exec_plugin(c.ipam_type, "DEL", conf, rt, h);
  return {};
}

}  // namespace ol::cni
