#include "lab/cluster.h"

#include <algorithm>

#include <fmt/format.h>

#include "models/cni/libcni.h"
#include "models/kernel/apply.h"
#include "models/kernel/devices/tun.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/tables/fib.h"
#include "models/netconfig/render.h"
#include "lab/node_state.h"
#include "lab/underlay.h"

namespace ol::cluster {

namespace nc = netconfig;
using scenario::Backend;

namespace {

// kubelet's CrashLoopBackOff: a flanneld that exits is started again after 10 s, 20 s, … 5 min.
constexpr Nanos kFirstBackoff = 10 * kNanosPerSecond, kMaxBackoff = 300 * kNanosPerSecond;
constexpr const char* kKubelet = "kubelet (CRI)";

}  // namespace

// The CNI plugins' questions, answered from the simulated kernel.
class Cluster::HostView final : public cni::HostView {
 public:
  explicit HostView(kernel::World& w) : w_(w) {}
  bool link_exists(const std::string& netns, const std::string& dev) const override {
    kernel::Netns* ns = w_.netns(netns);
    return ns && ns->dev_by_name(dev);
  }
  std::vector<wire::Ipv4Prefix> addresses(const std::string& netns, const std::string& dev) const override {
    std::vector<wire::Ipv4Prefix> out;
    if (kernel::Netns* ns = w_.netns(netns))
      if (kernel::Device* d = ns->dev_by_name(dev))
        for (const auto& a : d->addrs) out.push_back(a.local);
    return out;
  }

 private:
  kernel::World& w_;
};

Cluster::Cluster(const scenario::Scenario& s, kernel::World& world, bool keep_log)
    : s_(s), world_(world), keep_log_(keep_log), names_(s.seed), store_(world.sim, s.watch_delay, s.lease_ttl),
      host_(std::make_unique<HostView>(world)) {
  store_.set_config(s.net_conf.verbatim);
  store_.log = [this](const std::string& m) { note("", "etcd", m); };
  store_.fanout_per_watcher = s.watch_fanout;
  for (const auto& e : s.events) {
    if (e.kind == scenario::EventKind::NodeJoin) joins_.insert(e.target);
    if (e.kind == scenario::EventKind::NodeLeave) leaves_.insert(e.target);
  }
  const cni::ConfDirChoice shared = cni::choose_conf(s.cni.conf_dir);
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    auto n = std::make_unique<NodeState>();
    n->spec = &s.nodes[i];
    n->index = i;
    const cni::ConfDirChoice own = s.nodes[i].cni_conf_dir ? cni::choose_conf(*s.nodes[i].cni_conf_dir) : cni::ConfDirChoice{};
    const cni::ConfDirChoice& choice = s.nodes[i].cni_conf_dir ? own : shared;
    n->cni_conf = choice.chosen;
    if (!choice.chosen) n->cni_conf_error = fmt::format("no network config found in {}", cni::kConfDir);
    n->restart = std::make_unique<DaemonTimer>(world.sim, [this, node = n.get()] {
      if (node->up && !node->flanneld) start_flanneld(*node);
    });
    n->first_pod = pods_.size();
    n->pod_count = s.nodes[i].pods.size();
    for (const auto& pod : s.nodes[i].pods) {
      pod_index_.emplace(pod, pods_.size());
      pods_.push_back({pod, s.nodes[i].name, names_.container_id(pod), std::nullopt, false, {}});
    }
    nodes_.push_back(std::move(n));
  }
}

Cluster::~Cluster() = default;

void Cluster::start() {
  nc::NetConfig fabric;
  wire_fabric(s_, names_, fabric);
  apply("", std::move(fabric));
  for (std::size_t i = 0; i < s_.nodes.size(); ++i) {
    if (s_.nodes[i].joins_at) world_.sim.at(*s_.nodes[i].joins_at, this, kBoot | i);
    else boot_node(i);
  }
  for (std::size_t i = 0; i < s_.events.size(); ++i)
    if (s_.events[i].kind != scenario::EventKind::NodeJoin) world_.sim.at(s_.events[i].at, this, kEvent | i);
}

void Cluster::converge() { world_.sim.run_foreground(); }

