// The CNI dhcp daemon (`dhcp daemon`, plugins/ipam/dhcp/daemon.go) on one node: it serves
// DHCP.Allocate and DHCP.Release to the plugin binary and keeps one DhcpLease per client id
// ("containerID/netName/ifName"), each maintained (renewed, rebound) until released.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/cni/dhcp.h"
#include "models/userspace/dhcp_lease.h"

namespace ol::kernel {
class World;
}

namespace ol::traffic {

class CniDhcpDaemon final : public cni::DhcpRpc, public EventTarget {
 public:
  // `block` runs the simulation until its argument says the call may return: the plugin's RPC
  // waits while the client's exchange happens on the timeline.
  using Block = std::function<void(const std::function<bool()>& done)>;
  CniDhcpDaemon(kernel::World& world, std::string socket_path, DhcpClientConf conf, Block block);
  ~CniDhcpDaemon() override;

  cni::Result allocate(const std::string& container_id, const std::string& net_name, const cni::Runtime& rt) override;
  void release(const std::string& container_id, const std::string& net_name, const cni::Runtime& rt) override;

  void on_event(std::uint64_t) override {}  // the end of a reply's way back to the plugin

  // From the daemon's answer to the plugin going on: the RPC reply over the unix socket and the
  // dhcp plugin process exiting, before its caller's next netlink request.
  static constexpr Nanos kRpcReturn = kNanosPerMilli;

  const std::string& socket_path() const { return socket_path_; }
  const DhcpLease* lease(const std::string& client_id) const;
  // Every lease it holds or held, by client id (a released one stays until the id is reused).
  const std::map<std::string, std::unique_ptr<DhcpLease>>& leases() const { return leases_; }

  bool traced = false;
  std::function<void(const std::string&)> log;
  std::function<void(const std::string& netns, const std::string& dev, bool up)> set_link;

 private:
  kernel::World& world_;
  std::string socket_path_;
  DhcpClientConf conf_;
  Block block_;
  void reply();
  EventId reply_;
  std::map<std::string, std::unique_ptr<DhcpLease>> leases_;
  std::vector<std::unique_ptr<DhcpLease>> replaced_;  // an Allocate for a held id: the old one runs on
  int started_ = 0;
};

// The CNI result of an ACK (lease.go: IPNet, Gateway, Routes): the address with the mask of
// option 1, the router as gateway, option 121's routes, or else option 33's and a default route
// through the router. Throws DhcpRpcError when the ACK has no subnet mask.
cni::Result dhcp_result(const wire::DhcpMessage& ack);

}  // namespace ol::traffic
