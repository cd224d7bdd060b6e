// What goes wrong, and where Linux says so.
#include <catch2/catch.hpp>

#include "tests/kernel/helpers.h"

using namespace ol;
using ol::test::Lab;

namespace {
bool dropped(const Lab& lab, const std::string& netns, const std::string& reason) {
  for (auto& e : lab.log.events)
    if (e.netns == netns && e.verdict == "drop " + reason) return true;
  return false;
}
}  // namespace

TEST_CASE("TTL 1 through a forwarding node: ICMP time exceeded from that node") {
  Lab lab("two-nodes-host-gw.sh");
  lab.ping("pod-a1", "10.244.2.2", 1, 56, kernel::PmtuDisc::Want, 1);
  CHECK(dropped(lab, "node-a", "SKB_DROP_REASON_IP_INHDR"));
  REQUIRE(lab.replies().size() == 1);
  CHECK(lab.replies()[0].type == 11);
  CHECK(lab.replies()[0].from.str() == "10.244.1.1");
}

TEST_CASE("DF packet larger than the next hop's MTU: fragmentation needed with that MTU, then EMSGSIZE") {
  // The pod and cni0 left at 1500 over VXLAN (flannel.1 is 1450): the mtu-blackhole case.
  Lab lab("two-nodes-vxlan.sh",
          "ip -n pod-a1 link set dev eth0 mtu 1500\n"
          "ip -n node-a link set dev veth1a2b3c4d mtu 1500\n"
          "ip -n node-a link set dev cni0 mtu 1500\n");
  REQUIRE(lab.ping("pod-a1", "10.244.2.2", 1, 1472, kernel::PmtuDisc::Do) == kernel::Errno::Ok);
  CHECK(dropped(lab, "node-a", "SKB_DROP_REASON_PKT_TOO_BIG"));
  const TraceEvent* icmp = lab.find("node-a", "icmp_send");
  REQUIRE(icmp);
  CHECK(icmp->verdict == "fragmentation needed (mtu 1450) to 10.244.1.2");
  REQUIRE(lab.replies().size() == 1);
  CHECK(lab.replies()[0].type == 3);
  CHECK(lab.replies()[0].code == 4);
  CHECK(lab.replies()[0].mtu == 1450);
  // The pod learnt the path MTU: the same send now fails locally, as `ping -M do` reports.
  CHECK(lab.ping("pod-a1", "10.244.2.2", 2, 1472, kernel::PmtuDisc::Do) == kernel::Errno::MsgSize);
  // Without DF (-M want) the pod fragments locally and the echo goes through.
  CHECK(lab.ping("pod-a1", "10.244.2.2", 3, 1472, kernel::PmtuDisc::Want) == kernel::Errno::Ok);
  CHECK(lab.replies().back().type == 0);
}

TEST_CASE("no route: Network is unreachable locally, ICMP net unreachable when forwarding") {
  Lab lab("two-nodes-host-gw.sh");
  CHECK(lab.ping("node-a", "10.99.0.1") == kernel::Errno::NetUnreach);
  CHECK(std::string(kernel::strerror_text(kernel::Errno::NetUnreach)) == "Network is unreachable");
  lab.ping("pod-a1", "10.99.0.1");  // the pod's default route sends it to node-a, which has none
  CHECK(dropped(lab, "node-a", "SKB_DROP_REASON_IP_INNOROUTES"));
  REQUIRE(lab.replies().size() == 1);
  CHECK(lab.replies()[0].type == 3);
  CHECK(lab.replies()[0].code == 0);
  CHECK(lab.replies()[0].from.str() == "10.244.1.1");
}

TEST_CASE("ARP for an absent address: three probes, FAILED, queued packets dropped") {
  Lab lab("one-bridge.sh");
  lab.ping("pod-1", "10.244.1.77", 1, 56, kernel::PmtuDisc::Want, 0, 10 * kNanosPerSecond);
  auto s = lab.steps();
  CHECK(std::count(s.begin(), s.end(), "pod-1 arp_solicit") == 3);
  CHECK(dropped(lab, "pod-1", "SKB_DROP_REASON_NEIGH_FAILED"));
  CHECK(kernel::dump_neigh(lab.ns("pod-1")) == "10.244.1.77 dev eth0 FAILED\n");
  REQUIRE(lab.replies().size() == 1);  // "Destination Host Unreachable", from the pod itself
  CHECK(lab.replies()[0].type == 3);
  CHECK(lab.replies()[0].code == 1);
  CHECK(lab.replies()[0].from.str() == "10.244.1.2");
}

TEST_CASE("forwarding off: a packet for another host is dropped silently") {
  Lab lab("two-nodes-host-gw.sh", "ip netns exec node-a sysctl -w net.ipv4.ip_forward=0\n");
  lab.ping("pod-a1", "10.244.2.2");
  CHECK(dropped(lab, "node-a", "SKB_DROP_REASON_IP_INADDRERRORS"));
  CHECK(lab.replies().empty());
}
