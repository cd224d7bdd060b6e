// One echo request walked from pod-a (node-1) to pod-c (node-2) in each mode: the kernel functions
// on its IP path, the kernel/user crossings on the nodes, and the bytes encapsulation adds. Then
// the scenarios built to fail: a peer's lease not yet delivered, nodes behind a router, an MTU
// black hole.
#include <set>

#include <catch2/catch.hpp>

#include "lab/walk.h"
#include "models/kernel/device.h"
#include "models/kernel/netns.h"
#include "models/wire/dissect.h"
#include "tests/lab/helpers.h"

using namespace ol;

namespace {

// The request's IP-level steps as "netns function", leaving out ARP and bridge forwarding.
std::vector<std::string> ip_path(const cluster::WalkResult& r) {
  static const std::set<std::string> keep = {
      "ping_v4_sendmsg", "ip_rcv",     "fib_lookup",  "ip_forward",  "vxlan_xmit",       "vxlan_xmit_one",
      "udp_rcv",         "vxlan_rcv",  "tun_net_xmit", "tun_do_read", "find_route",       "udp_sendmsg",
      "udp_queue_rcv_skb", "udp_recvmsg", "tun_get_user", "icmp_rcv", "icmp_send", "send_net_unreachable"};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < r.request_steps; ++i)
    if (keep.count(r.steps[i].function)) out.push_back(r.steps[i].netns + " " + r.steps[i].function);
  return out;
}

cluster::WalkResult walk(const char* scenario, const char* mode, const char* from, const char* to,
                         std::optional<Nanos> at = std::nullopt, int size = 56) {
  auto s = test::session(scenario, mode ? std::optional<std::string>(mode) : std::nullopt);
  return cluster::walk(*s, {from, to, at, size});
}

}  // namespace

TEST_CASE("host-gw: routed by node-1 straight to node-2, no crossings, no overhead") {
  auto r = walk("two-nodes.json", "host-gw", "pod-a", "pod-c");
  CHECK(r.delivered);
  CHECK(ip_path(r) == std::vector<std::string>{
                          "pod-a ping_v4_sendmsg", "pod-a fib_lookup", "node-1 ip_rcv", "node-1 fib_lookup", "node-1 ip_forward",
                          "node-2 ip_rcv", "node-2 fib_lookup", "node-2 ip_forward", "pod-c ip_rcv", "pod-c fib_lookup",
                          "pod-c icmp_rcv"});
  CHECK(r.crossings == 0);
  CHECK(r.overhead() == 0);
  CHECK(r.inner_bytes == 84);
}

TEST_CASE("vxlan: encapsulated in the kernel by flannel.1, no crossings, 50 bytes") {
  auto r = walk("two-nodes.json", "vxlan", "pod-a", "pod-c");
  CHECK(r.delivered);
  CHECK(ip_path(r) == std::vector<std::string>{
                          "pod-a ping_v4_sendmsg", "pod-a fib_lookup", "node-1 ip_rcv", "node-1 fib_lookup", "node-1 ip_forward",
                          "node-1 vxlan_xmit", "node-1 fib_lookup", "node-1 vxlan_xmit_one", "node-2 ip_rcv", "node-2 fib_lookup",
                          "node-2 udp_rcv", "node-2 vxlan_rcv", "node-2 ip_rcv", "node-2 fib_lookup", "node-2 ip_forward",
                          "pod-c ip_rcv", "pod-c fib_lookup", "pod-c icmp_rcv"});
  CHECK(r.crossings == 0);
  CHECK(r.overhead() == 50);
  CHECK(r.wire_bytes == 134);
}

