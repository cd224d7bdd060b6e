// The same two nodes with hand-written VXLAN state (tests/data/two-nodes-vxlan.sh): an onlink route,
// a permanent neighbour and an FDB entry per peer, as flanneld's vxlan backend writes them.
#include <catch2/catch.hpp>
#include <algorithm>
#include <map>

#include "models/kernel/devices/vxlan.h"
#include "models/wire/ethernet.h"
#include "models/wire/ipv4.h"
#include "models/wire/udp.h"
#include "models/wire/vxlan.h"
#include "tests/kernel/helpers.h"

using namespace ol;
using ol::test::Lab;

TEST_CASE("vxlan: the packet leaves node-a with VNI 1 to node-b:8472, 50 bytes bigger, and is delivered") {
  Lab lab("two-nodes-vxlan.sh");
  REQUIRE(lab.ping("pod-a1", "10.244.2.2", 1, 56) == kernel::Errno::Ok);
  const test::Frame* outer = nullptr;
  for (auto& f : lab.frames)
    if (f.netns == "node-a" && f.dev == "eth0" && f.bytes.size() > 100) { outer = &f; break; }
  REQUIRE(outer);
  // The frame, header by header: outer Ethernet, IPv4, UDP, VXLAN, inner Ethernet, inner IPv4.
  auto outer_eth = wire::EthernetView::new_checked(outer->bytes);
  REQUIRE(outer_eth);
  auto outer_ip = wire::Ipv4View::new_checked(outer_eth->payload());
  REQUIRE(outer_ip);
  auto outer_udp = wire::UdpView::new_checked(outer_ip->payload());
  REQUIRE(outer_udp);
  auto vxlan = wire::VxlanView::new_checked(outer_udp->payload());
  REQUIRE(vxlan);
  auto inner_eth = wire::EthernetView::new_checked(vxlan->payload());
  REQUIRE(inner_eth);
  auto ip = *wire::Ipv4Repr::parse(outer_ip->bytes());
  auto udp = *wire::UdpRepr::parse(outer_udp->bytes());
  auto vx = *wire::VxlanRepr::parse(vxlan->bytes());
  auto inner = *wire::Ipv4Repr::parse(inner_eth->payload());
  CHECK(ip.src.str() == "192.168.100.1");
  CHECK(ip.dst.str() == "192.168.100.2");
  CHECK(ip.protocol == 17);
  CHECK_FALSE(ip.df);
  CHECK(udp.dst_port == 8472);
  CHECK(udp.src_port >= 32768);
  CHECK(udp.src_port <= 60999);
  CHECK(wire::udp_checksum_ok(ip.src, ip.dst, outer_udp->datagram()));
  CHECK(vx.vni == 1);
  CHECK(inner_eth->dst_addr().str() == "0a:bb:bb:bb:bb:02");  // inner: node-b's VTEP MAC
  CHECK(inner_eth->src_addr().str() == "0a:aa:aa:aa:aa:01");
  CHECK(inner.total_len == 84);
  CHECK(inner.src.str() == "10.244.1.2");
  CHECK(inner.dst.str() == "10.244.2.2");
  CHECK(ip.total_len == inner.total_len + 50);
  CHECK(udp.length == inner.total_len + 30);
  CHECK(outer->bytes.size() == 14u + ip.total_len);

  const TraceEvent* xmit = lab.find("node-a", "vxlan_xmit");
  REQUIRE(xmit);
  CHECK(xmit->table == "vxlan fdb");
  CHECK(xmit->entry == "0a:bb:bb:bb:bb:02 dev flannel.1 dst 192.168.100.2 self permanent");
  CHECK(lab.find("node-b", "vxlan_rcv")->verdict == "decapsulated from 192.168.100.1");
  REQUIRE(lab.replies().size() == 1);
  CHECK(lab.replies()[0].from.str() == "10.244.2.2");
}

// skb_get_hash has no ICMP key (ports are 0 for ICMP): every echo between two pods, of any id or
// sequence, leaves a node in UDP from one source port. Each node keys the hash with its own secret
// (hashrnd, drawn at boot), so node-b's replies have a port of their own, the same for each reply.
TEST_CASE("vxlan: one flow keeps one outer source port per node, for every echo id and sequence") {
  Lab lab("two-nodes-vxlan.sh");
  lab.ping("pod-a1", "10.244.2.2", 1);
  lab.ping("pod-a1", "10.244.2.2", 2);
  lab.ping_id = 9;
  lab.pinged_from.clear();  // a new ping socket, a new echo id
  lab.ping("pod-a1", "10.244.2.2", 1);
  std::map<std::string, std::vector<std::uint16_t>> ports;  // by the node that sent the frame
  for (auto& f : lab.frames) {
    if (f.dev != "eth0") continue;
    auto ip = wire::Ipv4View::new_checked(wire::EthernetView::new_checked(f.bytes)->payload());
    if (ip && ip->protocol() == std::uint8_t(wire::IpProto::Udp))
      ports[f.netns].push_back(wire::UdpView::new_checked(ip->payload())->src_port());
  }
  REQUIRE(ports["node-a"].size() == 3);  // the requests
  REQUIRE(ports["node-b"].size() == 3);  // the replies
  for (auto& [node, seen] : ports)
    for (std::uint16_t p : seen) CHECK(p == seen[0]);
}

