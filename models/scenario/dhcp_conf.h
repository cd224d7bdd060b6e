// The scenario's DHCP pieces for the dhcp IPAM plugin: a DHCP server on a node's pod bridge
// (nodes[i].dhcp_server) and the CNI dhcp daemon's flags ($.cni_dhcp_daemon), with the checks a
// person needs before every ADD on the node would fail or hand out addresses another node owns.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/scenario/problem.h"
#include "models/scenario/spec.h"

namespace ol::scenario {

void read_dhcp_daemon(const nlohmann::json& doc, Scenario& s);
void read_node_dhcp(const nlohmann::json& node, Node& n);
// Once the nodes' CNI configurations are known: which nodes use dhcp, and whether their servers fit.
void check_dhcp(const Scenario& s, std::vector<Problem>& out);

// A chain's first plugin is the bridge plugin with dhcp IPAM (the one main plugin dhcp works under).
bool uses_dhcp(const nlohmann::json& plugin);
// The node's chosen configuration's main plugin when it uses dhcp (else none).
std::optional<nlohmann::json> dhcp_plugin(const Scenario& s, const Node& n);

}  // namespace ol::scenario