TEST_CASE("udp: the proxy reads, sends, receives and writes: 4 crossings, 28 bytes") {
  auto r = walk("two-nodes.json", "udp", "pod-a", "pod-c");
  CHECK(r.delivered);
  CHECK(ip_path(r) == std::vector<std::string>{
                          "pod-a ping_v4_sendmsg", "pod-a fib_lookup", "node-1 ip_rcv", "node-1 fib_lookup", "node-1 ip_forward",
                          "node-1 tun_net_xmit", "node-1 tun_do_read", "node-1 find_route", "node-1 udp_sendmsg",
                          "node-1 fib_lookup", "node-2 ip_rcv", "node-2 fib_lookup", "node-2 udp_queue_rcv_skb",
                          "node-2 udp_recvmsg", "node-2 tun_get_user", "node-2 ip_rcv", "node-2 fib_lookup",
                          "node-2 ip_forward", "pod-c ip_rcv", "pod-c fib_lookup", "pod-c icmp_rcv"});
  CHECK(r.crossings == 4);
  CHECK(r.crossing_functions == std::vector<std::string>{"node-1 tun_do_read (kernel->user)", "node-1 udp_sendmsg (user->kernel)",
                                                         "node-2 udp_recvmsg (kernel->user)", "node-2 tun_get_user (user->kernel)"});
  CHECK(r.overhead() == 28);
}

TEST_CASE("three-nodes-join: before node-3's lease reaches node-1 the packet has no route - after, it arrives") {
  auto early = walk("three-nodes-join.json", nullptr, "web-1", "web-3", 1200 * kNanosPerMilli);
  CHECK_FALSE(early.delivered);
  CHECK_THAT(early.outcome, Catch::Contains("net unreachable"));
  CHECK_THAT(early.outcome, Catch::Contains("stopped at node-1 ip_error (drop SKB_DROP_REASON_IP_INNOROUTES)"));
  auto late = walk("three-nodes-join.json", nullptr, "web-1", "web-3", 2 * kNanosPerSecond);
  CHECK(late.delivered);
  auto s = test::session("three-nodes-join.json");
  CHECK_THROWS_WITH(cluster::walk(*s, {"web-1", "web-3", 500 * kNanosPerMilli, 56}),
                    Catch::Contains("pod \"web-3\" has no address"));
}

TEST_CASE("three-nodes-join with udp: a ping to a lease the proxy has not heard of goes unanswered (no ICMP about ICMP)") {
  auto early = walk("three-nodes-join.json", "udp", "web-1", "web-3", 1200 * kNanosPerMilli);
  CHECK_FALSE(early.delivered);
  CHECK(ip_path(early).back() == "node-1 find_route");
  CHECK(early.steps.back().function == "find_route");
  CHECK(early.steps.back().verdict == "drop: no lease holds the destination, and no ICMP error about ICMP");
  for (const auto& st : early.steps) CHECK(st.function != "send_net_unreachable");
  CHECK(early.outcome == "no reply: stopped at node-1 find_route (drop: no lease holds the destination, and no ICMP error about ICMP)");
}

TEST_CASE("l3-separated: host-gw's routes are refused and the packet dies at the router - vxlan and udp get through") {
  auto s = test::session("l3-separated.json", "host-gw");
  s->cluster.converge();
  REQUIRE(s->cluster.errors().size() == 2);
  CHECK_THAT(s->cluster.errors()[0], Catch::EndsWith("route add 10.244.10.0/24 via 192.168.1.10 dev eth0: Error: Nexthop has invalid gateway."));
  auto hg = cluster::walk(*s, {"pod-a", "pod-b", std::nullopt, 56});
  CHECK_FALSE(hg.delivered);
  CHECK_THAT(hg.outcome, Catch::Contains("stopped at router ip_error (drop SKB_DROP_REASON_IP_INNOROUTES)"));
  CHECK(walk("l3-separated.json", "vxlan", "pod-a", "pod-b").delivered);
  CHECK(walk("l3-separated.json", "udp", "pod-a", "pod-b").delivered);
}

