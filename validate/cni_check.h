// The CNI cross-check: the reference plugins (Debian's containernetworking-plugins: bridge, which
// calls host-local) run through the CNI protocol on fresh namespaces, against what overlaylab's
// CNI model emits for the same input: ADD of three pods, then DEL of one. Compared: the links,
// IPv4 addresses and routes of the node and the pods, net.ipv4.ip_forward, and host-local's files.
// Normalised, and only: the random veth names and MAC addresses the real plugin picks.
#pragma once
#include <ostream>
#include <string>

#include "models/scenario/spec.h"

namespace ol::validate {

// 0: the same; 1: a difference (printed); 2: the plugins are not installed (printed).
int cni_cross_check(const scenario::Scenario& s, std::ostream& out);

}  // namespace ol::validate
