#include "models/scenario/dhcp_conf.h"

#include <fmt/format.h>

#include "models/scenario/load.h"

namespace ol::scenario {

using nlohmann::json;

namespace {
constexpr Nanos kMinLease = 120 * kNanosPerSecond;  // dnsmasq raises shorter leases to two minutes
constexpr Nanos kMaxLease = 8760 * 3600 * kNanosPerSecond;

Ipv4Addr addr(const json& v) { return *Ipv4Addr::parse(v.get<std::string>()); }

struct NodeCheck {
  const Scenario& s;
  std::vector<Problem>& out;
  void add(std::string path, std::string message, std::string fix) {
    out.push_back({std::move(path), std::move(message), std::move(fix)});
  }

  void server(const Node& n, const std::string& p, const json& plugin) {
    const DhcpServerSpec& d = *n.dhcp_server;
    const std::string rp = path_key(p, "range");
    if (d.first.v > d.last.v)
      return add(rp, fmt::format("the range starts at {} after it ends at {}", d.first.str(), d.last.str()), "write [first, last]");
    if (!n.pod_cidr)
      return add(path_key(p.substr(0, p.rfind('.')), "pod_cidr"),
                 fmt::format("node {} hands out addresses by DHCP but its flannel lease is not pinned: flanneld would "
                             "route another subnet to it",
                             n.name),
                 fmt::format("add \"pod_cidr\" holding {} .. {}", d.first.str(), d.last.str()));
    if (!n.pod_cidr->contains(d.first) || !n.pod_cidr->contains(d.last))
      add(rp, fmt::format("node {}'s DHCP range {} .. {} is outside its lease {}: those pods' packets would be routed "
                          "to another node",
                          n.name, d.first.str(), d.last.str(), n.pod_cidr->str()),
          fmt::format("use addresses inside {}", n.pod_cidr->str()));
    const std::string ap = path_key(p, "address");
    if (!d.address.contains(d.first) || !d.address.contains(d.last))
      add(ap, fmt::format("the server's own subnet {} does not hold its range: dnsmasq answers \"no address range "
                          "available for DHCP request via eth0\"",
                          d.address.str()),
          "give the server an address in the range's subnet, e.g. the subnet's .2");
    if (d.address.addr.v >= d.first.v && d.address.addr.v <= d.last.v)
      add(ap, fmt::format("the server's own address {} is inside its range", d.address.addr.str()),
          "put the range after it (or the server outside the range)");
    const Ipv4Addr router = d.router.value_or(d.address.addr);
    const bool gateway = plugin.value("isGateway", false) || plugin.value("isDefaultGateway", false);
    if (gateway && router == d.address.addr)
      add(d.router ? path_key(p, "router") : p,
          fmt::format("the bridge plugin (isGateway) puts the router {} on {} as well, but that is the DHCP server's own "
                      "address: two hosts on one L2 with one address",
                      router.str(), plugin.value("bridge", "cni0")),
          "give \"router\": the subnet's .1 (the address the bridge takes), and the server another one");
    if (d.lease_time < kMinLease)
      add(path_key(p, "lease_time"), "dnsmasq gives no lease shorter than two minutes", "write \"2min\" or more");
    else if (d.lease_time > kMaxLease)
      add(path_key(p, "lease_time"), "a lease longer than a year", "write \"1h\" (dnsmasq's default) or up to \"8760h\"");
    const std::uint64_t pool = std::uint64_t(d.last.v) - d.first.v + 1;
    if (n.pods.size() > pool)
      add(rp, fmt::format("{} pods but the range holds {} addresses: pod {}'s DISCOVER gets no OFFER and its ADD fails "
                          "after the daemon's retries (\"no more tries\")",
                          n.pods.size(), pool, n.pods[std::size_t(pool)]),
          "widen the range or run fewer pods on the node");
  }
};

}  // namespace

void read_dhcp_daemon(const json& doc, Scenario& s) {
  if (!doc.contains("cni_dhcp_daemon")) return;
  const json& d = doc["cni_dhcp_daemon"];
  if (d.contains("socket_path")) s.dhcp_daemon.socket_path = d["socket_path"];
  if (d.contains("timeout")) s.dhcp_daemon.timeout = *parse_duration(d["timeout"].get<std::string>());
  if (d.contains("resendmax")) s.dhcp_daemon.resend_max = *parse_duration(d["resendmax"].get<std::string>());
}

void read_node_dhcp(const json& node, Node& n) {
  if (!node.contains("dhcp_server")) return;
  const json& j = node["dhcp_server"];
  if (j.is_string()) {
    n.no_dhcp_server = true;
    return;
  }
  DhcpServerSpec d;
  d.first = addr(j["range"][0]);
  d.last = addr(j["range"][1]);
  d.address = *Ipv4Prefix::parse(j["address"].get<std::string>());
  if (j.contains("router")) d.router = addr(j["router"]);
  if (j.contains("lease_time")) d.lease_time = *parse_duration(j["lease_time"].get<std::string>());
  if (j.contains("routes"))
    for (const auto& r : j["routes"]) d.routes.emplace_back(*Ipv4Prefix::parse(r["dst"].get<std::string>()), addr(r["gw"]));
  n.dhcp_server = std::move(d);
}

bool uses_dhcp(const json& plugin) {
  if (!plugin.is_object() || plugin.value("type", "") != "bridge" || !plugin.contains("ipam") || !plugin["ipam"].is_object())
    return false;
  return plugin["ipam"].value("type", "") == "dhcp";
}

std::optional<json> dhcp_plugin(const Scenario& s, const Node& n) {
  std::optional<cni::ConfList> chosen;
  try {
    chosen = cni::choose_conf(n.cni_conf_dir ? *n.cni_conf_dir : s.cni.conf_dir).chosen;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (!chosen || chosen->plugins.empty() || !uses_dhcp(chosen->plugins.front())) return std::nullopt;
  return chosen->plugins.front();
}

void check_dhcp(const Scenario& s, std::vector<Problem>& out) {
  NodeCheck c{s, out};
  // Bounds that keep a run's clock far from overflowing (the real daemon takes any duration).
  const DhcpDaemonSpec& d = s.dhcp_daemon;
  if (d.timeout < kNanosPerMilli || d.timeout > 600 * kNanosPerSecond)
    c.add("$.cni_dhcp_daemon.timeout", "the client's timeout must be from 1ms to 10min", "write \"10s\" (the daemon's default)");
  if (d.resend_max < kNanosPerSecond || d.resend_max > 3600 * kNanosPerSecond)
    c.add("$.cni_dhcp_daemon.resendmax", "resendmax must be from 1s to 1h", "write \"62s\" (the daemon's default)");
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    const Node& n = s.nodes[i];
    const std::string np = path_index("$.nodes", i), p = path_key(np, "dhcp_server");
    const std::optional<json> plugin = dhcp_plugin(s, n);
    if (!plugin) {
      if (n.dhcp_server || n.no_dhcp_server)
        c.add(p, fmt::format("node {} has a DHCP server, but its CNI configuration does not use dhcp IPAM", n.name),
              "remove \"dhcp_server\", or give the node a bridge conflist with \"ipam\": {\"type\": \"dhcp\"}");
      continue;
    }
    const std::string path = plugin->at("ipam").value("daemonSocketPath", "");
    if (!path.empty() && path != s.dhcp_daemon.socket_path)
      c.add(n.cni_conf_dir ? path_key(np, "cni_conf_dir") : "$.cni_conf_dir",
            fmt::format("node {}'s dhcp plugin dials {} but the dhcp daemon listens on {}: every ADD fails with "
                        "\"error dialing DHCP daemon\"",
                        n.name, path, s.dhcp_daemon.socket_path),
            fmt::format("set $.cni_dhcp_daemon.socket_path to \"{}\", or remove daemonSocketPath", path));
    if (n.no_dhcp_server) continue;
    if (!n.dhcp_server) {
      c.add(np, fmt::format("node {} uses dhcp IPAM but no DHCP server is on its L2: every pod's ADD would fail after "
                            "the dhcp daemon's retries (\"no more tries\")",
                            n.name),
            "add \"dhcp_server\": {\"range\": [\"10.244.1.10\", \"10.244.1.200\"], \"address\": \"10.244.1.2/24\", "
            "\"router\": \"10.244.1.1\"} with this node's pod_cidr, or \"dhcp_server\": \"none\" to watch that failure");
      continue;
    }
    c.server(n, p, *plugin);
  }
}

}  // namespace ol::scenario
