// Timed events: a pod deleted (CNI DEL, host-local releases, the sandbox goes) and a node leaving
// (its lease is deleted, and after the watch delay every peer removes what it had programmed).
#include <catch2/catch.hpp>

#include "models/cni/naming.h"
#include "models/kernel/dump.h"
#include "models/netconfig/render.h"
#include "models/scenario/load.h"
#include "lab/session.h"

using namespace ol;

namespace {

std::unique_ptr<cluster::Session> session(const char* mode) {
  auto s = scenario::load_text(R"({
    "name": "events",
    "control_plane": {"watch_delay": "100ms"},
    "nodes": [
      {"name": "node-1", "address": "192.168.100.11", "pod_cidr": "10.244.1.0/24", "pods": ["a1", "a2"]},
      {"name": "node-2", "address": "192.168.100.12", "pod_cidr": "10.244.2.0/24", "pods": ["b1"]}
    ],
    "net-conf.json": {"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"}},
    "events": [
      {"at": "1s", "type": "pod-delete", "pod": "a1"},
      {"at": "2s", "type": "node-leave", "node": "node-2"}
    ]
  })", "events.json");
  scenario::override_backend(s, *scenario::parse_backend(mode));
  return std::make_unique<cluster::Session>(std::move(s));
}

}  // namespace

TEST_CASE("a deleted pod's sandbox, veth and address are gone, and the address is free again") {
  auto s = session("vxlan");
  s->sim.run_until(999 * kNanosPerMilli);
  CHECK(s->world.netns("a1"));
  CHECK(s->cluster.files("node-1")->exists("/var/lib/cni/networks/cbr0/10.244.1.2"));
  s->sim.run_until(1 * kNanosPerSecond);
  CHECK_FALSE(s->world.netns("a1"));
  CHECK_FALSE(s->cluster.pod("a1")->running);
  CHECK_FALSE(s->cluster.files("node-1")->exists("/var/lib/cni/networks/cbr0/10.244.1.2"));
  CHECK(s->cluster.files("node-1")->exists("/var/lib/cni/networks/cbr0/10.244.1.3"));
  // one veth left on cni0: a2's
  const std::string links = kernel::dump_links(*s->world.netns("node-1"));
  std::size_t ports = 0;
  for (std::size_t at = 0; (at = links.find("master cni0", at)) != std::string::npos; ++at) ++ports;
  CHECK(ports == 1);
  CHECK(s->cluster.errors().empty());
}

TEST_CASE("a node that leaves is forgotten by its peers after the watch delay, in flannel's order") {
  auto s = session("vxlan");
  s->sim.run_until(2 * kNanosPerSecond);
  kernel::Netns& n1 = *s->world.netns("node-1");
  CHECK_FALSE(s->world.netns("node-2"));
  CHECK_FALSE(s->world.netns("b1"));
  CHECK(kernel::dump_neigh(n1).find("10.244.2.0") != std::string::npos);  // not yet heard
  s->cluster.converge();
  CHECK(kernel::dump_neigh(n1).empty());
  CHECK(kernel::dump_fdb(n1).find("flannel.1") == std::string::npos);
  CHECK(kernel::dump_routes(n1).find("10.244.2.0/24") == std::string::npos);
  std::vector<std::string> removal;
  for (const auto& e : s->cluster.log())
    if (e.op && e.node == "node-1" && e.time == 2 * kNanosPerSecond + 100 * kNanosPerMilli + 10'000 + 3 * 25'000)  // + fan-out, netlink
      removal.push_back(netconfig::render(*e.op));
  const std::string vtep = cni::Naming(1).mac("flannel.1 of node-2").str();
  CHECK(removal == std::vector<std::string>{
                       "ip -n node-1 neigh del 10.244.2.0 lladdr " + vtep + " dev flannel.1",
                       "bridge -n node-1 fdb del " + vtep + " dev flannel.1 dst 192.168.100.12 self",
                       "ip -n node-1 route del 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink"});
  CHECK(s->cluster.leases().dump().find("10.244.2.0-24") == std::string::npos);
}

TEST_CASE("host-gw and udp peers forget a node that left too") {
  auto hg = session("host-gw");
  hg->cluster.converge();
  CHECK(kernel::dump_routes(*hg->world.netns("node-1")).find("10.244.2.0/24") == std::string::npos);
  auto udp = session("udp");
  udp->sim.run_until(2 * kNanosPerSecond);
  CHECK(udp->cluster.proxy("node-1")->routes().size() == 1);
  udp->cluster.converge();
  CHECK(udp->cluster.proxy("node-1")->routes().empty());
}
