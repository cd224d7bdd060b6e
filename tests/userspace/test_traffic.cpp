// The traffic generators on a real run: a UDP flow at a constant rate sends exactly what the rate
// says and measures one-way delay; a flood sends as fast as its core allows; ping sends `count`
// echoes `interval` apart.
#include <catch2/catch.hpp>

#include "models/cost/profile.h"
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

TEST_CASE("a ping every 20 ms finds every hop's core cold and pays the profile's cold start, one every 20 us does not") {
  auto s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/two-nodes.json");
  s.workloads.resize(1);  // the ping alone
  cost::Profile warm = cost::Profile::builtin();
  warm.cold_start = {};
  cost::Profile cold = warm;
  cold.cold_start.points = {{1'000'000, 3.0}};  // x3 after a millisecond idle
  cold.cold_start.budget = 50'000;  // more than a ping costs one core
  auto rtt = [&](const cost::Profile& p, Nanos interval) {
    s.workloads[0].interval = interval;
    runner::RunOptions o;
    o.profile = &p;
    return runner::run_mode(s, scenario::Backend::HostGw, o).flows.at(0).rtt_p50_us;
  };
  const double sparse_warm = rtt(warm, 20 * kNanosPerMilli), sparse_cold = rtt(cold, 20 * kNanosPerMilli);
  // The rest is CPU, and takes three times as long; the wire (2 us a link each way) does not.
  CHECK(sparse_cold > 2.0 * sparse_warm);
  CHECK(sparse_cold < 3.0 * sparse_warm);
  // 2,000 echoes 20 us apart: the cores barely idle, and the first ones use up the cold budget
  // the cores had from the idle start.
  s.workloads[0].count = 2000;
  const double dense_warm = rtt(warm, 20 * kNanosPerMicro), dense_cold = rtt(cold, 20 * kNanosPerMicro);
  CHECK(dense_cold < 1.1 * dense_warm);
}

TEST_CASE("udp mode: the proxies' four wake-ups per ping each wait the profile's wake-up latency") {
  auto s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/two-nodes.json");
  s.workloads.resize(1);
  cost::Profile none = cost::Profile::builtin();
  none.wakeup_latency = {};
  cost::Profile slow = none;
  slow.wakeup_latency.ns = 10'000;
  auto rtt = [&](const cost::Profile& p, scenario::Backend b) {
    runner::RunOptions o;
    o.profile = &p;
    return runner::run_mode(s, b, o).flows.at(0).rtt_p50_us;
  };
  // Each node's proxy sleeps in poll(): the echo wakes one on each node, the reply the same two
  // again. A wake-up from another core waits; one from the proxy's own core (the softirq that
  // queued the packet ran there) does not.
  const double more = rtt(slow, scenario::Backend::Udp) - rtt(none, scenario::Backend::Udp);
  CHECK(more > 9.5);
  CHECK(more < 40.5);
  // host-gw: the echo reply is the kernel's, and the ping's RTT is taken at its socket: no wake-up.
  CHECK(rtt(slow, scenario::Backend::HostGw) == Approx(rtt(none, scenario::Backend::HostGw)));
}

TEST_CASE("a flood through the udp backend is lost at the proxies' queues (the TUN's ring, the receiving proxy's socket), not a backlog: each pass's writes go up the stack before the next") {
  auto s = udp_flood();
  s.workloads[0].size = 64;  // small datagrams: more packets than the proxy's user-space loop can take
  auto run = [&](Nanos duration) {
    s.workloads[0].duration = duration;
    return runner::run_mode(s, scenario::Backend::Udp, {});
  };
  const auto r = run(300 * kNanosPerMilli);
  const auto& f = r.flows.at(0);
  // The proxies are the bottleneck: the packets wait in the sending node's TUN ring (tun_net_xmit
  // frees what finds it full) and in the receiving proxy's socket (netstat's RcvbufErrors). The
  // packets a proxy's writes to the TUN put in its core's backlog went up the stack before its next
  // pass, so the backlog never filled.
  const auto at = [&](const char* reason) { return r.drops.count(reason) ? r.drops.at(reason) : 0; };
  CHECK(at("SKB_DROP_REASON_SOCKET_RCVBUFF") > 0);
  CHECK(at("SKB_DROP_REASON_SOCKET_RCVBUFF") + at("SKB_DROP_REASON_FULL_RING") == f.drops);
  CHECK(f.drops > f.packets_sent / 20);
  CHECK(r.drops.count("SKB_DROP_REASON_CPU_BACKLOG") == 0);
  // Bounded queues: a datagram waits no longer in a flood three times as long.
  const auto r3 = run(900 * kNanosPerMilli);
  const auto& longer = r3.flows.at(0);
  CHECK(longer.packets_sent > 2.5 * double(f.packets_sent));
  CHECK(longer.one_way_p50_us < 1.1 * f.one_way_p50_us);
  // Host-gw keeps up: nothing freed.
  CHECK(runner::run_mode(s, scenario::Backend::HostGw, {}).drops.empty());
}

TEST_CASE("a reader slower than the path closes the TCP window, and the read that frees the buffer reopens it at once: the flow goes on") {
  auto s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/two-nodes.json");
  s.workloads = {s.workloads.at(1)};  // the TCP flow alone
  for (auto& n : s.nodes) n.nic_gbps = 100;  // the reader, not the link, is what holds the sender back
  cost::Profile slow_reader = cost::Profile::builtin();
  slow_reader.steps[std::size_t(cost::Step::AppWork)].per_packet_ns = 14'000;  // per read()
  slow_reader.steps[std::size_t(cost::Step::CopyToUser)].per_byte_ns *= 20;
  runner::RunOptions o;
  o.profile = &slow_reader;
  o.veth_wires = true;
  o.lab_cores = 2;
  auto delivered = [&](Nanos duration) {
    s.workloads[0].duration = duration;
    return runner::run_mode(s, scenario::Backend::HostGw, o).flows.at(0).packets_delivered;
  };
  // tcp_cleanup_rbuf: once a read lets the window double, the ACK telling the sender goes at once;
  // without it the sender, told a closed window, would wait for ever (nothing else was in flight).
  const auto half = delivered(kNanosPerSecond / 2), whole = delivered(kNanosPerSecond);
  CHECK(half > 10'000);
  CHECK(double(whole) > 1.8 * double(half));
}

TEST_CASE("softirq first, on a whole run: a flood's sender on the lab's one core waits for the path its last datagram took, so none is freed for a full backlog") {
  auto s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/udp-flood.json");
  s.workloads.at(0).size = 64;
  runner::RunOptions o;
  o.veth_wires = true;
  o.lab_cores = 1;  // the sender, every hop and the receiver share one core
  const auto r = runner::run_mode(s, scenario::Backend::HostGw, o);
  CHECK(r.drops.count("SKB_DROP_REASON_CPU_BACKLOG") == 0);
  CHECK(r.flows.at(0).packets_sent > 500);
}
