// The loopback CNI plugin: ADD sets `lo` up in the pod (the kernel then gives it 127.0.0.1/8) and
// reports it; DEL sets it down. The container runtime runs it as a network of its own
// ("cni-loopback") before the pod's network.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "models/cni/invoke.h"

namespace ol::cni {

// The plugin binary (origin "CNI loopback"). Without a prevResult, ADD's result is lo with
// 127.0.0.1/8 (the real plugin also lists ::1/128; overlaylab models IPv4 only).
Result loopback_main(const std::string& command, const nlohmann::json& conf, const Runtime& rt, PluginHost& h);

}  // namespace ol::cni
