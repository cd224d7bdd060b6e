// How long a membership change takes to reach every peer: the store sends watch responses one
// watcher after another (watch_fanout each) and each flanneld handles lease events one after
// another, one netlink_request_cost per command its backend issues.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "models/scenario/load.h"
#include "lab/session.h"
#include "runner/run.h"

using namespace ol;

namespace {

constexpr Nanos kUs = kNanosPerMicro, kMs = kNanosPerMilli, kS = kNanosPerSecond;

// `n` nodes at boot and node-j joining at 1 s; node-l leaving at 2 s when asked.
scenario::Scenario cluster_of(int n, const char* mode, bool leave = false) {
  std::string nodes;
  for (int i = 1; i <= n + 1; ++i)
    nodes += fmt::format(R"({}{{"name": "node-{}", "address": "192.168.100.{}", "pod_cidr": "10.244.{}.0/24"}})", i > 1 ? ", " : "",
                         i == n + 1 ? std::string("j") : std::to_string(i), 10 + i, i);
  return scenario::load_text(fmt::format(R"({{
    "name": "convergence",
    "control_plane": {{"watch_delay": "100ms", "watch_fanout": "1ms", "netlink_request_cost": "100us"}},
    "nodes": [{}],
    "net-conf.json": {{"Network": "10.244.0.0/16", "Backend": {{"Type": "{}"}}}},
    "events": [{{"at": "1s", "type": "node-join", "node": "node-j"}}{}]
  }})", nodes, mode, leave ? R"(, {"at": "2s", "type": "node-leave", "node": "node-1"})" : ""), "convergence.json");
}

}  // namespace

TEST_CASE("a join reaches peer k after watch_delay + k fan-outs, programmed after its backend's netlink requests") {
  cluster::Session s(cluster_of(4, "vxlan"));
  s.cluster.converge();
  const auto& c = s.cluster.convergence();
  REQUIRE(c.size() == 4);
  for (int k = 0; k < 4; ++k) {
    INFO("peer " << c[std::size_t(k)].peer);
    CHECK(c[std::size_t(k)].node == "node-j");
    CHECK(c[std::size_t(k)].joined);
    CHECK(c[std::size_t(k)].peer == fmt::format("node-{}", k + 1));
    CHECK(c[std::size_t(k)].written == 1 * kS);
    CHECK(c[std::size_t(k)].heard == 1 * kS + 100 * kMs + (k + 1) * kMs);
    CHECK(c[std::size_t(k)].programmed == c[std::size_t(k)].heard + 3 * 100 * kUs);  // neigh, fdb, route
  }
}

TEST_CASE("host-gw's one route per peer costs one request - the joining node's list of 4 peers takes 4") {
  cluster::Session s(cluster_of(4, "host-gw"));
  std::vector<Nanos> own;  // node-j's own flanneld, programming the leases it listed at start
  s.cluster.converge();
  for (const auto& c : s.cluster.convergence()) CHECK(c.programmed == c.heard + 100 * kUs);
  // node-j's routes to its 4 listed peers appear together, 4 requests after its start at 1 s.
  const auto& log = s.cluster.log();
  for (const auto& e : log)
    if (e.op && e.node == "node-j" && e.origin == "flanneld host-gw backend") own.push_back(e.time);
  CHECK(own == std::vector<Nanos>(4, 1 * kS + 400 * kUs));
}

TEST_CASE("a leave is tracked too, and the runner writes each peer's times and a p50/p99/max summary") {
  const auto r = runner::run_mode(cluster_of(2, "vxlan", true), scenario::Backend::Vxlan, {});
  const std::string csv = runner::convergence_csv(r.convergence);
  CHECK(csv ==
        "scenario,mode,seed,node,event,subnet,peer,written_s,heard_s,programmed_s,lag_ms\n"
        "convergence,vxlan,1,node-j,join,10.244.3.0/24,node-1,1.000000,1.101000,1.101300,101.300\n"
        "convergence,vxlan,1,node-j,join,10.244.3.0/24,node-2,1.000000,1.102000,1.102300,102.300\n"
        "convergence,vxlan,1,node-1,leave,10.244.1.0/24,node-2,2.000000,2.101000,2.101300,101.300\n"
        "convergence,vxlan,1,node-1,leave,10.244.1.0/24,node-j,2.000000,2.102000,2.102300,102.300\n");
  CHECK(runner::convergence_summary("vxlan", r.convergence) ==
        "vxlan    node-j join: programmed by 2 peers; from the lease's write: p50 101.300 ms, p99 102.300 ms, max 102.300 ms\n"
        "vxlan    node-1 leave: programmed by 2 peers; from the lease's write: p50 101.300 ms, p99 102.300 ms, max 102.300 ms\n");
}
