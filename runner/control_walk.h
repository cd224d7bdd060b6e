// The control plane stepped through, as the packet walk steps the data plane: one pod's creation
// (kubelet's sandbox, then the CNI plugins: loopback, bridge, host-local) or one node's join (its
// flanneld's lease, subnet file and device, the peers it lists, and each peer's flanneld
// programming it), command by command, with the rows each command added to or removed from its
// namespace's tables, and the component that issued it.
#pragma once
#include <string>
#include <vector>

#include "models/scenario/spec.h"
#include "sim/time.h"

namespace ol::runner {

struct RowChange {
  std::string netns;  // the command's namespace, or a veth peer's
  std::string table;  // "ip route", "bridge fdb", …
  std::string row;    // as ip/bridge print it
  bool added = true;  // else removed
};

struct ControlStep {
  Nanos time = 0;
  std::string node, netns;  // where the command ran (netns "" for a note such as a lease acquired)
  std::string component;    // "CNI bridge", "flanneld vxlan backend", …
  std::string command;      // the command, or the note
  std::string refused;      // the kernel's words, when it refused
  std::vector<RowChange> changes;
};

struct ControlWalk {
  std::string subject;  // "pod pod-a is created on node-1", "node node-3 joins"
  std::vector<ControlStep> steps;
};

// Throw std::invalid_argument naming the unknown pod or node and the ones there are.
ControlWalk record_pod_creation(const scenario::Scenario& s, scenario::Backend mode, const std::string& pod);
ControlWalk record_node_join(const scenario::Scenario& s, scenario::Backend mode, const std::string& node);

}  // namespace ol::runner
