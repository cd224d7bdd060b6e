// Where a node's DHCP server sits: its own namespace ("<node>-dhcp"), a veth from the node's pod
// bridge, its address; as commands, so the lab and the validation (in real namespaces) build it
// alike. The bridge is created here, before any pod, with the MAC and MTU the bridge plugin would
// give it; the plugin then finds it and uses it as it is.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "models/cni/naming.h"
#include "models/netconfig/ops.h"
#include "models/scenario/spec.h"
#include "models/userspace/dhcp_server.h"

namespace ol::cluster {

inline constexpr const char* kDhcpServerOrigin = "DHCP server (dnsmasq)";

std::string dhcp_server_netns(const std::string& node);
// `plugin`: the node's bridge plugin configuration (its bridge name and MTU).
void wire_dhcp_server(const std::string& node, const nlohmann::json& plugin, const scenario::DhcpServerSpec& d,
                      const cni::Naming& names, netconfig::NetConfig& out);
traffic::DhcpServerConf dhcp_server_conf(const scenario::DhcpServerSpec& d);

}  // namespace ol::cluster
