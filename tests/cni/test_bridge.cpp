// The bridge plugin's ADD and DEL as commands, reached the way a pod's ADD reaches it: libcni runs
// kube-flannel's conflist, the flannel plugin renders the delegate from subnet.env.
#include <catch2/catch.hpp>

#include "tests/cni/cni_fixture.h"

using namespace ol;
using namespace ol::cni;
using ol::cni::test::kKubeFlannel;
using ol::cni::test::Node;

TEST_CASE("the flannel plugin renders kube-flannel's bridge delegate from subnet.env") {
  Node n;
  const auto env = parse_subnet_env(n.files);
  nlohmann::json conf = nlohmann::json::parse(kKubeFlannel)["plugins"][0];
  conf["name"] = "cbr0";
  conf["cniVersion"] = "0.3.1";
  CHECK(flannel_delegate_conf(conf, env).dump() ==
        R"({"cniVersion":"0.3.1","hairpinMode":true,"ipMasq":false,"ipam":{"ranges":[[{"subnet":"10.244.1.0/24"}]],)"
        R"("routes":[{"dst":"10.244.0.0/16"}],"type":"host-local"},"isDefaultGateway":true,"isGateway":true,"mtu":1450,)"
        R"("name":"cbr0","type":"bridge"})");
  conf["delegate"]["mtu"] = 1500;  // a delegate's own mtu is kept
  CHECK(flannel_delegate_conf(conf, env)["mtu"] == 1500);
}

TEST_CASE("without subnet.env the flannel plugin fails as the real one does") {
  netconfig::Files none;
  CHECK_THROWS_WITH(parse_subnet_env(none),
                    Catch::StartsWith("failed to load flannel 'subnet.env' file: open /run/flannel/subnet.env"));
  none.write(kSubnetEnvPath, "FLANNEL_NETWORK=10.244.0.0/16\n");
  CHECK_THROWS_WITH(parse_subnet_env(none), Catch::Contains("is missing FLANNEL_SUBNET, FLANNEL_MTU, FLANNEL_IPMASQ"));
  // A line without '=' is skipped; a key given twice takes its last value, as the plugin's map does.
  none.write(kSubnetEnvPath,
             "# written by flanneld\nFLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.7.1/24\nFLANNEL_MTU=1500\n"
             "FLANNEL_MTU=1450\nFLANNEL_IPMASQ=true");
  const auto env = parse_subnet_env(none);
  CHECK(env.subnet.str() == "10.244.7.1/24");
  CHECK(env.mtu == 1450);
  CHECK(env.ipmasq);
}

TEST_CASE("the first ADD creates cni0 - the pod gets its veth, address and routes in the plugin's order") {
  Node n;
  const Result r = n.add(kKubeFlannel, "0123abcd", "pod-a");
  const std::string veth = n.names.host_veth("0123abcd");
  CHECK(veth.size() == 12);
  CHECK(veth.starts_with("veth"));
  REQUIRE(r.interfaces.size() == 3);
  CHECK(r.interfaces[1].name == veth);
  const std::vector<std::string> want = {
      "ip -n node-1 link add cni0 address " + n.names.mac("cni0 of node-1").str() + " mtu 1450 type bridge",
      "ip -n node-1 link set dev cni0 up",
      "ip -n pod-a link add eth0 address " + n.names.mac("eth0 of pod-a").str() + " mtu 1450 txqueuelen 0 type veth peer name " +
          veth + " address " + n.names.mac(veth + " of node-1").str() + " mtu 1450 txqueuelen 0 netns node-1",
      "ip -n node-1 link set dev " + veth + " up",
      "ip -n node-1 link set dev " + veth + " master cni0",
      "bridge -n node-1 link set dev " + veth + " hairpin on",
      "ip -n pod-a link set dev eth0 up",
      "ip -n pod-a addr add 10.244.1.2/24 brd 10.244.1.255 dev eth0",
      "ip -n pod-a route add 10.244.0.0/16 via 10.244.1.1 dev eth0",
      "ip -n pod-a route add default via 10.244.1.1 dev eth0",
      "ip -n node-1 addr add 10.244.1.1/24 brd 10.244.1.255 dev cni0",
      "ip netns exec node-1 sysctl -w net.ipv4.ip_forward=1",
  };
  CHECK(n.lines() == want);
  CHECK(n.out.commands.front().origin == "CNI bridge");
  CHECK(n.files.exists("/var/lib/cni/flannel/0123abcd"));
}

