// Two nodes joined by host-gw routes, built only from tests/data/two-nodes-host-gw.sh:
//
//   pod-a1 ── cni0 [node-a] eth0 ──┐
//                                  underlay br0
//   pod-b1 ── cni0 [node-b] eth0 ──┘
#include <catch2/catch.hpp>

#include "tests/kernel/helpers.h"

using namespace ol;
using ol::test::Lab;

TEST_CASE("host-gw: node-a's fib_lookup matches the route via node-b and the ping comes back") {
  Lab lab("two-nodes-host-gw.sh");
  REQUIRE(lab.ping("pod-a1", "10.244.2.2") == kernel::Errno::Ok);
  const TraceEvent* fib = nullptr;
  for (auto& e : lab.log.events)
    if (e.netns == "node-a" && e.function == "fib_lookup" && e.verdict == "forward") { fib = &e; break; }
  REQUIRE(fib);
  CHECK(fib->table == "route");
  CHECK(fib->entry == "10.244.2.0/24 via 192.168.100.2 dev eth0");
  REQUIRE(lab.replies().size() == 1);
  CHECK(lab.replies()[0].ttl == 62);  // two forwarding hops: node-b then node-a
  // No encapsulation: the frame on the underlay is the pod's packet behind one Ethernet header.
  for (auto& f : lab.frames)
    if (f.netns == "node-a" && f.dev == "eth0" && f.bytes.size() > 42) CHECK(f.bytes.size() == 14 + 84);
}

TEST_CASE("host-gw: the tables are exactly what the script asked for") {
  Lab lab("two-nodes-host-gw.sh");
  CHECK(kernel::dump_routes(lab.ns("node-a")) ==
        "10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1\n"
        "10.244.2.0/24 via 192.168.100.2 dev eth0\n"
        "192.168.100.0/24 dev eth0 proto kernel scope link src 192.168.100.1\n");
  CHECK(kernel::dump_routes(lab.ns("pod-a1")) ==
        "default via 10.244.1.1 dev eth0\n"
        "10.244.0.0/16 via 10.244.1.1 dev eth0\n"
        "10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2\n");
  CHECK(kernel::dump_local_routes(lab.ns("pod-a1")) ==
        "local 10.244.1.2 dev eth0 proto kernel scope host src 10.244.1.2\n"
        "broadcast 10.244.1.255 dev eth0 proto kernel scope link src 10.244.1.2\n"
        // lo came up with 127.0.0.1/8, which makes all of 127/8 local (as the real kernel shows)
        "local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1\n"
        "local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1\n"
        "broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1\n");
}

// __udp_enqueue_schedule_skb counts truesize against SO_RCVBUF (212992): Linux 6.18 held 256
// datagrams of 64 bytes, 166 of 512 and 92 of 1400 in a socket nobody read, 600 sent to each.
TEST_CASE("host-gw: a UDP socket nobody reads holds SO_RCVBUF of truesize - 256 datagrams of 64 B, 166 of 512, 92 of 1400") {
  const auto [payload, held] = GENERATE(table<std::uint32_t, std::size_t>({{64, 256}, {512, 166}, {1400, 92}}));
  Lab lab("two-nodes-host-gw.sh");
  kernel::UdpSocket* sink = lab.ns("pod-b1").sockets.udp_bind({}, 5001);
  REQUIRE(sink);
  const auto dst = *wire::Ipv4Addr::parse("10.244.2.2");
  kernel::udp_sendmsg(lab.ns("pod-a1"), 40000, dst, 5001, payload);  // resolves ARP along the path
  lab.sim.run();
  REQUIRE(sink->rx.size() == 1);
  kernel::udp_recvmsg(lab.ns("pod-b1"), *sink);
  CHECK(sink->rmem_alloc == 0);
  for (int i = 0; i < 600; ++i) {
    kernel::udp_sendmsg(lab.ns("pod-a1"), 40000, dst, 5001, payload);
    lab.sim.run_until(lab.sim.now() + 20'000);
  }
  lab.sim.run();
  CHECK(sink->rx.size() == held);
  CHECK(sink->drops == 600 - held);
  CHECK(sink->rmem_alloc == held * kernel::skb_truesize(*sink->rx.front()));
}
