// The scenario loader: bundled scenarios load with flanneld's defaults; every malformed file in
// tests/data/bad/ is refused with the JSON path of the problem and a fix.
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "models/scenario/load.h"

using namespace ol;
using namespace ol::scenario;

namespace {

std::string scenarios(const std::string& f) { return std::string(OVERLAYLAB_SOURCE) + "/scenarios/" + f; }
std::string bad(const std::string& f) { return std::string(OVERLAYLAB_DATA) + "/bad/" + f; }

}  // namespace

TEST_CASE("two-nodes loads with kube-flannel's defaults filled in") {
  Scenario s = load_file(scenarios("two-nodes.json"));
  CHECK(s.name == "two-nodes");
  CHECK(s.net_conf.network.str() == "10.244.0.0/16");
  CHECK(s.net_conf.subnet_len == 24);
  CHECK(s.net_conf.subnet_min.str() == "10.244.1.0");  // the zeroth subnet is skipped
  CHECK(s.net_conf.subnet_max.str() == "10.244.255.0");
  CHECK(s.net_conf.backend == Backend::Vxlan);
  CHECK(s.net_conf.vni == 1);
  CHECK(!s.net_conf.port);  // the kernel's default, 8472
  CHECK(s.cni.network == "cbr0");
  CHECK(s.cni.hairpin);
  CHECK(s.cni.is_default_gateway);
  REQUIRE(s.nodes.size() == 2);
  CHECK(s.nodes[1].pods == std::vector<std::string>{"pod-c", "pod-d"});
  CHECK(s.node_of_pod("pod-d")->name == "node-2");
}

TEST_CASE("every bundled scenario loads") {
  for (const auto& e : std::filesystem::directory_iterator(std::string(OVERLAYLAB_SOURCE) + "/scenarios")) {
    if (e.path().extension() != ".json" || e.path().filename() == "schema.json") continue;
    INFO(e.path().string());
    CHECK_NOTHROW(load_file(e.path().string()));
  }
}

TEST_CASE("flanneld's SubnetLen default depends on the Network's size") {
  auto with = [](const char* network) {
    return load_text(fmt::format(R"({{"name":"x","nodes":[{{"name":"n","address":"192.168.100.1"}}],
                                     "net-conf.json":{{"Network":"{}"}}}})", network), "x.json");
  };
  CHECK(with("10.0.0.0/8").net_conf.subnet_len == 24);
  CHECK(with("10.244.0.0/24").net_conf.subnet_len == 26);  // network + 2 when smaller than /22
  Scenario s = with("10.244.0.0/16");
  CHECK(s.net_conf.backend == Backend::Udp);  // no Backend: flanneld's code picks udp
  CHECK_FALSE(s.net_conf.backend_given);
}

TEST_CASE("a mode given on the command line replaces the backend and keeps only options that still apply") {
  Scenario s = load_file(scenarios("two-nodes.json"));
  override_backend(s, *parse_backend("underlay"));
  CHECK(s.net_conf.backend == Backend::HostGw);
  CHECK(s.net_conf.verbatim["Backend"].dump() == R"({"Type":"host-gw"})");
  CHECK_FALSE(parse_backend("ipip"));
}