// __flow_hash_consistentify sorts the addresses and the ports: a UDP datagram and one sent back
// with addresses and ports swapped hash alike on the same node.
TEST_CASE("vxlan: the source-port hash is symmetric in addresses and ports, and ports count for UDP") {
  Lab lab("two-nodes-vxlan.sh");
  auto* vx = dynamic_cast<kernel::VxlanDevice*>(lab.ns("node-a").dev_by_name("flannel.1"));
  REQUIRE(vx);
  auto frame = [&](const char* src, const char* dst, std::uint16_t sport, std::uint16_t dport) {
    kernel::PacketPtr p = lab.world.pool.get();
    std::uint8_t* b = p->put(14 + 20 + 8 + 16);
    std::fill(b, b + 14 + 20 + 8 + 16, 0);
    wire::EthernetRepr{wire::MacAddr{}, wire::MacAddr{}, std::uint16_t(wire::EtherType::Ipv4)}.emit(wire::MutBytes(b, 14));
    wire::Ipv4Repr ip;
    ip.src = *wire::Ipv4Addr::parse(src);
    ip.dst = *wire::Ipv4Addr::parse(dst);
    ip.protocol = std::uint8_t(wire::IpProto::Udp);
    ip.total_len = 20 + 8 + 16;
    ip.emit(wire::MutBytes(b + 14, 20));
    wire::UdpRepr{sport, dport, 24, 0}.emit(wire::MutBytes(b + 34, 8));
    return p;
  };
  const auto there = vx->flow_src_port(*frame("10.244.1.2", "10.244.2.2", 40001, 5201));
  const auto back = vx->flow_src_port(*frame("10.244.2.2", "10.244.1.2", 5201, 40001));
  CHECK(there == back);
  int differ = 0;  // other client ports: other flows, mostly other source ports
  for (std::uint16_t p = 40002; p < 40012; ++p) differ += vx->flow_src_port(*frame("10.244.1.2", "10.244.2.2", p, 5201)) != there;
  CHECK(differ >= 8);
}

TEST_CASE("vxlan: without an FDB entry for the peer the frame is dropped with a named reason") {
  Lab lab("two-nodes-vxlan.sh", "bridge -n node-a fdb del 0a:bb:bb:bb:bb:02 dev flannel.1 self\n");
  lab.ping("pod-a1", "10.244.2.2");
  const TraceEvent* xmit = lab.find("node-a", "vxlan_xmit");
  REQUIRE(xmit);
  CHECK(xmit->entry == "");
  bool dropped = false;
  for (auto& e : lab.log.events)
    if (e.netns == "node-a" && e.verdict == "drop SKB_DROP_REASON_NO_TX_TARGET") dropped = true;
  CHECK(dropped);
  CHECK(lab.replies().empty());
}

TEST_CASE("vxlan: node-a's tables as ip and bridge print them") {
  Lab lab("two-nodes-vxlan.sh");
  kernel::Netns& a = lab.ns("node-a");
  CHECK(kernel::dump_routes(a) ==
        "10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1\n"
        "10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink\n"
        "192.168.100.0/24 dev eth0 proto kernel scope link src 192.168.100.1\n");
  CHECK(kernel::dump_neigh(a) == "10.244.2.0 dev flannel.1 lladdr 0a:bb:bb:bb:bb:02 PERMANENT\n");
  CHECK(kernel::dump_fdb(a) ==
        "02:a1:00:00:00:01 dev veth1a2b3c4d master cni0 permanent\n"
        "0a:58:0a:f4:01:01 dev cni0 master cni0 permanent\n"
        "0a:bb:bb:bb:bb:02 dev flannel.1 dst 192.168.100.2 self permanent\n");
  CHECK(kernel::dump_links(a).find(
            "5: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT "
            "group default qlen 1000\n    link/ether 0a:aa:aa:aa:aa:01 brd ff:ff:ff:ff:ff:ff\n") != std::string::npos);
}
