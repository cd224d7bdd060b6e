// The batch runner: one scenario in one mode, its workloads run on the simulated cluster, and the
// measurements as tidy rows (one per flow) plus each node's CPU time broken down by step.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/cost/profile.h"
#include "models/scenario/spec.h"
#include "models/kernel/trace_event.h"

namespace ol::cluster {
class Cluster;
}

namespace ol::runner {

struct RunOptions {
  std::optional<std::uint64_t> seed;  // overrides the scenario's
  bool offloads = true;               // GSO on the devices that have it (off: every packet MSS-sized)
  std::optional<std::string> pcap_dir;  // one capture per interface under <dir>/<mode>/
  int trace_packets = 0;               // trace each flow's first this many packets (and their answers)
  const cost::Profile* profile = nullptr;  // the step costs; the built-in default when null
  Nanos timeline_bin = 100 * kNanosPerMilli;  // the width of the timeline's bins
  bool veth_wires = false;  // the links are veth pairs (validate's lab): no per-frame TSO/GRO work
  // The lab mode: every namespace (nodes, pods, switches, routers) shares one machine of this many
  // cores, as the real namespaces of validate and calibrate do; 0: each node has its own cores.
  int lab_cores = 0;
  // Told the fraction of simulated time done, every 1% or so; returning false stops the run there
  // (the rows then cover what ran). The GUI's progress bar and Cancel.
  std::function<bool(double)> progress;
};

struct FlowRow {
  std::string scenario, mode, source = "sim";
  std::uint64_t seed = 0;
  int flow = 0;
  std::string src_pod, dst_pod, proto;
  int payload_bytes = 0, mtu = 0;
  std::uint64_t packets_sent = 0, packets_delivered = 0, drops = 0;
  double throughput_gbps = 0, goodput_gbps = 0;
  double rtt_p50_us = -1, rtt_p99_us = -1, one_way_p50_us = -1;
  double cpu_ns_per_packet_tx_node = -1, cpu_ns_per_packet_rx_node = -1;  // -1: none delivered (empty in the CSV)
  double crossings_per_packet = -1;
  int overhead_bytes_per_packet = 0;
};

struct StepRow {
  std::string scenario, mode;
  std::uint64_t seed = 0;
  int flow = 0;
  std::string role;  // "tx" (the sending pod's node) or "rx"; in lab mode only "tx": the one machine
  std::string node, step;
  std::uint64_t calls = 0;
  double ns_total = 0, ns_per_packet = 0;
};

// One bin of one flow's timeline: packets sent, and packets delivered to the receiving
// application, in [t_s, t_s + bin).
struct TimelineRow {
  std::string scenario, mode;
  std::uint64_t seed = 0;
  int flow = 0;
  double t_s = 0;
  std::uint64_t sent = 0, delivered = 0;
};

// A node that joined or left by a scenario event, as one peer's flanneld programmed it: the lease
// written to the store, heard by the peer's watch, and the peer's commands applied.
struct ConvergenceRow {
  std::string scenario, mode;
  std::uint64_t seed = 0;
  std::string node, event;  // event: "join" or "leave"
  std::string subnet, peer;
  double written_s = 0, heard_s = 0, programmed_s = 0;
};

// A scenario event, for marking charts: when, what and on what.
struct EventMark {
  double t_s = 0;
  std::string label;  // "flanneld-crash node-1"
};

struct RunResult {
  std::vector<FlowRow> flows;
  std::vector<StepRow> steps;
  std::vector<TimelineRow> timeline;
  std::vector<ConvergenceRow> convergence;  // empty unless nodes join or leave by events
  std::vector<TraceEvent> trace;  // the sampled packets' steps, when asked for
  std::vector<std::vector<double>> rtt_samples_us;  // per flow, ascending, at most 2000 evenly spaced ranks: for CDFs
  std::map<std::string, std::uint64_t> drops;  // packets the kernel freed, by SKB_DROP_REASON_… (every flow)
  std::vector<std::string> control_plane_errors;  // commands the kernel refused, failed CNI calls (as config shows them)
};

int overhead_of(scenario::Backend b);  // bytes the mode's encapsulation adds to each packet

RunResult run_mode(const scenario::Scenario& s, scenario::Backend mode, const RunOptions& o);

// The CSV texts, header first; columns documented in results/README.md.
std::string flows_csv(const std::vector<FlowRow>& rows);
std::string steps_csv(const std::vector<StepRow>& rows);
std::string timeline_csv(const std::vector<TimelineRow>& rows);
std::vector<ConvergenceRow> convergence_rows(const cluster::Cluster& c, const std::string& mode);
std::string convergence_csv(const std::vector<ConvergenceRow>& rows);
// Per node joining or leaving: how many peers programmed it, and p50/p99/max of the time from its
// lease's write to each peer's commands applied. One line each, for the terminal.
std::string convergence_summary(const std::string& mode, const std::vector<ConvergenceRow>& rows);
// The scenario's events (but node-join), in time order, for the timeline chart.
std::vector<EventMark> event_marks(const scenario::Scenario& s);

}  // namespace ol::runner
