// Faults on the timeline: what each really does to processes and kernels, and what a packet
// meets because of it, per backend.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "lab/walk.h"
#include "models/cni/naming.h"
#include "models/kernel/dump.h"
#include "models/netconfig/render.h"
#include "models/scenario/load.h"

using namespace ol;

namespace {

constexpr Nanos kS = kNanosPerSecond, kMs = kNanosPerMilli;

std::unique_ptr<cluster::Session> session(const std::string& mode, const std::string& events, const std::string& extra = "",
                                          const std::string& node2 = "") {
  auto s = scenario::load_text(fmt::format(R"({{
    "name": "faults",
    "control_plane": {{"watch_delay": "100ms"{}}},
    "nodes": [
      {{"name": "node-1", "address": "192.168.100.11", "pods": ["a1"]}},
      {{"name": "node-2", "address": "192.168.100.12", "pods": ["b1", "b2"]{}}}
    ],
    "net-conf.json": {{"Network": "10.244.0.0/16", "Backend": {{"Type": "vxlan"}}}},
    "events": [{}]
  }})", extra, node2, events), "faults.json");
  scenario::override_backend(s, *scenario::parse_backend(mode));
  return std::make_unique<cluster::Session>(std::move(s));
}

bool ping(cluster::Session& s, Nanos at, const char* from = "a1", const char* to = "b1") {
  return cluster::walk(s, {.from = from, .to = to, .at = at, .patience = 50 * kMs}).delivered;
}

// The commands issued at t and within the next millisecond (flanneld's netlink requests for a peer
// take tens of microseconds: netlink_request_cost).
std::vector<std::string> commands_at(const cluster::Session& s, const std::string& node, Nanos t) {
  std::vector<std::string> out;
  for (const auto& e : s.cluster.log())
    if (e.op && e.node == node && e.time >= t && e.time < t + kMs) out.push_back(netconfig::render(*e.op));
  return out;
}

// What flanneld programmed: the routes, and the permanent neighbour and FDB entries.
std::string programmed(cluster::Session& s, const char* node) {
  kernel::Netns& ns = *s.world.netns(node);
  std::string out = kernel::dump_routes(ns);
  for (const std::string& text : {kernel::dump_neigh(ns), kernel::dump_fdb(ns)}) {
    std::size_t at = 0;
    for (std::size_t nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) {
      const std::string line = text.substr(at, nl - at);
      if (line.find("PERMANENT") != std::string::npos || line.find(" permanent") != std::string::npos) out += line + "\n";
    }
  }
  return out;
}

const char* kCrashRestart = R"({"at": "2s", "type": "flanneld-crash", "node": "node-2"},
                               {"at": "4s", "type": "flanneld-restart", "node": "node-2"})";

}  // namespace

TEST_CASE("udp: flanneld is the data path - its crash deletes flannel0 and stops traffic, its restart brings both back") {
  auto s = session("udp", kCrashRestart);
  CHECK(ping(*s, 1 * kS));
  s->sim.run_until(2 * kS);
  kernel::Netns& n2 = *s->world.netns("node-2");
  CHECK_FALSE(n2.dev_by_name("flannel0"));  // not persistent: gone with the process's fd
  CHECK(kernel::dump_routes(n2).find("10.244.0.0/16") == std::string::npos);
  CHECK_FALSE(s->cluster.proxy("node-2"));
  CHECK(commands_at(*s, "node-2", 2 * kS) == std::vector<std::string>{"ip -n node-2 link del dev flannel0"});
  CHECK_FALSE(ping(*s, 3 * kS));
  s->sim.run_until(4 * kS + 1 * kMs);  // the restarted proxy has woken and read its control socket
  CHECK(n2.dev_by_name("flannel0"));
  REQUIRE(s->cluster.proxy("node-2"));
  CHECK(s->cluster.proxy("node-2")->routes().size() == 1);  // node-1's subnet, from the list at start
  CHECK(ping(*s, 4 * kS + 200 * kMs));
  CHECK(s->cluster.errors().empty());
}