void Cluster::on_event(std::uint64_t cookie) {
  if (blocking_ > 0) return deferred_.push_back(cookie);  // a plugin call is waiting (block)
  const std::size_t i = std::size_t(cookie & kIndexMask);
  if ((cookie & ~kIndexMask) == kBoot) return boot_node(i);
  if ((cookie & ~kIndexMask) == kExit) {  // flanneld exited on its own: the kubelet restarts it
    NodeState& n = *nodes_[i];
    flanneld_exits(n, "flanneld exited (its lease was revoked)");
    n.backoff = kFirstBackoff;
    n.restart->arm(world_.sim.now() + n.backoff);
    return;
  }
  const scenario::Event& e = s_.events[i];
  if (e.kind == scenario::EventKind::NodeLeave) {
    if (NodeState* n = node_state(e.target)) node_leaves(n->index);
  } else if (e.kind == scenario::EventKind::PodDelete) {
    if (auto it = pod_index_.find(e.target); it != pod_index_.end()) pod_del(pods_[it->second]);
  } else {
    fault(e);
  }
}

void Cluster::boot_node(std::size_t index) {
  NodeState& n = *nodes_[index];
  const scenario::Node& spec = *n.spec;
  nc::NetConfig wiring;
  wire_node(s_, spec, names_, wiring);
  apply(spec.name, std::move(wiring));
  n.up = true;
  ++n.boots;
  world_.netns(spec.name)->cpu = &world_.work.add_node_cpu(spec.name, spec.cores);
  start_flanneld(n);
  start_dhcp(n);
  for (auto& p : pods_of(n)) {
    if (n.boots > 1) p.container_id = names_.container_id(fmt::format("{} boot {}", p.name, n.boots));  // a new sandbox
    pod_add(n, p);
  }
}

flannel::BackendContext Cluster::backend_context(NodeState& n) {
  const scenario::Node& spec = *n.spec;
  kernel::Netns& ns = *world_.netns(spec.name);
  flannel::BackendContext ctx;
  ctx.netns = spec.name;
  ctx.public_ip = spec.address;
  ctx.ext_mtu = spec.mtu;
  ctx.conf = &s_.net_conf;
  const std::string vtep = fmt::format("flannel.{}", s_.net_conf.vni);
  if (const kernel::Device* d = ns.dev_by_name(vtep)) {
    ctx.vtep_mac = d->mac;  // ensureLink keeps the existing device, and so its MAC
  } else {
    // A new device gets a random MAC. In kube mode (a pinned podCIDR) flanneld reads the one it
    // used before from the node's backend-data annotation; the etcd subnet manager has none.
    const bool fresh = !n.vtep_mac || n.new_mac_next.value_or(!spec.pod_cidr);
    if (fresh)
      n.vtep_mac = names_.mac(n.vteps == 0 ? fmt::format("{} of {}", vtep, spec.name)
                                           : fmt::format("{} of {} #{}", vtep, spec.name, n.vteps + 1));
    ++n.vteps;
    ctx.vtep_mac = *n.vtep_mac;
  }
  n.new_mac_next.reset();
  ctx.on_link = [&ns](wire::Ipv4Addr peer) {  // `ip route get PEER` shows no gateway
    auto rt = kernel::ip_route_output(ns, peer);
    return rt && !rt->route->gw;
  };
  ctx.kernel.link_mac = [&ns](const std::string& dev) -> std::optional<wire::MacAddr> {
    if (const kernel::Device* d = ns.dev_by_name(dev)) return d->mac;
    return std::nullopt;
  };
  ctx.kernel.has_addr = [&ns](const std::string& dev, const wire::Ipv4Prefix& a) {
    const kernel::Device* d = ns.dev_by_name(dev);
    return d && std::any_of(d->addrs.begin(), d->addrs.end(), [&](const kernel::IfAddr& x) { return x.local == a; });
  };
  ctx.kernel.route = [&ns](const wire::Ipv4Prefix& dst) -> std::optional<flannel::KernelRoute> {
    if (const auto r = ns.main_table.find(dst)) return flannel::KernelRoute{r->gw, r->dev ? r->dev->name : ""};
    return std::nullopt;
  };
  return ctx;
}

