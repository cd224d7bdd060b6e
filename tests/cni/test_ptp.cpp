// The ptp plugin: no bridge; the gateway /32 on every host veth, a host route per pod, and the
// pod's connected route swapped for routes through the gateway.
#include <catch2/catch.hpp>

#include "tests/cni/cni_fixture.h"

using namespace ol;
using namespace ol::cni;
using ol::cni::test::Node;

namespace {
constexpr const char* kFlannelPtp = R"({"name":"cbr0","cniVersion":"0.3.1","plugins":[
  {"type":"flannel","delegate":{"type":"ptp"}},{"type":"portmap","capabilities":{"portMappings":true}}]})";
}

TEST_CASE("flannel delegating to ptp: IPAM first, then the pair, the pod's routes through the gateway, the host end's /32") {
  Node n;
  const Result r = n.add(kFlannelPtp, "id1", "pod-a");
  const std::string veth = n.names.host_veth("id1");
  const std::vector<std::string> want = {
      "ip netns exec node-1 sysctl -w net.ipv4.ip_forward=1",
      "ip -n pod-a link add eth0 address " + n.names.mac("eth0 of pod-a").str() + " mtu 1450 txqueuelen 0 type veth peer name " +
          veth + " address " + n.names.mac(veth + " of node-1").str() + " mtu 1450 txqueuelen 0 netns node-1",
      "ip -n node-1 link set dev " + veth + " up",
      "ip -n pod-a link set dev eth0 up",
      "ip -n pod-a addr add 10.244.1.2/24 brd 10.244.1.255 dev eth0",
      "ip -n pod-a route add 10.244.0.0/16 via 10.244.1.1 dev eth0",
      "ip -n pod-a route del 10.244.1.0/24 dev eth0",
      "ip -n pod-a route add 10.244.1.1/32 dev eth0 scope link src 10.244.1.2",
      "ip -n pod-a route add 10.244.1.0/24 via 10.244.1.1 dev eth0 src 10.244.1.2",
      "ip -n node-1 addr add 10.244.1.1/32 dev " + veth,
      "ip -n node-1 route add 10.244.1.2/32 dev " + veth + " scope host",
  };
  CHECK(n.lines() == want);
  for (const auto& c : n.out.commands) CHECK(c.origin == "CNI ptp");
  // The result lists the host end and the pod's eth0 (no bridge), the address on interface 1.
  CHECK(result_json(r, "0.3.1").dump() ==
        R"({"cniVersion":"0.3.1","dns":{},"interfaces":[{"mac":")" + n.names.mac(veth + " of node-1").str() +
            R"(","name":")" + veth + R"("},{"mac":")" + n.names.mac("eth0 of pod-a").str() +
            R"(","name":"eth0","sandbox":"/var/run/netns/pod-a"}],"ips":[{"address":"10.244.1.2/24","gateway":"10.244.1.1",)"
            R"("interface":1,"version":"4"}],"routes":[{"dst":"10.244.0.0/16"}]})");
  // The delegate flannel rendered has no isGateway (bridge only) and the lease as host-local's range.
  const auto saved = nlohmann::json::parse(*n.files.read("/var/lib/cni/flannel/id1"));
  CHECK(saved["type"] == "ptp");
  CHECK_FALSE(saved.contains("isGateway"));
  CHECK(saved["ipam"]["ranges"][0][0]["subnet"] == "10.244.1.0/24");
}

TEST_CASE("a second ptp pod puts the same gateway address on its own host veth") {
  Node n;
  n.add(kFlannelPtp, "id1", "pod-a");
  n.out.commands.clear();
  n.add(kFlannelPtp, "id2", "pod-b");
  const std::string veth2 = n.names.host_veth("id2");
  const auto lines = n.lines();
  CHECK(lines[lines.size() - 2] == "ip -n node-1 addr add 10.244.1.1/32 dev " + veth2);
  CHECK(lines.back() == "ip -n node-1 route add 10.244.1.3/32 dev " + veth2 + " scope host");
}

TEST_CASE("standalone ptp with host-local: its own range, no flannel in between") {
  Node n;
  const std::string conf = R"({"name":"ptpnet","cniVersion":"1.0.0","plugins":[{"type":"ptp","mtu":1400,
    "ipam":{"type":"host-local","ranges":[[{"subnet":"10.244.3.0/24","rangeStart":"10.244.3.10"}]],"routes":[{"dst":"0.0.0.0/0"}]}}]})";
  const Result r = n.add(conf, "id1", "pod-a");
  CHECK(r.ips.front().address.str() == "10.244.3.10/24");
  CHECK(n.files.exists("/var/lib/cni/networks/ptpnet/10.244.3.10"));
  CHECK(n.lines()[5] == "ip -n pod-a route add default via 10.244.3.1 dev eth0");
  // 1.0.0 results carry no "version" in ips.
  CHECK(n.calls[1].stdout_json["ips"][0].dump() == R"({"address":"10.244.3.10/24","gateway":"10.244.3.1"})");
  CHECK(n.calls[0].stdout_json["ips"][0].dump() == R"({"address":"10.244.3.10/24","gateway":"10.244.3.1","interface":1})");
}

TEST_CASE("ptp DEL releases the address, then deletes the pod's eth0 (the host end, its /32 and host route go with it)") {
  Node n;
  n.add(kFlannelPtp, "id1", "pod-a");
  n.host.links.insert("pod-a/eth0");
  n.out.commands.clear();
  n.calls.clear();
  n.del(kFlannelPtp, "id1", "pod-a");
  CHECK(n.lines() == std::vector<std::string>{"ip -n pod-a link del dev eth0"});
  CHECK_FALSE(n.files.exists("/var/lib/cni/networks/cbr0/10.244.1.2"));
  std::vector<std::string> order;
  for (const auto& c : n.calls) order.push_back(c.plugin + " " + c.command);
  CHECK(order == std::vector<std::string>{"portmap DEL", "flannel DEL", "ptp DEL", "host-local DEL"});
}
