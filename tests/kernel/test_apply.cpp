// Applying a NetConfig refuses what Linux refuses, in Linux's words (checked against kernel 6.18).
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "tests/kernel/helpers.h"

using namespace ol;

namespace {
std::string refusal(const std::string& script) {
  Simulator sim;
  kernel::World world(sim);
  try {
    kernel::apply(world, netconfig::parse_script(script));
  } catch (const kernel::ConfigError& e) {
    return e.what();
  }
  return "accepted";
}
const std::string kBase =
    "ip netns add n\n"
    "ip -n n link add eth0 type veth peer name p0\n"
    "ip -n n addr add 192.168.1.1/24 dev eth0\n";
}  // namespace

TEST_CASE("a gateway off every connected subnet is refused without onlink, accepted with it") {
  const std::string up = kBase + "ip -n n link set dev eth0 up\n";
  CHECK(refusal(up + "ip -n n route add 10.244.2.0/24 via 192.168.2.1 dev eth0\n") ==
        "ip -n n route add 10.244.2.0/24 via 192.168.2.1 dev eth0\n    Error: Nexthop has invalid gateway.");
  CHECK(refusal(up + "ip -n n route add 10.244.2.0/24 via 192.168.2.1 dev eth0 onlink\n") == "accepted");
  CHECK(refusal(up + "ip -n n route add 10.244.2.0/24 via 192.168.1.2 dev eth0\n") == "accepted");
}

TEST_CASE("routes through a device that is down are refused") {
  CHECK(refusal(kBase + "ip -n n route add 10.9.0.0/16 dev eth0\n").ends_with("Error: Device for nexthop is not up."));
  CHECK(refusal(kBase + "ip -n n route add 10.9.0.0/16 via 1.2.3.4 dev eth0 onlink\n")
            .ends_with("Error: Nexthop device is not up."));
  // The connected route only exists once the device is up, so a gateway on it is invalid before.
  CHECK(refusal(kBase + "ip -n n route add 10.9.0.0/16 via 192.168.1.2\n").ends_with("Error: Nexthop has invalid gateway."));
}

TEST_CASE("duplicates and missing things get the kernel's answers") {
  const std::string up = kBase + "ip -n n link set dev eth0 up\n";
  CHECK(refusal(up + "ip -n n addr add 192.168.1.1/24 dev eth0\n").ends_with("Error: ipv4: Address already assigned."));
  CHECK(refusal(up + "ip -n n route add 10.9.0.0/16 dev eth0\nip -n n route add 10.9.0.0/16 dev eth0\n")
            .ends_with("RTNETLINK answers: File exists"));
  CHECK(refusal(up + "ip -n n route del 10.99.0.0/16\n").ends_with("RTNETLINK answers: No such process"));
  CHECK(refusal(up + "ip -n n neigh del 10.1.1.1 dev eth0\n").ends_with("RTNETLINK answers: No such file or directory"));
  CHECK(refusal(up + "ip -n n link add eth0 type bridge\n").ends_with("RTNETLINK answers: File exists"));
  CHECK(refusal(up + "ip -n n link set dev nosuch up\n").ends_with("Cannot find device \"nosuch\""));
  CHECK(refusal(up + "ip -n zz link set dev eth0 up\n")
            .ends_with("Cannot open network namespace \"zz\": No such file or directory"));
  CHECK(refusal(up + "ip netns exec n sysctl -w net.ipv4.nosuch=1\n")
            .find("sysctl: cannot stat /proc/sys/net/ipv4/nosuch: No such file or directory") != std::string::npos);
  CHECK(refusal("ip netns add n\nip netns add n\n") ==
        "ip netns add n\n    Cannot create namespace file \"/run/netns/n\": File exists");
}

TEST_CASE("kernel-made routes follow the device: local always, connected and broadcast only while up") {
  Simulator sim;
  kernel::World world(sim);
  kernel::apply(world, netconfig::parse_script(kBase));
  kernel::Netns& n = *world.netns("n");
  CHECK(kernel::dump_routes(n).empty());
  CHECK(kernel::dump_local_routes(n) == "local 192.168.1.1 dev eth0 proto kernel scope host src 192.168.1.1\n");
  kernel::apply(world, netconfig::parse_script("ip -n n link set dev eth0 up\n"));
  // p0 is still down: eth0 has no carrier, and iproute2 flags its routes "linkdown".
  CHECK(kernel::dump_routes(n) == "192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.1 linkdown\n");
  CHECK(kernel::dump_links(n).find("3: eth0@p0: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state "
                                   "LOWERLAYERDOWN") != std::string::npos);
  kernel::apply(world, netconfig::parse_script("ip -n n link set dev p0 up\nip -n n link set dev eth0 down\n"));
  CHECK(kernel::dump_routes(n).empty());
  CHECK(kernel::dump_local_routes(n) == "local 192.168.1.1 dev eth0 proto kernel scope host src 192.168.1.1\n");
}

