// The programs of a step experiment (step_real.h), each run in a child forked into its namespace
// and pinned to its CPU: the stream's sender and receiver, the TUN loop, the ping-pong's ends and
// the system-call probe. Each returns its exit status (0, or 3/4/5 for the failures child_failed
// names) and writes what it measured into a pipe.
#pragma once
#include <array>
#include <cstdint>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "validate/step_experiments.h"

namespace ol::validate {

// A pipe whose ends are closed with it.
struct Pipe {
  std::array<int, 2> fd{-1, -1};
  Pipe() {
    if (pipe2(fd.data(), O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  ~Pipe() {
    for (int f : fd)
      if (f >= 0) close(f);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  template <class T>
  void put(const T& v) const {
    [[maybe_unused]] auto n = write(fd[1], &v, sizeof v);
  }
  // Waits up to `timeout_ms` for a T; false when none came.
  template <class T>
  bool get(T& v, int timeout_ms) const {
    pollfd p{fd[0], POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return false;
    return read(fd[0], &v, sizeof v) == ssize_t(sizeof v);
  }
};

// What the sender measured over its interval (busy_ns: the pinned CPU's).
struct SenderReport {
  std::uint64_t packets = 0, sent = 0, stalls = 0;
  double seconds = 0, busy_ns = 0, wakeups = 0;
};

// What the ping-pong's client measured (busy_ns: both CPUs').
struct PingPongReport {
  std::uint64_t round_trips = 0;
  double seconds = 0, busy_ns = 0, wakeups = 0, rtt_p50_ns = 0;
  double idle_ns = 0;  // with a gap: how long the sleeps took on average (the timer's slack added)
};

// Counts datagrams, sends the count back every 128, ends on the sender's stop mark (or after two
// quiet seconds) and reports its count.
int stream_receiver(const StepExperiment& e, int cpu, const Pipe& ready, const Pipe& result);
// Reads each packet of the TUN `dev`, swaps its addresses and writes it back, until killed.
int tun_loop(const std::string& dev, int cpu, const Pipe& ready);
// A warm-up, then `seconds` of `payload`-byte datagrams inside a window of two credits, sampling
// the CPU and the context switches of itself and `others` (pids, -1 for none) over the interval.
int stream_sender(const StepExperiment& e, int payload, double seconds, int cpu, std::array<int, 2> others, const Pipe& result);
// The ping-pong's server: each datagram straight back to where it came from.
int echo_server(int cpu, const Pipe& ready);
// The ping-pong's client on cpus[0], the server (pid `server`) on cpus[1]; with a `gap_ns`, it
// sleeps that long after each round trip, so that every round trip starts on an idle CPU.
int echo_client(const StepExperiment& e, double seconds, std::array<int, 2> cpus, int server, long gap_ns, const Pipe& result);
// A million EAGAIN recvfrom()s: the CPU time of one.
int syscall_probe(int cpu, const Pipe& result);
// The CPU's busy time so far (/proc/stat: user, nice, system, irq, softirq), in ns.
double cpu_busy_ns(int cpu);
// A process's context switches so far, voluntary and not (0 once it has gone).
std::uint64_t context_switches(int pid);

}  // namespace ol::validate
