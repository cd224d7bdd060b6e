// Entries many namespaces hold alike are stored once per World (a peer's PERMANENT VTEP neighbour
// and its VXLAN FDB entry), and that is invisible: every namespace shows, uses, changes and
// deletes its own, and a change in one leaves the others as they were.
#include <algorithm>

#include <catch2/catch.hpp>
#include <fmt/format.h>

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

namespace {

// Forty hosts on one segment. Each holds its peers' routes, VTEP neighbours and FDB entries
// (shared: 40 distinct values of each), programmed in a scrambled order; h0 also has entries of
// its own (a /25 without a gateway, a REACHABLE neighbour, a second remote) between them, and h1
// holds only three peers'. A dump reads h0's through the pool's order and sorts h1's own few: both
// must list as ip and bridge do.
constexpr int kHosts = 40;

std::string peer_lines(int host, int peer) {
  const std::string p = std::to_string(peer);
  const std::string mac = fmt::format("0a:00:00:00:{:02x}:{:02x}", peer / 16, peer % 16 * 16 + 1);
  return fmt::format(
      "ip -n h{0} route add 10.250.{1}.0/24 via 192.168.200.{2} dev eth0\n"
      "ip -n h{0} neigh replace 10.250.{1}.0 lladdr {3} dev flannel.1 nud permanent\n"
      "bridge -n h{0} fdb replace {3} dev flannel.1 dst 192.168.200.{2} self permanent\n",
      host, p, peer + 1, mac);
}

// A namespace with an eth0 at `addr` (its veth peer up beside it, so it has carrier).
std::string host(const std::string& name, const std::string& addr) {
  return fmt::format(
      "ip netns add {0}\n"
      "ip -n {0} link add eth0 type veth peer name sw-{0}\n"
      "ip -n {0} addr add {1} dev eth0\n"
      "ip -n {0} link set dev sw-{0} up\n"
      "ip -n {0} link set dev eth0 up\n",
      name, addr);
}

std::string forty_hosts() {
  std::string s;
  for (int h = 0; h < kHosts; ++h)
    s += host(fmt::format("h{}", h), fmt::format("192.168.200.{}/24", h + 1)) +
         fmt::format("ip -n h{0} link add flannel.1 type vxlan id 1 dstport 8472 nolearning\n"
                     "ip -n h{0} link set dev flannel.1 up\n",
                     h);
  for (int h = 0; h < kHosts; ++h)
    for (int i = 0; i < kHosts; ++i) {
      const int peer = (i * 17 + h) % kHosts;  // a scrambled order, a different one on each host
      if (peer != h && (h != 1 || peer < 5)) s += peer_lines(h, peer);
    }
  for (int peer : {33, 7, 20})
    s += fmt::format("ip -n h0 route add 10.250.{0}.128/25 dev eth0\n"
                     "ip -n h0 neigh replace 10.250.{0}.7 lladdr 0a:00:00:00:ee:{0:02x} dev flannel.1 nud reachable\n",
                     peer);
  s += "bridge -n h0 fdb append 00:00:00:00:00:00 dev flannel.1 dst 192.168.200.99 self permanent\n";
  return s;
}

std::string expected_routes(int host, const std::vector<int>& peers, const std::vector<int>& own) {
  std::string s;
  for (int p : peers) {
    s += fmt::format("10.250.{}.0/24 via 192.168.200.{} dev eth0\n", p, p + 1);
    if (std::find(own.begin(), own.end(), p) != own.end()) s += fmt::format("10.250.{}.128/25 dev eth0 scope link\n", p);
  }
  return s + fmt::format("192.168.200.0/24 dev eth0 proto kernel scope link src 192.168.200.{}\n", host + 1);
}

}  // namespace

TEST_CASE("shared entries: a table holding most of the pool and one holding a few list theirs as ip and bridge do") {
  Lab lab("one-bridge.sh", forty_hosts());
  CHECK(lab.world.shared_routes.size() >= std::size_t(kHosts));
  std::vector<int> all, few = {0, 2, 3, 4};
  for (int p = 1; p < kHosts; ++p) all.push_back(p);
  CHECK(kernel::dump_routes(lab.ns("h0")) == expected_routes(0, all, {7, 20, 33}));
  CHECK(kernel::dump_routes(lab.ns("h1")) == expected_routes(1, few, {}));

  const std::string h0_neigh = kernel::dump_neigh(lab.ns("h0"));
  std::string want;
  for (int p : all) {
    want += fmt::format("10.250.{}.0 dev flannel.1 lladdr 0a:00:00:00:{:02x}:{:02x} PERMANENT\n", p, p / 16, p % 16 * 16 + 1);
    if (p == 7 || p == 20 || p == 33) want += fmt::format("10.250.{0}.7 dev flannel.1 lladdr 0a:00:00:00:ee:{0:02x} REACHABLE\n", p);
  }
  CHECK(lines_of(h0_neigh, "flannel.1") == want);

  // bridge fdb lists a VXLAN device's entries by MAC: the all-zeros one (h0's own) first.
  const std::string h1_fdb = kernel::dump_fdb(lab.ns("h1"));
  CHECK(h1_fdb ==
        "0a:00:00:00:00:01 dev flannel.1 dst 192.168.200.1 self permanent\n"
        "0a:00:00:00:00:21 dev flannel.1 dst 192.168.200.3 self permanent\n"
        "0a:00:00:00:00:31 dev flannel.1 dst 192.168.200.4 self permanent\n"
        "0a:00:00:00:00:41 dev flannel.1 dst 192.168.200.5 self permanent\n");
  const std::string h0_fdb = kernel::dump_fdb(lab.ns("h0"));
  std::string fdb = "00:00:00:00:00:00 dev flannel.1 dst 192.168.200.99 self permanent\n";
  for (int p : all) fdb += fmt::format("0a:00:00:00:{:02x}:{:02x} dev flannel.1 dst 192.168.200.{} self permanent\n", p / 16, p % 16 * 16 + 1, p + 1);
  CHECK(lines_of(h0_fdb, "flannel.1") == fdb);
}

