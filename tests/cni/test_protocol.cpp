// The CNI protocol as a node runs it: libcni's choice of configuration, each plugin's environment,
// stdin (prevResult where chained) and stdout (a result in the asked version, or an error object),
// DEL after a failed ADD, CHECK.
#include <catch2/catch.hpp>

#include "tests/cni/cni_fixture.h"

using namespace ol;
using namespace ol::cni;
using ol::cni::test::kKubeFlannel;
using ol::cni::test::Node;

namespace {
std::vector<std::string> order(const std::vector<Invocation>& calls) {
  std::vector<std::string> v;
  for (const auto& c : calls) v.push_back(std::string(std::size_t(2 * c.depth), ' ') + c.plugin + " " + c.command);
  return v;
}
}  // namespace

TEST_CASE("kube-flannel's chain: flannel delegates to bridge, bridge to host-local, then portmap gets prevResult") {
  Node n;
  n.add(kKubeFlannel, "abc123", "pod-a");
  CHECK(order(n.calls) == std::vector<std::string>{"flannel ADD", "  bridge ADD", "    host-local ADD", "portmap ADD"});
  const Invocation& flannel = n.calls[0];
  CHECK(flannel.env == std::vector<std::pair<std::string, std::string>>{
                           {"CNI_COMMAND", "ADD"},
                           {"CNI_CONTAINERID", "abc123"},
                           {"CNI_NETNS", "/var/run/netns/pod-a"},
                           {"CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=pod-a;K8S_POD_INFRA_CONTAINER_ID=abc123"},
                           {"CNI_IFNAME", "eth0"},
                           {"CNI_PATH", "/opt/cni/bin"}});
  // libcni injects the list's name and version; flannel gets no prevResult, no runtimeConfig.
  CHECK(flannel.stdin_conf.dump() ==
        R"({"cniVersion":"0.3.1","delegate":{"hairpinMode":true,"isDefaultGateway":true},"name":"cbr0","type":"flannel"})");
  // host-local's result: the address and the configured route, without a gateway on the route.
  CHECK(n.calls[2].stdout_json.dump() ==
        R"({"cniVersion":"0.3.1","dns":{},"ips":[{"address":"10.244.1.2/24","gateway":"10.244.1.1","version":"4"}],)"
        R"("routes":[{"dst":"10.244.0.0/16"}]})");
  // bridge adds its default route (isDefaultGateway) to the result; flannel prints what bridge printed.
  CHECK(n.calls[1].stdout_json["routes"].dump() == R"([{"dst":"10.244.0.0/16"},{"dst":"0.0.0.0/0","gw":"10.244.1.1"}])");
  CHECK(n.calls[0].stdout_json == n.calls[1].stdout_json);
  // portmap: chained, so prevResult is flannel's result; its capability brings runtimeConfig.
  const Invocation& portmap = n.calls[3];
  CHECK(portmap.stdin_conf["prevResult"] == flannel.stdout_json);
  CHECK(portmap.stdin_conf["runtimeConfig"].dump() == R"({"portMappings":[]})");
  CHECK(portmap.stdout_json == flannel.stdout_json);
  // The kernel commands are attributed: flannel's span holds bridge's, portmap issues none.
  CHECK(flannel.first_command == 0);
  CHECK(flannel.end_command == n.out.commands.size());
  CHECK(portmap.first_command == portmap.end_command);
  // libcni caches the last result for DEL and CHECK.
  const auto cache = nlohmann::json::parse(*n.files.read("/var/lib/cni/results/cbr0-abc123-eth0"));
  CHECK(cache["kind"] == "cniCacheV1");
  CHECK(cache["result"] == flannel.stdout_json);
}

TEST_CASE("an unknown delegate type is flannel's error object, and DEL after that failed ADD succeeds") {
  Node n;
  const std::string conf = R"({"name":"cbr0","cniVersion":"0.3.1","plugins":[{"type":"flannel","delegate":{"type":"macvlan"}}]})";
  CHECK_THROWS_WITH(n.add(conf, "id1", "pod-a"),
                    "plugin type=\"flannel\" failed (add): failed to delegate add: failed to find plugin \"macvlan\" in path [/opt/cni/bin]");
  REQUIRE(n.calls.size() == 1);
  CHECK(n.calls[0].exit_code == 1);
  CHECK(n.calls[0].stdout_json.dump() ==
        R"({"code":999,"msg":"failed to delegate add: failed to find plugin \"macvlan\" in path [/opt/cni/bin]"})");
  // The runtime tears the failed sandbox down with DEL: flannel finds its saved delegate and runs
  // it, which fails the same way, so DEL reports the error; nothing was created or handed out.
  CHECK(n.out.commands.empty());
  CHECK_THROWS_WITH(n.del(conf, "id1", "pod-a"), Catch::Contains("failed (delete)"));
}

