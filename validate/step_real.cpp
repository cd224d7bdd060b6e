#include "validate/step_real.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <sched.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "models/netconfig/parse.h"
#include "models/netconfig/render.h"
#include "validate/exec.h"
#include "validate/in_netns.h"
#include "validate/measure.h"
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

namespace {

constexpr int kIperfStepPort = 5301;

// Waits up to `limit` for a background program to end; false (and it is killed) when it did not.
bool wait_for(int pid, std::chrono::milliseconds limit) {
  for (auto waited = std::chrono::milliseconds(0); waited < limit; waited += std::chrono::milliseconds(20)) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop_background(pid, SIGKILL);
  return false;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

// iperf3 from the sender to the receiver with `args` (client and server on `cpu`) for `seconds`
// whole seconds: its JSON report, and the CPU's busy time and the programs' context switches over
// the middle of the run (its first and last 0.3 s left out), which lasted `window` seconds.
struct IperfRun {
  nlohmann::json report;
  double busy_ns = 0, wakeups = 0, window = 0;
};

IperfRun StepLab::run_iperf3(const std::vector<std::string>& args, double seconds, int cpu) {
  const std::string port = std::to_string(kIperfStepPort), on = std::to_string(cpu);
  const int server = start_iperf3_server(ns(e_.receiver_ns), fmt::format("step experiment {}", e_.name), kIperfStepPort, {"-A", on});
  char log[] = "/tmp/overlaylab-iperf3-XXXXXX";
  const int fd = mkstemp(log);
  if (fd >= 0) close(fd);
  const int secs = std::max(2, int(seconds + 0.5));  // whole seconds; the middle is measured
  // ip netns exec runs iperf3 in its own process: the pid is iperf3's, whose switches are read.
  std::vector<std::string> argv = {"ip", "netns", "exec", ns(e_.sender_ns), "iperf3", "-c", e_.dst.str(), "-p", port};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"-t", std::to_string(secs), "-A", on, "-J", "--logfile", log});
  const int client = spawn_background(argv);
  auto switches = [&] { return double(context_switches(client) + context_switches(server)); };
  using clock = std::chrono::steady_clock;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const double c0 = cpu_busy_ns(cpu), w0 = switches();
  const auto t0 = clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(secs * 1000 - 600));
  IperfRun r;
  r.busy_ns = cpu_busy_ns(cpu) - c0;
  r.wakeups = switches() - w0;
  r.window = std::chrono::duration<double>(clock::now() - t0).count();
  const bool ended = wait_for(client, std::chrono::milliseconds(secs * 1000 + 15000));
  wait_for(server, std::chrono::milliseconds(3000));
  const std::string text = read_text(log);
  std::remove(log);
  if (g_interrupted) throw std::runtime_error("interrupted");
  r.report = nlohmann::json::parse(text, nullptr, false);
  const nlohmann::json& j = r.report;
  if (!ended || j.is_discarded() || j.contains("error") || !j.contains("end"))
    throw std::runtime_error(fmt::format("step experiment {}: iperf3 {} failed: {}", e_.name, fmt::join(args, " "),
                                         j.is_object() && j.contains("error") ? j["error"].dump() : text.substr(0, 300)));
  return r;
}

StepMeasurement StepLab::iperf3_flood(int payload, double seconds, int cpu) {
  const IperfRun r = run_iperf3({"-u", "-b", "0", "-l", std::to_string(payload)}, seconds, cpu);
  if (!r.report["end"].contains("sum")) throw std::runtime_error(fmt::format("step experiment {}: iperf3 -u reported no sum", e_.name));
  const auto& sum = r.report["end"]["sum"];
  StepMeasurement m;
  m.sent = sum.value("packets", std::uint64_t{0});
  m.received = m.sent - std::min(m.sent, sum.value("lost_packets", std::uint64_t{0}));
  const double run_s = sum.value("seconds", 0.0);
  m.seconds = r.window;
  m.packets = run_s > 0 ? std::uint64_t(double(m.sent) / run_s * r.window) : 0;  // sent in the window, at the run's rate
  m.busy_ns = r.busy_ns;
  m.wakeups = r.wakeups;
  if (m.packets == 0) throw std::runtime_error(fmt::format("step experiment {}: iperf3 -u sent nothing", e_.name));
  return m;
}

StepMeasurement StepLab::iperf3_tcp(double seconds, int cpu) {
  use_linux_tcp_defaults({ns(e_.sender_ns), ns(e_.receiver_ns)});
  const IperfRun r = run_iperf3(tcp_as_modelled(), seconds, cpu);
  if (!r.report["end"].contains("sum_received"))
    throw std::runtime_error(fmt::format("step experiment {}: iperf3 reported no sum_received", e_.name));
  const auto& sum = r.report["end"]["sum_received"];
  const double bytes = sum.value("bytes", 0.0), run_s = sum.value("seconds", 0.0);
  StepMeasurement m;
  m.seconds = r.window;
  m.sent = m.received = std::uint64_t(bytes / kTcpUnit);
  m.packets = run_s > 0 ? std::uint64_t(bytes / run_s * r.window / kTcpUnit) : 0;  // received in the window, at the run's rate
  m.busy_ns = r.busy_ns;
  m.wakeups = r.wakeups;
  if (m.packets == 0) throw std::runtime_error(fmt::format("step experiment {}: iperf3's TCP stream delivered nothing", e_.name));
  return m;
}

}  // namespace ol::validate