TEST_CASE("mtu-blackhole: a full-size DF packet is refused at node-1's ip_forward with frag-needed 1450") {
  auto r = walk("mtu-blackhole.json", nullptr, "client", "server", std::nullopt, 1472);
  CHECK_FALSE(r.delivered);
  CHECK(r.inner_bytes == 1500);
  CHECK(r.steps[r.request_steps].function == "icmp_send");
  CHECK(r.steps[r.request_steps].netns == "node-1");
  CHECK(r.steps[r.request_steps].verdict == "fragmentation needed (mtu 1450) to 10.244.1.2");
  CHECK_THAT(r.outcome, Catch::Contains("stopped at node-1 ip_forward (drop SKB_DROP_REASON_PKT_TOO_BIG)"));
  CHECK(walk("mtu-blackhole.json", nullptr, "client", "server", std::nullopt, 1422).delivered);  // 1450 fits
}

TEST_CASE("what if: edits before the send stop the packet where the kernel would, with its drop reason") {
  auto s = test::session("two-nodes.json", "vxlan");
  s->cluster.converge();
  const std::string vtep = s->world.netns("node-2")->dev_by_name("flannel.1")->mac.str();
  auto stopped_at = [](const cluster::WalkResult& r) {
    for (const auto& e : r.steps)
      if (e.verdict.starts_with("drop")) return e.netns + " " + e.function + " " + e.verdict;
    return std::string("no drop");
  };
  SECTION("the peer's VXLAN FDB entry deleted: vxlan_xmit has no remote") {
    cluster::WalkOptions o{"pod-a", "pod-c"};
    o.edits = {"bridge -n node-1 fdb del " + vtep + " dev flannel.1 dst 192.168.100.12 self"};
    auto r = cluster::walk(*s, o);
    CHECK_FALSE(r.delivered);
    CHECK(stopped_at(r) == "node-1 vxlan_xmit drop SKB_DROP_REASON_NO_TX_TARGET");
    CHECK(r.wire_bytes == 0);
  }
  SECTION("the route deleted: ip_error, and the pod hears net unreachable") {
    cluster::WalkOptions o{"pod-a", "pod-c"};
    o.edits = {"ip -n node-1 route del 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink"};
    auto r = cluster::walk(*s, o);
    CHECK_FALSE(r.delivered);
    CHECK(stopped_at(r) == "node-1 ip_error drop SKB_DROP_REASON_IP_INNOROUTES");
    CHECK_THAT(r.outcome, Catch::StartsWith("From 10.244.1.1: net unreachable"));
  }
  SECTION("the neighbour deleted: flannel.1 ARPs for the VTEP, no FDB entry takes the broadcast, NEIGH_FAILED") {
    cluster::WalkOptions o{"pod-a", "pod-c"};
    o.edits = {"ip -n node-1 neigh del 10.244.2.0 dev flannel.1"};
    auto r = cluster::walk(*s, o);
    CHECK_FALSE(r.delivered);
    int solicits = 0;
    for (const auto& e : r.steps) solicits += e.netns == "node-1" && e.device == "flannel.1" && e.function == "arp_solicit";
    CHECK(solicits == 3);
    bool failed = false;
    for (const auto& e : r.steps) failed = failed || (e.netns == "node-1" && e.verdict == "drop SKB_DROP_REASON_NEIGH_FAILED");
    CHECK(failed);
    CHECK_THAT(r.outcome, Catch::StartsWith("From 10.244.1.1: host unreachable"));
  }
  SECTION("an edit the kernel refuses, or that does not parse, is an error naming it and the fix") {
    cluster::WalkOptions o{"pod-a", "pod-c"};
    o.edits = {"ip -n node-1 route del 10.9.9.0/24 dev flannel.1"};
    CHECK_THROWS_WITH(cluster::walk(*s, o), Catch::Contains("--edit: ip -n node-1 route del 10.9.9.0/24 dev flannel.1") &&
                                                Catch::Contains("No such process") && Catch::Contains("fix: edit an entry that exists"));
    o.edits = {"ip -n node-1 frob"};
    CHECK_THROWS_WITH(cluster::walk(*s, o), Catch::Contains("--edit \"ip -n node-1 frob\"") && Catch::Contains("fix: write one ip or bridge command"));
  }
}

