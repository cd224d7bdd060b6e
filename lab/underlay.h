// The lab's wiring, which Kubernetes takes as given: a namespace per L2 segment holding bridge
// br0, a forwarding namespace for the router, and each node's eth0 plugged into its segment.
#pragma once
#include "models/cni/naming.h"
#include "models/netconfig/ops.h"
#include "models/scenario/spec.h"

namespace ol::cluster {

inline constexpr const char* kUnderlayOrigin = "underlay (lab wiring)";

// The netem shape of one end of a host's cable: its NIC rate plus Ethernet's per-frame overhead,
// and on the switch's port the segment's delay. `change`: `tc qdisc change` (a fault altering it).
netconfig::Netem link_shape(const scenario::Segment& seg, const std::string& netns, const std::string& dev, double gbps,
                            bool switch_port, bool change = false);

// The root qdisc of one end of a host's cable: link_shape's netem, or on a tbf-shaped segment the
// token bucket a kernel without netem is given for it (netconfig::tbf_for).
netconfig::Op cable_qdisc(const scenario::Segment& seg, const std::string& netns, const std::string& dev, double gbps,
                          bool switch_port);

// Switches and the router, at t = 0.
void wire_fabric(const scenario::Scenario& s, const cni::Naming& names, netconfig::NetConfig& out);
// A node's namespace, its eth0 on the segment, its address and (with a router) its default route.
void wire_node(const scenario::Scenario& s, const scenario::Node& n, const cni::Naming& names, netconfig::NetConfig& out);

}  // namespace ol::cluster
