// A packet walk as the GUI replays it: each step with the table that step consulted (as
// `ip route` / `ip neigh` / `bridge fdb` printed it at that very moment) and the row it matched,
// the header stack as nested layers, the time since the send and the modelled CPU cost so far.
#pragma once
#include <string>
#include <vector>

#include "lab/walk.h"
#include "models/scenario/spec.h"
#include "models/kernel/trace_event.h"

namespace ol::runner {

struct HeaderLayer {
  std::string name;   // "eth", "ipv4", "udp", "vxlan", "icmp", "data", …
  int bytes = 0;
  bool inner = false;  // inside an encapsulation (after the outer UDP)
};

struct WalkStep {
  TraceEvent event;
  std::string table_command;             // e.g. "ip -n node-1 route" (empty: no table consulted)
  std::vector<std::string> table_rows;   // the table as it stood when the step looked it up
  int matched_row = -1;                  // the row equal to event.entry, or -1 (no match)
  std::vector<HeaderLayer> headers;      // outermost first
  double cpu_ns_so_far = 0;              // the profile's cost of this and every earlier step
  int stage = -1;                        // the workflow stage it belongs to (index into stages)
};

struct WalkRecording {
  std::string mode, from, to;
  cluster::WalkResult result;            // outcome, crossings, bytes (its steps moved out)
  std::vector<WalkStep> steps;
  std::size_t request_steps = 0;
  std::vector<std::string> stages;       // the mode's textbook workflow (cluster::narrate)
  int underlay_mtu = 1500;               // the sending node's eth0: what an encapsulation eats into
};

// Runs the walk `o` (its pods, time, size, what-if edits) in a fresh session of `s` in `mode`.
// Throws std::invalid_argument (unknown pod, pod without an address, a refused edit) as
// cluster::walk does.
WalkRecording record_walk(const scenario::Scenario& s, scenario::Backend mode, cluster::WalkOptions o);
WalkRecording record_walk(const scenario::Scenario& s, scenario::Backend mode, const std::string& from, const std::string& to,
                          int size = 56, const std::vector<std::string>& edits = {});

// Whether a step runs in user space: the udp proxy between its read and its write, or a pod's
// program before its sendmsg / after its recvmsg.
std::vector<bool> user_space_steps(const WalkRecording& w);

// "eth 14 | ipv4 20 | udp 8 | vxlan 8 | eth 14 | …" as layers.
std::vector<HeaderLayer> parse_headers(const std::string& stack);

}  // namespace ol::runner