TEST_CASE("an existing cni0 is reused as it is, and another address on it is an error that releases the address") {
  Node n;
  n.host.links = {"node-1/cni0"};
  n.host.addrs = {*wire::Ipv4Prefix::parse("10.244.1.1/24")};
  n.add(kKubeFlannel, "id1", "pod-a");
  for (const auto& l : n.lines()) CHECK(l.find("cni0 address") == std::string::npos);
  CHECK(n.lines().back() == "ip netns exec node-1 sysctl -w net.ipv4.ip_forward=1");

  n.host.addrs = {*wire::Ipv4Prefix::parse("10.244.7.1/24")};
  CHECK_THROWS_WITH(n.add(kKubeFlannel, "id2", "pod-b"),
                    "plugin type=\"flannel\" failed (add): failed to set bridge addr: \"cni0\" already has an IP "
                    "address different from 10.244.1.1/24");
  // "Invoke ipam del if err to avoid ip leak": 10.244.1.3 was handed out, then given back.
  CHECK_FALSE(n.files.exists("/var/lib/cni/networks/cbr0/10.244.1.3"));
  const Invocation& failed = n.calls[4];  // the second ADD's flannel: its error object
  CHECK(failed.plugin == "flannel");
  CHECK(n.calls.back().plugin == "host-local");
  CHECK(n.calls.back().command == "DEL");
  CHECK(failed.stdout_json.dump() ==
        R"({"code":999,"msg":"failed to set bridge addr: \"cni0\" already has an IP address different from 10.244.1.1/24"})");
}

TEST_CASE("DEL releases the address, then removes the container's interface - again is harmless") {
  Node n;
  n.add(kKubeFlannel, "id1", "pod-a");
  n.host.links.insert("pod-a/eth0");
  n.out.commands.clear();
  n.del(kKubeFlannel, "id1", "pod-a");
  CHECK(n.lines() == std::vector<std::string>{"ip -n pod-a link del dev eth0"});
  CHECK_FALSE(n.files.exists("/var/lib/cni/networks/cbr0/10.244.1.2"));
  CHECK_FALSE(n.files.exists("/var/lib/cni/flannel/id1"));
  n.host.links.clear();
  n.out.commands.clear();
  CHECK_NOTHROW(n.del(kKubeFlannel, "id1", "pod-a"));
  CHECK(n.out.commands.empty());
}

TEST_CASE("flannel DEL without the file saved at ADD succeeds and does nothing, as the real plugin's doCmdDel") {
  Node n;
  n.add(kKubeFlannel, "id1", "pod-a");
  n.host.links.insert("pod-a/eth0");
  n.files.remove("/var/lib/cni/flannel/id1");  // lost (a reboot that kept host-local's store, a failed ADD)
  n.out.commands.clear();
  CHECK_NOTHROW(n.del(kKubeFlannel, "id1", "pod-a"));
  CHECK(n.out.commands.empty());                                   // no delegate ran: the veth is not deleted here
  CHECK(n.files.exists("/var/lib/cni/networks/cbr0/10.244.1.2"));  // and host-local still holds the address
  Node empty;                                                      // nor is subnet.env needed
  empty.files.remove(kSubnetEnvPath);
  CHECK_NOTHROW(empty.del(kKubeFlannel, "id1", "pod-a"));
}
