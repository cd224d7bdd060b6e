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

using namespace ol;

namespace {

std::string scenario_text(int n, int pods, const char* mode) {
  std::string nodes;
  for (int i = 0; i < n; ++i) {
    if (i) nodes += ",\n";
    std::string names;
    for (int k = 0; k < pods; ++k) names += fmt::format("{}\"p{}-{}\"", k ? ", " : "", i, k);
    nodes += fmt::format(R"(    {{"name": "n{}", "address": "172.16.{}.{}", "pods": [{}]}})", i, (i + 1) / 250, (i + 1) % 250 + 1, names);
  }
  return fmt::format(R"({{
  "name": "scale-{}",
  "underlay": {{"segments": [{{"name": "lan", "subnet": "172.16.0.0/12"}}]}},
  "nodes": [
{}
  ],
  "net-conf.json": {{"Network": "10.0.0.0/8", "Backend": {{"Type": "{}"}}}}
}})",
                     n, nodes, mode);
}

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"overlaylab-bench-scale: the control plane and every table of an N-node cluster"};
  int n = 0, pods = 2;
  std::string mode_word = "vxlan";
  app.add_option("NODES", n, "nodes in the cluster")->required()->check(CLI::Range(2, 60000));
  app.add_option("MODE", mode_word, "host-gw, udp or vxlan (default vxlan)")->check(CLI::IsMember({"host-gw", "udp", "vxlan"}));
  app.add_option("--pods", pods, "pods per node (default 2; Kubernetes supports up to 110)")->check(CLI::Range(0, 250));
  if (auto rc = ol::bench::parse_args(app, argc, argv)) return *rc;
  const char* mode = mode_word.c_str();
  const std::string text = scenario_text(n, pods, mode);
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
  return session.cluster.errors().empty() ? 0 : 1;
}
