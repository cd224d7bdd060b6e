#include "models/cni/dhcp.h"

#include <fmt/format.h>

namespace ol::cni {

using nlohmann::json;

std::string dhcp_client_id(const std::string& container_id, const std::string& net_name, const std::string& ifname) {
  std::string id = container_id + "/" + net_name + "/" + ifname;
  if (id.size() > 254) id.resize(254);
  return id;
}

// rpcCall: dial the socket, then call; both errors are plain Go errors, which skel prints as
// code 999.
Result dhcp_main(const std::string& command, const json& conf, const Runtime& rt, PluginHost& h) {
  std::string path = kDhcpSocketPath;
  if (conf.contains("ipam") && conf["ipam"].is_object()) {
    const std::string p = conf["ipam"].value("daemonSocketPath", "");
    if (!p.empty()) path = p;
  }
  DhcpRpc* daemon = h.dial_dhcp ? h.dial_dhcp(path) : nullptr;
  if (!daemon)
    throw CniError(999, fmt::format("error dialing DHCP daemon: dial unix {}: connect: no such file or directory", path));
  if (h.sync) h.sync();  // the container's interface exists for the daemon's client
  const std::string name = conf.value("name", "");
  const char* method = command == "DEL" ? "DHCP.Release" : "DHCP.Allocate";
  try {
    if (command == "DEL") {
      daemon->release(rt.container_id, name, rt);
      return {};
    }
    Result r = daemon->allocate(rt.container_id, name, rt);
    return command == "ADD" ? r : Result{};
  } catch (const DhcpRpcError& e) {
    throw CniError(999, fmt::format("error calling {}: {}", method, e.what()));
  }
}

}  // namespace ol::cni
