#include <catch2/catch.hpp>

#include "models/netconfig/parse.h"
#include "models/netconfig/render.h"

using namespace ol::netconfig;

TEST_CASE("every bundled script survives parse(render(x)) == x") {
  for (const char* f : {"one-bridge.sh", "two-nodes-host-gw.sh", "two-nodes-vxlan.sh", "two-nodes-tun.sh"}) {
    INFO(f);
    NetConfig cfg = parse_file(std::string(OVERLAYLAB_DATA) + "/" + f);
    CHECK(cfg.commands.size() > 10);
    CHECK(parse_script(render(cfg)) == cfg);
  }
}

TEST_CASE("flannel's vxlan commands render exactly as FACTS.md writes them") {
  NetConfig cfg;
  cfg.add(NeighOp{Verb::Replace, "node-a", *Ipv4Addr::parse("10.244.2.0"), MacAddr::parse("0a:bb:bb:bb:bb:02"),
                  "flannel.1", Nud::Permanent}, "flanneld vxlan backend");
  cfg.add(FdbOp{Verb::Append, "node-a", *MacAddr::parse("0a:bb:bb:bb:bb:02"), "flannel.1",
                Ipv4Addr::parse("192.168.100.2"), true, false, true}, "flanneld vxlan backend");
  RouteOp r;
  r.verb = Verb::Replace;
  r.netns = "node-a";
  r.dst = *Ipv4Prefix::parse("10.244.2.0/24");
  r.via = Ipv4Addr::parse("10.244.2.0");
  r.dev = "flannel.1";
  r.onlink = true;
  cfg.add(r, "flanneld vxlan backend");
  CHECK(render(cfg) ==
        "# flanneld vxlan backend\n"
        "ip -n node-a neigh replace 10.244.2.0 lladdr 0a:bb:bb:bb:bb:02 dev flannel.1 nud permanent\n"
        "bridge -n node-a fdb append 0a:bb:bb:bb:bb:02 dev flannel.1 dst 192.168.100.2 self permanent\n"
        "ip -n node-a route replace 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink\n");
  CHECK(parse_script(render(cfg)) == cfg);
}

TEST_CASE("the common spellings a person types are normalised") {
  auto cfg = parse_script(
      "ip netns exec n1 ip link add name br0 type bridge\n"
      "ip netns exec n1 sysctl -w net.ipv4.ip_forward=1\n"
      "ip -n n1 link set br0 up\n"
      "ip -n n1 r delete 10.0.0.0/8\n"
      "tc -n n1 qdisc add dev br0 root netem delay 100us rate 10gbit limit 500\n");
  CHECK(render(cfg) ==
        "ip -n n1 link add br0 type bridge\n"
        "ip netns exec n1 sysctl -w net.ipv4.ip_forward=1\n"
        "ip -n n1 link set dev br0 up\n"
        "ip -n n1 route del 10.0.0.0/8\n"
        "tc -n n1 qdisc add dev br0 root netem delay 100us rate 10gbit limit 500\n");
}

TEST_CASE("a line outside the subset is an error that quotes the line and its number") {
  auto expect_error = [](const char* script, int line, const char* why) {
    try {
      parse_script(script, "lab.sh");
      FAIL("no error for: " << script);
    } catch (const ParseError& e) {
      CHECK(e.line == line);
      CHECK(e.why == why);
      CHECK(std::string(e.what()).find("lab.sh:" + std::to_string(line)) == 0);
    }
  };
  expect_error("ip netns add a\n\nip -n a link add x type macvlan\n", 3,
               "unsupported link type 'macvlan' (veth, bridge, vxlan; TUN via 'ip tuntap')");
  expect_error("ip link add x type bridge\n", 1,
               "every command must name a network namespace (ip -n NS …, bridge -n NS …, ip netns exec NS …): "
               "overlaylab never configures the root namespace");
  expect_error("ip -n a route add 10.0.0.0/8 via 10.1.1\n", 1, "'10.1.1' is not an IPv4 address");
  expect_error("ip -n a neigh add 10.0.0.1 lladdr 02:00:00:00:00:01 dev eth0\n", 1,
               "missing 'nud STATE' (overlaylab wants it explicit)");
  expect_error("iptables -A FORWARD -j ACCEPT\n", 1,
               "unsupported command 'iptables' (ip, bridge, tc and sysctl are understood)");
  expect_error("ip -n a link add v0 type vxlan id 16777216\n", 1, "'16777216' is not a valid VNI (0-16777215)");
}
