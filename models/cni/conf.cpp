#include "models/cni/conf.h"

#include <array>

#include <fmt/format.h>

namespace ol::cni {

using nlohmann::json;
using wire::Ipv4Addr;

namespace {

constexpr std::array<const char*, 4> kVersions = {"0.3.0", "0.3.1", "0.4.0", "1.0.0"};

std::array<int, 3> parts(const std::string& v) {  // "0.4.0" → {0, 4, 0}; missing parts are 0
  std::array<int, 3> p{};
  std::size_t k = 0;
  for (char c : v) {
    if (c == '.') {
      if (++k == p.size()) break;
    } else if (c >= '0' && c <= '9') {
      p[k] = p[k] * 10 + (c - '0');
    }
  }
  return p;
}

}  // namespace

bool supported_version(const std::string& v) {
  for (const char* k : kVersions)
    if (v == k) return true;
  return false;
}

bool version_at_least(const std::string& v, const std::string& floor) { return parts(v) >= parts(floor); }

namespace {

std::string ends(const std::string& s) {
  const auto dot = s.rfind('.');
  return dot == std::string::npos ? "" : s.substr(dot);
}

void parse_list_keys(const json& j, ConfList& l) {
  if (!j.contains("name")) throw ConfError("error parsing configuration list: no name");
  if (!j["name"].is_string()) throw ConfError("error parsing configuration list: invalid name type");
  l.name = j["name"].get<std::string>();
  if (j.contains("cniVersion")) {
    if (!j["cniVersion"].is_string()) throw ConfError("error parsing configuration list: invalid cniVersion type");
    l.cni_version = j["cniVersion"].get<std::string>();
  }
  l.disable_check = j.value("disableCheck", false);
}

wire::Ipv4Addr addr_field(const nlohmann::json& j, const char* key) {
  auto a = Ipv4Addr::parse(j[key].get<std::string>());
  if (!a) throw CniError(7, fmt::format("invalid {} \"{}\" in the ipam configuration", key, j[key].get<std::string>()));
  return *a;
}

}  // namespace

HostLocalConf host_local_conf(const nlohmann::json& ipam) {
  // ranges[0][0] (a range set per address family; overlaylab models IPv4's first range) or the
  // older top-level keys, which host-local converts into a single range.
  const nlohmann::json* range = &ipam;
  if (ipam.contains("ranges")) {
    if (!ipam["ranges"].is_array() || ipam["ranges"].empty() || !ipam["ranges"][0].is_array() || ipam["ranges"][0].empty())
      throw CniError(7, "invalid range set 0: no IP ranges specified");
    range = &ipam["ranges"][0][0];
  }
  if (!range->contains("subnet")) throw CniError(7, "IPAM config missing 'subnet' key");
  HostLocalConf c;
  auto sub = wire::Ipv4Prefix::parse((*range)["subnet"].get<std::string>());
  if (!sub) throw CniError(7, fmt::format("invalid CIDR address: {}", (*range)["subnet"].get<std::string>()));
  if (sub->len > 30) throw CniError(7, fmt::format("Network {} too small to allocate from", sub->str()));
  c.subnet = {sub->network(), sub->len};
  if (range->contains("rangeStart")) c.range_start = addr_field(*range, "rangeStart");
  if (range->contains("rangeEnd")) c.range_end = addr_field(*range, "rangeEnd");
  if (range->contains("gateway")) c.gateway = addr_field(*range, "gateway");
  for (const auto& r : ipam.value("routes", nlohmann::json::array())) {
    auto dst = wire::Ipv4Prefix::parse(r.value("dst", ""));
    if (!dst) throw CniError(7, fmt::format("invalid route dst \"{}\"", r.value("dst", "")));
    IpamRoute route{*dst, std::nullopt};
    if (r.contains("gw")) route.gw = addr_field(r, "gw");
    c.routes.push_back(route);
  }
  if (ipam.contains("dataDir")) c.data_dir = ipam["dataDir"].get<std::string>();
  return c;
}

ConfList conf_list_from_text(const std::string& text, const std::string& file) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw ConfError(ends(file) == ".conflist" ? "error parsing configuration list: not a JSON object"
                                              : "error parsing configuration: not a JSON object");
  ConfList l;
  l.file = file;
  if (ends(file) == ".conflist") {
    parse_list_keys(j, l);
    if (!j.contains("plugins")) throw ConfError("error parsing configuration list: no 'plugins' key");
    if (!j["plugins"].is_array()) throw ConfError("error parsing configuration list: invalid 'plugins' type");
    if (j["plugins"].empty()) throw ConfError("error parsing configuration list: no plugins in list");
    for (std::size_t i = 0; i < j["plugins"].size(); ++i) {
      const json& p = j["plugins"][i];
      if (!p.is_object() || !p.contains("type") || !p["type"].is_string())
        throw ConfError(fmt::format("failed to parse plugin config {}: error parsing configuration: missing 'type'", i));
      l.plugins.push_back(p);
    }
    return l;
  }
  // A single plugin's configuration: ConfListFromConf makes a list of one with its name and version.
  if (!j.contains("type") || !j["type"].is_string()) throw ConfError("error parsing configuration: missing 'type'");
  parse_list_keys(j, l);
  l.plugins.push_back(j);
  return l;
}

ConfDirChoice choose_conf(const std::map<std::string, std::string>& files, const std::string& dir) {
  ConfDirChoice c;
  for (const auto& [name, text] : files) {  // std::map: lexical order, as sort.Strings
    const std::string ext = ends(name);
    if (ext != ".conf" && ext != ".conflist" && ext != ".json") continue;
    try {
      c.chosen = conf_list_from_text(text, dir + "/" + name);
      return c;
    } catch (const ConfError& e) {
      c.skipped.push_back(fmt::format("{}/{}: {}", dir, name, e.what()));
    }
  }
  return c;
}

}  // namespace ol::cni
