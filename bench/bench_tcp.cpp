// One simulated second of a TCP bulk flow between two pods on two-nodes, per mode, tracing off:
// wall time, simulated packets (MSS-sized segments) per wall-second, and peak memory.
// Usage: overlaylab-bench-tcp [SECONDS] [on|off]  (offloads)
#include <chrono>
#include <cstdio>
#include <string>

#include "bench/parse_args.h"

#include "bench/peak_rss.h"
#include "models/scenario/load.h"
#include "runner/run.h"

using namespace ol;

int main(int argc, char** argv) {
  CLI::App app{"overlaylab-bench-tcp: wall time of simulated seconds of one TCP bulk flow, per mode"};
  double seconds = 1.0;
  std::string offload_word = "on";
  app.add_option("SECONDS", seconds, "simulated seconds (default 1)")->check(CLI::Range(0.001, 3600.0));
  app.add_option("OFFLOADS", offload_word, "on or off (default on)")->check(CLI::IsMember({"on", "off"}));
  if (auto rc = ol::bench::parse_args(app, argc, argv)) return *rc;
  const bool offloads = offload_word == "on";
  auto s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/two-nodes.json");
  // From 1 s, as the scenario's own flow: before the control plane has programmed the peer's
  // subnet the SYN meets "network unreachable" and the connection does not open.
  s.workloads = {scenario::Workload{.type = "tcp", .from = "pod-b", .to = "pod-d", .at = kNanosPerSecond,
                                    .duration = Nanos(seconds * 1e9), .port = 5001}};
  for (auto mode : {scenario::Backend::HostGw, scenario::Backend::Vxlan, scenario::Backend::Udp}) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = runner::run_mode(s, mode, {.offloads = offloads});
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto& f = r.flows.at(0);
    std::printf("%-8s offloads %-3s: %.1f simulated s of TCP at %.2f Gbit/s in %.3f s wall; %.2f M segments/wall-s\n",
                scenario::backend_name(mode), offloads ? "on" : "off", seconds, f.throughput_gbps, wall,
                double(f.packets_delivered) / wall / 1e6);
  }
  std::printf("peak RSS %.0f MiB\n", peak_rss_kib() / 1024.0);
}
