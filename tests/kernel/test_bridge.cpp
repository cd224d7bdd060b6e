// Two pods on one bridge:
//
//   pod-1 eth0 ── vethaaaa0001 ┐
//                              cni0 (node-1)
//   pod-2 eth0 ── vethaaaa0002 ┘
#include <catch2/catch.hpp>

#include "tests/kernel/helpers.h"

using namespace ol;
using ol::test::Lab;

TEST_CASE("first ping on a bridge: ARP flooded, reply forwarded, both MACs learnt, echo answered") {
  Lab lab("one-bridge.sh");
  REQUIRE(lab.ping("pod-1", "10.244.1.3") == kernel::Errno::Ok);
  CHECK(lab.steps() == std::vector<std::string>{
      "pod-1 ping_v4_sendmsg", "pod-1 fib_lookup", "pod-1 ip_local_out", "pod-1 neigh_resolve_output",
      "pod-1 arp_solicit", "pod-1 veth_xmit",
      // the request is broadcast: flooded to the other port and passed up to cni0 itself
      "node-1 br_handle_frame_finish", "node-1 br_forward", "node-1 veth_xmit", "node-1 br_pass_frame_up",
      "node-1 arp_process",  // cni0 does not own 10.244.1.3: ignored
      "pod-2 arp_process", "pod-2 arp_send", "pod-2 veth_xmit",
      // the reply goes to the port pod-1's MAC was learnt on
      "node-1 br_fdb_find", "node-1 br_forward", "node-1 veth_xmit",
      "pod-1 arp_process", "pod-1 neigh_update", "pod-1 veth_xmit",
      "node-1 br_fdb_find", "node-1 br_forward", "node-1 veth_xmit",
      "pod-2 ip_rcv", "pod-2 fib_lookup", "pod-2 icmp_rcv", "pod-2 icmp_echo", "pod-2 ip_local_out",
      "pod-2 neigh_resolve_output", "pod-2 veth_xmit",
      "node-1 br_fdb_find", "node-1 br_forward", "node-1 veth_xmit",
      "pod-1 ip_rcv", "pod-1 fib_lookup", "pod-1 icmp_rcv", "pod-1 ping_rcv"});
  CHECK(lab.find("node-1", "br_handle_frame_finish")->verdict == "flood");
  CHECK(lab.find("pod-1", "arp_solicit")->verdict == "who-has 10.244.1.3 tell 10.244.1.2");
  CHECK(lab.find("pod-2", "arp_send")->verdict == "10.244.1.3 is-at 0a:58:0a:f4:01:03");
  CHECK(lab.find("node-1", "br_fdb_find")->entry == "0a:58:0a:f4:01:02 dev vethaaaa0001 master cni0");
  CHECK(kernel::dump_fdb(lab.ns("node-1")) ==
        "02:aa:00:00:01:01 dev vethaaaa0001 master cni0 permanent\n"
        "0a:58:0a:f4:01:02 dev vethaaaa0001 master cni0\n"
        "02:aa:00:00:01:02 dev vethaaaa0002 master cni0 permanent\n"
        "0a:58:0a:f4:01:03 dev vethaaaa0002 master cni0\n"
        "0a:58:0a:f4:01:01 dev cni0 master cni0 permanent\n");
  CHECK(kernel::dump_neigh(lab.ns("pod-1")) == "10.244.1.3 dev eth0 lladdr 0a:58:0a:f4:01:03 REACHABLE\n");
  // pod-2 learnt pod-1 from its request (STALE), then used it for the reply: DELAY, as `ip neigh` shows.
  CHECK(kernel::dump_neigh(lab.ns("pod-2")) == "10.244.1.2 dev eth0 lladdr 0a:58:0a:f4:01:02 DELAY\n");
  REQUIRE(lab.replies().size() == 1);
  CHECK(lab.replies()[0].type == 0);
  CHECK(lab.replies()[0].from.str() == "10.244.1.3");
}

TEST_CASE("learnt bridge entries age out after 300 s - local ones stay") {
  Lab lab("one-bridge.sh");
  lab.ping("pod-1", "10.244.1.3");
  // pod-2's DELAY entry becomes PROBE after 5 s, and its unicast probe and the answer refresh both
  // learnt entries; 300 s after that they are gone.
  lab.sim.run_until(lab.sim.now() + 310 * kNanosPerSecond);
  CHECK(kernel::dump_fdb(lab.ns("node-1")) ==
        "02:aa:00:00:01:01 dev vethaaaa0001 master cni0 permanent\n"
        "02:aa:00:00:01:02 dev vethaaaa0002 master cni0 permanent\n"
        "0a:58:0a:f4:01:01 dev cni0 master cni0 permanent\n");
}

TEST_CASE("the second ping needs no ARP and goes straight to the learnt port") {
  Lab lab("one-bridge.sh");
  lab.ping("pod-1", "10.244.1.3", 1);
  lab.log.events.clear();
  lab.ping("pod-1", "10.244.1.3", 2);
  auto s = lab.steps();
  CHECK(std::count(s.begin(), s.end(), "pod-1 arp_solicit") == 0);
  CHECK(std::count(s.begin(), s.end(), "node-1 br_handle_frame_finish") == 0);
  CHECK(lab.replies().size() == 2);
}
