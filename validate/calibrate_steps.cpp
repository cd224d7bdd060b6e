#include "validate/calibrate_steps.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>

#include <sys/utsname.h>
#include <unistd.h>

#include <fmt/format.h>

#include "runner/atomic_file.h"
#include "validate/prefix.h"
#include "validate/profile_fit.h"
#include "validate/step_fit.h"
#include "validate/step_model.h"
#include "validate/step_real.h"
#include "validate/validate.h"

namespace ol::validate {

namespace {

// Small and large datagrams: the per-byte costs show in the difference. 8000 bytes (on the
// experiments' 9000-byte MTU) rather than 1400: a 1400-byte copy costs less than a run's noise.
constexpr std::array<int, 2> kPayloads = {64, 8000};
// The idle gaps of the ping-pongs after an idle (ColdStart, and the wake-up latency by idle time):
// 20 and 100 us (with the timer's slack, either side of where this VM's idle vCPU stopped polling
// and halted: the wake-up latency jumped from nothing to 60 us), a ping's common 1 ms, and 10 ms.
constexpr std::array<long, 4> kGapsNs = {20'000, 100'000, 1'000'000, 10'000'000};
// The traffic generator's datagrams: small, so its work per datagram shows above the copies.
constexpr int kGeneratorPayload = 64;

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

std::string machine(int cpus) {
  utsname u{};
  uname(&u);
  const std::time_t t = std::time(nullptr);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
  return fmt::format("{}, {} CPU{}, Linux {}, {}", cpu_model(), cpus, cpus == 1 ? "" : "s", u.release, date);
}

// A progress line on a terminal; nothing in a pipe.
struct Progress {
  bool tty = ::isatty(2);
  int done = 0, total = 0;
  void step(const std::string& what) {
    if (tty) std::cerr << fmt::format("\r\033[K[{}/{}] {}", ++done, total, what) << std::flush;
  }
  ~Progress() {
    if (tty && done) std::cerr << "\r\033[K" << std::flush;
  }
};

// A recipe of one system call and nothing else: what a recvfrom() that finds nothing costs.
StepRecipe syscall_recipe() {
  StepRecipe r;
  r.calls[std::size_t(cost::Step::Syscall)] = 1;
  return r;
}

std::string pct(double predicted, double measured) {
  return measured > 0 ? fmt::format("{:+.0f}%", (predicted / measured - 1) * 100) : "-";
}

std::string label(const StepFigure& f) { return f.payload ? fmt::format("{} B", f.payload) : "-"; }

std::string figures_table(const std::vector<StepFigure>& figs, const std::vector<double>& before, const std::vector<double>& after) {
  std::string s = fmt::format("{:<10} {:<9} {:>9} {:>9} {:>7} {:>9} {:>7} {:>9} {:>7}\n", "experiment", "payload", "measured",
                              "wake-ups", "busy", "estimate", "error", "measured", "error");
  s += fmt::format("{:<10} {:<9} {:>9} {:>9} {:>7} {:>9} {:>7} {:>9} {:>7}\n", "", "", "ns/pkt", "per pkt", "", "model", "", "profile", "");
  for (std::size_t i = 0; i < figs.size(); ++i) {
    const StepFigure& f = figs[i];
    std::vector<double> busy;
    for (const auto& r : f.runs) busy.push_back(r.busy_fraction(1));
    s += fmt::format("{:<10} {:<9} {:>9.0f} {:>9.3f} {:>7} {:>9.0f} {:>7} {:>9.0f} {:>7}\n", f.experiment, label(f), f.measured,
                     f.wakeups, f.kind == "syscall" ? "-" : fmt::format("{:.0f}%", median(busy) * 100), before[i],
                     pct(before[i], f.measured), after[i], pct(after[i], f.measured));
  }
  return s;
}

std::string groups_table(const std::vector<StepFigure>& figs, const cost::Profile& p) {
  constexpr std::array<StepGroup, 7> kShown = {StepGroup::Path, StepGroup::Socket, StepGroup::Vxlan, StepGroup::Tun,
                                              StepGroup::Syscall, StepGroup::Wakeup, StepGroup::Bytes};
  constexpr std::array<const char*, 7> kHead = {"path", "socket", "vxlan", "tun", "syscall", "wake-up", "bytes"};
  std::string s = fmt::format("{:<10} {:<9}", "experiment", "payload");
  for (auto h : kHead) s += fmt::format(" {:>8}", h);
  s += fmt::format(" {:>8} {:>9}\n", "total", "measured");
  for (const auto& f : figs) {
    s += fmt::format("{:<10} {:<9}", f.experiment, label(f));
    double total = 0;
    for (auto g : kShown) {
      const double ns = group_ns(f, p, g);
      total += ns;
      s += fmt::format(" {:>8.0f}", ns);
    }
    s += fmt::format(" {:>8.0f} {:>9.0f}\n", total, f.measured);
  }
  return s;
}

std::string csv_rows(const StepFigure& f, const std::string& name) {
  std::string s;
  for (std::size_t i = 0; i < f.runs.size(); ++i) {
    const auto& r = f.runs[i];
    s += fmt::format("{},{},{},{},{},{},{:.6f},{:.0f},{:.1f},{:.6f},{},{}\n", name, f.payload, i + 1, r.packets, r.sent, r.received,
                     r.seconds, r.busy_ns, r.ns_per_packet(), r.wakeups_per_packet(),
                     r.rtt_p50_ns > 0 ? fmt::format("{:.2f}", r.rtt_p50_ns / 1000) : "",
                     r.idle_ns > 0 ? fmt::format("{:.1f}", r.idle_ns / 1000) : "");
  }
  return s;
}

std::string gap_name(long gap_ns) {
  return gap_ns >= 1'000'000 ? fmt::format("{}ms", gap_ns / 1'000'000) : fmt::format("{}us", gap_ns / 1000);
}

// Every run, in the order run; after the one-CPU ping-pong, the reported ones: on two CPUs, and
// with idle gaps; last, iperf3's flood.
std::string csv(const std::vector<StepFigure>& figs, const std::optional<StepFigure>& latency, const std::vector<StepFigure>& cold,
                const std::vector<StepFigure>& remote_idle, const std::optional<StepFigure>& generator,
                const std::optional<StepFigure>& tcp) {
  std::string s = "experiment,payload_bytes,run,packets,sent,received,seconds,busy_ns,ns_per_packet,wakeups_per_packet,rtt_p50_us,idle_us\n";
  for (const auto& f : figs) {
    s += csv_rows(f, f.experiment);
    if (f.kind != "ping-pong") continue;
    if (latency) s += csv_rows(*latency, "ping-pong-2cpu");
    for (std::size_t k = 0; k < cold.size(); ++k) s += csv_rows(cold[k], "ping-pong-idle-" + gap_name(kGapsNs[k]));
    for (std::size_t k = 0; k < remote_idle.size(); ++k) s += csv_rows(remote_idle[k], "ping-pong-2cpu-idle-" + gap_name(kGapsNs[k]));
  }
  if (generator) s += csv_rows(*generator, "iperf3-udp");
  if (tcp) s += csv_rows(*tcp, "iperf3-tcp");  // its "packets" are 64 KiB of payload
  return s;
}

// The runs: every experiment at both payloads; on the veth pair also the system call and the
// ping-pong (on one CPU for the wake-up's CPU cost; on two, when there are two, for its latency).
// Every lab is built first, then the runs go round: each figure once per round, so that a drift
// in the machine's speed (a VM's neighbours) touches every experiment alike, not some more.
struct Plan {
  const StepCalibrateOptions& o;
  int cpu, other;  // other: a second CPU, or -1
  Progress progress;
  std::vector<StepFigure> figs;
  std::optional<StepFigure> latency;  // the two-CPU ping-pong: reported, not fitted
  std::vector<StepFigure> cold;       // the one-CPU ping-pong after each of kGapsNs idle: ColdStart
  std::vector<StepFigure> remote_idle;  // the two-CPU one after each gap: the wake-up latency by idle time
  std::optional<StepFigure> generator;  // iperf3's UDP flood on one CPU: app_work
  std::optional<StepFigure> tcp;        // iperf3's TCP stream on one CPU: TCP's cost per byte
  const StepExperiment* tcp_experiment = nullptr;