TEST_CASE("vxlan and host-gw: the kernel keeps forwarding while flanneld is down, and a restart changes nothing") {
  for (const char* mode : {"vxlan", "host-gw"}) {
    INFO(mode);
    auto s = session(mode, kCrashRestart);
    s->sim.run_until(1 * kS);
    const std::string before = programmed(*s, "node-2");
    CHECK(ping(*s, 3 * kS));
    CHECK_FALSE(s->cluster.flanneld_running("node-2"));
    s->cluster.converge();
    CHECK(s->cluster.flanneld_running("node-2"));
    CHECK(programmed(*s, "node-2") == before);
    CHECK(s->cluster.errors().empty());
  }
}

TEST_CASE("vxlan: a restart keeps flannel.1 and its MAC, reuses the lease, and only re-asserts peers with replace") {
  auto s = session("vxlan", kCrashRestart);
  s->sim.run_until(1 * kS);
  const auto lease = s->cluster.lease_of("node-2");
  const auto mac = s->world.netns("node-2")->dev_by_name("flannel.1")->mac;
  s->cluster.converge();
  CHECK(s->cluster.lease_of("node-2") == lease);
  CHECK(s->world.netns("node-2")->dev_by_name("flannel.1")->mac == mac);
  const auto cmds = commands_at(*s, "node-2", 4 * kS);
  REQUIRE(cmds.size() == 4);
  CHECK(cmds[0] == "ip -n node-2 link set dev flannel.1 up");  // no link add, no addr add: both are there
  CHECK(cmds[1].rfind("ip -n node-2 neigh replace 10.244.", 0) == 0);
  bool reused = false;
  for (const auto& e : s->cluster.log()) reused |= e.note.find("for current IP (192.168.100.12), reusing") != std::string::npos;
  CHECK(reused);
}

TEST_CASE("vxlan: a restart that lost flannel.1 gets a new MAC, and peers drop frames until their watch delivers it") {
  auto s = session("vxlan", R"({"at": "2s", "type": "flanneld-crash", "node": "node-2"},
                               {"at": "4s", "type": "flanneld-restart", "node": "node-2", "device_lost": true})");
  s->sim.run_until(1 * kS);
  const auto old_mac = s->world.netns("node-2")->dev_by_name("flannel.1")->mac;
  s->sim.run_until(4 * kS);
  const auto new_mac = s->world.netns("node-2")->dev_by_name("flannel.1")->mac;
  CHECK(new_mac != old_mac);
  CHECK(kernel::dump_neigh(*s->world.netns("node-1")).find(old_mac.str()) != std::string::npos);  // stale
  const auto lost = cluster::walk(*s, {.from = "a1", .to = "b1", .at = 4 * kS + 20 * kMs, .patience = 20 * kMs});
  CHECK_FALSE(lost.delivered);
  CHECK_THAT(lost.outcome, Catch::Contains("OTHERHOST"));
  s->sim.run_until(4 * kS + 100 * kMs);  // the watch delay: not yet, flanneld on node-1 is still at it
  CHECK(kernel::dump_neigh(*s->world.netns("node-1")).find(new_mac.str()) == std::string::npos);
  s->sim.run_until(4 * kS + 100 * kMs + 10 * kNanosPerMicro + 3 * 25 * kNanosPerMicro);  // + fan-out + 3 netlink requests
  CHECK(kernel::dump_neigh(*s->world.netns("node-1")).find(new_mac.str()) != std::string::npos);
  CHECK(ping(*s, 4 * kS + 150 * kMs));
}

TEST_CASE("vtep_mac kept: in kube mode a re-created device gets its MAC back from the node's annotation") {
  auto s = session("vxlan", R"({"at": "2s", "type": "flanneld-crash", "node": "node-2"},
                               {"at": "4s", "type": "flanneld-restart", "node": "node-2", "device_lost": true})",
                   "", R"(, "pod_cidr": "10.244.2.0/24")");
  s->sim.run_until(1 * kS);
  const auto mac = s->world.netns("node-2")->dev_by_name("flannel.1")->mac;
  s->sim.run_until(4 * kS);
  CHECK(s->world.netns("node-2")->dev_by_name("flannel.1")->mac == mac);
  CHECK(ping(*s, 4 * kS + 10 * kMs));
}

