// A step experiment run for real: its script built in namespaces under this run's prefix, then a
// UDP stream (or a ping-pong) between programs of our own, forked into the namespaces and pinned
// to one CPU, so that everything a packet costs — the system calls, the softirq work on the way,
// the wake-ups — lands on that CPU. Its busy time (/proc/stat) over the packets sent is the
// measured cost of one packet; the programs' context switches count the wake-ups.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "validate/real_builder.h"
#include "validate/step_experiments.h"

namespace ol::validate {

struct IperfRun;

struct StepMeasurement {
  std::uint64_t packets = 0;   // datagrams sent inside the measured interval (a ping-pong: both ways)
  std::uint64_t sent = 0;      // datagrams the sender sent in all, warm-up included
  std::uint64_t received = 0;  // datagrams the receiver got in all
  double seconds = 0;          // the measured interval
  double busy_ns = 0;          // the CPUs' busy time in it
  double wakeups = 0;          // context switches of the programs in it (voluntary and not)
  double rtt_p50_ns = 0;       // a ping-pong's median round trip
  double idle_ns = 0;          // a ping-pong with a gap: the CPU's mean idle between round trips
  double ns_per_packet() const { return packets ? busy_ns / double(packets) : 0; }
  double wakeups_per_packet() const { return packets ? wakeups / double(packets) : 0; }
  double busy_fraction(int cpus) const { return seconds > 0 ? busy_ns / (seconds * 1e9 * cpus) : 0; }
};

// The CPUs this process may run on, lowest first.
std::vector<int> allowed_cpus();

class StepLab {
 public:
  // Builds `e` in namespaces named prefix + its names. Throws std::runtime_error naming the
  // command the kernel refused.
  StepLab(const StepExperiment& e, const std::string& prefix);
  // `payload`-byte datagrams from the sender to the receiver for `seconds`, every program on `cpu`,
  // paced by the receiver's credits (one per 128 datagrams) so that no queue overflows.
  // Throws std::runtime_error when a program fails (its words) or the run is interrupted.
  StepMeasurement stream(int payload, double seconds, int cpu);
  // One 64-byte datagram there and back at a time, the client on `client_cpu` and the server on
  // `server_cpu`, each sleeping in recvfrom() until its datagram comes: two wake-ups per round trip.
  // With a `gap_ns`, the client sleeps that long between round trips: the CPU idles, and each
  // round trip starts cold (the model's ColdStart).
  StepMeasurement pingpong(double seconds, int client_cpu, int server_cpu, long gap_ns = 0);
  // The CPU time of one recvfrom() that finds nothing (EAGAIN): a system call's entry and exit.
  double syscall_ns(int cpu);
  // iperf3's UDP flood (-u -b 0, `payload`-byte datagrams) from the sender to the receiver, client
  // and server on `cpu`: the traffic generator calibrate's whole-path figures use, whose own work
  // per datagram is what the model's app_work stands for. `packets`, `busy_ns` and `wakeups` cover
  // the middle of the run (its first and last 0.3 s left out); `sent` and `received` are iperf3's
  // totals. Throws std::runtime_error when iperf3 fails or reports nothing.
  StepMeasurement iperf3_flood(int payload, double seconds, int cpu);
  // iperf3's TCP stream (its defaults: 128 KiB writes, CUBIC) from the sender to the receiver,
  // client and server on `cpu`: what a TCP byte costs the kernel beyond the steps the datagram
  // experiments measure. `packets`, `sent` and `received` count kTcpUnit bytes of payload.
  StepMeasurement iperf3_tcp(double seconds, int cpu);

 private:
  std::string ns(const std::string& name) const { return builder_.prefix() + name; }
  IperfRun run_iperf3(const std::vector<std::string>& args, double seconds, int cpu);
  const StepExperiment& e_;
  RealBuilder builder_;
};

}  // namespace ol::validate
