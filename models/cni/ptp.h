// The ptp CNI plugin (plugins/main/ptp): no bridge. Per container a veth pair; the container end
// gets the address, and its connected route is replaced by "gateway/32 dev eth0 scope link" and
// "subnet via gateway", so every packet leaves through the gateway; the host end gets the gateway
// as a /32 (the same address on every host veth) and a host route "address/32 dev vethX scope
// host". The host answers ARP for the gateway because the address is its own (arp_process sees a
// local address; arp_ignore=0). The gateway comes from IPAM (host-local: the subnet's first address).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "models/cni/invoke.h"

namespace ol::cni {

struct PtpConf {
  std::string name;
  int mtu = 1500;  // the pair's MTU; 0 or absent: the kernel's default (1500)
  bool ip_masq = false;
  std::string ipam_type;
};

PtpConf ptp_conf(const nlohmann::json& conf);  // throws CniError(7) without an ipam type

// The plugin binary: ADD, DEL and CHECK (emits into h.out with origin "CNI ptp").
Result ptp_main(const std::string& command, const nlohmann::json& conf, const Runtime& rt, PluginHost& h);

}  // namespace ol::cni
