// The container runtime's side of CNI: libcni (containernetworking/cni) as containerd's CRI
// plugin drives it through go-cni when the kubelet asks for a pod sandbox.
//
//   kubelet RunPodSandbox → containerd: new netns → setupPodNetwork → go-cni Setup:
//     AddNetworkList("cni-loopback", lo)   then   AddNetworkList(<first conf in conf dir>, eth0)
//
// The configuration is the first file of the conf dir (/etc/cni/net.d) in lexical order whose
// name ends in .conf, .conflist or .json and that parses; a .conf holds one plugin and becomes a
// list of one. AddNetworkList runs the plugins in order, each with the list's name and cniVersion
// injected and the previous plugin's result as "prevResult", plus "runtimeConfig" for the
// capabilities a plugin declares; it caches the last result. DelNetworkList runs them in reverse
// with the cached result (0.4.0 and later); CheckNetworkList needs 0.4.0.
#pragma once
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/cni/conf.h"
#include "models/cni/invoke.h"

namespace ol::cni {

inline constexpr const char* kResultsDir = "/var/lib/cni/results";

// The runtime's CNI_ARGS for a Kubernetes pod (what containerd's CRI plugin passes as labels).
std::vector<std::pair<std::string, std::string>> k8s_cni_args(const std::string& pod_namespace,
                                                              const std::string& pod_name,
                                                              const std::string& sandbox_id);

// Throw CniError with libcni's wording: `plugin type="flannel" failed (add): <the plugin's msg>`,
// the plugin's code kept.
Result add_network_list(const ConfList& list, const Runtime& rt, PluginHost& h,
                        const nlohmann::json& capability_args = nlohmann::json::object());
void del_network_list(const ConfList& list, const Runtime& rt, PluginHost& h,
                      const nlohmann::json& capability_args = nlohmann::json::object());
void check_network_list(const ConfList& list, const Runtime& rt, PluginHost& h,
                        const nlohmann::json& capability_args = nlohmann::json::object());

// The loopback network containerd adds before every pod network.
const ConfList& loopback_network();
// What containerd's CRI plugin passes for a pod without hostPorts: an empty "portMappings".
nlohmann::json k8s_capability_args();

}  // namespace ol::cni