TEST_CASE("vxlan FDB: append keeps a unicast MAC's one remote, replace moves it, the all-zeros entry collects remotes") {
  // As kernel 6.18 does (vxlan_fdb_update_existing): NLM_F_APPEND adds remotes only to multicast
  // and all-zeros entries; `bridge fdb append` of a known unicast MAC succeeds and changes nothing.
  Simulator sim;
  kernel::World world(sim);
  kernel::apply(world, netconfig::parse_script(
                           "ip netns add n\n"
                           "ip -n n link add vx0 type vxlan id 5 dstport 4789 nolearning\n"
                           "bridge -n n fdb append 0a:00:00:00:00:01 dev vx0 dst 10.0.0.1 self permanent\n"
                           "bridge -n n fdb append 0a:00:00:00:00:01 dev vx0 dst 10.0.0.2 self permanent\n"
                           "bridge -n n fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.4 self permanent\n"
                           "bridge -n n fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.5 self permanent\n"));
  const std::string before = kernel::dump_fdb(*world.netns("n"));
  CHECK(before.find("0a:00:00:00:00:01 dev vx0 dst 10.0.0.1 self permanent") != std::string::npos);
  CHECK(before.find("10.0.0.2") == std::string::npos);
  CHECK(before.find("00:00:00:00:00:00 dev vx0 dst 10.0.0.4 self permanent") != std::string::npos);
  CHECK(before.find("00:00:00:00:00:00 dev vx0 dst 10.0.0.5 self permanent") != std::string::npos);
  kernel::apply(world, netconfig::parse_script("bridge -n n fdb replace 0a:00:00:00:00:01 dev vx0 dst 10.0.0.3 self permanent\n"));
  const std::string after = kernel::dump_fdb(*world.netns("n"));
  CHECK(after.find("0a:00:00:00:00:01 dev vx0 dst 10.0.0.3 self permanent") != std::string::npos);
  CHECK(after.find("10.0.0.1 ") == std::string::npos);
}

TEST_CASE("a device deleted and made again under its name is the new one that later commands change") {
  Simulator sim;
  kernel::World world(sim);
  kernel::apply(world, netconfig::parse_script(kBase + "ip -n n link set dev eth0 up\n"  // found by name: remembered
                                                       "ip -n n link del eth0\n"
                                                       "ip -n n link add eth0 type veth peer name p1\n"
                                                       "ip -n n link set dev eth0 mtu 1400\n"));
  const kernel::Device* eth0 = world.netns("n")->dev_by_name("eth0");
  REQUIRE(eth0);
  CHECK_FALSE(eth0->dead);
  CHECK(eth0->mtu == 1400);
  CHECK(world.netns("n")->dev_by_name("p0") == nullptr);  // the old pair went whole
}

TEST_CASE("a namespace with many devices finds each by name through adds, moves into other namespaces and deletes") {
  Simulator sim;
  kernel::World world(sim);
  std::string script = "ip netns add n\nip netns add m\n";
  for (int i = 0; i < 12; ++i) script += fmt::format("ip -n n link add v{} type veth peer name p{}\n", i, i);
  kernel::apply(world, netconfig::parse_script(script));
  kernel::Netns& n = *world.netns("n");
  for (int i = 0; i < 12; ++i) {
    REQUIRE(n.dev_by_name(fmt::format("v{}", i)));
    CHECK(n.dev_by_name(fmt::format("v{}", i))->name == fmt::format("v{}", i));
  }
  CHECK(n.dev_by_name("v12") == nullptr);
  kernel::apply(world, netconfig::parse_script("ip -n n link del v3\nip -n n link set p7 netns m\n"));
  CHECK(n.dev_by_name("v3") == nullptr);
  CHECK(n.dev_by_name("p3") == nullptr);  // a veth's peer goes with it
  CHECK(n.dev_by_name("p7") == nullptr);
  REQUIRE(world.netns("m")->dev_by_name("p7"));
  CHECK(world.netns("m")->dev_by_name("p7")->netns == world.netns("m"));
  CHECK(refusal(script + "ip -n n link add v5 type veth peer name q5\n") == "ip -n n link add v5 type veth peer name q5\n    RTNETLINK answers: File exists");
  // ifindex order is kept: `ip link` lists lo, then the devices as they were made.
  int last = 0;
  for (const auto& d : n.devices()) {
    CHECK(d->ifindex > last);
    last = d->ifindex;
  }
}