  struct Slot {
    std::string what;
    std::function<StepMeasurement()> once;
    StepFigure* fig = nullptr;  // set once `figs` has all its figures
    int index = -1;             // in figs; -1: the latency figure; -2 - k: cold[k]; kRemoteIdle - k; kGenerator
  };
  static constexpr int kGenerator = -1000, kRemoteIdle = -2000, kTcp = -3000;

  void run() {
    const std::string prefix = run_prefix() + "s";
    std::vector<std::unique_ptr<StepLab>> labs;
    std::vector<Slot> slots;
    for (const auto& e : step_experiments()) {
      labs.push_back(std::make_unique<StepLab>(e, prefix + e.name + "-"));
      StepLab& lab = *labs.back();
      if (g_interrupted) return;
      if (e.name == "veth") {
        figs.push_back({"syscall", "syscall", 0, syscall_recipe(), {}});
        slots.push_back({"syscall", [this, &lab] {
                           StepMeasurement m;
                           m.packets = 1;
                           m.busy_ns = lab.syscall_ns(cpu);
                           return m;
                         }, nullptr, int(figs.size() - 1)});
      }
      for (int payload : kPayloads) {
        figs.push_back({e.name, "stream", payload, model_recipe(e, payload), {}});
        slots.push_back({fmt::format("{}, {} B", e.name, payload), [this, &lab, payload] { return lab.stream(payload, o.seconds, cpu); },
                         nullptr, int(figs.size() - 1)});
      }
      if (e.name == "veth") {
        figs.push_back({"ping-pong", "ping-pong", 64, model_recipe(e, 64), {}});
        slots.push_back({"ping-pong on one CPU", [this, &lab] { return lab.pingpong(o.seconds, cpu, cpu); }, nullptr, int(figs.size() - 1)});
        if (other >= 0) {
          latency = StepFigure{"ping-pong", "latency", 64, {}, {}};
          slots.push_back({"ping-pong on two CPUs", [this, &lab] { return lab.pingpong(o.seconds, other, cpu); }, nullptr, -1});
        }
        for (long gap : kGapsNs) {
          cold.push_back({"ping-pong", "idle", 64, {}, {}});
          slots.push_back({"ping-pong after " + gap_name(gap) + " idle", [this, &lab, gap] { return lab.pingpong(o.seconds, cpu, cpu, gap); },
                           nullptr, -1 - int(cold.size())});
          if (other < 0) continue;
          remote_idle.push_back({"ping-pong", "remote-idle", 64, {}, {}});
          slots.push_back({"ping-pong on two CPUs after " + gap_name(gap) + " idle",
                           [this, &lab, gap] { return lab.pingpong(o.seconds, other, cpu, gap); }, nullptr,
                           kRemoteIdle - int(remote_idle.size() - 1)});
        }
        generator = StepFigure{"iperf3", "generator", kGeneratorPayload, model_recipe(e, kGeneratorPayload), {}};
        slots.push_back({"iperf3 -u flood on one CPU", [this, &lab] { return lab.iperf3_flood(kGeneratorPayload, o.seconds, cpu); }, nullptr,
                         kGenerator});
        tcp = StepFigure{"iperf3", "tcp", int(kTcpUnit), {}, {}};
        tcp_experiment = &e;
        slots.push_back({"iperf3 TCP stream on one CPU", [this, &lab] { return lab.iperf3_tcp(o.seconds, cpu); }, nullptr, kTcp});
      }
    }
    for (auto& sl : slots)
      sl.fig = sl.index >= 0            ? &figs[std::size_t(sl.index)]
               : sl.index == -1         ? &*latency
               : sl.index == kGenerator ? &*generator
               : sl.index == kTcp       ? &*tcp
               : sl.index <= kRemoteIdle ? &remote_idle[std::size_t(kRemoteIdle - sl.index)]
                                        : &cold[std::size_t(-2 - sl.index)];
    progress.total = int(slots.size()) * o.repeat;
    for (int r = 0; r < o.repeat; ++r)
      for (auto& sl : slots) {
        progress.step(fmt::format("{}, round {}/{}", sl.what, r + 1, o.repeat));
        sl.fig->runs.push_back(sl.once());
        if (g_interrupted) return;
      }
  }
};

// The median over a figure's runs of what `of` reads from each.
template <typename F>
double median_of(const StepFigure& f, F of) {
  std::vector<double> v;
  for (const auto& r : f.runs) v.push_back(of(r));
  return median(v);
}

// The two-CPU ping-pong: its round trip p50 and the CPU it kept busy per round trip (medians).
std::pair<double, double> latency_of(const StepFigure& lat) {
  return {median_of(lat, [](const StepMeasurement& r) { return r.rtt_p50_ns; }),
          median_of(lat, [](const StepMeasurement& r) { return r.packets ? r.busy_ns / (double(r.packets) / 2) : 0; })};
}

std::string latency_line(const StepFigure& lat) {
  const auto [rt, cpu] = latency_of(lat);
  return fmt::format(
      "ping-pong between two CPUs: round trip p50 {:.1f} us, of which the two CPUs were busy {:.1f} us: about {:.1f} us per "
      "wake-up passes with no CPU at work on the packet (an idle CPU waking, the scheduler switching to the reader): the "
      "profile's wakeup_latency\n",
      rt / 1000, cpu / 1000, std::max(0.0, rt - cpu) / 2000);
}

// Two wake-ups per round trip, each onto the other, idle CPU: the time the CPUs were not busy.
cost::WakeupLatency wakeup_latency(const StepFigure& lat, const std::string& where) {
  const auto [rt, cpu] = latency_of(lat);
  return {Nanos(std::max(0.0, rt - cpu) / 2 + 0.5), {},
          fmt::format("measured on {}: a UDP ping-pong between two CPUs over a veth pair, round trip p50 {:.1f} us of which the "
                      "CPUs were busy {:.1f} us; half the rest, as each round trip wakes a sleeper twice",
                      where, rt / 1000, cpu / 1000)};
}

// The CPU a wake-up onto the other, idle CPU costs beyond a wake-up on the same CPU: the two-CPU
// ping-pong's busy CPU per round trip over the one-CPU one's, for two such wake-ups per round trip,
// each paid on both sides (the IPI sent, the idle CPU taking it). Each side is charged half: the
// split is not measured.
double one_cpu_round_trip(const StepFigure& pingpong) {  // its CPU per round trip: two packets
  return 2 * median_of(pingpong, [](const StepMeasurement& r) { return r.ns_per_packet(); });
}

double ipi_side_ns(const StepFigure& lat, const StepFigure& pingpong) {
  return std::max(0.0, latency_of(lat).second - one_cpu_round_trip(pingpong)) / 4;
}

std::string ipi_line(const StepFigure& lat, const StepFigure& pingpong) {
  return fmt::format(
      "a wake-up onto the other, idle CPU: the two-CPU ping-pong kept the CPUs busy {:.1f} us per round trip, the one-CPU one "
      "{:.1f} us: {:.0f} ns for each side of each of its two wake-ups (send_call_function_single_ipi, sched_ttwu_pending)\n",
      latency_of(lat).second / 1000, one_cpu_round_trip(pingpong) / 1000,
      ipi_side_ns(lat, pingpong));
}

void set_ipi_steps(cost::Profile& p, const StepFigure& lat, const StepFigure& pingpong, const std::string& where) {
  const double ns = ipi_side_ns(lat, pingpong);
  const std::string source = fmt::format(
      "measured on {}: a UDP ping-pong over a veth pair kept two CPUs busy {:.1f} us per round trip and one CPU {:.1f} us; the "
      "difference is two wake-ups onto an idle CPU, each charged half to the waker (the IPI) and half to the woken CPU",
      where, latency_of(lat).second / 1000, one_cpu_round_trip(pingpong) / 1000);
  p.steps[std::size_t(cost::Step::SendIpi)] = {ns, 0, source};
  p.steps[std::size_t(cost::Step::SchedTtwuPending)] = {ns, 0, source};
}

// The wake-up latency by how long the woken CPU idled. A ping-pong after each gap, on two CPUs and
// on one (both run cold alike): its round trip on two over its round trip on one, less that same
// difference back to back, is what waking the server's CPU after that idle adds. The idle is the
// client's sleep as it was (the server's CPU idled as long).
std::vector<cost::WakeupLatency::Point> remote_idle_points(const StepFigure& busy, const StepFigure& lat, const std::vector<StepFigure>& cold,
                                                            const std::vector<StepFigure>& remote_idle, std::string& text) {
  auto rtt = [](const StepFigure& f) { return median_of(f, [](const StepMeasurement& r) { return r.rtt_p50_ns; }); };
  auto idle = [](const StepFigure& f) { return median_of(f, [](const StepMeasurement& r) { return r.idle_ns; }); };
  const double back_to_back = rtt(lat) - rtt(busy);
  std::vector<cost::WakeupLatency::Point> pts;
  text += fmt::format("a wake-up onto the other CPU after it idled: the two-CPU ping-pong's round trip over the one-CPU one's, less "
                      "{:.1f} us back to back\n", back_to_back / 1000);
  for (std::size_t k = 0; k < remote_idle.size() && k < cold.size(); ++k) {
    const double at = idle(remote_idle[k]), extra = std::max(0.0, rtt(remote_idle[k]) - rtt(cold[k]) - back_to_back);
    text += fmt::format("  idle {:>8.0f} us  {:.1f} us on two CPUs, {:.1f} us on one: +{:.1f} us\n", at / 1000, rtt(remote_idle[k]) / 1000,
                        rtt(cold[k]) / 1000, extra / 1000);
    if (at > (pts.empty() ? 0.0 : double(pts.back().idle))) pts.push_back({Nanos(at), Nanos(extra + 0.5)});
  }
  return pts;
}

// Steps step_measured leaves out that an experiment of their own sets: not "as estimated".
bool is_measured_apart(cost::Step s) {
  return s == cost::Step::AppWork || s == cost::Step::SendIpi || s == cost::Step::SchedTtwuPending;
}

// ColdStart from the ping-pongs on one CPU: each gap's round trip p50 over the busy one's.
cost::ColdStart cold_start(const StepFigure& busy, const std::vector<StepFigure>& cold, const std::string& where) {
  auto rtt = [](const StepFigure& f) { return median_of(f, [](const StepMeasurement& r) { return r.rtt_p50_ns; }); };
  // The sleep as it was, the timer's slack included.
  auto idle = [](const StepFigure& f) { return median_of(f, [](const StepMeasurement& r) { return r.idle_ns; }); };
  cost::ColdStart cs;
  const double warm = rtt(busy);
  std::string points;
  for (std::size_t k = 0; k < cold.size() && warm > 0; ++k) {
    const double f = std::clamp(rtt(cold[k]) / warm, 1.0, 1000.0);
    const Nanos at = std::max(Nanos(idle(cold[k])), cs.points.empty() ? Nanos(1) : cs.points.back().idle + 1);
    cs.points.push_back({at, f});
    points += fmt::format("{}{} (slept {:.0f} us): {:.1f} us (x{:.2f})", points.empty() ? "" : ", ", gap_name(kGapsNs[k]),
                          double(at) / 1000, rtt(cold[k]) / 1000, f);
  }
  cs.budget = Nanos(warm);
  cs.source = fmt::format(
      "measured on {}: a one-CPU UDP ping-pong over a veth pair round trip p50 {:.1f} us back to back (the budget: the work a "
      "cold CPU runs slower); with the CPU idle between round trips: {}",
      where, warm / 1000, points);
  return cs;
}

std::string cold_lines(const cost::ColdStart& cs) {
  std::string s = fmt::format(
      "a cold CPU (ColdStart): the one-CPU ping-pong's round trip after the CPU idled, over its round trip back to back ({:.1f} us, "
      "the work a cold CPU runs slower)\n",
      double(cs.budget) / 1000);
  for (const auto& p : cs.points) s += fmt::format("  idle {:>8.0f} us  x{:.2f}\n", double(p.idle) / 1000, p.factor);
  return s;
}

// What iperf3 spends per datagram beyond what the model charges the kernel's path: the CPU its
// flood kept busy per datagram sent, less the veth recipe's cost (under the measured profile) for
// each datagram received and that cost less the receiver's recvmsg for each one lost at the
// socket, less its wake-ups; shared between the datagram's send and its receive, as the model
// charges app_work once for each.
struct GeneratorCost {
  double measured = 0, path = 0, wakeups = 0, received = 0, app_work = 0;
};

GeneratorCost generator_cost(const StepFigure& g, const cost::Profile& p) {
  GeneratorCost c;
  c.measured = g.measured;
  c.received = median_of(g, [](const StepMeasurement& r) { return r.sent ? double(r.received) / double(r.sent) : 0; });
  StepRecipe lost = g.recipe;  // freed at a full socket: no recvmsg, no copy, no system call for it
  lost.calls[std::size_t(cost::Step::UdpRecvmsg)] = 0;
  lost.calls[std::size_t(cost::Step::CopyToUser)] = 0;
  lost.bytes[std::size_t(cost::Step::CopyToUser)] = 0;
  lost.calls[std::size_t(cost::Step::Syscall)] = std::max(0.0, lost.calls[std::size_t(cost::Step::Syscall)] - 1);
  c.path = c.received * recipe_cost(g.recipe, p, 0) + (1 - c.received) * recipe_cost(lost, p, 0);
  c.wakeups = g.wakeups * p.cost(cost::Step::Wakeup, 0);
  c.app_work = std::max(0.0, (c.measured - c.path - c.wakeups) / (1 + c.received));
  return c;
}

std::string generator_line(const GeneratorCost& c) {
  return fmt::format(
      "the traffic generator (iperf3 -u -b 0, {} B, client and server on one CPU): {:.0f} ns per datagram sent, of which the "
      "model's path is {:.0f} ns ({:.0f}% of the datagrams reached the server) and its wake-ups {:.0f} ns: app_work {:.0f} ns per "
      "datagram sent or received\n",
      kGeneratorPayload, c.measured, c.path, c.received * 100, c.wakeups, c.app_work);
}

// What a TCP byte costs beyond the steps the datagram experiments priced: iperf3's TCP stream on one
// CPU (128 KiB writes, 64 KiB GSO bursts) pays its two copies and a few steps per burst, and also
// whatever grows with the bytes and no datagram shows (the page fragments each burst is built from
// and freed to, its socket memory accounting). The model's same stream is run under the measured
// profile with TCP's per-byte cost at 0 and then at a guess, and the cost (half at tcp_sendmsg, half
// at tcp_v4_rcv) is interpolated to where the model's CPU per 64 KiB meets the measured one.
struct TcpByteCost {
  double measured = 0, model_without = 0, model_with = 0, per_byte = 0;
};

cost::Profile with_tcp_bytes(cost::Profile p, double per_byte) {
  p.steps[std::size_t(cost::Step::TcpSendmsg)].per_byte_ns = per_byte;
  p.steps[std::size_t(cost::Step::TcpV4Rcv)].per_byte_ns = per_byte;
  return p;
}

TcpByteCost tcp_byte_cost(const StepFigure& f, const StepExperiment& e, const cost::Profile& p) {
  TcpByteCost c;
  c.measured = f.measured;
  c.model_without = model_tcp_ns_per_unit(e, with_tcp_bytes(p, 0));
  c.model_with = c.model_without;
  if (c.measured <= c.model_without) return c;  // the model's other steps already cost that much
  const double guess = (c.measured - c.model_without) / (2 * kTcpUnit);
  const double at_guess = model_tcp_ns_per_unit(e, with_tcp_bytes(p, guess));
  c.per_byte = at_guess > c.model_without ? guess * (c.measured - c.model_without) / (at_guess - c.model_without) : guess;
  c.model_with = model_tcp_ns_per_unit(e, with_tcp_bytes(p, c.per_byte));
  return c;
}

std::string tcp_line(const TcpByteCost& c) {
  return fmt::format(
      "a TCP stream (iperf3, client and server on one CPU, over a veth pair): {:.0f} ns per 64 KiB of payload ({:.2f} ns per "
      "byte); the model's steps without TCP's own per-byte cost {:.0f} ns: tcp_sendmsg and tcp_v4_rcv {:.3f} ns per byte each, "
      "and then the model's stream costs {:.0f} ns per 64 KiB\n",
      c.measured, c.measured / kTcpUnit, c.model_without, c.per_byte, c.model_with);
}

}  // namespace

int calibrate_steps(const StepCalibrateOptions& o, std::ostream& out) {
  const std::vector<int> cpus = allowed_cpus();
  Plan plan{o, cpus.back(), cpus.size() > 1 ? cpus[cpus.size() - 2] : -1, {}, {}, {}};
  const std::string where = machine(int(cpus.size()));
  out << fmt::format("per-step experiments on {}; every program pinned to CPU {}; the median of {} runs of {} s each\n", where,
                     plan.cpu, o.repeat, o.seconds);
  try {
    plan.run();
  } catch (const std::exception& e) {
    out << (g_interrupted ? std::string("interrupted") : e.what()) << "\n";
    return g_interrupted ? 130 : 1;
  }
  if (g_interrupted) return 130;
  for (auto& f : plan.figs) settle(f);

  const FitResult fit = fit_steps(plan.figs);
  const cost::Profile fitted = step_profile(fit.scales);
  const auto before = predict_steps(plan.figs, cost::Profile::estimates());

  std::string text = fmt::format("per-step experiments on {}\nevery program pinned to CPU {}; the median of {} runs of {} s each\n\n",
                                 where, plan.cpu, o.repeat, o.seconds);
  text += "CPU per packet, measured and predicted (wake-ups: the programs' context switches per packet, voluntary and not)\n";
  text += figures_table(plan.figs, before, fit.predicted) + "\n";
  text += "the measured profile's CPU per packet by cost group (ns)\n" + groups_table(plan.figs, fitted) + "\n";
  text += fmt::format("factors measured for each group (applied to every step of the group in models/cost/estimates.json; nic_xmit and "
                      "napi_gro_receive, which no experiment has, stay as estimated), rms log error {:.3f}:\n",
                      fit.rms_log_error);
  for (std::size_t g = 0; g < kGroups; ++g)
    text += fmt::format("  {:<32} x{:.3f}\n", step_group_name(StepGroup(g)), std::exp(fit.scales[g]));
  if (plan.latency) {
    settle(*plan.latency);
    text += "\n" + latency_line(*plan.latency);
  }
  cost::ColdStart cold;
  const StepFigure* pingpong = nullptr;
  for (const auto& f : plan.figs)
    if (f.kind == "ping-pong") cold = cold_start(f, plan.cold, where), pingpong = &f;
  if (plan.latency && pingpong) text += ipi_line(*plan.latency, *pingpong);
  std::vector<cost::WakeupLatency::Point> idle_points;
  if (plan.latency && pingpong && !plan.remote_idle.empty()) {
    for (auto& f : plan.remote_idle) settle(f);
    idle_points = remote_idle_points(*pingpong, *plan.latency, plan.cold, plan.remote_idle, text);
  }
  if (!cold.points.empty()) text += "\n" + cold_lines(cold);

  cost::Profile profile = fitted;
  if (plan.generator) {
    settle(*plan.generator);
    const GeneratorCost g = generator_cost(*plan.generator, fitted);
    text += "\n" + generator_line(g);
    profile.steps[std::size_t(cost::Step::AppWork)] = {
        g.app_work, 0,
        fmt::format("measured on {}: the traffic generator's own user-space work per datagram sent or received, and per TCP read "
                    "(not the kernel's): iperf3's UDP flood ({} B) kept its CPU busy {:.0f} ns per datagram, the model's path and "
                    "wake-ups {:.0f} ns of it; the rest shared between the send and the receive",
                    where, kGeneratorPayload, g.measured, g.path + g.wakeups)};
  }
  std::optional<TcpByteCost> tcp_cost;
  if (plan.tcp && plan.tcp_experiment) {
    settle(*plan.tcp);
    const TcpByteCost t = tcp_byte_cost(*plan.tcp, *plan.tcp_experiment, profile);
    text += tcp_line(t);
    tcp_cost = t;
    profile = with_tcp_bytes(profile, t.per_byte);
  }
  profile.cold_start = cold;
  if (plan.latency) profile.wakeup_latency = wakeup_latency(*plan.latency, where);
  if (plan.latency && pingpong) set_ipi_steps(profile, *plan.latency, *pingpong, where);
  if (!idle_points.empty()) {
    profile.wakeup_latency.points = idle_points;
    std::string pts;
    for (const auto& p : idle_points) pts += fmt::format("{}after {:.0f} us idle +{:.1f} us", pts.empty() ? "" : ", ", p.idle / 1e3, p.extra / 1e3);
    profile.wakeup_latency.source += fmt::format("; by how long the woken CPU idled (the two-CPU ping-pong after a gap, over the one-CPU one): {}", pts);
  }
  profile.name = "measured-steps";
  profile.description = fmt::format(
      "Measured by `{}` on {}: the estimates (models/cost/estimates.json) with each cost group scaled to what the CPU spent per "
      "packet in isolated experiments in real namespaces (a veth pair, a bridge, a forwarding hop, VXLAN over a veth, a TUN "
      "read/write loop, a system call, a ping-pong), rms log error {:.3f}.",
      o.command, where, fit.rms_log_error);
  for (std::size_t i = 0; i < cost::kSteps; ++i) {
    const std::string& estimate = cost::Profile::estimates().steps[i].source;
    if (!step_measured(cost::Step(i))) {
      if (!is_measured_apart(cost::Step(i))) profile.steps[i].source = "as estimated (no experiment has a physical NIC): " + estimate;
      continue;
    }
    const StepGroup g = step_group_of(cost::Step(i));
    profile.steps[i].source =
        fmt::format("x{:.3f} ({}, measured) of the estimate: {}", std::exp(fit.scales[std::size_t(g)]), step_group_name(g), estimate);
  }
  if (tcp_cost) {
    const std::string per_byte = fmt::format(
        "; per byte: half of what iperf3's TCP stream cost per byte on one CPU beyond the model's other steps ({:.2f} ns "
        "measured on {}, {:.2f} ns charged by the rest of the model)",
        tcp_cost->measured / kTcpUnit, where, tcp_cost->model_without / kTcpUnit);
    profile.steps[std::size_t(cost::Step::TcpSendmsg)].source += per_byte + ", the other half at tcp_v4_rcv";
    profile.steps[std::size_t(cost::Step::TcpV4Rcv)].source += per_byte + ", the other half at tcp_sendmsg";
  }
  runner::write_atomically(o.out_dir + "/profile.json", profile.to_json());
  runner::write_atomically(o.out_dir + "/steps.csv", csv(plan.figs, plan.latency, plan.cold, plan.remote_idle, plan.generator, plan.tcp));
  runner::write_atomically(o.out_dir + "/report.txt", text);
  out << "\n" << text << fmt::format("\nwrote {0}/profile.json, {0}/steps.csv and {0}/report.txt\n", o.out_dir);
  return 0;
}

}  // namespace ol::validate
