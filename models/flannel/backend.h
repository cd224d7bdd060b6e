// A flannel backend on one node (flannel's backend.Network): sets up the node's devices once it
// holds a lease, then turns each peer lease added or removed into kernel state.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "models/flannel/lease_store.h"
#include "models/flannel/net_conf.h"
#include "models/netconfig/ops.h"
#include "sim/time.h"

namespace ol::flannel {

// How flanneld's UDP backend drives its proxy (CMD_SET_ROUTE / CMD_DEL_ROUTE over a socketpair).
class UdpProxyControl {
 public:
  virtual ~UdpProxyControl() = default;
  virtual void set_route(const Ipv4Prefix& subnet, wire::Ipv4Addr peer, std::uint16_t port) = 0;
  virtual void del_route(const Ipv4Prefix& subnet) = 0;
};

// What a backend reads back from the kernel over netlink (LinkByName, RouteListFiltered).
struct KernelRoute {
  std::optional<wire::Ipv4Addr> gw;
  std::string dev;
};
struct KernelQueries {
  std::function<std::optional<wire::MacAddr>(const std::string& dev)> link_mac;  // nullopt: no such link
  std::function<std::optional<KernelRoute>(const Ipv4Prefix& dst)> route;       // the main table's route to dst
  std::function<bool(const std::string& dev, const Ipv4Prefix& addr)> has_addr;
};

struct BackendContext {
  std::string netns;              // the node's namespace
  std::string ext_iface = "eth0";  // flanneld's --iface
  wire::Ipv4Addr public_ip;
  int ext_mtu = 1500;
  const NetConf* conf = nullptr;
  wire::MacAddr vtep_mac;  // vxlan: the device's MAC (random in flannel, from the seed here)
  // DirectRouting asks the kernel whether a peer is reached without a gateway (ip route get).
  std::function<bool(wire::Ipv4Addr)> on_link;
  UdpProxyControl* proxy = nullptr;  // udp only
  KernelQueries kernel;               // unset in unit tests: the kernel is taken to be empty
};

inline constexpr Nanos kRouteCheckInterval = 10 * kNanosPerSecond;  // route_network.go's routeCheckRetries seconds

class BackendNetwork {
 public:
  virtual ~BackendNetwork() = default;
  // Creates the node's devices for its lease (appending to `out`).
  virtual void setup(const Ipv4Prefix& lease, netconfig::NetConfig& out) = 0;
  virtual nlohmann::json backend_data() const { return nullptr; }
  virtual int mtu() const = 0;  // FLANNEL_MTU
  virtual void add_peer(const Lease& peer, netconfig::NetConfig& out) = 0;
  virtual void remove_peer(const Lease& peer, netconfig::NetConfig& out) = 0;
  virtual const char* origin() const = 0;  // "flanneld vxlan backend", …
  // host-gw's routeCheck (every 10 s): re-adds the routes it owns that the kernel lost. Others: none.
  virtual void check_routes(netconfig::NetConfig&) {}
  virtual bool checks_routes() const { return false; }
  // Netlink requests handleSubnetEvents makes for one peer's event (vxlan: neighbour, FDB entry and
  // route; host-gw: the route; udp: none, its proxy's route list is in-process).
  virtual int requests_per_event() const { return 0; }
};

std::unique_ptr<BackendNetwork> make_backend(Backend kind, BackendContext ctx);

}  // namespace ol::flannel
