// flannel's network configuration (net-conf.json) with flanneld's defaults applied.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "models/wire/addr.h"

namespace ol::flannel {

using wire::Ipv4Addr;
using wire::Ipv4Prefix;

enum class Backend { HostGw, Udp, Vxlan };
const char* backend_name(Backend b);  // flannel's Type: "host-gw", "udp", "vxlan"
// "host-gw" | "underlay" (an alias) | "udp" | "vxlan"; nullopt otherwise.
std::optional<Backend> parse_backend(std::string_view s);

struct NetConf {  // flannel's net-conf.json with flanneld's defaults applied
  Ipv4Prefix network;
  int subnet_len = 24;
  Ipv4Addr subnet_min, subnet_max;
  Backend backend = Backend::Udp;  // flannel's code default when Backend is absent
  bool backend_given = false;
  std::uint32_t vni = 1;
  std::optional<std::uint16_t> port;  // absent: udp 8285, vxlan the kernel default 8472
  std::optional<int> mtu;             // absent: the underlay MTU minus the backend's overhead
  bool direct_routing = false;
  nlohmann::json verbatim;  // as written: flanneld stores it under /coreos.com/network/config
};

}  // namespace ol::flannel
