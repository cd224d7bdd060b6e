#include "models/cni/loopback.h"

namespace ol::cni {

namespace {
constexpr const char* kOrigin = "CNI loopback";
}

Result loopback_main(const std::string& command, const nlohmann::json& conf, const Runtime& rt, PluginHost& h) {
  if (command == "ADD") {
    h.out.add(netconfig::LinkSet{.netns = rt.netns, .dev = "lo", .up = true}, kOrigin);
    if (conf.contains("prevResult")) return parse_result(conf["prevResult"]);
    Result r;
    r.interfaces.push_back({"lo", "00:00:00:00:00:00", rt.netns_path()});
    r.ips.push_back({{{0x7f000001}, 8}, std::nullopt, 0});
    return r;
  }
  if (command == "DEL" && h.host.link_exists(rt.netns, "lo"))
    h.out.add(netconfig::LinkSet{.netns = rt.netns, .dev = "lo", .up = false}, kOrigin);
  return {};
}

}  // namespace ol::cni
