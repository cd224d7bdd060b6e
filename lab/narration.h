// The textbook story of a walk: each mode's workflow as a numbered list of stages (pod → cni0 →
// flannel0 → flanneld in user space → UDP to the peer's flanneld → back into the kernel → pod, for
// udp), and each step of a walk tagged with the stage it belongs to. A step is placed by where it
// ran (the sending pod, the sending node, the underlay, the receiving node, the receiving pod) and
// what it did there (the route it matched, the device, the kernel function); within a leg the
// stage never goes back, so an ARP answer coming the other way stays in the stage that asked.
#pragma once
#include <string>
#include <vector>

#include "lab/walk.h"
#include "models/flannel/net_conf.h"

namespace ol::cluster {

struct Narration {
  std::vector<std::string> stages;  // the workflow, in order; stage k is printed as "k+1."
  std::vector<int> step_stage;      // per step of the walk (request, then reply): an index into stages
};

// `same_node`: both pods on one node (the bridge alone carries the packet, whatever the mode).
std::vector<std::string> workflow(flannel::Backend mode, bool same_node);

Narration narrate(const WalkResult& r, flannel::Backend mode);

}  // namespace ol::cluster
