// The bridge CNI plugin (plugins/main/bridge), as NetConfig: cmdAdd creates cni0 on first use, a
// veth pair per container (host end `veth` + 8 hex digits, enslaved, hairpin), lets host-local
// pick the address, configures the container side, puts the gateway on the bridge and turns on
// forwarding; cmdDel removes the container's interface and releases the address.
#pragma once
#include <string>

#include "models/cni/host_local.h"
#include "models/cni/host_view.h"
#include "models/cni/naming.h"
#include "models/netconfig/ops.h"

namespace ol::cni {

struct BridgeConf {  // the delegate config the flannel CNI plugin renders
  std::string name = "cbr0";  // the network name (host-local's directory)
  std::string cni_version = "0.3.1";
  std::string bridge = "cni0";
  int mtu = 1500;
  bool is_gateway = true;
  bool is_default_gateway = false;
  bool hairpin = false;
  bool ip_masq = false;
  bool force_address = false;
  HostLocalConf ipam;
};

struct CniArgs {  // CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, and where the plugin runs
  std::string container_id;
  std::string netns;       // the pod's namespace
  std::string ifname = "eth0";
  std::string host_netns;  // the node's namespace (the plugin's own)
};

struct BridgeResult {
  IpamResult ipam;
  std::string host_veth;
};

// Appends the commands to `out` (origins "CNI bridge", "CNI host-local"); throws CniError.
BridgeResult bridge_add(const BridgeConf& c, const CniArgs& a, const HostView& host, HostLocal& ipam,
                        const Naming& names, netconfig::NetConfig& out);
void bridge_del(const BridgeConf& c, const CniArgs& a, const HostView& host, HostLocal& ipam, netconfig::NetConfig& out);

}  // namespace ol::cni