TEST_CASE("frames: each header's fields with byte offsets - vxlan puts 50 bytes in front of the pod's packet, udp 28") {
  auto field = [](const std::vector<wire::FieldRow>& rows, const std::string& header, bool inner, const std::string& name) {
    for (const auto& r : rows)
      if (r.header == header && r.inner == inner && r.field == name) return std::to_string(r.offset) + " " + std::to_string(r.length) + " " + r.value;
    return std::string("missing");
  };
  auto frame_at = [](const cluster::WalkResult& r, const std::string& function) {
    for (std::size_t i = 0; i < r.request_steps; ++i)
      if (r.steps[i].function == function) return wire::dissect(r.steps[i].frame, r.steps[i].frame_at_l3);
    return std::vector<wire::FieldRow>{};
  };
  SECTION("vxlan at vxlan_xmit_one: outer IPv4, UDP 8472, VXLAN with VNI 1, inner Ethernet between the VTEPs, inner IPv4") {
    auto s = test::session("two-nodes.json", "vxlan");
    cluster::WalkOptions o{"pod-a", "pod-c"};
    o.frames = true;
    auto r = cluster::walk(*s, o);
    const auto rows = frame_at(r, "vxlan_xmit_one");
    REQUIRE_FALSE(rows.empty());
    CHECK(wire::encapsulation_bytes(rows) == 50);
    CHECK(field(rows, "IPv4", false, "destination") == "16 4 192.168.100.12");
    CHECK(field(rows, "UDP", false, "destination port") == "22 2 8472 (VXLAN, Linux's port)");
    CHECK(field(rows, "VXLAN", false, "flags") == "28 1 0x08 (I: the VNI is valid)");
    CHECK(field(rows, "VXLAN", false, "VNI") == "32 3 1");
    const std::string vtep = s->world.netns("node-2")->dev_by_name("flannel.1")->mac.str();
    CHECK(field(rows, "Ethernet", true, "destination") == "36 6 " + vtep);
    CHECK(field(rows, "IPv4", true, "source") == "62 4 10.244.1.2");
    CHECK(field(rows, "IPv4", true, "destination") == "66 4 10.244.2.2");
    CHECK(field(rows, "ICMP", true, "type") == "70 1 8 (echo request)");
    // Where a step changes nothing, no frame is needed; without --frames none is kept.
    auto plain = cluster::walk(*test::session("two-nodes.json", "vxlan"), {"pod-a", "pod-c"});
    CHECK(plain.steps.front().frame.empty());
  }
  SECTION("udp: flanneld's datagram to port 8285 holds the pod's IP packet right after the UDP header") {
    auto s = test::session("two-nodes.json", "udp");
    cluster::WalkOptions o{"pod-a", "pod-c"};
    o.frames = true;
    auto r = cluster::walk(*s, o);
    std::vector<wire::FieldRow> rows;
    for (std::size_t i = 0; i < r.request_steps && rows.empty(); ++i)
      if (r.steps[i].netns == "node-1" && r.steps[i].headers.starts_with("ipv4 20 | udp 8 | ipv4 20"))
        rows = wire::dissect(r.steps[i].frame, r.steps[i].frame_at_l3);
    REQUIRE_FALSE(rows.empty());
    CHECK(wire::encapsulation_bytes(rows) == 28);
    CHECK(field(rows, "UDP", false, "destination port") == "22 2 8285 (flannel udp)");
    CHECK(field(rows, "IPv4", true, "version, header length") == "28 1 4, 20 bytes");
    CHECK(field(rows, "IPv4", true, "destination") == "44 4 10.244.2.2");
  }
}