TEST_CASE("DEL after an ADD that ran out of addresses is safe and repeatable") {
  Node n;
  n.files.write(kSubnetEnvPath, "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/30\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
  n.add(kKubeFlannel, "id1", "pod-a");  // a /30 holds one pod: .2
  n.host.links.insert("node-1/cni0");
  n.host.addrs = {*wire::Ipv4Prefix::parse("10.244.1.1/30")};
  try {
    n.add(kKubeFlannel, "id2", "pod-b");
    FAIL("the second ADD should fail");
  } catch (const CniError& e) {
    CHECK(e.code == 11);
    CHECK(std::string(e.what()) == "plugin type=\"flannel\" failed (add): no IP addresses available in range set: 10.244.1.1-10.244.1.2");
  }
  CHECK(n.calls.back().stdout_json.dump() == R"({"code":11,"msg":"no IP addresses available in range set: 10.244.1.1-10.244.1.2"})");
  n.host.links.insert("pod-b/eth0");  // bridge made the veth before IPAM failed
  n.out.commands.clear();
  CHECK_NOTHROW(n.del(kKubeFlannel, "id2", "pod-b"));
  CHECK(n.lines() == std::vector<std::string>{"ip -n pod-b link del dev eth0"});
  CHECK(n.files.exists("/var/lib/cni/networks/cbr0/10.244.1.2"));  // pod-a keeps its address
  n.host.links.erase("pod-b/eth0");
  CHECK_NOTHROW(n.del(kKubeFlannel, "id2", "pod-b"));
}

TEST_CASE("results in each spec version the plugins print") {
  Result r;
  r.interfaces.push_back({"eth0", "02:00:00:00:00:01", "/var/run/netns/p"});
  r.ips.push_back({*wire::Ipv4Prefix::parse("10.244.1.2/24"), wire::Ipv4Addr::parse("10.244.1.1"), 0});
  const std::string ips = R"("ips":[{"address":"10.244.1.2/24","gateway":"10.244.1.1","interface":0)";
  CHECK(result_json(r, "0.3.1").dump().find(ips + R"(,"version":"4"}])") != std::string::npos);
  CHECK(result_json(r, "0.4.0").dump().find(ips + R"(,"version":"4"}])") != std::string::npos);
  CHECK(result_json(r, "1.0.0").dump().find(ips + "}]") != std::string::npos);
  CHECK(parse_result(result_json(r, "1.0.0")).ips.front().address == r.ips.front().address);
}

TEST_CASE("CHECK: refused below 0.4.0 by libcni - from 0.4.0 each plugin checks the cached result, flannel checks nothing") {
  Node n;
  const std::string v031 = kKubeFlannel;
  n.add(v031, "id1", "pod-a");
  const auto list031 = conf_list_from_text(v031, "/etc/cni/net.d/10-flannel.conflist");
  CHECK_THROWS_WITH(check_network_list(list031, Node::runtime("id1", "pod-a"), n.h),
                    "configuration version \"0.3.1\" does not support the CHECK command");

  std::string v040 = v031;
  v040.replace(v040.find("0.3.1"), 5, "0.4.0");
  Node m;
  m.add(v040, "id1", "pod-a");
  m.calls.clear();
  const auto list040 = conf_list_from_text(v040, "/etc/cni/net.d/10-flannel.conflist");
  CHECK_NOTHROW(check_network_list(list040, Node::runtime("id1", "pod-a"), m.h));
  CHECK(order(m.calls) == std::vector<std::string>{"flannel CHECK", "portmap CHECK"});
  CHECK(m.calls[1].stdin_conf.contains("prevResult"));
  // Called directly, a plugin refuses CHECK for a 0.3.1 configuration with skel's error code 1.
  nlohmann::json bridge = {{"cniVersion", "0.3.1"}, {"name", "cbr0"}, {"type", "bridge"}};
  CHECK_THROWS_WITH(exec_plugin("bridge", "CHECK", bridge, Node::runtime("id1", "pod-a"), n.h), "config version does not allow CHECK");
}

TEST_CASE("libcni takes the first parsable .conf, .conflist or .json in lexical order") {
  std::map<std::string, std::string> dir = {
      {"00-notes.txt", "not a configuration"},
      {"05-broken.conflist", "{\"name\": \"x\"}"},
      {"10-flannel.conflist", kKubeFlannel},
      {"20-ptp.conf", R"({"name":"p","cniVersion":"0.4.0","type":"ptp","ipam":{"type":"host-local","subnet":"10.1.0.0/24"}})"},
  };
  auto c = choose_conf(dir);
  REQUIRE(c.chosen);
  CHECK(c.chosen->file == "/etc/cni/net.d/10-flannel.conflist");
  CHECK(c.skipped == std::vector<std::string>{"/etc/cni/net.d/05-broken.conflist: error parsing configuration list: no 'plugins' key"});
  dir.erase("10-flannel.conflist");
  c = choose_conf(dir);
  REQUIRE(c.chosen);  // a .conf becomes a list of one plugin
  CHECK(c.chosen->name == "p");
  CHECK(c.chosen->plugins.size() == 1);
  CHECK_FALSE(choose_conf({{"00-notes.txt", "x"}}).chosen);
}
