#include "models/userspace/cni_dhcp_daemon.h"

#include <fmt/format.h>

#include "models/kernel/world.h"

namespace ol::traffic {

namespace dh = wire::dhcp;

CniDhcpDaemon::CniDhcpDaemon(kernel::World& world, std::string socket_path, DhcpClientConf conf, Block block)
    : world_(world), socket_path_(std::move(socket_path)), conf_(conf), block_(std::move(block)) {}

CniDhcpDaemon::~CniDhcpDaemon() { world_.sim.cancel(reply_); }

void CniDhcpDaemon::reply() {
  const Nanos back = world_.sim.now() + kRpcReturn;
  reply_ = world_.sim.timer_at(back, this, 0);
  block_([this, back] { return world_.sim.now() >= back; });
}

const DhcpLease* CniDhcpDaemon::lease(const std::string& client_id) const {
  auto it = leases_.find(client_id);
  return it == leases_.end() ? nullptr : it->second.get();
}

cni::Result dhcp_result(const wire::DhcpMessage& ack) {
  const auto len = ack.mask_len();
  if (!len) throw cni::DhcpRpcError("DHCP option Subnet Mask not found in DHCPACK");
  cni::Result r;
  const auto router = ack.addr(dh::kRouter);
  r.ips.push_back({{ack.yiaddr, *len}, router, std::nullopt});
  const auto classless = ack.classless_routes();  // RFC 3442: when present, 33 and 3 are ignored
  for (const auto& rt : classless) r.routes.push_back({rt.dst, rt.gw});
  if (!classless.empty()) return r;
  for (const auto& rt : ack.static_routes()) r.routes.push_back({rt.dst, rt.gw});
  if (router) r.routes.push_back({{{0}, 0}, *router});  // "the CNI spec says … a default route"
  return r;
}

cni::Result CniDhcpDaemon::allocate(const std::string& container_id, const std::string& net_name, const cni::Runtime& rt) {
  const std::string id = cni::dhcp_client_id(container_id, net_name, rt.ifname);
  kernel::Netns* ns = world_.netns(rt.netns);
  if (!ns) throw cni::DhcpRpcError(fmt::format("failed to open netns \"{}\": no such file or directory", rt.netns_path()));
  auto l = std::make_unique<DhcpLease>(*ns, rt.ifname, id, conf_, world_.sim.stream(fmt::format("cni dhcp daemon {} lease {}", id, ++started_)));
  l->traced = traced;
  l->log = log;
  const std::string netns = rt.netns;
  l->set_link = [this, netns](const std::string& dev, bool up) {
    if (set_link) set_link(netns, dev, up);
  };
  DhcpLease& lease = *l;
  lease.acquire();
  block_([&lease] { return !lease.acquiring(); });
  reply();
  if (lease.state() == LeaseState::Failed) throw cni::DhcpRpcError(lease.error());
  cni::Result r;
  try {
    r = dhcp_result(*lease.ack());
  } catch (const cni::DhcpRpcError&) {
    lease.stop();
    throw;
  }
  if (auto it = leases_.find(id); it != leases_.end()) replaced_.push_back(std::move(it->second));
  leases_[id] = std::move(l);
  return r;
}

void CniDhcpDaemon::release(const std::string& container_id, const std::string& net_name, const cni::Runtime& rt) {
  const std::string id = cni::dhcp_client_id(container_id, net_name, rt.ifname);
  if (auto it = leases_.find(id); it != leases_.end()) it->second->stop();  // it stays, released
  reply();
}

}  // namespace ol::traffic
