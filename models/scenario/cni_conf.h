// The scenario's CNI configuration: /etc/cni/net.d as each node has it ("cni-conf.json" as
// kube-flannel's 10-flannel.conflist, "cni_conf_dir", nodes[i].cni_conf_dir), and the checks a
// person needs before a pod's ADD would fail on the node: the configuration libcni would choose,
// plugins that exist, flannel's delegate, IPAM ranges that fit the node and clash with no other.
#pragma once
#include <vector>

#include <nlohmann/json.hpp>

#include "models/scenario/problem.h"
#include "models/scenario/spec.h"

namespace ol::scenario {

// Fills s.cni (conf_dir and, from kube-flannel's conflist, the derived fields).
void read_cni(const nlohmann::json& doc, Scenario& s, std::vector<Problem>& out);
// nodes[i].cni_conf_dir, when given.
void read_node_cni(const nlohmann::json& node, const std::string& path, Node& n);
// Every node's choice, once the nodes (and their pinned leases) are known.
void check_cni(const nlohmann::json& doc, const Scenario& s, std::vector<Problem>& out);

}  // namespace ol::scenario
