#include "validate/crash_check.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "lab/walk.h"
#include "models/netconfig/render.h"
#include "validate/exec.h"

namespace ol::validate {

namespace {

constexpr Nanos kSettle = 10 * kNanosPerSecond;  // after the scenario's last event: the lab's state
constexpr Nanos kDown = 2 * kNanosPerSecond;     // flanneld stays down this long

struct Pair {
  std::string from, to;
  wire::Ipv4Addr to_ip;
};

// A running pod on another node, pinging a running pod on `node`.
std::optional<Pair> pick_pair(const cluster::Session& sim, const std::string& node) {
  const cluster::PodState *mine = nullptr, *other = nullptr;
  for (const auto& p : sim.cluster.pods()) {
    if (!p.running || !p.ip) continue;
    if (p.node == node && !mine) mine = &p;
    if (p.node != node && !other) other = &p;
  }
  if (!mine || !other) return std::nullopt;
  return Pair{other->name, mine->name, *mine->ip};
}

int real_echoes(const std::string& prefix, const Pair& p) {
  return ping_received(
      run_argv({"ip", "netns", "exec", prefix + p.from, "ping", "-c", "3", "-i", "0.2", "-W", "1", p.to_ip.str()}).out);
}

bool real_has_link(const std::string& prefix, const std::string& node, const std::string& dev) {
  return run_argv({"ip", "-n", prefix + node, "link", "show", "dev", dev}).status == 0;
}

// One phase: the simulator's walk and the lab's pings, side by side. Returns 1 when they disagree.
int compare_phase(const char* phase, cluster::Session& sim, Nanos at, const Pair& pair, RealCluster& real,
                  const std::string& node, std::ostream& out) {
  const std::string mode = scenario::backend_name(sim.scenario.net_conf.backend);
  const cluster::WalkResult w = cluster::walk(sim, {.from = pair.from, .to = pair.to, .at = at, .patience = kNanosPerSecond});
  const int echoes = real_echoes(real.prefix(), pair);
  const bool agree = w.delivered == (echoes > 0);
  out << fmt::format("{}: {} {}: {} -> {}: simulator: {}; kernel: {} of 3 echoes answered: {}\n", mode, phase, node, pair.from, pair.to,
                     w.outcome, echoes, agree ? "agree" : "DIFFERENT");
  int diffs = agree ? 0 : 1;
  if (sim.scenario.net_conf.backend == scenario::Backend::Udp) {
    const bool sim_tun = sim.world.netns(node)->dev_by_name("flannel0") != nullptr;
    const bool real_tun = real_has_link(real.prefix(), node, "flannel0");
    out << fmt::format("{}: {} {}: flannel0 {} in the simulator, {} in the kernel: {}\n", mode, phase, node, sim_tun ? "exists" : "is gone",
                       real_tun ? "exists" : "is gone", sim_tun == real_tun ? "agree" : "DIFFERENT");
    diffs += sim_tun != real_tun;
  }
  return diffs;
}

}  // namespace

int crash_check(const scenario::Scenario& s, const std::string& node, RealCluster& real, std::ostream& out) {
  const std::string mode = scenario::backend_name(s.net_conf.backend);
  scenario::Scenario f = s;
  Nanos last = 0;
  for (const auto& e : f.events) last = std::max(last, e.at);
  const Nanos crash = last + kSettle, restart = crash + kDown;
  f.events.push_back({.at = crash, .kind = scenario::EventKind::FlanneldCrash, .target = node});
  f.events.push_back({.at = restart, .kind = scenario::EventKind::FlanneldRestart, .target = node});
  cluster::Session sim(f);
  sim.sim.run_until(crash - 1);  // what the lab was built to
  if (!sim.cluster.flanneld_running(node)) {
    out << fmt::format("{}: crash check skipped: flanneld is not running on {} by the end of the scenario\n", mode, node);
    return 0;
  }
  const auto pair = pick_pair(sim, node);
  if (!pair) {
    out << fmt::format("{}: crash check skipped: it needs a running pod on {} and one on another node\n", mode, node);
    return 0;
  }

  // The crash: the lab's only flanneld process is udp's daemon.
  if (real.kill_udpd(node))
    out << fmt::format("{}: flanneld crash on {}: overlaylab udpd killed (SIGKILL)\n", mode, node);
  else
    out << fmt::format("{}: flanneld crash on {}: no process in the lab; what forwards is the kernel state it left\n", mode, node);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  int diffs = compare_phase("after the crash of flanneld on", sim, crash + 100 * kNanosPerMilli, *pair, real, node, out);

  // The restart: the simulated flanneld's commands, run in the lab, then (udp) its daemon.
  // A millisecond on, the restarted udp proxy has woken and taken its routes from the control socket.
  sim.sim.run_until(restart + kNanosPerMilli);
  int commands = 0;
  for (const auto& e : sim.cluster.log()) {
    if (!e.op || e.time != restart || e.node != node) continue;
    ++commands;
    const std::string err = real.apply(*e.op);
    if (err.empty() == e.refused.empty()) continue;
    ++diffs;
    out << fmt::format("{}: DIFFERENT  {}\n    simulator: {}\n    kernel:    {}\n", mode, netconfig::render(*e.op),
                       e.refused.empty() ? "accepted" : e.refused, err.empty() ? "accepted" : err);
  }
  if (s.net_conf.backend == scenario::Backend::Udp && !real.start_udpd_on(sim, node, out)) return diffs + 1;
  out << fmt::format("{}: flanneld restart on {}: {} commands run in the lab{}\n", mode, node, commands,
                     s.net_conf.backend == scenario::Backend::Udp ? ", overlaylab udpd started with the simulated proxy's routes" : "");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  diffs += compare_phase("after the restart of flanneld on", sim, restart + 100 * kNanosPerMilli, *pair, real, node, out);
  return diffs;
}

}  // namespace ol::validate