TEST_CASE("durations need a unit") {
  CHECK(parse_duration("1s") == 1'000'000'000);
  CHECK(parse_duration("1.5ms") == 1'500'000);
  CHECK(parse_duration("20us") == 20'000);
  CHECK_FALSE(parse_duration("20"));
  CHECK_FALSE(parse_duration("1 second"));
}

TEST_CASE("each malformed scenario is refused with its JSON path, what is wrong and a fix") {
  struct Case {
    const char* file;
    const char* path;
    const char* message;  // a fragment of the first problem
  };
  const Case cases[] = {
      {"bad-json.json", "$", "not valid JSON (line 4, column 31)"},
      {"wrong-type-cores.json", "$.nodes[0].cores", "expected an integer, got a string (\"4\")"},
      {"unknown-backend-key.json", "$[\"net-conf.json\"].Backend.VNi", "unknown key \"VNi\""},
      {"unknown-top-level-key.json", "$.seeds", "unknown key \"seeds\""},
      {"overlapping-segments.json", "$.underlay.segments[1].subnet", "overlaps segment \"lan-a\""},
      {"network-host-bits.json", "$[\"net-conf.json\"].Network", "10.244.1.0/16 has host bits set"},
      {"subnetlen-31.json", "$[\"net-conf.json\"].SubnetLen", "SubnetLen must be less than /31"},
      {"exhausted-subnet-pool.json", "$.nodes[3]", "flanneld on \"node-4\" would fail with \"out of subnets\""},
      {"too-many-pods.json", "$.nodes[0].pods", "14 pods, but a /28 lease holds 13 pod addresses"},
      {"duplicate-node-names.json", "$.nodes[1].name", "the node name \"node-1\" is already used at $.nodes[0].name"},
      {"duplicate-pod-names.json", "$.nodes[1].pods[0]", "the pod name \"pod-a\" is already used"},
      {"duplicate-address.json", "$.nodes[1].address", "192.168.100.11 is already the address of $.nodes[0].address"},
      {"unknown-backend.json", "$[\"net-conf.json\"].Backend.Type", "\"ipip\" is not one of \"host-gw\", \"udp\", \"vxlan\""},
      {"vni-out-of-range.json", "$[\"net-conf.json\"].Backend.VNI", "16777216 is above the maximum 16777215"},
      {"vni-on-host-gw.json", "$[\"net-conf.json\"].Backend.VNI", "VNI applies to the vxlan backend only"},
      {"cni-network-name-traversal.json", "$[\"cni-conf.json\"].name", "\"cbr0/../../../../../../../../../../tmp/escaped\" is not in the expected form"},
      {"cni-network-name-dotdot.json", "$[\"cni-conf.json\"].name", "\"..\" is not in the expected form"},
      {"bridge-name-dotdot.json", "$[\"cni-conf.json\"].plugins[0].delegate.bridge", "\"..\" is not in the expected form"},
      {"gso-off-slash.json", "$.offloads.gso_off[1]", "\"../x\" is not in the expected form"},
      {"number-overflow.json", "$", "number overflow parsing '1e999'"},  // found by fuzzing: it aborted
      {"vxlan-mtu-too-small.json", "$[\"net-conf.json\"].Backend.MTU", "100 leaves flannel.1 an MTU of 50, under the 68 IPv4 needs"},
      {"workload-unknown-pod.json", "$.workloads[0].to", "no pod named \"pod-z\""},
      {"underlay-in-pod-network.json", "$.underlay.segments[0].subnet", "overlaps the pod network 10.244.0.0/16"},
      {"address-outside-segment.json", "$.nodes[1].address", "192.168.101.12 is outside its segment 192.168.100.0/24"},
      {"missing-address.json", "$.nodes[0]", "missing the required key \"address\""},
      {"missing-network.json", "$[\"net-conf.json\"]", "missing the required key \"Network\""},
      {"node-name-too-long.json", "$.nodes[0].name", "is longer than 12 characters"},
      {"bad-duration.json", "$.events[0].at", "\"1 second\" is not in the expected form"},
      {"subnetmin-misaligned.json", "$[\"net-conf.json\"].SubnetMin", "SubnetMin is not on a SubnetLen boundary: 10.244.1.5"},
      {"event-unknown-node.json", "$.events[0].node", "no node named \"node-9\""},
      {"two-segments-no-router.json", "$.underlay", "2 segments but no router joins them"},
      {"pod-cidr-outside-network.json", "$.nodes[0].pod_cidr", "10.245.1.0/24 is not a /24 subnet of 10.244.0.0/16"},
      {"no-nodes.json", "$.nodes", "has 0 items, fewer than the minimum 1"},
      {"leave-before-join.json", "$.events[1].at", "node \"node-2\" leaves before it joins"},
      {"flannel-not-first.json", "$[\"cni-conf.json\"].plugins[0].type", "portmap \"must be called as chained plugin\""},
      {"cni-unknown-delegate.json", "$[\"cni-conf.json\"].plugins[0].delegate.type",
       "flannel's delegate \"macvlan\" is not a main plugin overlaylab models"},
      {"cni-delegate-has-ipam.json", "$[\"cni-conf.json\"].plugins[0].delegate.ipam", "unknown key \"ipam\""},
      {"cni-ptp-with-bridge-keys.json", "$[\"cni-conf.json\"].plugins[0].delegate.hairpinMode",
       "\"hairpinMode\" is a bridge plugin key; ptp ignores it"},
      {"cni-conf-dir-empty.json", "$.cni_conf_dir",
       "node node-1: no network config found in /etc/cni/net.d; /etc/cni/net.d/99-old.conflist: error parsing "
       "configuration list: no 'plugins' key"},
      {"cni-ptp-shared-range.json", "$.cni_conf_dir[\"10-ptp.conflist\"].plugins[0].ipam.ranges",
       "node node-2's range 10.244.1.0/24 is outside its lease 10.244.2.0/24"},
      {"cni-ptp-range-outside-lease.json", "$.nodes[0].cni_conf_dir[\"10-ptp.conflist\"].plugins[0].ipam.ranges",
       "node node-1's range 10.244.9.0/24 is outside its lease 10.244.1.0/24"},
      {"cni-ptp-lease-not-pinned.json", "$.nodes[0]", "node node-1 runs ptp with its own range 10.244.1.0/24, but its flannel lease is not pinned"},
      {"cni-ptp-no-ipam.json", "$.cni_conf_dir[\"10-ptp.conflist\"].plugins[0]", "ptp without an \"ipam\" section"},
      {"cni-ptp-dhcp.json", "$.cni_conf_dir[\"10-ptp.conflist\"].plugins[0].ipam.type",
       "ptp with dhcp IPAM: ptp asks IPAM for an address before it creates the veth"},
      {"dhcp-no-server.json", "$.nodes[0]", "node node-1 uses dhcp IPAM but no DHCP server is on its L2"},
      {"dhcp-range-outside.json", "$.nodes[0].dhcp_server.range", "DHCP range 10.244.1.10 .. 10.244.2.20 is outside its lease 10.244.1.0/24"},
      {"dhcp-server-in-range.json", "$.nodes[0].dhcp_server.address", "the server's own address 10.244.1.20 is inside its range"},
      {"dhcp-router-is-server.json", "$.nodes[0].dhcp_server", "but that is the DHCP server's own address"},
      {"dhcp-short-lease.json", "$.nodes[0].dhcp_server.lease_time", "dnsmasq gives no lease shorter than two minutes"},
      {"dhcp-exhausted.json", "$.nodes[0].dhcp_server.range", "3 pods but the range holds 2 addresses: pod pod-x's DISCOVER gets no OFFER"},
      {"dhcp-socket-mismatch.json", "$.nodes[0].cni_conf_dir", "dials /run/dhcp-other.sock but the dhcp daemon listens on /run/cni/dhcp.sock"},
      {"dhcp-server-unused.json", "$.nodes[0].dhcp_server", "has a DHCP server, but its CNI configuration does not use dhcp IPAM"},
      {"dhcp-server-bad-word.json", "$.nodes[0].dhcp_server", "\"off\" is not in the expected form"},
      {"dhcp-daemon-timeout.json", "$.cni_dhcp_daemon.timeout", "the client's timeout must be from 1ms to 10min"},
      {"dhcp-under-flannel.json", "$[\"cni-conf.json\"].plugins[0].ipam.type", "dhcp IPAM under the flannel plugin"},
      {"cni-raw-wrong-type.json", "$.cni_conf_dir", "node node-1: a value of the wrong type in its CNI configuration"},
      {"tbf-with-delay.json", "$.underlay.segments[0].delay", "a tbf-shaped segment cannot delay (tbf has no delay)"},
      {"link-loss-on-tbf.json", "$.events[0].node", "node \"node-1\" is on segment \"lan\", shaped with tbf, which cannot lose packets"},
      {"cni-bad-version.json", "$[\"cni-conf.json\"].cniVersion", "cniVersion \"0.2.0\" is not one overlaylab models"},
      {"cni-range-host-bits.json", "$.nodes[0].cni_conf_dir[\"10-ptp.conflist\"].plugins[0].ipam",
       "host-local would refuse it: Network 10.244.1.0/31 too small to allocate from"},
      {"crash-twice.json", "$.events[1]", "flanneld on \"node-1\" is not running at 2 s (it crashed before)"},
      {"restart-while-running.json", "$.events[0]", "flanneld on \"node-2\" is already running at 1 s"},
      {"reboot-after-leave.json", "$.events[1].at", "node \"node-2\" has left at 2 s: a node-reboot cannot happen then"},
      {"link-loss-without-percent.json", "$.events[0]", "a link-loss event needs \"loss_percent\""},
      {"link-loss-over-100.json", "$.events[0].loss_percent", "150 is above the maximum 100"},
      {"partition-without-router.json", "$.events[0]", "a partition needs a router"},
      {"partition-unknown-segment.json", "$.events[0].segment", "no segment named \"lan-c\""},
      {"down-for-on-crash.json", "$.events[0].down_for", "only a node-reboot has \"down_for\""},
      {"renew-margin-over-ttl.json", "$.control_plane.renew_margin", "must be more than 0 and less than lease_ttl"},
      {"event-while-rebooting.json", "$.events[1].at", "node \"node-2\" is rebooting until 11 s at 5 s"},
      {"etcd-down-with-node.json", "$.events[0].node", "etcd-down events have no \"node\""},
      {"vtep-mac-unknown.json", "$.events[1].vtep_mac", "\"old\" is not one of \"kept\", \"new\""},
  };
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(OVERLAYLAB_DATA) + "/bad"))
    files += e.path().extension() == ".json";
  CHECK(files == std::size(cases));  // every bad file has its expectation here
  for (const auto& c : cases) {
    INFO(c.file);
    try {
      load_file(bad(c.file));
      FAIL("loaded without complaint");
    } catch (const ScenarioError& e) {
      REQUIRE_FALSE(e.problems.empty());
      CHECK(e.file == bad(c.file));
      CHECK(e.problems[0].path == c.path);
      CHECK_THAT(e.problems[0].message, Catch::Contains(c.message));
      CHECK_FALSE(e.problems[0].fix.empty());
      CHECK_THAT(std::string(e.what()), Catch::StartsWith(bad(c.file) + ": " + c.path + ": "));
    }
  }
}

TEST_CASE("a misspelt key gets the nearest allowed key as its fix") {
  try {
    load_file(bad("unknown-backend-key.json"));
    FAIL();
  } catch (const ScenarioError& e) {
    CHECK_THAT(e.problems[0].fix, Catch::StartsWith("did you mean \"VNI\"?"));
  }
}
