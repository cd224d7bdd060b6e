#include "validate/validate.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "models/kernel/devices/vxlan.h"
#include "models/kernel/dump.h"
#include "models/netconfig/render.h"
#include "models/scenario/load.h"
#include "lab/session.h"
#include "validate/exec.h"
#include "validate/path_check.h"
#include "validate/prefix.h"
#include "validate/crash_check.h"
#include "validate/real_cluster.h"
#include "validate/table_diff.h"

namespace ol::validate {

std::atomic<bool> g_interrupted{false};

namespace {

void on_signal(int) { g_interrupted = true; }

// What to send on the path check: the scenario's ping workloads (their size), else first pod to
// last; with `sample`, that many ordered pairs of pods on different nodes, drawn with the seed.
std::vector<PathProbe> probes_of(const scenario::Scenario& s, int sample) {
  std::vector<PathProbe> out;
  if (sample > 0) {
    for (const auto& a : s.nodes)
      for (const auto& b : s.nodes)
        if (a.name != b.name)
          for (const auto& from : a.pods)
            for (const auto& to : b.pods) out.push_back({from, to, 56});
    std::mt19937_64 rng(s.seed);
    for (std::size_t i = out.size(); i > 1; --i) std::swap(out[i - 1], out[rng() % i]);  // Fisher–Yates
    out.resize(std::min(out.size(), std::size_t(sample)));
    return out;
  }
  for (const auto& w : s.workloads)
    if (w.type == "ping" && std::find_if(out.begin(), out.end(), [&](const PathProbe& p) {
          return p.from == w.from && p.to == w.to && p.ping_size == w.size;
        }) == out.end())
      out.push_back({w.from, w.to, w.size});
  if (out.empty()) {
    std::vector<std::string> pods;
    for (const auto& n : s.nodes)
      for (const auto& p : n.pods) pods.push_back(p);
    if (pods.size() >= 2) out.push_back({pods.front(), pods.back(), 56});
  }
  return out;
}

// A temporary directory for the captures, removed when the check is over.
struct TempDir {
  std::string path;
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "olv-pcap-XXXXXX").string();
    if (mkdtemp(t.data())) path = t;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
};

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

int validate_mode(const scenario::Scenario& in, scenario::Backend mode, std::ostream& out, const ValidateOptions& o) {
  scenario::Scenario s = in;
  scenario::override_backend(s, mode);
  const std::string name = scenario::backend_name(mode);
  cluster::Session sim(s);  // the commands, in the order the control plane issued them
  sim.cluster.converge();
  if (!o.perturb_node.empty()) perturb(sim, o.perturb_node, name, out);
  RealCluster real(sim, run_prefix() + name.substr(0, 1) + "-", o.keep);
  int differences = real.build(out);
  if (differences < 0) return 130;
  if (mode == scenario::Backend::Udp && !real.start_udpd(out)) return 1;
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
  out << fmt::format("{}: {} commands run in namespaces {}*, {} refused by both{}\n", name, real.commands(), real.prefix(), real.refused(),
                     o.keep ? " (kept: overlaylab validate --cleanup removes them)" : "");
  if (g_interrupted) return real.discard(), 130;
  TempDir tmp;
  const std::string pcap_dir = o.pcap_dir.empty() ? tmp.path : o.pcap_dir;
  try {
    differences += path_check(s, probes_of(s, o.sample), {.prefix = real.prefix(), .pcap_dir = pcap_dir}, out);
  } catch (const std::exception& ex) {
    out << fmt::format("{}: the path check could not run: {}\n", name, ex.what());
    ++differences;
  }
  if (!o.pcap_dir.empty()) out << fmt::format("{}: captures kept in {}/{{sim,real}}/{}/\n", name, o.pcap_dir, name);
  if (!o.crash_node.empty() && !g_interrupted) differences += crash_check(s, o.crash_node, real, out);
  return differences ? 1 : 0;
}

}  // namespace ol::validate
