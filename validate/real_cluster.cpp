#include "validate/real_cluster.h"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "models/netconfig/render.h"
#include "validate/exec.h"
#include "validate/validate.h"

namespace ol::validate {

RealCluster::RealCluster(const cluster::Session& sim, std::string prefix, bool keep)
    : sim_(sim), mode_(scenario::backend_name(sim.scenario.net_conf.backend)), builder_(std::move(prefix)) {
  builder_.keep = keep;
}

RealCluster::~RealCluster() {
  for (const auto& [node, pid] : daemons_) stop_background(pid);
}

int RealCluster::build(std::ostream& out) {
  int differences = 0;
  for (const auto& e : sim_.cluster.log()) {
    if (!e.op) continue;
    if (g_interrupted) return builder_.keep = false, -1;  // the builder's destructor removes what was made
    ++commands_;
    const std::string err = builder_.apply(*e.op);
    const bool sim_refused = !e.refused.empty(), real_refused = !err.empty();
    refused_ += real_refused;
    if (sim_refused != real_refused) {
      ++differences;
      out << fmt::format("{}: DIFFERENT  {}\n    simulator: {}\n    kernel:    {}\n", mode_, netconfig::render(*e.op),
                         sim_refused ? e.refused : "accepted", real_refused ? err : "accepted");
    } else if (real_refused) {
      out << fmt::format("{}: both refuse  {}\n    simulator: {}\n    kernel:    {}\n", mode_, netconfig::render(*e.op),
                         e.refused, err);
    }
  }
  for (const auto& note : builder_.notes()) out << fmt::format("{}: note: {}\n", mode_, note);
  return differences;
}

// overlaylab udpd in every node's namespace with the routes the simulated proxy holds.
bool RealCluster::start_udpd(std::ostream& out) {
  for (const auto& n : sim_.scenario.nodes)
    if (sim_.cluster.proxy(n.name) && sim_.cluster.lease_of(n.name) && !start_udpd_on(sim_, n.name, out)) return false;
  out << fmt::format("{}: overlaylab udpd runs on {} nodes with the simulated proxies' routes\n", mode_, daemons_.size());
  return true;
}

// Waits (up to 2 s) until its UDP socket is bound. It owns flannel0 as flanneld does (--own-tun).
bool RealCluster::start_udpd_on(const cluster::Session& sim, const std::string& node, std::ostream& out) {
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const auto* proxy = sim.cluster.proxy(node);
  const auto lease = sim.cluster.lease_of(node);
  const auto* spec = sim.scenario.node(node);
  if (!proxy || !lease || !spec) return false;
  const std::uint16_t port = sim.scenario.net_conf.port.value_or(8285);
  std::vector<std::string> argv = {"ip", "netns", "exec", prefix() + node, self, "udpd", "--own-tun", "--tun", "flannel0", "--bind",
                                   fmt::format("{}:{}", spec->address.str(), port), "--tun-addr", lease->network().str()};
  for (const auto& r : proxy->routes()) {
    argv.push_back("--route");
    argv.push_back(fmt::format("{}={}:{}", r.subnet.str(), r.peer.str(), r.port));
  }
  daemons_[node] = spawn_background(argv);
  const std::string hex_port = fmt::format(":{:04X} ", port);
  for (int i = 0; i < 40; ++i) {
    if (run_argv({"ip", "netns", "exec", prefix() + node, "cat", "/proc/net/udp"}).out.find(hex_port) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  out << fmt::format("{}: the udp daemon on {} did not start\n", mode_, node);
  return false;
}

bool RealCluster::kill_udpd(const std::string& node) {
  auto it = daemons_.find(node);
  if (it == daemons_.end()) return false;
  stop_background(it->second, SIGKILL);
  daemons_.erase(it);
  return true;
}

}  // namespace ol::validate