// flanneld's start: a lease, subnet.env, the backend's devices and every peer; the kubelet
// starts it again with back-off when it exits (it cannot reach etcd, say).
void Cluster::start_flanneld(NodeState& n) {
  const scenario::Node& spec = *n.spec;
  const std::string name = spec.name;
  kernel::Netns& ns = *world_.netns(name);
  flannel::BackendContext ctx = backend_context(n);
  if (s_.net_conf.backend == Backend::Udp) {
    n.proxy = std::make_unique<flannel::UdpProxy>(ns, spec.address, s_.net_conf.port.value_or(8285));
    n.proxy->thread.core = spec.cores - 1;  // one user-space thread, here on the last core
    if (keep_log_ || on_log) n.proxy->on_command = [this, name](const std::string& m) { note(name, "flanneld udp backend", m); };
    ctx.proxy = n.proxy.get();
  }
  n.flanneld = std::make_unique<flannel::Flanneld>(
      name, std::move(ctx), store_, n.files, world_.sim.stream(++n.starts == 1 ? "flanneld:" + name : fmt::format("flanneld:{} start {}", name, n.starts)),
      [this, name](nc::NetConfig&& cfg) { apply(name, std::move(cfg)); }, world_.sim);
  n.flanneld->renew_margin = s_.renew_margin;
  n.flanneld->request_cost = s_.netlink_request_cost;
  n.flanneld->on_programmed = [this, name](const flannel::Programmed& p) { note_programmed(name, p); };
  n.flanneld->log = [this, name](const std::string& m) { note(name, "flanneld", m); };
  n.flanneld->on_exit = [this, i = n.index](const std::string&) { world_.sim.at(world_.sim.now(), this, kExit | i); };
  try {
    n.flanneld->start(spec.pod_cidr);
    if (n.proxy) {
      auto* tun = static_cast<kernel::TunDevice*>(ns.dev_by_name("flannel0"));
      if (!tun || !n.proxy->open(*tun, n.flanneld->lease().network()))
        error(fmt::format("{}: flanneld udp backend: cannot open flannel0 or bind UDP {}", name, s_.net_conf.port.value_or(8285)));
    }
  } catch (const flannel::FlanneldError& e) {
    note(name, "flanneld", fmt::format("Error registering network: {}", e.what()));
    error(fmt::format("{}: flanneld: {}", name, e.what()));
    n.flanneld.reset();
    n.proxy.reset();
    n.backoff = n.backoff ? std::min(2 * n.backoff, kMaxBackoff) : kFirstBackoff;
    n.restart->arm(world_.sim.now() + n.backoff);
    note(name, kKubelet, fmt::format("Back-off {} s restarting failed container kube-flannel", n.backoff / kNanosPerSecond));
    return;
  }
  n.backoff = 0;
  if (joins_.count(name) || leaves_.count(name)) tracked_leases_[n.flanneld->lease().addr.v] = name;
  retry_pods(n);
}

// The kubelet retries a pod whose sandbox failed (its CNI ADD found no subnet.env, say) with a
// new sandbox once the network is there.
void Cluster::retry_pods(NodeState& n) {
  for (auto& p : pods_of(n)) {
    if (p.running || p.error.empty()) continue;
    nc::NetConfig cleanup;
    if (world_.netns(p.name)) cleanup.add(nc::NetnsDel{p.name}, kKubelet);
    apply(p.node, std::move(cleanup));
    p.error.clear();
    p.container_id = names_.container_id(fmt::format("{} retry {}", p.name, world_.sim.now()));
    pod_add(n, p);
  }
}

