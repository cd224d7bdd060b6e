#include "validate/validate.h"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "models/kernel/devices/vxlan.h"
#include "models/kernel/dump.h"
#include "models/netconfig/render.h"
#include "models/scenario/load.h"
#include "sim/cluster/session.h"
#include "sim/cluster/walk.h"
#include "validate/exec.h"
#include "validate/prefix.h"
#include "validate/real_builder.h"
#include "validate/table_diff.h"

namespace ol::validate {

std::atomic<bool> g_interrupted{false};

namespace {

void on_signal(int) { g_interrupted = true; }

struct Probe {
  std::string from, to;
  int size = 56;
};

// What to ping: the scenario's ping workloads (one echo each, their size), else first pod to last.
std::vector<Probe> probes_of(const scenario::Scenario& s) {
  std::vector<Probe> out;
  for (const auto& w : s.workloads)
    if (w.type == "ping") out.push_back({w.from, w.to, w.size});
  if (out.empty()) {
    std::vector<std::string> pods;
    for (const auto& n : s.nodes)
      for (const auto& p : n.pods) pods.push_back(p);
    if (pods.size() >= 2) out.push_back({pods.front(), pods.back(), 56});
  }
  return out;
}

// The udp backend's real daemons, one per node, stopped with SIGTERM when the run ends.
struct Daemons {
  std::vector<int> pids;
  ~Daemons() {
    for (int pid : pids) stop_background(pid);
  }
};

// Starts overlaylab udpd in every node's namespace with the routes the simulated proxy holds, and
// waits (up to 2 s each) until its UDP socket is bound.
bool start_udpd(cluster::Session& sim, const std::string& prefix, Daemons& d, const std::string& mode, std::ostream& out) {
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  for (const auto& n : sim.scenario.nodes) {
    const auto* proxy = sim.cluster.proxy(n.name);
    const auto lease = sim.cluster.lease_of(n.name);
    if (!proxy || !lease) continue;
    const std::uint16_t port = sim.scenario.net_conf.port.value_or(8285);
    std::vector<std::string> argv = {"ip", "netns", "exec", prefix + n.name, self, "udpd", "--tun", "flannel0", "--bind",
                                     fmt::format("{}:{}", n.address.str(), port), "--tun-addr", lease->network().str()};
    for (const auto& r : proxy->routes()) {
      argv.push_back("--route");
      argv.push_back(fmt::format("{}={}:{}", r.subnet.str(), r.peer.str(), r.port));
    }
    d.pids.push_back(spawn_background(argv));
    const std::string hex_port = fmt::format(":{:04X} ", port);
    bool bound = false;
    for (int i = 0; i < 40 && !bound; ++i) {
      bound = run_argv({"ip", "netns", "exec", prefix + n.name, "cat", "/proc/net/udp"}).out.find(hex_port) != std::string::npos;
      if (!bound) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!bound) {
      out << fmt::format("{}: the udp daemon on {} did not start\n", mode, n.name);
      return false;
    }
  }
  out << fmt::format("{}: overlaylab udpd runs on {} nodes with the simulated proxies' routes\n", mode, d.pids.size());
  return true;
}

// Removes the first VXLAN FDB entry of `node` from the simulated kernel only.
void perturb(cluster::Session& sim, const std::string& node, const std::string& mode, std::ostream& out) {
  kernel::Netns* ns = sim.world.netns(node);
  if (!ns) return;
  for (const auto& d : ns->devices())
    if (d->kind == kernel::DevKind::Vxlan) {
      auto& fdb = static_cast<kernel::VxlanDevice&>(*d).fdb;
      const auto entries = fdb.dump();
      if (entries.empty()) continue;
      const auto mac = entries.front()->mac;
      out << fmt::format("{}: perturbed: removed \"{}\" from the simulated {}\n", mode,
                         kernel::format_vxlan_fdb(*entries.front(), *d), node);
      fdb.remove(mac, std::nullopt);
      return;
    }
  out << fmt::format("{}: perturbed: {} has no VXLAN FDB entry to remove\n", mode, node);
}

}  // namespace

void install_signal_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

int validate_mode(const scenario::Scenario& in, scenario::Backend mode, std::ostream& out, bool keep,
                  const std::string& perturb_node) {
  scenario::Scenario s = in;
  scenario::override_backend(s, mode);
  const std::string name = scenario::backend_name(mode);
  cluster::Session sim(s);  // the commands, in the order the control plane issued them
  sim.cluster.converge();
  if (!perturb_node.empty()) perturb(sim, perturb_node, name, out);
  RealBuilder real(run_prefix() + std::string(scenario::backend_name(mode)).substr(0, 1) + "-");
  real.keep = keep;
  int differences = 0, commands = 0, refused = 0;
  for (const auto& e : sim.cluster.log()) {
    if (!e.op) continue;
    if (g_interrupted) return real.keep = false, 130;  // the builder's destructor removes what was made
    ++commands;
    const std::string err = real.apply(*e.op);
    const bool sim_refused = !e.refused.empty(), real_refused = !err.empty();
    refused += real_refused;
    if (sim_refused != real_refused) {
      ++differences;
      out << fmt::format("{}: DIFFERENT  {}\n    simulator: {}\n    kernel:    {}\n", name, netconfig::render(*e.op),
                         sim_refused ? e.refused : "accepted", real_refused ? err : "accepted");
    } else if (real_refused) {
      out << fmt::format("{}: both refuse  {}\n    simulator: {}\n    kernel:    {}\n", name, netconfig::render(*e.op),
                         e.refused, err);
    }
  }
  for (const auto& note : real.notes()) out << fmt::format("{}: note: {}\n", name, note);
  Daemons daemons;  // stopped before the builder removes the namespaces (declared after it)
  if (mode == scenario::Backend::Udp && !start_udpd(sim, real.prefix(), daemons, name, out)) return 1;
  // The tables, before any traffic: what both kernels hold after the same commands. The kernel
  // settles link state asynchronously (linkwatch), so a difference is looked at again a few
  // times, 300 ms apart, before it counts.
  std::vector<TableDifference> diffs;
  for (int attempt = 0; attempt < 6; ++attempt) {
    if (attempt) std::this_thread::sleep_for(std::chrono::milliseconds(300));
    diffs.clear();
    for (const auto& ns : sim.world.namespaces())
      for (auto& d : diff_tables(*ns, real.prefix(), !real.notes().empty())) diffs.push_back(std::move(d));
    if (diffs.empty() || g_interrupted) break;
  }
  int table_diffs = 0;
  for (const auto& d : diffs) {
    ++table_diffs;
    out << fmt::format("{}: DIFFERENT  netns {} [{}]\n    simulator: {}\n    kernel:    {}\n", name, d.netns, d.table,
                       d.sim.empty() ? "(absent)" : d.sim, d.kernel.empty() ? "(absent)" : d.kernel);
  }
  out << fmt::format("{}: tables of {} namespaces compared: {}\n", name, sim.world.namespaces().size(),
                     table_diffs ? std::to_string(table_diffs) + " differences" : "identical");
  differences += table_diffs;
  out << fmt::format("{}: {} commands run in namespaces {}*, {} refused by both{}\n", name, commands, real.prefix(), refused,
                     keep ? " (kept: overlaylab validate --cleanup removes them)" : "");
  for (const auto& [from, to, size] : probes_of(s)) {
    if (g_interrupted) return real.keep = false, 130;
    cluster::Session walk_session(s);
    bool sim_ok = false;
    std::string dst;
    try {
      auto w = cluster::walk(walk_session, {from, to, std::nullopt, size});
      sim_ok = w.delivered;
      dst = w.dst.str();
    } catch (const std::exception& ex) {
      out << fmt::format("{}: {} -> {}: the simulator cannot send: {}\n", name, from, to, ex.what());
      ++differences;
      continue;
    }
    // One echo, as the walk sends: the same size, DF as ping sets it by default (IP_PMTUDISC_WANT).
    const ExecResult r = run_argv({"ip", "netns", "exec", real.prefix() + from, "ping", "-c", "1", "-W", "2", "-q", "-s",
                                   std::to_string(size), dst});
    const bool real_ok = r.status == 0;
    out << fmt::format("{}: ping -s {} {} -> {} ({}): simulator {}, kernel {}{}\n", name, size, from, to, dst,
                       sim_ok ? "delivered" : "not delivered", real_ok ? "delivered" : "not delivered",
                       sim_ok == real_ok ? "" : "  DIFFERENT");
    differences += sim_ok != real_ok;
  }
  return differences ? 1 : 0;
}

}  // namespace ol::validate
