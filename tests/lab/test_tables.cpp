// two-nodes after the control plane settles, in each mode: node-1's and a pod's tables as `ip` and
// `bridge` print them, entry for entry as FACTS.md describes flannel and the CNI plugins.
#include <catch2/catch.hpp>

#include "models/cni/naming.h"
#include "models/kernel/dump.h"
#include "tests/lab/helpers.h"

using namespace ol;

namespace {

std::string mac(const std::string& what) { return cni::Naming(1).mac(what).str(); }

struct Node1 {
  explicit Node1(const char* mode) : s(test::session("two-nodes.json", mode)) {
    s->cluster.converge();
    REQUIRE(s->cluster.errors().empty());
    ns = s->world.netns("node-1");
    pod = s->world.netns("pod-a");
  }
  std::unique_ptr<cluster::Session> s;
  kernel::Netns* ns;
  kernel::Netns* pod;
};

// The "inet" lines of `ip addr`, and "N: name ... mtu M" of `ip link`, without the volatile MACs.
std::string inet_lines(const kernel::Netns& ns) {
  std::string out, all = kernel::dump_addrs(ns);
  std::size_t at = 0;
  while ((at = all.find("    inet ", at)) != std::string::npos) {
    auto nl = all.find('\n', at);
    out += all.substr(at + 4, nl - at - 4) + "\n";
    at = nl;
  }
  return out;
}

std::string link_mtus(const kernel::Netns& ns) {
  std::string out;
  for (const auto& d : ns.devices()) out += d->name + " " + std::to_string(d->mtu) + "\n";
  return out;
}

}  // namespace

TEST_CASE("two-nodes vxlan: flannel.1, the onlink route, the permanent neighbour and the FDB entry") {
  Node1 n("vxlan");
  const std::string vtep2 = mac("flannel.1 of node-2");
  CHECK(kernel::dump_routes(*n.ns) ==
        "10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1\n"
        "10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink\n"
        "192.168.100.0/24 dev eth0 proto kernel scope link src 192.168.100.11\n");
  CHECK(kernel::dump_neigh(*n.ns) == "10.244.2.0 dev flannel.1 lladdr " + vtep2 + " PERMANENT\n");
  CHECK_THAT(kernel::dump_fdb(*n.ns), Catch::StartsWith(vtep2 + " dev flannel.1 dst 192.168.100.12 self permanent\n"));
  CHECK(inet_lines(*n.ns) ==
        "inet 127.0.0.1/8 scope host lo\n"
        "inet 192.168.100.11/24 brd 192.168.100.255 scope global eth0\n"
        "inet 10.244.1.0/32 scope global flannel.1\n"
        "inet 10.244.1.1/24 brd 10.244.1.255 scope global cni0\n");
  const std::string veth_a = cni::Naming(1).host_veth(cni::Naming(1).container_id("pod-a"));
  const std::string veth_b = cni::Naming(1).host_veth(cni::Naming(1).container_id("pod-b"));
  CHECK(link_mtus(*n.ns) == "lo 65536\neth0 1500\nflannel.1 1450\ncni0 1450\n" + veth_a + " 1450\n" + veth_b + " 1450\n");
  CHECK_THAT(kernel::dump_links(*n.ns), Catch::Contains("3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450"));
  auto* vx = n.ns->dev_by_name("flannel.1");
  CHECK(vx->mac.str() == mac("flannel.1 of node-1"));
}