// kubelet → CRI RunPodSandbox: containerd makes the sandbox's namespace, then (setupPodNetwork →
// go-cni Setup) runs the loopback network and the network libcni chose from /etc/cni/net.d.
void Cluster::pod_add(NodeState& n, PodState& p) {
  const std::string& node = n.spec->name;
  nc::NetConfig sandbox;
  sandbox.add(nc::NetnsAdd{p.name}, kKubelet);
  apply(node, std::move(sandbox));
  std::vector<cni::Invocation>* calls = recording(p.name);
  const cni::Runtime rt{p.container_id, p.name, "eth0", cni::k8s_cni_args("default", p.name, p.container_id), node};
  nc::NetConfig lo;
  cni::PluginHost lo_host{*host_, n.files, names_, lo, calls};
  cni::Runtime lo_rt = rt;
  lo_rt.ifname = "lo";
  cni::add_network_list(cni::loopback_network(), lo_rt, lo_host);
  apply(node, std::move(lo));
  nc::NetConfig cfg;
  cfg.commands.reserve(16);  // a bridge or ptp ADD issues 11 or 12
  cni::PluginHost h{*host_, n.files, names_, cfg, calls};
  std::size_t applied = 0;  // commands the dhcp plugin made take effect before its call
  if (n.dhcp_daemon) plug_dhcp(n, h, node, applied);
  try {
    if (!n.cni_conf) throw cni::CniError(999, n.cni_conf_error);
    const cni::Result r = cni::add_network_list(*n.cni_conf, rt, h, cni::k8s_capability_args());
    if (r.ips.empty()) throw cni::CniError(999, fmt::format("{} gave the pod no IPv4 address", n.cni_conf->file));
    p.ip = r.ips.front().address.addr;
    p.running = true;
    apply_rest(node, std::move(cfg), applied);
    note(node, n.dhcp_daemon ? "CNI dhcp" : "CNI host-local",  // the IPAM plugins modelled
         fmt::format("{} was given to container {} ({})", r.ips.front().address.str(), p.container_id.substr(0, 12), p.name));
  } catch (const cni::CniError& e) {
    apply_rest(node, std::move(cfg), applied);  // what the plugins did before failing stays done
    p.error = e.what();
    note(node, kKubelet, fmt::format("RunPodSandbox {} failed: failed to setup network for sandbox: {}", p.name, e.what()));
    error(fmt::format("{}: CNI ADD for pod {}: {}", node, p.name, e.what()));
  }
}

// StopPodSandbox: the pod's network DEL (its plugins in reverse), the loopback's, then the namespace.
void Cluster::pod_del(PodState& p) {
  NodeState* n = node_state(p.node);
  if (!n || !world_.netns(p.name)) return;
  std::vector<cni::Invocation>* calls = recording(p.name);
  const cni::Runtime rt{p.container_id, p.name, "eth0", cni::k8s_cni_args("default", p.name, p.container_id), p.node};
  nc::NetConfig cfg;
  cni::PluginHost h{*host_, n->files, names_, cfg, calls};
  std::size_t applied = 0;
  if (n->dhcp_daemon) plug_dhcp(*n, h, p.node, applied);
  try {
    if (n->cni_conf) cni::del_network_list(*n->cni_conf, rt, h, cni::k8s_capability_args());
  } catch (const cni::CniError& e) {
    error(fmt::format("{}: CNI DEL for pod {}: {}", p.node, p.name, e.what()));
  }
  apply_rest(p.node, std::move(cfg), applied);
  nc::NetConfig lo;
  cni::PluginHost lo_host{*host_, n->files, names_, lo, calls};
  cni::Runtime lo_rt = rt;
  lo_rt.ifname = "lo";
  cni::del_network_list(cni::loopback_network(), lo_rt, lo_host);
  lo.add(nc::NetnsDel{p.name}, kKubelet);
  apply(p.node, std::move(lo));
  p.running = false;
  p.ip.reset();
}

void Cluster::node_leaves(std::size_t index) {
  NodeState& n = *nodes_[index];
  if (!n.up) return;
  const std::string name = n.spec->name;
  if (n.flanneld) {
    n.flanneld->stop();
    const auto lease = n.flanneld->lease();
    if (store_.remove(lease)) note(name, "lease store", fmt::format("deleted {}", flannel::subnet_key(lease)));
  }
  tear_down(n);
}

void Cluster::tear_down(NodeState& n) {
  const std::string name = n.spec->name;
  stop_dhcp(n);
  if (n.flanneld) n.flanneld->stop();
  n.flanneld.reset();
  n.restart->disarm();
  n.proxy.reset();
  nc::NetConfig cfg;
  for (auto& p : pods_of(n))
    if (world_.netns(p.name)) {
      cfg.add(nc::NetnsDel{p.name}, kKubelet);
      p.running = false;
      p.ip.reset();
    }
  cfg.add(nc::NetnsDel{name}, kUnderlayOrigin);
  apply(name, std::move(cfg));
  n.up = false;
}

