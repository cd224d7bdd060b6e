// The bridge CNI plugin (plugins/main/bridge), as NetConfig: cmdAdd creates cni0 on first use, a
// veth pair per container (host end `veth` + 8 hex digits, enslaved, hairpin), asks its IPAM
// plugin for the address, configures the container side, puts the gateway on the bridge and
// turns on forwarding; cmdDel releases the address, then removes the container's interface.
#pragma once
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "models/cni/host_local.h"
#include "models/cni/invoke.h"

namespace ol::cni {

struct BridgeConf {  // the keys of the bridge plugin's configuration that change the kernel
  std::string name = "cbr0";  // the network name (host-local's directory)
  std::string cni_version = "0.3.1";
  std::string bridge = "cni0";
  int mtu = 1500;
  bool is_gateway = false;
  bool is_default_gateway = false;  // implies is_gateway
  bool hairpin = false;
  bool ip_masq = false;
  bool force_address = false;
  std::string ipam_type;  // "" : a layer-2 bridge, no address
};

// loadNetConf; throws CniError(6/7) on a malformed configuration.
BridgeConf bridge_conf(const nlohmann::json& conf);

// The plugin binary: ADD, DEL and CHECK (emits into h.out with origin "CNI bridge").
Result bridge_main(const std::string& command, const nlohmann::json& conf, const Runtime& rt, PluginHost& h);

// Shared with ptp, which makes its pair the same way (ip.SetupVeth): the pair is created inside
// the container with TxQLen 0, the host end (`veth` + 8 hex digits) moved out and set up.
std::string setup_veth_pair(const Runtime& rt, int mtu, PluginHost& h, const char* origin);
// The container's interface and host end as a result lists them.
ResultInterface host_interface(const std::string& veth, const Runtime& rt, const PluginHost& h);
ResultInterface container_interface(const Runtime& rt, const PluginHost& h);
// ipam.ConfigureIface: the container's link up, the result's addresses, then its routes (a route
// without a gateway goes via the address's gateway).
void configure_iface(const Runtime& rt, const Result& r, netconfig::NetConfig& out, const char* origin);
// ip.DelLinkByNameAddr in the container, quietly skipped when the link is already gone.
void del_container_link(const Runtime& rt, PluginHost& h, const char* origin);
// ip.ValidateExpectedInterfaceIPs for CHECK: every address of prevResult is on the container's
// interface, which must exist ("<plugin>: CNI created interface in container eth0 not found").
void validate_container_ips(const nlohmann::json& conf, const Runtime& rt, const PluginHost& h, const std::string& who);
// Runs `configure`; if it throws, IPAM DEL gives the address back ("Invoke ipam del if err to
// avoid ip leak"), then the error goes on.
void release_on_error(const std::string& ipam_type, const nlohmann::json& conf, const Runtime& rt, PluginHost& h,
                      const std::function<void()>& configure);
// The result an IPAM plugin gave, ips moved onto interface `index`; CniError when it has none.
Result with_ipam(Result r, const Result& ipam, int index);

}  // namespace ol::cni
