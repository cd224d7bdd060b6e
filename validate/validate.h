// overlaylab validate: the scenario built for real, pings sent for real, every outcome compared
// with the simulator's: a command the kernel takes or refuses, a ping that arrives or not.
#pragma once
#include <atomic>
#include <ostream>
#include <string>

#include "models/scenario/spec.h"

namespace ol::validate {

// Set by SIGINT/SIGTERM: a run stops between commands and cleans up.
extern std::atomic<bool> g_interrupted;
void install_signal_handlers();

struct ValidateOptions {
  bool keep = false;          // the namespaces stay for inspection (not when interrupted)
  std::string perturb_node;   // first remove one VXLAN FDB entry from this node's simulated side only
  std::string pcap_dir;       // keep both sides' captures here (else a temporary directory)
  int sample = 0;             // path-check this many pod pairs (seeded); 0: the scenario's ping pairs
  std::string crash_node;     // then crash flanneld on this node, and restart it, on both sides
};

// 0: the kernel agreed with the simulator on everything; 1: a difference (printed); 2: cannot
// validate this mode here (printed why); 130: interrupted.
int validate_mode(const scenario::Scenario& s, scenario::Backend mode, std::ostream& out, const ValidateOptions& o = {});

}  // namespace ol::validate
