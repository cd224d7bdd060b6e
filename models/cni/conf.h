// The CNI configuration list the kubelet hands to the plugins: kube-flannel's 10-flannel.conflist.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace ol::cni {

struct CniConf {  // kube-flannel's 10-flannel.conflist, reduced to what changes the kernel
  std::string network = "cbr0";
  std::string cni_version = "0.3.1";
  std::string bridge = "cni0";
  bool hairpin = true;
  bool is_default_gateway = true;
  bool is_gateway = true;
  std::optional<int> mtu;  // a delegate "mtu" wins over FLANNEL_MTU (the plugin only fills in what is absent)
  bool portmap = true;  // present in the list; it programs iptables only, which overlaylab leaves out
  nlohmann::json verbatim;
};

}  // namespace ol::cni