TEST_CASE("host-gw: eth0 down flushes the peer routes - flanneld's 10 s route check puts them back after it comes up") {
  auto s = session("host-gw", R"({"at": "2s", "type": "link-down", "node": "node-1"},
                                 {"at": "3s", "type": "link-up", "node": "node-1"})");
  s->sim.run_until(2 * kS);
  kernel::Netns& n1 = *s->world.netns("node-1");
  CHECK(kernel::dump_routes(n1).find("via 192.168.100.12") == std::string::npos);
  s->sim.run_until(3 * kS);
  CHECK(kernel::dump_routes(n1).find("192.168.100.0/24 dev eth0") != std::string::npos);  // the connected route is back
  CHECK(kernel::dump_routes(n1).find("via 192.168.100.12") == std::string::npos);         // the peer's is not
  CHECK_FALSE(ping(*s, 3 * kS + 100 * kMs));
  s->sim.run_until(10 * kS);  // the checks run every 10 s from flanneld's start at 0
  CHECK(kernel::dump_routes(n1).find("via 192.168.100.12 dev eth0") != std::string::npos);
  CHECK(ping(*s, 10 * kS + 100 * kMs));
  bool check_origin = false;
  for (const auto& e : s->cluster.log()) check_origin |= e.origin == "flanneld host-gw route check" && e.time == 10 * kS;
  CHECK(check_origin);
}

TEST_CASE("vxlan: eth0 down and up - encapsulated traffic resumes at once, no flanneld needed") {
  auto s = session("vxlan", R"({"at": "2s", "type": "link-down", "node": "node-1"},
                               {"at": "3s", "type": "link-up", "node": "node-1"})");
  CHECK_FALSE(ping(*s, 2 * kS + 100 * kMs));
  CHECK(ping(*s, 3 * kS + 100 * kMs));
}

TEST_CASE("a lease not renewed expires after its TTL - peers forget it - a running flanneld renews before the margin") {
  auto s = session("vxlan", R"({"at": "1s", "type": "flanneld-crash", "node": "node-2"})",
                   R"(, "lease_ttl": "60s", "renew_margin": "10s")");
  s->cluster.converge();  // renewals and expiries are daemons' timers: converge does not wait for them
  CHECK(s->sim.now() < 60 * kS);
  s->sim.run_until(49 * kS);
  CHECK(s->cluster.leases().dump().find("10.244.") != std::string::npos);
  // node-2's lease expired at 60 s; the watch delay (100 ms) and flanneld's own processing later,
  // node-1 has forgotten it.
  s->sim.run_until(60 * kS + 200 * kMs);
  const std::string store = s->cluster.leases().dump();
  CHECK(store.find(flannel::subnet_key(*s->cluster.lease_of("node-1"))) != std::string::npos);  // renewed at 50 s
  CHECK(kernel::dump_routes(*s->world.netns("node-1")).find("flannel.1") == std::string::npos);
  bool renewed = false, expired = false;
  for (const auto& e : s->cluster.log()) {
    renewed |= e.node == "node-1" && e.note.rfind("Lease renewed", 0) == 0 && e.time == 50 * kS;
    expired |= e.origin == "etcd" && e.note.find("expired") != std::string::npos && e.time == 60 * kS;
  }
  CHECK(renewed);
  CHECK(expired);
}

TEST_CASE("etcd unreachable: paths keep working, a joining node's flanneld backs off, and catches up once etcd is back") {
  auto s = scenario::load_text(R"({
    "name": "etcd",
    "control_plane": {"watch_delay": "100ms"},
    "nodes": [
      {"name": "node-1", "address": "192.168.100.11", "pods": ["a1"]},
      {"name": "node-2", "address": "192.168.100.12", "pods": ["b1"]},
      {"name": "node-3", "address": "192.168.100.13", "pods": ["c1"]}
    ],
    "net-conf.json": {"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"}},
    "events": [
      {"at": "1s", "type": "etcd-down"},
      {"at": "2s", "type": "node-join", "node": "node-3"},
      {"at": "15s", "type": "etcd-up"}
    ]
  })", "etcd.json");
  cluster::Session sess(std::move(s));
  CHECK(ping(sess, 5 * kS, "a1", "b1"));
  CHECK_FALSE(sess.cluster.lease_of("node-3"));
  CHECK_FALSE(sess.cluster.pod("c1")->running);  // no subnet.env: its CNI ADD failed
  sess.sim.run_until(15 * kS);
  CHECK_FALSE(sess.cluster.lease_of("node-3"));
  sess.cluster.converge();  // back-off 10 s, 20 s: the start at 32 s succeeds
  CHECK(sess.cluster.lease_of("node-3"));
  CHECK(sess.cluster.pod("c1")->running);
  CHECK(ping(sess, sess.sim.now() + 200 * kMs, "a1", "c1"));
}

