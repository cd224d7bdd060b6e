// The path check: the same pings and a short UDP flow, sent in the simulator and in the real
// namespaces, captured on the underlay NIC (eth0) of each node they cross, and compared packet by
// packet — delivery, and the encapsulation of every captured packet (see encap_summary.h).
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "models/scenario/spec.h"

namespace ol::validate {

struct PathProbe {
  std::string from, to;  // pod names
  int ping_size = 56;    // ICMP data bytes
};

struct PathCheckOptions {
  std::string prefix;    // the real namespaces' run prefix
  std::string pcap_dir;  // both sides' captures: <dir>/{sim,real}/<mode>/<node>-eth0.pcap
  int pings = 3;         // per probe, 200 ms apart
  int datagrams = 5;     // per probe, 100 bytes each, 10 ms apart
};

// `s` is the scenario as built (its backend already chosen). Prints what it compared and each
// difference; returns the number of differences.
int path_check(const scenario::Scenario& s, const std::vector<PathProbe>& probes, const PathCheckOptions& o,
               std::ostream& out);

}  // namespace ol::validate
