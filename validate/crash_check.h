// `validate --crash-flanneld NODE`: the flanneld-crash experiment on both sides. After the usual
// checks, flanneld on NODE crashes — in the real lab, SIGKILL to its udpd, whose non-persistent
// flannel0 the kernel then deletes; for vxlan and host-gw there is no process, only the kernel
// state it left — and a pod on another node pings a pod on NODE. Then flanneld restarts: the
// commands the simulated one issues are run in the lab (and udpd started with its routes), and the
// ping is tried again. Each outcome, and whether flannel0 exists, is compared with the simulator.
#pragma once
#include <ostream>
#include <string>

#include "models/scenario/spec.h"
#include "validate/real_cluster.h"

namespace ol::validate {

// The number of differences (each printed). `s` has the mode applied; `real` was built from it.
int crash_check(const scenario::Scenario& s, const std::string& node, RealCluster& real, std::ostream& out);

}  // namespace ol::validate
