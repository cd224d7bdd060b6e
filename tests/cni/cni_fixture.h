// A node for CNI tests: its files (with flanneld's subnet.env), a host view that knows only what
// the test tells it, and the plugins' commands and invocations.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "models/cni/flannel_plugin.h"
#include "models/cni/libcni.h"
#include "models/netconfig/render.h"

namespace ol::cni::test {

class FakeHost final : public HostView {
 public:
  bool link_exists(const std::string& netns, const std::string& dev) const override {
    return links.count(netns + "/" + dev) > 0;
  }
  std::vector<wire::Ipv4Prefix> addresses(const std::string&, const std::string&) const override { return addrs; }
  std::set<std::string> links;
  std::vector<wire::Ipv4Prefix> addrs;
};

inline constexpr const char* kKubeFlannel = R"({"name":"cbr0","cniVersion":"0.3.1","plugins":[
  {"type":"flannel","delegate":{"hairpinMode":true,"isDefaultGateway":true}},
  {"type":"portmap","capabilities":{"portMappings":true}}]})";

struct Node {
  netconfig::Files files;
  FakeHost host;
  Naming names{1};
  netconfig::NetConfig out;
  std::vector<Invocation> calls;
  PluginHost h{host, files, names, out, &calls};

  Node() {
    files.write(kSubnetEnvPath, "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
  }
  static Runtime runtime(const std::string& id, const std::string& pod) {
    return {id, pod, "eth0", k8s_cni_args("default", pod, id), "node-1"};
  }
  Result add(const std::string& conflist, const std::string& id, const std::string& pod) {
    return add_network_list(conf_list_from_text(conflist, "/etc/cni/net.d/10-test.conflist"), runtime(id, pod), h,
                            k8s_capability_args());
  }
  void del(const std::string& conflist, const std::string& id, const std::string& pod) {
    del_network_list(conf_list_from_text(conflist, "/etc/cni/net.d/10-test.conflist"), runtime(id, pod), h,
                     k8s_capability_args());
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> v;
    for (const auto& c : out.commands) v.push_back(netconfig::render(c.op));
    return v;
  }
};

}  // namespace ol::cni::test
