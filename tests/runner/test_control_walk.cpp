// The control plane stepped through: a pod's creation and a node's join, command by command, with
// the rows each command wrote, where, and who issued it.
#include <catch2/catch.hpp>

#include "models/scenario/load.h"
#include "runner/control_walk.h"

using namespace ol;

namespace {

scenario::Scenario bundled(const char* name) { return scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/" + name); }

// The first step (1-based) that added `row` to `table` of `netns`, or 0.
std::size_t added_at(const runner::ControlWalk& w, const std::string& netns, const std::string& table, const std::string& row) {
  for (std::size_t i = 0; i < w.steps.size(); ++i)
    for (const auto& c : w.steps[i].changes)
      if (c.added && c.netns == netns && c.table == table && c.row == row) return i + 1;
  return 0;
}

}  // namespace

TEST_CASE("a pod's creation: kubelet's netns, loopback, the bridge plugin's devices, addresses and routes, host-local's note") {
  const auto w = runner::record_pod_creation(bundled("two-nodes.json"), scenario::Backend::Vxlan, "pod-a");
  CHECK(w.subject == "pod pod-a is created on node-1");
  REQUIRE(w.steps.size() == 15);
  CHECK(w.steps.front().component == "kubelet (CRI)");
  CHECK(w.steps.front().command == "ip netns add pod-a");
  CHECK(w.steps[1].component == "CNI loopback");
  CHECK(w.steps.back().component.starts_with("CNI host-local"));
  CHECK(w.steps.back().netns.empty());  // a note, no command
  // The rows appear in the order the kernel took them.
  const auto cni0 = added_at(w, "node-1", "bridge fdb", "26:1e:65:dc:b4:31 dev cni0 master cni0 permanent");
  const auto addr = added_at(w, "pod-a", "ip addr", "inet 10.244.1.2/24 brd 10.244.1.255 scope global eth0");
  const auto connected = added_at(w, "pod-a", "ip route", "10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2");
  const auto cluster = added_at(w, "pod-a", "ip route", "10.244.0.0/16 via 10.244.1.1 dev eth0");
  const auto dflt = added_at(w, "pod-a", "ip route", "default via 10.244.1.1 dev eth0");
  CHECK(cni0 == 3);
  CHECK(addr == 10);
  CHECK(connected == 10);  // the address brings its prefix route with it
  CHECK(cluster == 11);
  CHECK(dflt == 12);
  CHECK(w.steps[cluster - 1].component == "CNI bridge");
  CHECK(w.steps[cluster - 1].command == "ip -n pod-a route add 10.244.0.0/16 via 10.244.1.1 dev eth0");
  // The veth's host end is created in node-1 by the command run in pod-a.
  bool host_end = false;
  for (const auto& c : w.steps[4].changes) host_end = host_end || (c.netns == "node-1" && c.table == "ip link" && c.added);
  CHECK(host_end);
}

TEST_CASE("a node's join: its flanneld's lease, device and peers, then each peer's neighbour, FDB entry and route for it") {
  const auto w = runner::record_node_join(bundled("three-nodes-join.json"), scenario::Backend::Vxlan, "node-3");
  REQUIRE(w.steps.size() == 17);
  CHECK(w.steps[0].command.starts_with("Allocated lease (10.244.66.0/24)"));
  std::vector<std::string> on_node1;
  for (const auto& st : w.steps)
    if (st.node == "node-1") on_node1.push_back(st.command.substr(0, st.command.find(' ', st.command.find("node-1 ") + 7)));
  CHECK(on_node1 == std::vector<std::string>{"ip -n node-1 neigh", "bridge -n node-1 fdb", "ip -n node-1 route"});
  const auto neigh = added_at(w, "node-1", "ip neigh", w.steps[11].changes.at(0).row);
  CHECK(neigh == 12);
  CHECK_THAT(w.steps[11].changes.at(0).row, Catch::StartsWith("10.244.66.0 dev flannel.1 lladdr") && Catch::EndsWith("PERMANENT"));
  CHECK(w.steps[13].changes.at(0).row == "10.244.66.0/24 via 10.244.66.0 dev flannel.1 onlink");
  CHECK(w.steps[13].time == 1500085000);  // when node-1's flanneld had programmed it
  // host-gw: one route per peer, nothing else.
  const auto hg = runner::record_node_join(bundled("three-nodes-join.json"), scenario::Backend::HostGw, "node-3");
  std::size_t peer_routes = 0;
  for (const auto& st : hg.steps) peer_routes += st.node != "node-3" && st.command.find(" route ") != std::string::npos;
  CHECK(peer_routes == 2);
}

TEST_CASE("a control-plane walk of an unknown pod or node names the ones there are") {
  CHECK_THROWS_WITH(runner::record_pod_creation(bundled("two-nodes.json"), scenario::Backend::Vxlan, "nope"),
                    Catch::Contains("--pod: no pod named \"nope\"") && Catch::Contains("fix: name one of its pods: pod-a, pod-b, pod-c, pod-d"));
  CHECK_THROWS_WITH(runner::record_node_join(bundled("two-nodes.json"), scenario::Backend::Vxlan, "node-9"),
                    Catch::Contains("--join: no node named \"node-9\"") && Catch::Contains("fix: name one of its nodes: node-1, node-2"));
}
