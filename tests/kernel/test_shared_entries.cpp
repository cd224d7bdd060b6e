// Entries many namespaces hold alike are stored once per World (a peer's PERMANENT VTEP neighbour
// and its VXLAN FDB entry), and that is invisible: every namespace shows, uses, changes and
// deletes its own, and a change in one leaves the others as they were.
#include <catch2/catch.hpp>

#include "models/kernel/devices/vxlan.h"
#include "models/kernel/dump.h"
#include "models/kernel/tables/id_bits.h"
#include "models/kernel/world.h"
#include "tests/kernel/helpers.h"

using namespace ol;
using ol::test::Lab;

namespace {

// node-c holds what flanneld on node-a holds for node-b: the same neighbour and FDB entry.
const std::string kNodeC =
    "ip netns add node-c\n"
    "ip -n node-c link add flannel.1 address 0a:cc:cc:cc:cc:03 type vxlan id 1 dstport 8472 nolearning\n"
    "ip -n node-c link set dev flannel.1 up\n"
    "ip -n node-c neigh replace 10.244.2.0 lladdr 0a:bb:bb:bb:bb:02 dev flannel.1 nud permanent\n"
    "bridge -n node-c fdb replace 0a:bb:bb:bb:bb:02 dev flannel.1 dst 192.168.100.2 self permanent\n";

void run(Lab& lab, const std::string& script) { kernel::apply(lab.world, netconfig::parse_script(script)); }

std::string lines_of(const std::string& table, const std::string& dev) {  // the lines naming `dev`
  std::string out;
  for (std::size_t at = 0, end; at < table.size(); at = end + 1) {
    end = table.find('\n', at);
    const std::string line = table.substr(at, end - at + 1);
    if (line.find(" dev " + dev + " ") != std::string::npos) out += line;
  }
  return out;
}

std::string refusal(Lab& lab, const std::string& script) {
  try {
    run(lab, script);
  } catch (const kernel::ConfigError& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("id bits: members in any order, across words, removed, listed in ascending order") {
  kernel::IdBits b;
  for (std::uint32_t id : {700u, 5u, 64u, 63u, 1000u}) CHECK(b.set(id));
  CHECK_FALSE(b.set(64));
  CHECK(b.size() == 5);
  CHECK(b.test(5));
  CHECK_FALSE(b.test(6));
  CHECK_FALSE(b.test(100000));
  CHECK(b.reset(700));
  CHECK_FALSE(b.reset(700));
  std::vector<std::uint32_t> seen;
  b.for_each([&](std::uint32_t id) { seen.push_back(id); });
  CHECK(seen == std::vector<std::uint32_t>{5, 63, 64, 1000});
}

TEST_CASE("shared entries: node-c's copy of node-a's peer entries is stored once and shown as its own") {
  Lab lab("two-nodes-vxlan.sh", kNodeC);
  CHECK(kernel::dump_neigh(lab.ns("node-c")) == "10.244.2.0 dev flannel.1 lladdr 0a:bb:bb:bb:bb:02 PERMANENT\n");
  CHECK(kernel::dump_fdb(lab.ns("node-c")) == "0a:bb:bb:bb:bb:02 dev flannel.1 dst 192.168.100.2 self permanent\n");
  // Three namespaces hold a VTEP neighbour and an FDB entry each; two values are distinct.
  CHECK(lab.world.shared_neigh.size() == 2);
  CHECK(lab.world.shared_vxlan_fdb.size() == 2);
  // Replacing with the same entry (flanneld's resync) stores nothing new; adding it again is refused.
  run(lab, "ip -n node-c neigh replace 10.244.2.0 lladdr 0a:bb:bb:bb:bb:02 dev flannel.1 nud permanent\n");
  CHECK(lab.world.shared_neigh.size() == 2);
  CHECK(refusal(lab, "ip -n node-c neigh add 10.244.2.0 lladdr 0a:bb:bb:bb:bb:02 dev flannel.1 nud permanent\n")
            .ends_with("RTNETLINK answers: File exists"));
  CHECK(refusal(lab, "bridge -n node-c fdb add 0a:bb:bb:bb:bb:02 dev flannel.1 dst 192.168.100.2 self permanent\n")
            .ends_with("RTNETLINK answers: File exists"));
}

TEST_CASE("shared entries: a ping through them works, and node-a's tables read the same before and after") {
  Lab lab("two-nodes-vxlan.sh", kNodeC);
  kernel::Netns& a = lab.ns("node-a");
  const std::string neigh = kernel::dump_neigh(a), fdb = kernel::dump_fdb(a);
  REQUIRE(lines_of(neigh, "flannel.1") == "10.244.2.0 dev flannel.1 lladdr 0a:bb:bb:bb:bb:02 PERMANENT\n");
  lab.ping("pod-a1", "10.244.2.2");
  REQUIRE(lab.replies().size() == 1);
  const TraceEvent* xmit = lab.find("node-a", "vxlan_xmit");
  REQUIRE(xmit);
  CHECK(xmit->entry == "0a:bb:bb:bb:bb:02 dev flannel.1 dst 192.168.100.2 self permanent");
  // The ping made node-a's neighbour its own (ip_finish_output2 used it); what it shows is the same.
  CHECK(lines_of(kernel::dump_neigh(a), "flannel.1") == lines_of(neigh, "flannel.1"));
  CHECK(lines_of(kernel::dump_fdb(a), "flannel.1") == lines_of(fdb, "flannel.1"));
  CHECK(kernel::dump_neigh(lab.ns("node-c")) == "10.244.2.0 dev flannel.1 lladdr 0a:bb:bb:bb:bb:02 PERMANENT\n");
}

TEST_CASE("shared entries: a change or a delete on node-c leaves node-a's entries as they were") {
  Lab lab("two-nodes-vxlan.sh", kNodeC);
  kernel::Netns& a = lab.ns("node-a");
  kernel::Netns& c = lab.ns("node-c");
  const std::string neigh = kernel::dump_neigh(a), fdb = kernel::dump_fdb(a);
  run(lab,
      "ip -n node-c neigh replace 10.244.2.0 lladdr 0a:bb:bb:bb:bb:99 dev flannel.1 nud permanent\n"
      "bridge -n node-c fdb replace 0a:bb:bb:bb:bb:02 dev flannel.1 dst 192.168.100.9 self permanent\n");
  CHECK(kernel::dump_neigh(c) == "10.244.2.0 dev flannel.1 lladdr 0a:bb:bb:bb:bb:99 PERMANENT\n");
  CHECK(kernel::dump_fdb(c) == "0a:bb:bb:bb:bb:02 dev flannel.1 dst 192.168.100.9 self permanent\n");
  CHECK(kernel::dump_neigh(a) == neigh);
  CHECK(kernel::dump_fdb(a) == fdb);
  // A remote that is not the entry's is not deleted; the right one is.
  CHECK(refusal(lab, "bridge -n node-c fdb del 0a:bb:bb:bb:bb:02 dev flannel.1 dst 192.168.100.2 self\n")
            .ends_with("RTNETLINK answers: No such file or directory"));
  run(lab,
      "bridge -n node-c fdb del 0a:bb:bb:bb:bb:02 dev flannel.1 dst 192.168.100.9 self\n"
      "ip -n node-c neigh del 10.244.2.0 dev flannel.1\n");
  CHECK(kernel::dump_neigh(c).empty());
  CHECK(kernel::dump_fdb(c).empty());
  CHECK(refusal(lab, "ip -n node-c neigh del 10.244.2.0 dev flannel.1\n").ends_with("RTNETLINK answers: No such file or directory"));
  CHECK(kernel::dump_neigh(a) == neigh);
  CHECK(kernel::dump_fdb(a) == fdb);
}

TEST_CASE("shared entries: a shared neighbour made REACHABLE, and an all-zeros FDB entry given a second remote, become the namespace's own") {
  Lab lab("two-nodes-vxlan.sh", kNodeC +
                                    "bridge -n node-a fdb append 00:00:00:00:00:00 dev flannel.1 dst 192.168.100.7 self permanent\n"
                                    "bridge -n node-c fdb append 00:00:00:00:00:00 dev flannel.1 dst 192.168.100.7 self permanent\n");
  CHECK(lab.world.shared_vxlan_fdb.size() == 3);
  run(lab,
      "bridge -n node-c fdb append 00:00:00:00:00:00 dev flannel.1 dst 192.168.100.8 self permanent\n"
      "ip -n node-c neigh replace 10.244.2.0 lladdr 0a:bb:bb:bb:bb:02 dev flannel.1 nud reachable\n");
  CHECK(kernel::dump_fdb(lab.ns("node-c")) ==
        "00:00:00:00:00:00 dev flannel.1 dst 192.168.100.7 self permanent\n"
        "00:00:00:00:00:00 dev flannel.1 dst 192.168.100.8 self permanent\n"
        "0a:bb:bb:bb:bb:02 dev flannel.1 dst 192.168.100.2 self permanent\n");
  CHECK(kernel::dump_fdb(lab.ns("node-a")).find("192.168.100.8") == std::string::npos);
  CHECK(kernel::dump_neigh(lab.ns("node-c")) == "10.244.2.0 dev flannel.1 lladdr 0a:bb:bb:bb:bb:02 REACHABLE\n");
  CHECK(kernel::dump_neigh(lab.ns("node-a")) == "10.244.2.0 dev flannel.1 lladdr 0a:bb:bb:bb:bb:02 PERMANENT\n");
  // Deleting node-c's flannel.1 takes its entries; node-a keeps the one they shared.
  run(lab, "ip -n node-c link del flannel.1\n");
  CHECK(kernel::dump_neigh(lab.ns("node-c")).empty());
  CHECK(kernel::dump_neigh(lab.ns("node-a")) == "10.244.2.0 dev flannel.1 lladdr 0a:bb:bb:bb:bb:02 PERMANENT\n");
}

namespace {

// node-c is a third host-gw node on the same segment, holding node-a's route to node-b's pods.
const std::string kHostGwNodeC =
    "ip netns add node-c\n"
    "ip -n node-c link add eth0 type veth peer name sw-node-c\n"
    "ip -n node-c addr add 192.168.100.3/24 dev eth0\n"
    "ip -n node-c link set dev sw-node-c up\n"
    "ip -n node-c link set dev eth0 up\n"
    "ip -n node-c route add 10.244.2.0/24 via 192.168.100.2 dev eth0\n";

}  // namespace

TEST_CASE("shared routes: a peer's route through a gateway is stored once, used, replaced and deleted per namespace") {
  Lab lab("two-nodes-host-gw.sh", kHostGwNodeC);
  kernel::Netns& a = lab.ns("node-a");
  kernel::Netns& c = lab.ns("node-c");
  const std::string a_routes = kernel::dump_routes(a);
  CHECK(kernel::dump_routes(c) ==
        "10.244.2.0/24 via 192.168.100.2 dev eth0\n"
        "192.168.100.0/24 dev eth0 proto kernel scope link src 192.168.100.3\n");
  // node-a's, node-b's and node-c's peer routes (two values) and the pods' two gateway routes each.
  CHECK(lab.world.shared_routes.size() == 6);
  CHECK(refusal(lab, "ip -n node-c route add 10.244.2.0/24 via 192.168.100.2 dev eth0\n").ends_with("RTNETLINK answers: File exists"));
  const auto held = c.main_table.find(*wire::Ipv4Prefix::parse("10.244.2.0/24"));
  REQUIRE(held);
  CHECK(held->dev == c.dev_by_name("eth0"));
  CHECK(held->gw->str() == "192.168.100.2");

  lab.ping("pod-a1", "10.244.2.2");  // node-a's route carries it, and is node-a's own from now on
  REQUIRE(lab.replies().size() == 1);
  CHECK(kernel::dump_routes(a) == a_routes);

  run(lab,
      "ip -n node-c route replace 10.244.2.0/24 via 192.168.100.9 dev eth0\n"
      "ip -n node-c route add 10.244.2.0/24 via 192.168.100.8 dev eth0 metric 5\n");
  CHECK(kernel::dump_routes(c) ==
        "10.244.2.0/24 via 192.168.100.9 dev eth0\n"
        "10.244.2.0/24 via 192.168.100.8 dev eth0 metric 5\n"
        "192.168.100.0/24 dev eth0 proto kernel scope link src 192.168.100.3\n");
  CHECK(kernel::dump_routes(a) == a_routes);
  run(lab, "ip -n node-c route del 10.244.2.0/24 metric 0\n");
  CHECK(kernel::dump_routes(c) ==
        "10.244.2.0/24 via 192.168.100.8 dev eth0 metric 5\n"
        "192.168.100.0/24 dev eth0 proto kernel scope link src 192.168.100.3\n");
  run(lab, "ip -n node-c route replace 10.244.3.0/24 via 192.168.100.2 dev eth0\nip -n node-c link set dev eth0 down\n");
  CHECK(kernel::dump_routes(c).empty());  // its device went down: every route through it went too
  CHECK(kernel::dump_routes(a) == a_routes);
}
