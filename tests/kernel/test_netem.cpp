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
  const Nanos start = lab.sim.now();
  CHECK(lab.ping_burst("pod-a1", "10.244.2.2", 2, 6) == 3);
  REQUIRE(lab.replies().size() == 3);
  CHECK(lab.replies()[1].time - start == 784 * kNanosPerMicro);
  CHECK(lab.replies()[2].time - start == 2 * 784 * kNanosPerMicro);
}