void Cluster::apply(const std::string& node, nc::NetConfig&& cfg) {
  for (auto& c : cfg.commands) {
    std::string refused;
    try {
      kernel::apply(world_, c.op);
      if (const auto* link = std::get_if<nc::LinkAdd>(&c.op)) {
        set_gso(link->netns, link->name);
        if (link->peer) set_gso(link->peer->netns.empty() ? link->netns : link->peer->netns, link->peer->name);
      }
      if (const auto* add = std::get_if<nc::NetnsAdd>(&c.op); add && !node.empty() && add->name != node) {
        kernel::Netns& pod = *world_.netns(add->name);
        pod.node = node;
        pod.cpu = world_.work.node_cpu(node);  // a pod's work runs on its node's cores
      } else if (add && node.empty()) {
        world_.netns(add->name)->cpu = world_.work.lab_cpu();  // a switch or router: free, but in the lab
      }
    } catch (const kernel::ConfigError& err) {
      refused = err.what();
      if (auto nl = refused.find("\n    "); nl != std::string::npos) refused = refused.substr(nl + 5);
      error(fmt::format("{}: {}: {}: {}", node.empty() ? "underlay" : node, c.origin, nc::render(c.op), refused));
    }
    if (!keep_log_ && !on_log) continue;  // a large scenario run for its tables only
    LogEntry e{world_.sim.now(), node, std::string(c.origin), std::move(c.op), {}, std::move(refused)};
    if (on_log) on_log(e);
    if (keep_log_) log_.push_back(std::move(e));
  }
}

// The scenario's offloads: GSO off everywhere, or on the devices it names (a TUN never has it).
void Cluster::set_gso(const std::string& netns, const std::string& dev) {
  kernel::Netns* ns = world_.netns(netns);
  kernel::Device* d = ns ? ns->dev_by_name(dev) : nullptr;
  if (!d) return;
  d->gso = s_.gso && std::find(s_.gso_off.begin(), s_.gso_off.end(), dev) == s_.gso_off.end();
}

void Cluster::error(std::string text) {
  if (error_seen_.insert(text).second) errors_.push_back(std::move(text));
}

bool Cluster::flanneld_running(std::string_view node) const {
  for (const auto& n : nodes_)
    if (n->spec->name == node) return n->up && n->flanneld;
  return false;
}

void Cluster::note(const std::string& node, const std::string& origin, std::string text) {
  LogEntry e{world_.sim.now(), node, origin, std::nullopt, std::move(text), {}};
  if (on_log) on_log(e);
  if (keep_log_) log_.push_back(std::move(e));
}

Cluster::NodeState* Cluster::node_state(std::string_view name) {
  for (auto& n : nodes_)
    if (n->spec->name == name) return n.get();
  return nullptr;
}

const PodState* Cluster::pod(std::string_view name) const {
  auto it = pod_index_.find(name);
  return it == pod_index_.end() ? nullptr : &pods_[it->second];
}

const nc::Files* Cluster::files(std::string_view node) const {
  for (const auto& n : nodes_)
    if (n->spec->name == node) return &n->files;
  return nullptr;
}

std::optional<wire::Ipv4Prefix> Cluster::lease_of(std::string_view node) const {
  for (const auto& n : nodes_)
    if (n->spec->name == node && n->flanneld && n->up) return n->flanneld->lease();
  return std::nullopt;
}

std::vector<cni::Invocation>* Cluster::recording(std::string_view pod) {
  auto it = cni_recorded_.find(pod);
  return it == cni_recorded_.end() ? nullptr : &it->second;
}

const std::vector<cni::Invocation>* Cluster::cni_calls(std::string_view pod) const {
  auto it = cni_recorded_.find(pod);
  return it == cni_recorded_.end() ? nullptr : &it->second;
}

const cni::ConfList* Cluster::cni_conf(std::string_view node) const {
  for (const auto& n : nodes_)
    if (n->spec->name == node) return n->cni_conf ? &*n->cni_conf : nullptr;
  return nullptr;
}

const flannel::UdpProxy* Cluster::proxy(std::string_view node) const {
  for (const auto& n : nodes_)
    if (n->spec->name == node) return n->proxy.get();
  return nullptr;
}

void Cluster::note_programmed(const std::string& peer, const flannel::Programmed& p) {
  auto it = tracked_leases_.find(p.subnet.addr.v);
  if (it == tracked_leases_.end()) return;
  const bool joined = p.type == flannel::LeaseEventType::Added;
  if (!(joined ? joins_ : leaves_).count(it->second)) return;  // a leaving node's own boot is not measured
  convergence_.push_back({it->second, p.subnet, joined, peer, p.written, p.heard, p.done});
}

std::span<PodState> Cluster::pods_of(const NodeState& n) { return std::span<PodState>(pods_).subspan(n.first_pod, n.pod_count); }

}  // namespace ol::cluster
