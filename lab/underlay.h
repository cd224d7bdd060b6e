// The lab's wiring, which Kubernetes takes as given: a namespace per L2 segment holding bridge
// br0, a forwarding namespace for the router, and each node's eth0 plugged into its segment.
#pragma once
#include "models/cni/naming.h"
#include "models/netconfig/ops.h"
#include "models/scenario/spec.h"

namespace ol::cluster {

inline constexpr const char* kUnderlayOrigin = "underlay (lab wiring)";

// Switches and the router, at t = 0.
void wire_fabric(const scenario::Scenario& s, const cni::Naming& names, netconfig::NetConfig& out);
// A node's namespace, its eth0 on the segment, its address and (with a router) its default route.
void wire_node(const scenario::Scenario& s, const scenario::Node& n, const cni::Naming& names, netconfig::NetConfig& out);

}  // namespace ol::cluster
