// The dhcp IPAM plugin (plugins/ipam/dhcp): a thin binary that asks the dhcp daemon, over the
// daemon's unix socket (ipam "daemonSocketPath", /run/cni/dhcp.sock by default), to
// DHCP.Allocate an address for the container (ADD, and CHECK too: the real plugin allocates again)
// or to DHCP.Release it (DEL). The daemon's client runs the DHCP exchange in the container's
// namespace, so the container's interface must exist before the call: bridge creates the veth
// first, ptp does not (its ADD fails with "error looking up \"eth0\"").
#pragma once
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "models/cni/invoke.h"
#include "models/cni/result.h"

namespace ol::cni {

inline constexpr const char* kDhcpSocketPath = "/run/cni/dhcp.sock";

// The daemon behind a socket (implemented where the kernel is: models/userspace). A failed call
// throws DhcpRpcError with the daemon's own words ("no more tries").
class DhcpRpc {
 public:
  virtual ~DhcpRpc() = default;
  // DHCP.Allocate: returns once the daemon's client holds a lease (or has given up).
  virtual Result allocate(const std::string& container_id, const std::string& net_name, const Runtime& rt) = 0;
  virtual void release(const std::string& container_id, const std::string& net_name, const Runtime& rt) = 0;
};

class DhcpRpcError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// generateClientID: "containerID/netName/ifName", cut at 254 bytes.
std::string dhcp_client_id(const std::string& container_id, const std::string& net_name, const std::string& ifname);

Result dhcp_main(const std::string& command, const nlohmann::json& conf, const Runtime& rt, PluginHost& h);

}  // namespace ol::cni