TEST_CASE("node reboot: pods come back with the next addresses, the lease is reused, etcd mode gives a new VTEP MAC") {
  auto s = session("vxlan", R"({"at": "2s", "type": "node-reboot", "node": "node-2", "down_for": "5s"})");
  s->sim.run_until(1 * kS);
  const auto lease = s->cluster.lease_of("node-2");
  const auto b1 = *s->cluster.pod("b1")->ip;
  const auto mac = s->world.netns("node-2")->dev_by_name("flannel.1")->mac;
  s->sim.run_until(3 * kS);
  CHECK_FALSE(s->world.netns("node-2"));
  CHECK_FALSE(s->cluster.pod("b1")->running);
  CHECK(s->cluster.leases().dump().find(flannel::subnet_key(*lease)) != std::string::npos);  // still in etcd
  s->cluster.converge();
  CHECK(s->cluster.lease_of("node-2") == lease);
  REQUIRE(s->cluster.pod("b1")->running);
  CHECK(s->cluster.pod("b1")->ip->v == b1.v + 2);  // host-local continues after last_reserved_ip (b2 had .3)
  CHECK(s->world.netns("node-2")->dev_by_name("flannel.1")->mac != mac);
  // libcni's cached results: only the new sandboxes', two networks (cni-loopback, cbr0) per pod.
  const auto cached = s->cluster.files("node-2")->list("/var/lib/cni/results");
  CHECK(cached.size() == 2 * 2);
  for (const auto& f : cached) {
    const bool current = f.find(s->cluster.pod("b1")->container_id) != std::string::npos ||
                         f.find(s->cluster.pod("b2")->container_id) != std::string::npos;
    CHECK(current);
  }
  CHECK(ping(*s, s->sim.now() + 200 * kMs));
}

TEST_CASE("link-loss: netem drops that share of frames on the node's cable, and 0 ends it") {
  auto s = session("host-gw", R"({"at": "1s", "type": "link-loss", "node": "node-1", "loss_percent": 100},
                                 {"at": "2s", "type": "link-loss", "node": "node-1", "loss_percent": 0})");
  s->sim.run_until(1 * kS);
  CHECK(commands_at(*s, "node-1", 1 * kS) ==
        std::vector<std::string>{"tc -n underlay qdisc change dev sw-node-1 root netem rate 10gbit 20 loss 100%",
                                 "tc -n node-1 qdisc change dev eth0 root netem rate 10gbit 20 loss 100%"});
  CHECK_FALSE(ping(*s, 1 * kS + 100 * kMs));
  CHECK(ping(*s, 2 * kS + 100 * kMs));
}

TEST_CASE("partition: the router's port on a segment goes down, cutting it off - heal brings it back") {
  auto s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/l3-separated.json");
  scenario::override_backend(s, scenario::Backend::Vxlan);
  s.events.push_back({.at = 2 * kS, .kind = scenario::EventKind::Partition, .target = "lan-b"});
  s.events.push_back({.at = 3 * kS, .kind = scenario::EventKind::Heal, .target = "lan-b"});
  cluster::Session sess(std::move(s));
  CHECK(ping(sess, 1 * kS, "pod-a", "pod-b"));
  CHECK_FALSE(ping(sess, 2 * kS + 100 * kMs, "pod-a", "pod-b"));
  CHECK(kernel::dump_routes(*sess.world.netns("router")).find("192.168.2.0/24") == std::string::npos);
  CHECK(ping(sess, 3 * kS + 100 * kMs, "pod-a", "pod-b"));
  CHECK(commands_at(sess, "", 2 * kS) == std::vector<std::string>{"ip -n router link set dev eth1 down"});
}
