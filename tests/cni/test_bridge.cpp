// The bridge plugin's ADD and DEL as commands, and the flannel plugin's delegate from subnet.env.
#include <set>

#include <catch2/catch.hpp>

#include "models/cni/bridge.h"
#include "models/cni/flannel_plugin.h"
#include "models/netconfig/render.h"

using namespace ol;
using namespace ol::cni;

namespace {

// A host view that knows only what the test tells it.
class FakeHost final : public HostView {
 public:
  bool link_exists(const std::string& netns, const std::string& dev) const override {
    return links.count(netns + "/" + dev) > 0;
  }
  std::vector<wire::Ipv4Prefix> addresses(const std::string&, const std::string&) const override { return addrs; }
  std::set<std::string> links;
  std::vector<wire::Ipv4Prefix> addrs;
};

netconfig::Files subnet_env_files() {
  netconfig::Files f;
  f.write(kSubnetEnvPath, "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
  return f;
}

}  // namespace

TEST_CASE("the flannel plugin renders kube-flannel's bridge delegate from subnet.env") {
  netconfig::Files files = subnet_env_files();
  CniConf conf;
  BridgeConf c = flannel_delegate(conf, parse_subnet_env(files));
  CHECK(delegate_json(c).dump() ==
        R"({"cniVersion":"0.3.1","hairpinMode":true,"ipMasq":false,"ipam":{"ranges":[[{"subnet":"10.244.1.0/24"}]],)"
        R"("routes":[{"dst":"10.244.0.0/16"}],"type":"host-local"},"isDefaultGateway":true,"isGateway":true,"mtu":1450,)"
        R"("name":"cbr0","type":"bridge"})");
  conf.mtu = 1500;  // a delegate's own mtu is kept
  CHECK(flannel_delegate(conf, parse_subnet_env(files)).mtu == 1500);
}

TEST_CASE("without subnet.env the flannel plugin fails as the real one does") {
  netconfig::Files none;
  CHECK_THROWS_WITH(parse_subnet_env(none),
                    Catch::StartsWith("failed to load flannel 'subnet.env' file: open /run/flannel/subnet.env"));
}

TEST_CASE("the first ADD creates cni0 - the pod gets its veth, address and routes in the plugin's order") {
  netconfig::Files files = subnet_env_files();
  FakeHost host;
  HostLocal ipam(files);
  Naming names(1);
  netconfig::NetConfig out;
  CniArgs args{"0123abcd", "pod-a", "eth0", "node-1"};
  BridgeResult r = flannel_add(CniConf{}, args, files, host, ipam, names, out);
  const std::string veth = names.host_veth("0123abcd");
  CHECK(veth.size() == 12);
  CHECK(veth.starts_with("veth"));
  CHECK(r.host_veth == veth);
  std::vector<std::string> lines;
  for (const auto& c : out.commands) lines.push_back(netconfig::render(c.op));
  const std::vector<std::string> want = {
      "ip -n node-1 link add cni0 address " + names.mac("cni0 of node-1").str() + " mtu 1450 type bridge",
      "ip -n node-1 link set dev cni0 up",
      "ip -n pod-a link add eth0 address " + names.mac("eth0 of pod-a").str() + " mtu 1450 txqueuelen 0 type veth peer name " +
          veth + " address " + names.mac(veth + " of node-1").str() + " mtu 1450 txqueuelen 0 netns node-1",
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
  CHECK(lines == want);
  CHECK(out.commands.front().origin == "CNI bridge");
  CHECK(files.exists("/var/lib/cni/flannel/0123abcd"));
}

TEST_CASE("an existing cni0 is reused as it is, and another address on it is an error") {
  netconfig::Files files = subnet_env_files();
  FakeHost host;
  host.links = {"node-1/cni0"};
  host.addrs = {*wire::Ipv4Prefix::parse("10.244.1.1/24")};
  HostLocal ipam(files);
  netconfig::NetConfig out;
  flannel_add(CniConf{}, {"id1", "pod-a", "eth0", "node-1"}, files, host, ipam, Naming(1), out);
  for (const auto& c : out.commands) CHECK(netconfig::render(c.op).find("cni0 address") == std::string::npos);
  CHECK(netconfig::render(out.commands.back().op) == "ip netns exec node-1 sysctl -w net.ipv4.ip_forward=1");

  host.addrs = {*wire::Ipv4Prefix::parse("10.244.7.1/24")};
  netconfig::NetConfig out2;
  CHECK_THROWS_WITH(flannel_add(CniConf{}, {"id2", "pod-b", "eth0", "node-1"}, files, host, ipam, Naming(1), out2),
                    "\"cni0\" already has an IP address different from 10.244.1.1/24");
}

namespace {
// A node after one ADD: pod-a with 10.244.1.2, its eth0 there, the delegate config saved.
struct AfterAdd {
  netconfig::Files files = subnet_env_files();
  FakeHost host;
  HostLocal ipam{files};
  const CniArgs args{"id1", "pod-a", "eth0", "node-1"};
  AfterAdd() {
    netconfig::NetConfig add;
    flannel_add(CniConf{}, args, files, host, ipam, Naming(1), add);
    host.links.insert("pod-a/eth0");
  }
};
}  // namespace

TEST_CASE("DEL removes the container's interface, then releases the address - again is harmless") {
  AfterAdd n;
  auto& [files, host, ipam, args] = n;
  netconfig::NetConfig del;
  flannel_del(CniConf{}, args, files, host, ipam, del);
  REQUIRE(del.commands.size() == 1);
  CHECK(netconfig::render(del.commands[0].op) == "ip -n pod-a link del dev eth0");
  CHECK_FALSE(files.exists("/var/lib/cni/networks/cbr0/10.244.1.2"));
  CHECK_FALSE(files.exists("/var/lib/cni/flannel/id1"));
  host.links.clear();
  netconfig::NetConfig again;
  CHECK_NOTHROW(flannel_del(CniConf{}, args, files, host, ipam, again));
  CHECK(again.commands.empty());
}

TEST_CASE("flannel DEL without the file saved at ADD succeeds and does nothing, as the real plugin's doCmdDel") {
  AfterAdd n;
  auto& [files, host, ipam, args] = n;
  files.remove("/var/lib/cni/flannel/id1");  // lost (a reboot that kept host-local's store, a failed ADD)
  netconfig::NetConfig del;
  CHECK_NOTHROW(flannel_del(CniConf{}, args, files, host, ipam, del));
  CHECK(del.commands.empty());                                   // no delegate ran: the veth is not deleted here
  CHECK(files.exists("/var/lib/cni/networks/cbr0/10.244.1.2"));  // and host-local still holds the address
  netconfig::Files empty;                                        // nor is subnet.env needed
  HostLocal ipam2(empty);
  CHECK_NOTHROW(flannel_del(CniConf{}, args, empty, host, ipam2, del));
}
