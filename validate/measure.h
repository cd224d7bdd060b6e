// Measured performance in the real namespaces, as the same four flows the simulator runs for
// comparison: ping RTT, a UDP flood of 64-byte and of 1400-byte datagrams (iperf3 -u -b 0), and a
// TCP bulk transfer (iperf3), from one pod to another on a different node. Each becomes a CSV row
// with the simulator's columns and source=real.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "models/scenario/spec.h"
#include "runner/run.h"

namespace ol::validate {

struct MeasurePlan {
  std::string from, to;       // pods on different nodes
  int seconds = 2;            // each iperf3 run
  int pings = 500;            // 1 ms apart
};

// The pair to measure: the scenario's first TCP or ping workload across nodes, else the first pod
// and the first pod on another node. Throws std::invalid_argument when no two nodes have pods.
MeasurePlan plan_of(const scenario::Scenario& s, int seconds);

// The four flows as workloads of `s` for the simulator, starting at `at` one after another:
// flow 0 ping, 1 UDP 64 B flood, 2 UDP 1400 B flood, 3 TCP (shorter than the real runs: a flow
// settles within milliseconds).
scenario::Scenario plan_scenario(const scenario::Scenario& s, const MeasurePlan& p, Nanos at);

// Runs the four measurements in the cluster built under `prefix`; `dst` is the receiving pod's
// address; `mtu` the pod's (for TCP's segment size). Rows carry source=real; what could not be
// measured is -1 (an empty CSV cell). The caller sets the pods' TCP first (use_linux_tcp_defaults).
// Throws std::runtime_error naming the tool and its output when one fails.
std::vector<runner::FlowRow> measure_real(const scenario::Scenario& s, const MeasurePlan& p, const std::string& prefix,
                                          const std::string& dst, int mtu, std::ostream& log);

// The out-of-sample flows, which calibrate predicts and never fits: flow 4 a UDP 512 B flood,
// flows 5-8 four TCP flows at once (iperf3 -P 4), then flow 9 a TCP bulk transfer with flow 10, a
// ping, running while it does.
scenario::Scenario plan_out_of_sample(const scenario::Scenario& s, const MeasurePlan& p, Nanos at);
// The same, measured: rows for flows 4, 5 (the four flows' sum) and 10 (the ping under load).
std::vector<runner::FlowRow> measure_out_of_sample(const scenario::Scenario& s, const MeasurePlan& p, const std::string& prefix,
                                                   const std::string& dst, int mtu, std::ostream& log);

// The jumbo-frame figure, out of sample too: `s` with every node's underlay MTU at `mtu` (flannel
// then derives the pods' MTU from it), and its one flow 11, a TCP bulk transfer.
inline constexpr int kJumboMtu = 9000;
scenario::Scenario with_underlay_mtu(scenario::Scenario s, int mtu);
scenario::Scenario plan_jumbo(const scenario::Scenario& s, const MeasurePlan& p, Nanos at);
// The same, measured in the cluster built from with_underlay_mtu(s) under `prefix`: flow 11's row.
runner::FlowRow measure_jumbo(const scenario::Scenario& s, const MeasurePlan& p, const std::string& prefix, const std::string& dst,
                              int mtu, std::ostream& log);

// Datagrams delivered per second, from a UDP row's goodput.
double packets_per_second(const runner::FlowRow& r);

// The model's TCP is Linux's defaults: CUBIC, tcp_rmem "4096 131072 6291456" (TcpFlow's buffers),
// tcp_wmem "4096 16384 4194304". A machine may be tuned otherwise (this project's build VM runs BBR
// and a 32 MiB tcp_rmem maximum, which new namespaces inherit), so the lab's TCP is set to them:
// iperf3 picks the congestion control per socket with tcp_as_modelled() (a namespace may not choose
// an algorithm the machine has not allowed), and use_linux_tcp_defaults sets the buffers in each
// of `namespaces` (the lab's own). Returns a line for the log naming what the machine had, or
// throws naming the namespace the kernel refused.
std::vector<std::string> tcp_as_modelled();
std::string use_linux_tcp_defaults(const std::vector<std::string>& namespaces);

// iperf3's server for one test (`-s -1 -p port`, then `extra`) in namespace `netns`; returns its pid
// once it listens, or throws naming `name`.
int start_iperf3_server(const std::string& netns, const std::string& name, int port, const std::vector<std::string>& extra);

}  // namespace ol::validate
