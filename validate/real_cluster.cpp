#include "validate/real_cluster.h"

#include <chrono>
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
  for (int pid : daemons_) stop_background(pid);
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

// overlaylab udpd in every node's namespace with the routes the simulated proxy holds; waits (up
// to 2 s each) until its UDP socket is bound.
bool RealCluster::start_udpd(std::ostream& out) {
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  for (const auto& n : sim_.scenario.nodes) {
    const auto* proxy = sim_.cluster.proxy(n.name);
    const auto lease = sim_.cluster.lease_of(n.name);
    if (!proxy || !lease) continue;
    const std::uint16_t port = sim_.scenario.net_conf.port.value_or(8285);
    std::vector<std::string> argv = {"ip", "netns", "exec", prefix() + n.name, self, "udpd", "--tun", "flannel0", "--bind",
                                     fmt::format("{}:{}", n.address.str(), port), "--tun-addr", lease->network().str()};
    for (const auto& r : proxy->routes()) {
      argv.push_back("--route");
      argv.push_back(fmt::format("{}={}:{}", r.subnet.str(), r.peer.str(), r.port));
    }
    daemons_.push_back(spawn_background(argv));
    const std::string hex_port = fmt::format(":{:04X} ", port);
    bool bound = false;
    for (int i = 0; i < 40 && !bound; ++i) {
      bound = run_argv({"ip", "netns", "exec", prefix() + n.name, "cat", "/proc/net/udp"}).out.find(hex_port) != std::string::npos;
      if (!bound) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!bound) {
      out << fmt::format("{}: the udp daemon on {} did not start\n", mode_, n.name);
      return false;
    }
  }
  out << fmt::format("{}: overlaylab udpd runs on {} nodes with the simulated proxies' routes\n", mode_, daemons_.size());
  return true;
}

}  // namespace ol::validate
