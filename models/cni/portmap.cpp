#include "models/cni/portmap.h"

namespace ol::cni {

Result portmap_main(const std::string& command, const nlohmann::json& conf, const Runtime&, PluginHost&) {
  if (command == "DEL") return {};  // removes its iptables chains, if any
  if (!conf.contains("prevResult") || conf["prevResult"].is_null())
    throw CniError(999, command == "ADD" ? "failed to parse config: must be called as chained plugin"
                                         : "failed to parse config: portmap: must be called as chained plugin");
  return parse_result(conf["prevResult"]);
}

}  // namespace ol::cni
