// The per-step experiments of `calibrate --steps`: small topologies, each adding one kind of work
// to a UDP stream between two sockets, written once as an ip script that both kernels build — the
// simulated one (step_model.h counts the steps it charges) and the real one (step_real.h measures
// the CPU a packet costs). Comparing the two, experiment by experiment, measures each cost group.
// Every link has a 9000-byte MTU (VXLAN 8950), so that large datagrams travel unfragmented.
#pragma once
#include <string>
#include <vector>

#include "models/wire/addr.h"

namespace ol::validate {

struct StepExperiment {
  std::string name;    // "veth"
  std::string what;    // a line for the report
  std::string script;  // ip commands; namespace names without the run's prefix
  std::string sender_ns, receiver_ns;
  wire::Ipv4Addr src, dst;  // the sender's address, and where it sends
  // Non-empty: the route to `dst` leads into this TUN device of the sender's namespace; a reader
  // of our own reads each packet, swaps its source and destination, and writes it back, so the
  // kernel delivers it to the receiver at `src` (flanneld's proxy loop without the encapsulation).
  std::string tun;
};

// veth, bridge, forward, vxlan, tun: each a UDP stream from `sender_ns` to `receiver_ns`.
const std::vector<StepExperiment>& step_experiments();
const StepExperiment& step_experiment(const std::string& name);  // throws std::out_of_range

inline constexpr std::uint16_t kStepPort = 5201;     // the receiver's port
// The unit a TCP stream's figures count in (iperf3_tcp, model_tcp_ns_per_unit): 64 KiB of
// payload, a full GSO burst.
inline constexpr double kTcpUnit = 65536;
inline constexpr std::uint16_t kStepSrcPort = 5202;  // the sender's port (credits come back to it)

}  // namespace ol::validate
