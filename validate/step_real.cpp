#include "validate/step_real.h"

#include <csignal>
#include <functional>
#include <optional>
#include <stdexcept>

#include <sched.h>
#include <sys/types.h>

#include <fmt/format.h>

#include "models/netconfig/parse.h"
#include "models/netconfig/render.h"
#include "validate/in_netns.h"
#include "validate/step_programs.h"
#include "validate/validate.h"

namespace ol::validate {

namespace {

// A forked program of the experiment, killed and reaped when it goes out of scope.
struct Child {
  int pid = -1;
  Child(const std::string& netns, const std::function<int()>& body) : pid(fork_in_netns(netns, body)) {}
  ~Child() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      wait_child(pid);
    }
  }
  int wait() {
    const int status = wait_child(pid);
    pid = -1;
    return status;
  }
};

std::string child_failed(const char* who, int status) {
  switch (status) {
    case 127: return fmt::format("the {} could not join its namespace", who);
    case 3: return fmt::format("the {} could not open its socket or device", who);
    case 4: return fmt::format("the {} could not attach to the TUN (TUNSETIFF)", who);
    default: return fmt::format("the {} ended with status {}", who, status);
  }
}

}  // namespace

std::vector<int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> out;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return {0};
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) out.push_back(c);
  return out;
}

StepLab::StepLab(const StepExperiment& e, const std::string& prefix) : e_(e), builder_(prefix) {
  for (const auto& c : netconfig::parse_script(e.script, e.name).commands)
    if (std::string err = builder_.apply(c.op); !err.empty())
      throw std::runtime_error(fmt::format("step experiment {}: the kernel refused `{}`: {}", e.name, netconfig::render(c.op), err));
}

StepMeasurement StepLab::stream(int payload, double seconds, int cpu) {
  Pipe ready, rx_result, tx_result;
  Child rx(ns(e_.receiver_ns), [&] { return stream_receiver(e_, cpu, ready, rx_result); });
  char c = 0;
  if (!ready.get(c, 5000)) throw std::runtime_error(fmt::format("step experiment {}: the receiver did not start", e_.name));
  std::optional<Child> reader;
  if (!e_.tun.empty()) {
    reader.emplace(ns(e_.sender_ns), [&] { return tun_loop(e_.tun, cpu, ready); });
    if (!ready.get(c, 5000)) throw std::runtime_error(fmt::format("step experiment {}: the TUN reader did not start", e_.name));
  }
  Child tx(ns(e_.sender_ns), [&] { return stream_sender(e_, payload, seconds, cpu, {rx.pid, reader ? reader->pid : -1}, tx_result); });
  if (const int st = tx.wait(); st != 0) throw std::runtime_error(fmt::format("step experiment {}: {}", e_.name, child_failed("sender", st)));
  if (const int st = rx.wait(); st != 0) throw std::runtime_error(fmt::format("step experiment {}: {}", e_.name, child_failed("receiver", st)));
  if (g_interrupted) throw std::runtime_error("interrupted");
  SenderReport r;
  std::uint64_t received = 0;
  tx_result.get(r, 0);
  rx_result.get(received, 0);
  StepMeasurement m;
  m.packets = r.packets;
  m.sent = r.sent;
  m.received = received;
  m.seconds = r.seconds;
  m.busy_ns = r.busy_ns;
  m.wakeups = r.wakeups;
  return m;
}

StepMeasurement StepLab::pingpong(double seconds, int client_cpu, int server_cpu, long gap_ns) {
  Pipe ready, result;
  Child server(ns(e_.receiver_ns), [&] { return echo_server(server_cpu, ready); });
  char c = 0;
  if (!ready.get(c, 5000)) throw std::runtime_error(fmt::format("step experiment {}: the echo server did not start", e_.name));
  Child client(ns(e_.sender_ns), [&] { return echo_client(e_, seconds, {client_cpu, server_cpu}, server.pid, gap_ns, result); });
  if (const int st = client.wait(); st != 0)
    throw std::runtime_error(fmt::format("step experiment {} (ping-pong): {}", e_.name,
                                         st == 5 ? "a datagram went unanswered for a second" : child_failed("client", st)));
  if (g_interrupted) throw std::runtime_error("interrupted");
  PingPongReport r;
  result.get(r, 0);
  StepMeasurement m;
  m.packets = m.sent = m.received = 2 * r.round_trips;
  m.seconds = r.seconds;
  m.busy_ns = r.busy_ns;
  m.wakeups = r.wakeups;
  m.rtt_p50_ns = r.rtt_p50_ns;
  m.idle_ns = r.idle_ns;
  return m;
}

double StepLab::syscall_ns(int cpu) {
  Pipe result;
  Child probe(ns(e_.sender_ns), [&] { return syscall_probe(cpu, result); });
  if (const int st = probe.wait(); st != 0) throw std::runtime_error(fmt::format("syscall probe: {}", child_failed("probe", st)));
  double ns = 0;
  result.get(ns, 0);
  return ns;
}

}  // namespace ol::validate