TEST_CASE("shared routes: every pod's default route shares one key, and a namespace finds, replaces and deletes its own") {
  // Forty namespaces' default routes through forty gateways: one key, forty values in the pool.
  std::string s;
  for (int h = 0; h < kHosts; ++h)
    s += host(fmt::format("p{}", h), fmt::format("10.251.{}.2/24", h)) +
         fmt::format("ip -n p{0} route add default via 10.251.{0}.1 dev eth0\n", h);
  Lab lab("one-bridge.sh", s);
  CHECK(kernel::dump_routes(lab.ns("p17")) ==
        "default via 10.251.17.1 dev eth0\n"
        "10.251.17.0/24 dev eth0 proto kernel scope link src 10.251.17.2\n");
  CHECK(refusal(lab, "ip -n p17 route add default via 10.251.17.1 dev eth0\n").ends_with("RTNETLINK answers: File exists"));
  run(lab, "ip -n p17 route replace default via 10.251.17.9 dev eth0\nip -n p3 route del default\n");
  CHECK(kernel::dump_routes(lab.ns("p17")).starts_with("default via 10.251.17.9 dev eth0\n"));
  CHECK(kernel::dump_routes(lab.ns("p3")) == "10.251.3.0/24 dev eth0 proto kernel scope link src 10.251.3.2\n");
  CHECK(kernel::dump_routes(lab.ns("p4")).starts_with("default via 10.251.4.1 dev eth0\n"));
}

TEST_CASE("shared entries: one entry's line names each namespace's own device, and its state there") {
  // The same peer route, neighbour and FDB entry on a VXLAN device named differently in two
  // namespaces; then a route through eth0 whose carrier is lost in the second shows linkdown there alone.
  std::string s;
  for (const auto& [ns, vx] : {std::pair{"a", "flannel.1"}, std::pair{"b", "vx-peers"}})
    s += host(ns, fmt::format("192.168.201.{}/24", ns[0] == 'a' ? 1 : 2)) +
         fmt::format("ip -n {0} link add {1} type vxlan id 1 dstport 8472 nolearning\n"
                     "ip -n {0} link set dev {1} up\n"
                     "ip -n {0} neigh replace 10.244.9.0 lladdr 0a:99:99:99:99:09 dev {1} nud permanent\n"
                     "bridge -n {0} fdb replace 0a:99:99:99:99:09 dev {1} dst 192.168.201.9 self permanent\n"
                     "ip -n {0} route replace 10.244.9.0/24 via 10.244.9.0 dev {1} onlink\n",
                     ns, vx);
  Lab lab("one-bridge.sh", s);
  CHECK(lab.world.shared_routes.size() == 1);
  const auto tables = [&](const char* ns) {
    return kernel::dump_routes(lab.ns(ns)) + kernel::dump_neigh(lab.ns(ns)) + kernel::dump_fdb(lab.ns(ns));
  };
  for (int pass = 0; pass < 2; ++pass) {  // the second pass prints from the lines made in the first
    CHECK(lines_of(tables("a"), "flannel.1") ==
          "10.244.9.0/24 via 10.244.9.0 dev flannel.1 onlink\n"
          "10.244.9.0 dev flannel.1 lladdr 0a:99:99:99:99:09 PERMANENT\n"
          "0a:99:99:99:99:09 dev flannel.1 dst 192.168.201.9 self permanent\n");
    CHECK(lines_of(tables("b"), "vx-peers") ==
          "10.244.9.0/24 via 10.244.9.0 dev vx-peers onlink\n"
          "10.244.9.0 dev vx-peers lladdr 0a:99:99:99:99:09 PERMANENT\n"
          "0a:99:99:99:99:09 dev vx-peers dst 192.168.201.9 self permanent\n");
  }
  // A host-gw peer route through eth0 in both; b's eth0 then loses its carrier (its peer goes down).
  run(lab, "ip -n a route add 10.244.8.0/24 via 192.168.201.8 dev eth0\n"
           "ip -n b route add 10.244.8.0/24 via 192.168.201.8 dev eth0\n");
  CHECK(lab.world.shared_routes.size() == 2);
  run(lab, "ip -n b link set dev sw-b down\n");
  CHECK(kernel::dump_routes(lab.ns("a")).find("10.244.8.0/24 via 192.168.201.8 dev eth0\n") != std::string::npos);
  CHECK(kernel::dump_routes(lab.ns("b")).find("10.244.8.0/24 via 192.168.201.8 dev eth0 linkdown\n") != std::string::npos);
}
