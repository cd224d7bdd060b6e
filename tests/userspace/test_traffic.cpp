// The traffic generators on a real run: a UDP flow at a constant rate sends exactly what the rate
// says and measures one-way delay; a flood sends as fast as its core allows; ping sends `count`
// echoes `interval` apart.
#include <catch2/catch.hpp>

#include "models/scenario/load.h"
#include "runner/run.h"

using namespace ol;

namespace {

scenario::Scenario udp_flood() {
  return scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/udp-flood.json");
}

}  // namespace

TEST_CASE("UDP at 10,000 datagrams/s for 20 ms: 200 sent, 200 delivered, one-way delay measured") {
  auto s = udp_flood();
  s.workloads[0].rate_pps = 10000;
  const auto r = runner::run_mode(s, scenario::Backend::Vxlan, {});
  const auto& f = r.flows.at(0);
  CHECK(f.proto == "udp");
  CHECK(f.packets_sent == 200);
  CHECK(f.packets_delivered == 200);
  CHECK(f.drops == 0);
  CHECK(f.one_way_p50_us > 1);
  CHECK(f.one_way_p50_us < 100);
  CHECK(f.rtt_p50_us < 0);  // no RTT for UDP: the column is empty
}

TEST_CASE("a UDP flood sends far more than a paced flow, limited by its sender's core") {
  auto paced = udp_flood();
  paced.workloads[0].rate_pps = 10000;
  const auto p = runner::run_mode(paced, scenario::Backend::HostGw, {}).flows.at(0);
  const auto f = runner::run_mode(udp_flood(), scenario::Backend::HostGw, {}).flows.at(0);
  // The measured profile's sender spends ~5 us a datagram (udp_sendmsg, the stack, a system call):
  // ~190,000 a second, against the paced flow's 10,000.
  CHECK(f.packets_sent > 10 * p.packets_sent);
  CHECK(f.throughput_gbps > 1.0);
}

TEST_CASE("ping sends count echoes interval apart and gets an RTT for each") {
  auto s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/two-nodes.json");
  s.workloads.resize(1);  // the ping alone: 20 echoes, 20 ms apart
  const auto r = runner::run_mode(s, scenario::Backend::HostGw, {});
  const auto& f = r.flows.at(0);
  CHECK(f.proto == "icmp");
  CHECK(f.packets_sent == 20);
  CHECK(f.packets_delivered == 20);
  CHECK(f.rtt_p50_us > 0);
  CHECK(f.rtt_p99_us >= f.rtt_p50_us);
}

TEST_CASE("a flood through the udp backend overflows the proxy node's receive backlog, as netdev_max_backlog bounds it") {
  auto s = udp_flood();
  s.workloads[0].size = 64;  // small datagrams: more packets than the proxy node's core can take
  const auto r = runner::run_mode(s, scenario::Backend::Udp, {});
  const auto& f = r.flows.at(0);
  REQUIRE(r.drops.count("SKB_DROP_REASON_CPU_BACKLOG") == 1);
  CHECK(r.drops.at("SKB_DROP_REASON_CPU_BACKLOG") > 0);
  CHECK(f.drops > 0);
  // Queued at most 1000 packets deep, a datagram's wait stays bounded: 1000 times what the proxy
  // node's core spends on one (~5.5 us with the measured profile).
  CHECK(f.one_way_p50_us < 8000);
  // Host-gw keeps up: nothing freed for a full backlog.
  CHECK(runner::run_mode(s, scenario::Backend::HostGw, {}).drops.empty());
}
