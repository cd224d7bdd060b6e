// The portmap CNI plugin (plugins/meta/portmap): a chained plugin that turns the runtime's
// "portMappings" into iptables DNAT rules. overlaylab does not model iptables, so portmap here is
// what it is for every pod without hostPort: it checks it was chained and passes prevResult on.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "models/cni/invoke.h"

namespace ol::cni {

// Throws CniError("must be called as chained plugin") without a prevResult on ADD.
Result portmap_main(const std::string& command, const nlohmann::json& conf, const Runtime& rt, PluginHost& h);

}  // namespace ol::cni
