// The underlay link's shape: `tc qdisc add dev eth0 root netem delay … rate …` on each node's NIC,
// exactly how validation shapes the veth "cables" of its real namespaces.
#include <catch2/catch.hpp>

#include "tests/kernel/helpers.h"

using namespace ol;
using ol::test::Lab;

TEST_CASE("netem delay on both nodes' underlay NICs adds one delay per direction to the RTT") {
  Lab lab("two-nodes-host-gw.sh",
          "tc -n node-a qdisc add dev eth0 root netem delay 100us\n"
          "tc -n node-b qdisc add dev eth0 root netem delay 100us\n");
  lab.ping("pod-a1", "10.244.2.2", 1);  // resolves ARP on the way
  const Nanos sent = lab.sim.now();
  lab.ping("pod-a1", "10.244.2.2", 2);
  REQUIRE(lab.replies().size() == 2);
  CHECK(lab.replies()[1].time - sent == 200 * kNanosPerMicro);
}

TEST_CASE("netem rate serialises frames and its limit drops the excess") {
  // 1 Mbit/s: a 98-byte frame takes 784 us on the wire; a queue of 2 keeps only two of five.
  Lab lab("two-nodes-host-gw.sh", "tc -n node-a qdisc add dev eth0 root netem rate 1mbit limit 2\n");
  lab.ping("pod-a1", "10.244.2.2", 1);
  lab.log.events.clear();
  const Nanos start = lab.sim.now();
  for (std::uint16_t seq = 2; seq <= 6; ++seq)
    kernel::ping_sendmsg(lab.ns("pod-a1"), lab.ping_id, seq, *wire::Ipv4Addr::parse("10.244.2.2"), 56, true);
  lab.sim.run_until(start + kNanosPerSecond);
  int drops = 0;
  for (auto& e : lab.log.events)
    if (e.verdict == "drop SKB_DROP_REASON_QDISC_DROP") ++drops;
  CHECK(drops == 3);
  REQUIRE(lab.replies().size() == 3);
  CHECK(lab.replies()[1].time - start == 784 * kNanosPerMicro);
  CHECK(lab.replies()[2].time - start == 2 * 784 * kNanosPerMicro);
}
