// Setting up a large cluster: N nodes with P pods each (default 2) on one switch, the control plane run
// to convergence (every node's flanneld programs every peer: N·(N−1) neighbour, FDB and route
// entries), then every namespace's tables rendered as `overlaylab tables` would. No traffic.
// Usage: overlaylab-bench-scale N [host-gw|udp|vxlan] [--pods P]  (one size per process, so peak RSS is its own)
#include <chrono>
#include <cstdio>
#include <string>

#include "bench/parse_args.h"

#include <fmt/format.h>

#include "models/kernel/dump.h"
#include "bench/peak_rss.h"
#include "models/scenario/load.h"
#include "lab/session.h"
#include "runner/atomic_file.h"
#include "runner/run.h"

using namespace ol;

namespace {

struct Shape {
  int nodes = 0, pods = 2;
  std::string mode = "vxlan";
  bool join = false;  // one more node joins at 60 s, once the cluster has settled
  bool instant = false;  // no watch fan-out or netlink cost: the control plane as the model had it
  int udp_flows = 0, pps = 1000;
  std::string duration = "1s";
};

// Flow i runs from a pod on node i mod N to a pod on the node half the cluster away, starting at
// 500 ms + (i mod 1000) x 10 us: flows do not all begin in the same nanosecond.
std::string workloads(const Shape& c) {
  std::string out;
  for (int i = 0; i < c.udp_flows; ++i) {
    const int from = i % c.nodes, to = (from + c.nodes / 2) % c.nodes, pod = (i / c.nodes) % c.pods;
    out += fmt::format(R"({}    {{"type": "udp", "from": "p{}-{}", "to": "p{}-{}", "at": "{}us", "duration": "{}", "rate_pps": {}, "size": 200}})",
                       i ? ",\n" : "", from, pod, to, pod, 500'000 + (i % 1000) * 10, c.duration, c.pps);
  }
  return out;
}

std::string scenario_text(const Shape& c) {
  const int n = c.nodes, pods = c.pods;
  const char* mode = c.mode.c_str();
  std::string nodes;
  for (int i = 0; i < n + (c.join ? 1 : 0); ++i) {
    if (i) nodes += ",\n";
    std::string names;
    for (int k = 0; k < pods; ++k) names += fmt::format("{}\"p{}-{}\"", k ? ", " : "", i, k);
    nodes += fmt::format(R"(    {{"name": "n{}", "address": "172.16.{}.{}", "pods": [{}]}})", i, (i + 1) / 250, (i + 1) % 250 + 1, names);
  }
  const std::string events = c.join ? fmt::format(R"(,
  "events": [{{"at": "60s", "type": "node-join", "node": "n{}"}}])", n) : "";
  const std::string timing = c.instant ? R"(
  "control_plane": {"watch_fanout": "0s", "netlink_request_cost": "0s"},)" : "";
  const std::string flows = c.udp_flows ? fmt::format(",\n  \"workloads\": [\n{}\n  ]", workloads(c)) : "";
  return fmt::format(R"({{
  "name": "scale-{}",
{}
  "underlay": {{"segments": [{{"name": "lan", "subnet": "172.16.0.0/12"}}]}},
  "nodes": [
{}
  ],
  "net-conf.json": {{"Network": "10.0.0.0/8", "Backend": {{"Type": "{}"}}}}{}{}
}})",
                     n, timing, nodes, mode, events, flows);
}

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"overlaylab-bench-scale: the control plane and every table of an N-node cluster"};
  Shape c;
  std::string scenario_out, convergence_csv;
  app.add_option("NODES", c.nodes, "nodes in the cluster")->required()->check(CLI::Range(2, 60000));
  app.add_option("MODE", c.mode, "host-gw, udp or vxlan (default vxlan)")->check(CLI::IsMember({"host-gw", "udp", "vxlan"}));
  app.add_option("--pods", c.pods, "pods per node (default 2; Kubernetes supports up to 110)")->check(CLI::Range(1, 250));
  app.add_flag("--instant", c.instant, "no watch fan-out and no netlink cost (control_plane zeros): the control plane at once");
  app.add_flag("--join", c.join, "one more node joins at 60 s: print when each peer programmed it (p50/p99/max)");
  app.add_option("--convergence-csv", convergence_csv, "with --join: write each peer's times to this CSV");
  app.add_option("--udp-flows", c.udp_flows, "with --scenario-out: UDP flows (200-byte datagrams) from 500 ms, across the cluster")
      ->check(CLI::Range(0, 10'000'000));
  app.add_option("--pps", c.pps, "datagrams per second of each flow (default 1000)")->check(CLI::Range(1, 10'000'000));
  app.add_option("--duration", c.duration, "each flow's duration (default 1s)");
  app.add_option("--scenario-out", scenario_out, "write the scenario to this file instead (then: overlaylab run FILE --mode MODE)");
  if (auto rc = ol::bench::parse_args(app, argc, argv)) return *rc;
  const int n = c.nodes, pods = c.pods;
  const char* mode = c.mode.c_str();
  const std::string text = scenario_text(c);
  if (!scenario_out.empty()) {
    runner::write_atomically(scenario_out, text);
    std::printf("%s: %d nodes x %d pods (%s), %d UDP flows\n", scenario_out.c_str(), n, pods, mode, c.udp_flows);
    return 0;
  }
  auto t0 = std::chrono::steady_clock::now();
  scenario::Scenario s = scenario::load_text(text, "<scale>");
  const double t_load = since(t0);
  auto t1 = std::chrono::steady_clock::now();
  cluster::Session session(std::move(s), /*keep_log=*/false);
  session.cluster.converge();
  const double t_converge = since(t1);
  auto t2 = std::chrono::steady_clock::now();
  std::size_t bytes = 0, routes = 0;
  for (const auto& ns : session.world.namespaces()) {
    bytes += kernel::dump_all(*ns).size();
    routes += ns->main_table.size();
  }
  const double t_tables = since(t2);
  std::printf("%d nodes x %d pods (%s): %zu namespaces, %zu routes; load %.3f s, control plane %.3f s (%zu errors), "
              "tables %.3f s (%.1f MB of text); total %.3f s; peak RSS %.0f MiB\n",
              n, pods, mode, session.world.namespaces().size(), routes, t_load, t_converge, session.cluster.errors().size(),
              t_tables, bytes / 1e6, t_load + t_converge + t_tables, peak_rss_kib() / 1024.0);
  if (c.join) {
    const auto rows = runner::convergence_rows(session.cluster, mode);
    std::printf("%s", runner::convergence_summary(mode, rows).c_str());
    if (!convergence_csv.empty()) runner::write_atomically(convergence_csv, runner::convergence_csv(rows));
  }
  return session.cluster.errors().empty() ? 0 : 1;
}
