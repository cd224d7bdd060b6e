// The flannel CNI plugin (flannel-io/cni-plugin): reads flanneld's /run/flannel/subnet.env and
// renders the delegate config for the bridge plugin (mtu = FLANNEL_MTU, host-local over the
// node's lease, a route to FLANNEL_NETWORK, ipMasq = !FLANNEL_IPMASQ), saved under
// /var/lib/cni/flannel/<containerID> so that DEL uses the same config.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "models/cni/bridge.h"
#include "models/cni/conf.h"
#include "models/netconfig/files.h"

namespace ol::cni {

inline constexpr const char* kSubnetEnvPath = "/run/flannel/subnet.env";

struct SubnetEnv {
  wire::Ipv4Prefix network;  // FLANNEL_NETWORK
  wire::Ipv4Prefix subnet;   // FLANNEL_SUBNET: the lease's first address, e.g. 10.244.1.1/24
  int mtu = 1500;            // FLANNEL_MTU
  bool ipmasq = false;       // FLANNEL_IPMASQ
};

// Throws CniError as the plugin does when the file is missing or a key is absent.
SubnetEnv parse_subnet_env(const netconfig::Files& files);
BridgeConf flannel_delegate(const CniConf& conf, const SubnetEnv& env);
nlohmann::json delegate_json(const BridgeConf& c);  // the saved file's contents

// cmdAdd / cmdDel of the flannel plugin: the delegate's commands, and the saved config.
BridgeResult flannel_add(const CniConf& conf, const CniArgs& a, netconfig::Files& files, const HostView& host,
                         HostLocal& ipam, const Naming& names, netconfig::NetConfig& out);
void flannel_del(const CniConf& conf, const CniArgs& a, netconfig::Files& files, const HostView& host, HostLocal& ipam,
                 netconfig::NetConfig& out);

}  // namespace ol::cni
