// bridge and ptp side by side for one pod: what each plugin creates for it (its CNI commands), and
// what one packet from it meets on its way out of the node, the two walks aligned on their kernel
// functions. The scenario's flannel conflist is run twice, its delegate set to each plugin.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "models/scenario/spec.h"
#include "runner/walk_recording.h"

namespace ol::runner {

struct PluginSide {
  std::string plugin;                   // "bridge" or "ptp"
  std::vector<std::string> created;     // the commands the main plugin ran for the pod, in order
  WalkRecording walk;
  std::vector<std::size_t> way_out;     // the request's steps on the sending node, until it leaves
};

struct PluginComparison {
  std::string from, to, node;
  std::array<PluginSide, 2> sides;      // bridge, ptp
  std::vector<std::array<int, 2>> rows; // way_out positions aligned (-1: that plugin has no such step)
};

// The scenario with every node's flannel delegate set to `plugin` (bridge keys dropped for ptp).
// Throws std::invalid_argument when a node's configuration does not start with flannel.
scenario::Scenario with_delegate(const scenario::Scenario& s, const std::string& plugin);

// Throws std::invalid_argument as record_walk does, or as with_delegate.
PluginComparison compare_main_plugins(const scenario::Scenario& s, scenario::Backend mode, const std::string& from,
                                      const std::string& to);

// One step of the way out as both views print it: "function  where  what", where being the
// device (after the pod's name inside a pod) and what the table entry it matched or its verdict.
std::array<std::string, 3> way_out_cells(const TraceEvent& e, const std::string& node);

// Longest-common-subsequence alignment of two sequences of names.
std::vector<std::array<int, 2>> align_pair(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace ol::runner