TEST_CASE("two-nodes: every pod has its address, the flannel network route and the default route") {
  Node1 n("vxlan");
  CHECK(kernel::dump_routes(*n.pod) ==
        "default via 10.244.1.1 dev eth0\n"
        "10.244.0.0/16 via 10.244.1.1 dev eth0\n"
        "10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2\n");
  CHECK(inet_lines(*n.pod) == "inet 127.0.0.1/8 scope host lo\ninet 10.244.1.2/24 brd 10.244.1.255 scope global eth0\n");
  CHECK(link_mtus(*n.pod) == "lo 65536\neth0 1450\n");
  CHECK(n.pod->dev_by_name("lo")->admin_up);
  CHECK(n.s->cluster.pod("pod-d")->ip->str() == "10.244.2.3");
  const auto* env = n.s->cluster.files("node-2")->read("/run/flannel/subnet.env");
  REQUIRE(env);
  CHECK(*env == "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.2.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
}

TEST_CASE("two-nodes host-gw: a route per peer via its underlay address, no device, no overhead") {
  Node1 n("host-gw");
  CHECK(kernel::dump_routes(*n.ns) ==
        "10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1\n"
        "10.244.2.0/24 via 192.168.100.12 dev eth0\n"
        "192.168.100.0/24 dev eth0 proto kernel scope link src 192.168.100.11\n");
  CHECK(kernel::dump_neigh(*n.ns).empty());
  CHECK(inet_lines(*n.ns) ==
        "inet 127.0.0.1/8 scope host lo\n"
        "inet 192.168.100.11/24 brd 192.168.100.255 scope global eth0\n"
        "inet 10.244.1.1/24 brd 10.244.1.255 scope global cni0\n");
  CHECK(n.ns->dev_by_name("cni0")->mtu == 1500);
  CHECK_FALSE(n.ns->dev_by_name("flannel.1"));
}

TEST_CASE("two-nodes udp: flannel0 with a /32, ONE route for the network, peers only in the proxy") {
  Node1 n("udp");
  CHECK(kernel::dump_routes(*n.ns) ==
        "10.244.0.0/16 dev flannel0\n"
        "10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1\n"
        "192.168.100.0/24 dev eth0 proto kernel scope link src 192.168.100.11\n");
  CHECK(kernel::dump_neigh(*n.ns).empty());
  CHECK(inet_lines(*n.ns) ==
        "inet 127.0.0.1/8 scope host lo\n"
        "inet 192.168.100.11/24 brd 192.168.100.255 scope global eth0\n"
        "inet 10.244.1.0/32 scope global flannel0\n"
        "inet 10.244.1.1/24 brd 10.244.1.255 scope global cni0\n");
  CHECK_THAT(kernel::dump_links(*n.ns),
             Catch::Contains("3: flannel0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1472 qdisc pfifo_fast state UP"));
  CHECK(n.ns->dev_by_name("cni0")->mtu == 1472);
  const auto& routes = n.s->cluster.proxy("node-1")->routes();
  REQUIRE(routes.size() == 1);
  CHECK(routes[0].subnet.str() == "10.244.2.0/24");
  CHECK(routes[0].peer.str() == "192.168.100.12");
  CHECK(routes[0].port == 8285);
}

TEST_CASE("host-local's store on a node is in the real layout") {
  Node1 n("vxlan");
  const auto* files = n.s->cluster.files("node-1");
  const std::string id = n.s->cluster.pod("pod-b")->container_id;
  CHECK(files->list("/var/lib/cni/networks/cbr0") ==
        std::vector<std::string>{"/var/lib/cni/networks/cbr0/10.244.1.2", "/var/lib/cni/networks/cbr0/10.244.1.3",
                                 "/var/lib/cni/networks/cbr0/last_reserved_ip.0", "/var/lib/cni/networks/cbr0/lock"});
  CHECK(*files->read("/var/lib/cni/networks/cbr0/10.244.1.3") == id + "\r\neth0");
  CHECK(id.size() == 64);
}

TEST_CASE("the same scenario and seed emit the same commands, byte for byte") {
  auto a = test::session("two-nodes.json");
  auto b = test::session("two-nodes.json");
  a->cluster.converge();
  b->cluster.converge();
  REQUIRE(a->cluster.log().size() == b->cluster.log().size());
  for (std::size_t i = 0; i < a->cluster.log().size(); ++i) {
    CHECK(a->cluster.log()[i].op == b->cluster.log()[i].op);
    CHECK(a->cluster.log()[i].time == b->cluster.log()[i].time);
  }
}

TEST_CASE("vxlan with DirectRouting: peers on the segment get a host-gw route, peers behind the router a tunnel") {
  auto s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/l3-separated.json");
  s.net_conf.direct_routing = true;
  s.nodes.push_back(s.nodes[0]);  // a second node on lan-a, beside node-a
  s.nodes.back().name = "node-a2";
  s.nodes.back().address = *wire::Ipv4Addr::parse("192.168.1.11");
  s.nodes.back().pods = {};
  s.nodes.back().pod_cidr.reset();
  cluster::Session session(std::move(s));
  session.cluster.converge();
  const auto& ns = *session.world.netns("node-a");
  const auto lease_a2 = session.cluster.lease_of("node-a2")->str();
  const auto lease_b = session.cluster.lease_of("node-b")->str();
  const std::string routes = kernel::dump_routes(ns);
  CHECK_THAT(routes, Catch::Contains(lease_a2 + " via 192.168.1.11 dev eth0\n"));
  CHECK_THAT(routes, Catch::Contains(lease_b + " via " + lease_b.substr(0, lease_b.size() - 3) + " dev flannel.1 onlink\n"));
  const std::string neigh = kernel::dump_neigh(ns);  // a VTEP neighbour only for the tunnelled peer
  CHECK(neigh.find(lease_a2.substr(0, lease_a2.size() - 3) + " dev flannel.1") == std::string::npos);
  CHECK(neigh.find(lease_b.substr(0, lease_b.size() - 3) + " dev flannel.1") != std::string::npos);
}
