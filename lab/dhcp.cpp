// The DHCP pieces of a node whose pods get their addresses from the dhcp IPAM plugin: a DHCP
// server (dnsmasq) in its own namespace plugged into the node's pod bridge, and the CNI dhcp
// daemon, whose DHCP.Allocate blocks the plugin while the exchange runs on the timeline.
#include <utility>

#include <fmt/format.h>

#include "lab/node_state.h"
#include "lab/dhcp_wiring.h"
#include "models/scenario/dhcp_conf.h"

namespace ol::cluster {

namespace nc = netconfig;

namespace {
constexpr const char* kDaemonOrigin = "CNI dhcp daemon";
}  // namespace

void Cluster::start_dhcp(NodeState& n) {
  const scenario::Node& spec = *n.spec;
  if (!n.cni_conf || n.cni_conf->plugins.empty() || !scenario::uses_dhcp(n.cni_conf->plugins.front())) return;
  const nlohmann::json* plugin = &n.cni_conf->plugins.front();
  const std::string node = spec.name;
  if (spec.dhcp_server) {
    nc::NetConfig wiring;
    wire_dhcp_server(node, *plugin, *spec.dhcp_server, names_, wiring);
    apply(node, std::move(wiring));
    n.dhcp_server = std::make_unique<traffic::DhcpServer>(*world_.netns(dhcp_server_netns(node)), dhcp_server_conf(*spec.dhcp_server));
    n.dhcp_server->traced = !cni_recorded_.empty();
    n.dhcp_server->log = [this, node](const std::string& m) { note(node, kDhcpServerOrigin, m); };
  }
  traffic::DhcpClientConf dc{s_.dhcp_daemon.timeout, s_.dhcp_daemon.resend_max};
  n.dhcp_daemon = std::make_unique<traffic::CniDhcpDaemon>(world_, s_.dhcp_daemon.socket_path, dc,
                                                           [this](const std::function<bool()>& done) { block(done); });
  n.dhcp_daemon->traced = !cni_recorded_.empty();
  n.dhcp_daemon->log = [this, node](const std::string& m) { note(node, kDaemonOrigin, m); };
  n.dhcp_daemon->set_link = [this, node](const std::string& netns, const std::string& dev, bool up) {
    nc::NetConfig cfg;
    cfg.add(nc::LinkSet{.netns = netns, .dev = dev, .up = up}, kDaemonOrigin);
    apply(node, std::move(cfg));
  };
}

void Cluster::stop_dhcp(NodeState& n) {
  n.dhcp_daemon.reset();  // its leases' sockets live in the pods' namespaces
  n.dhcp_server.reset();
  if (world_.netns(dhcp_server_netns(n.spec->name))) {
    nc::NetConfig cfg;
    cfg.add(nc::NetnsDel{dhcp_server_netns(n.spec->name)}, kDhcpServerOrigin);
    apply(n.spec->name, std::move(cfg));
  }
}

void Cluster::plug_dhcp(NodeState& n, cni::PluginHost& h, const std::string& node, std::size_t& applied) {
  traffic::CniDhcpDaemon* daemon = n.dhcp_daemon.get();
  h.dial_dhcp = [daemon](const std::string& path) -> cni::DhcpRpc* {
    return path == daemon->socket_path() ? daemon : nullptr;
  };
  h.sync = [this, &h, node, &applied] {
    nc::NetConfig now;
    now.commands.assign(h.out.commands.begin() + std::ptrdiff_t(applied), h.out.commands.end());
    applied = h.out.commands.size();
    apply(node, std::move(now));
  };
}

// The commands not yet applied by a sync.
void Cluster::apply_rest(const std::string& node, nc::NetConfig&& cfg, std::size_t applied) {
  cfg.commands.erase(cfg.commands.begin(), cfg.commands.begin() + std::ptrdiff_t(applied));
  apply(node, std::move(cfg));
}

// The plugin's RPC waits: the simulation runs on until the call may return. Meanwhile the
// cluster's own events (boots, faults, deletions) wait for it, as the kubelet does not act on a
// node whose sandbox is still being set up; everything else (packets, daemons) goes on.
void Cluster::block(const std::function<bool()>& done) {
  ++blocking_;
  while (!done() && world_.sim.step()) {
  }
  if (--blocking_ > 0) return;
  for (std::uint64_t cookie : std::exchange(deferred_, {})) world_.sim.at(world_.sim.now(), this, cookie);
}

const traffic::DhcpServer* Cluster::dhcp_server(std::string_view node) const {
  for (const auto& n : nodes_)
    if (n->spec->name == node) return n->dhcp_server.get();
  return nullptr;
}

const traffic::CniDhcpDaemon* Cluster::dhcp_daemon(std::string_view node) const {
  for (const auto& n : nodes_)
    if (n->spec->name == node) return n->dhcp_daemon.get();
  return nullptr;
}

}  // namespace ol::cluster
