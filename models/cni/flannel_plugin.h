// The flannel CNI plugin (flannel-io/cni-plugin), a meta plugin: reads flanneld's subnet.env and
// renders the configuration of its delegate (bridge by default; any main plugin, such as ptp, by
// "delegate": {"type": …}): mtu = FLANNEL_MTU, ipMasq = !FLANNEL_IPMASQ, isGateway for bridge,
// and an IPAM section (host-local by default) over the node's lease with a route to
// FLANNEL_NETWORK. It saves that configuration under <dataDir>/<containerID> so that DEL runs the
// delegate with the same configuration even after the lease has changed. CHECK does nothing.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "models/cni/invoke.h"
#include "models/netconfig/files.h"

namespace ol::cni {

inline constexpr const char* kSubnetEnvPath = "/run/flannel/subnet.env";
inline constexpr const char* kFlannelDataDir = "/var/lib/cni/flannel";

struct SubnetEnv {
  wire::Ipv4Prefix network;  // FLANNEL_NETWORK
  wire::Ipv4Prefix subnet;   // FLANNEL_SUBNET: the lease's first address, e.g. 10.244.1.1/24
  int mtu = 1500;            // FLANNEL_MTU
  bool ipmasq = false;       // FLANNEL_IPMASQ
};

// Throws CniError as the plugin does when the file is missing or a key is absent.
SubnetEnv parse_subnet_env(const netconfig::Files& files, const std::string& path = kSubnetEnvPath);

// doCmdAdd's delegate: the flannel plugin's configuration (as libcni passed it) and subnet.env.
nlohmann::json flannel_delegate_conf(const nlohmann::json& flannel_conf, const SubnetEnv& env);

// The plugin binary (origin of its delegates' commands: theirs).
Result flannel_main(const std::string& command, const nlohmann::json& conf, const Runtime& rt, PluginHost& h);

}  // namespace ol::cni
