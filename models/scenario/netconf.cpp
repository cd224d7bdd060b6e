// flanneld's reading of net-conf.json: SubnetLen, SubnetMin and SubnetMax defaults and checks,
// with flanneld's own error words (pkg/subnet/config.go), and the backend options.
#include <fmt/format.h>

#include "models/scenario/check.h"

namespace ol::scenario {

using nlohmann::json;

namespace {

std::optional<Ipv4Prefix> cidr(const json& v) { return Ipv4Prefix::parse(v.get<std::string>()); }

}  // namespace

void apply_netconf_defaults(NetConf& n, const std::string& path, std::vector<Problem>& out) {
  const json& j = n.verbatim;
  const std::string net_path = path_key(path, "Network");
  auto net = cidr(j["Network"]);
  if (!net) {
    out.push_back({net_path, fmt::format("\"{}\" is not a valid IPv4 prefix", j["Network"].get<std::string>()),
                   "write an IPv4 prefix such as \"10.244.0.0/16\""});
    return;
  }
  if (!net->is_network()) {
    out.push_back({net_path, fmt::format("{} has host bits set", net->str()),
                   fmt::format("write \"{}/{}\"", net->network().str(), net->len)});
    return;
  }
  n.network = *net;
  const int ones = net->len;
  if (j.contains("SubnetLen")) {
    n.subnet_len = j["SubnetLen"];
    if (n.subnet_len > 30) {
      out.push_back({path_key(path, "SubnetLen"), "flanneld refuses it: SubnetLen must be less than /31",
                     "use a SubnetLen of 30 or less (each node needs room for the bridge and a pod)"});
      return;
    }
    if (n.subnet_len < ones + 2) {
      out.push_back({path_key(path, "SubnetLen"),
                     "flanneld refuses it: Network must be able to accommodate at least four subnets",
                     fmt::format("use a SubnetLen of at least {} for a /{} Network", ones + 2, ones)});
      return;
    }
  } else if (ones > 28) {
    out.push_back({net_path, "flanneld refuses it: Network is too small. Minimum useful network prefix is /28",
                   "use a Network of /28 or larger"});
    return;
  } else {
    n.subnet_len = ones <= 22 ? 24 : ones + 2;
  }
  const std::uint32_t size = 1u << (32 - n.subnet_len);
  const std::uint32_t mask = wire::prefix_mask(n.subnet_len);
  auto bound = [&](const char* key, Ipv4Addr def) -> std::optional<Ipv4Addr> {
    if (!j.contains(key)) return def;
    auto a = Ipv4Addr::parse(j[key].get<std::string>());
    if (!a) {
      out.push_back({path_key(path, key), "not a valid IPv4 address", "write an address such as \"10.244.1.0\""});
      return std::nullopt;
    }
    if (!net->contains(*a)) {
      out.push_back({path_key(path, key), fmt::format("flanneld refuses it: {} is not in the range of the Network", key),
                     fmt::format("pick an address inside {}", net->str())});
      return std::nullopt;
    }
    if ((a->v & mask) != a->v) {
      out.push_back({path_key(path, key), fmt::format("flanneld refuses it: {} is not on a SubnetLen boundary: {}", key, a->str()),
                     fmt::format("write \"{}\"", Ipv4Addr{a->v & mask}.str())});
      return std::nullopt;
    }
    return a;
  };
  auto lo = bound("SubnetMin", Ipv4Addr{net->network().v + size});  // the zeroth subnet is skipped
  auto hi = bound("SubnetMax", Ipv4Addr{net->broadcast().v + 1 - size});
  if (!lo || !hi) return;
  n.subnet_min = *lo;
  n.subnet_max = *hi;
  if (n.subnet_min > n.subnet_max)
    out.push_back({path_key(path, "SubnetMin"), "SubnetMin is above SubnetMax: no lease can be given",
                   "make SubnetMin at most SubnetMax"});

  if (!j.contains("Backend")) return;  // flanneld's code defaults to udp (its docs say vxlan)
  const json& b = j["Backend"];
  const std::string bpath = path_key(path, "Backend");
  n.backend = *parse_backend(b["Type"].get<std::string>());
  n.backend_given = true;
  if (b.contains("VNI")) {
    if (n.backend != Backend::Vxlan)
      out.push_back({path_key(bpath, "VNI"), "VNI applies to the vxlan backend only", "remove it, or use Type \"vxlan\""});
    n.vni = b["VNI"];
  }
  if (b.contains("Port")) {
    if (n.backend == Backend::HostGw)
      out.push_back({path_key(bpath, "Port"), "host-gw sends no encapsulated traffic, so Port means nothing",
                     "remove it, or use Type \"udp\" or \"vxlan\""});
    n.port = std::uint16_t(b["Port"].get<int>());
  }
  if (b.contains("DirectRouting")) {
    if (n.backend != Backend::Vxlan)
      out.push_back({path_key(bpath, "DirectRouting"), "DirectRouting applies to the vxlan backend only",
                     "remove it, or use Type \"vxlan\""});
    n.direct_routing = b["DirectRouting"];
  }
  if (b.contains("MTU")) {
    n.mtu = b["MTU"].get<int>();
    // vxlan: the device gets MTU − 50, and the kernel refuses an MTU under 68.
    if (n.backend == Backend::Vxlan && *n.mtu < 68 + 50)
      out.push_back({path_key(bpath, "MTU"), fmt::format("{} leaves flannel.{} an MTU of {}, under the 68 IPv4 needs", *n.mtu, n.vni, *n.mtu - 50),
                     "Backend.MTU is the underlay MTU to assume (the device gets 50 less): use 118 or more, e.g. 1500"});
  }
}

}  // namespace ol::scenario
