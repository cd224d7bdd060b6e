#include "models/cni/result.h"

#include <fmt/format.h>

namespace ol::cni {

using nlohmann::json;

json result_json(const Result& r, const std::string& cni_version) {
  const bool versioned_ips = !version_at_least(cni_version, "1.0.0");
  json j = {{"cniVersion", cni_version}, {"dns", json::object()}};
  if (!r.interfaces.empty()) {
    json ifs = json::array();
    for (const auto& i : r.interfaces) {
      json o = {{"name", i.name}};
      if (!i.mac.empty()) o["mac"] = i.mac;
      if (!i.sandbox.empty()) o["sandbox"] = i.sandbox;
      ifs.push_back(std::move(o));
    }
    j["interfaces"] = std::move(ifs);
  }
  if (!r.ips.empty()) {
    json ips = json::array();
    for (const auto& ip : r.ips) {
      json o = {{"address", ip.address.str()}};
      if (versioned_ips) o["version"] = "4";
      if (ip.gateway) o["gateway"] = ip.gateway->str();
      if (ip.interface) o["interface"] = *ip.interface;
      ips.push_back(std::move(o));
    }
    j["ips"] = std::move(ips);
  }
  if (!r.routes.empty()) {
    json routes = json::array();
    for (const auto& rt : r.routes) {
      json o = {{"dst", rt.dst.str()}};
      if (rt.gw) o["gw"] = rt.gw->str();
      routes.push_back(std::move(o));
    }
    j["routes"] = std::move(routes);
  }
  return j;
}

namespace {

// The member read in place (json::value would copy the whole array out), or an empty array.
const json& member_or_empty(const json& j, const char* key) {
  static const json empty = json::array();
  const auto it = j.find(key);
  return it != j.end() ? *it : empty;
}

}  // namespace

Result parse_result(const json& j) {
  auto bad = [](const std::string& why) { return CniError(6, fmt::format("failed to parse prevResult: {}", why)); };
  if (!j.is_object()) throw bad("not a JSON object");
  if (!supported_version(j.value("cniVersion", "")))
    throw bad(fmt::format("unsupported cniVersion \"{}\"", j.value("cniVersion", "")));
  Result r;
  for (const auto& i : member_or_empty(j, "interfaces"))
    r.interfaces.push_back({i.value("name", ""), i.value("mac", ""), i.value("sandbox", "")});
  for (const auto& ip : member_or_empty(j, "ips")) {
    auto a = wire::Ipv4Prefix::parse(ip.value("address", ""));
    if (!a) throw bad(fmt::format("\"{}\" is not an address with a prefix length", ip.value("address", "")));
    ResultIp out{*a, std::nullopt, std::nullopt};
    if (ip.contains("gateway")) out.gateway = wire::Ipv4Addr::parse(ip["gateway"].get<std::string>());
    if (ip.contains("interface")) out.interface = ip["interface"].get<int>();
    r.ips.push_back(out);
  }
  for (const auto& rt : member_or_empty(j, "routes")) {
    auto d = wire::Ipv4Prefix::parse(rt.value("dst", ""));
    if (!d) throw bad(fmt::format("route dst \"{}\" is not a prefix", rt.value("dst", "")));
    ResultRoute out{*d, std::nullopt};
    if (rt.contains("gw")) out.gw = wire::Ipv4Addr::parse(rt["gw"].get<std::string>());
    r.routes.push_back(out);
  }
  return r;
}

Result ipam_result(const IpamResult& r, const std::vector<IpamRoute>& configured) {
  Result out;
  out.ips.push_back({r.address, r.gateway, std::nullopt});
  for (const auto& rt : configured) out.routes.push_back({rt.dst, rt.gw});
  return out;
}

json error_json(const CniError& e) {
  json j = {{"code", e.code}, {"msg", std::string(e.what())}};
  if (!e.details.empty()) j["details"] = e.details;
  return j;
}

}  // namespace ol::cni
