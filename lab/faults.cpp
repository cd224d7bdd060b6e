// The faults a scenario schedules, each as what really happens to the processes and the kernels:
// a flanneld that dies takes only its own process state with it (and, for udp, its TUN: flannel0
// is not persistent, so the kernel deletes it when the last fd closes); a reboot loses every
// kernel object and pod; a link going down flushes the routes through it (fib_disable_ip); etcd
// being unreachable stops writes and watch responses, not the data path.
#include <fmt/format.h>

#include "lab/cluster.h"
#include "lab/node_state.h"
#include "lab/underlay.h"
#include "models/cni/flannel_plugin.h"
#include "models/netconfig/render.h"

namespace ol::cluster {

namespace nc = netconfig;
using scenario::EventKind;

namespace {
constexpr const char* kFault = "fault (scenario event)";
}

void Cluster::fault(const scenario::Event& e) {
  if (e.kind == EventKind::EtcdDown || e.kind == EventKind::EtcdUp) {
    const bool up = e.kind == EventKind::EtcdUp;
    store_.set_reachable(up);
    note("", kFault, up ? "etcd is reachable again: watches resume from their last revision" : "etcd is unreachable from every node");
    return;
  }
  if (e.kind == EventKind::Partition || e.kind == EventKind::Heal) return segment_set(e.target, e.kind == EventKind::Heal);
  NodeState* n = node_state(e.target);
  if (!n || !n->up) return;
  switch (e.kind) {
    case EventKind::FlanneldCrash:
      return flanneld_exits(*n, "flanneld crashed (the process exited)");
    case EventKind::FlanneldRestart:
      if (e.device_lost) vtep_lost(*n);
      note(n->spec->name, kFault, "flanneld starts again");
      n->backoff = 0;
      n->new_mac_next = e.new_vtep_mac;
      return start_flanneld(*n);
    case EventKind::NodeReboot:
      n->new_mac_next = e.new_vtep_mac;
      return node_reboot(*n, e.down_for);
    case EventKind::LinkDown: return link_set(*n, false);
    case EventKind::LinkUp: return link_set(*n, true);
    case EventKind::LinkLoss: return link_loss(*n, e.loss_percent);
    default: return;
  }
}

// The process ends: no watch, no renewal, no route check. Kernel state it made stays, except
// the udp backend's TUN, which the kernel deletes with its routes when the fd closes.
void Cluster::flanneld_exits(NodeState& n, const std::string& why) {
  const std::string& name = n.spec->name;
  note(name, "flanneld", why);
  if (n.flanneld) n.flanneld->stop();
  n.flanneld.reset();
  n.restart->disarm();
  const bool had_proxy = n.proxy != nullptr;
  n.proxy.reset();
  kernel::Netns* ns = world_.netns(name);
  if (had_proxy && ns && ns->dev_by_name("flannel0")) {
    nc::NetConfig cfg;
    cfg.add(nc::LinkDel{name, "flannel0"}, "kernel (tun_chr_close: flanneld's TUN fd closed, the device was not persistent)");
    apply(name, std::move(cfg));
  }
}

// Someone deleted flannel.<VNI> while flanneld was down: its neighbours, FDB entries and routes
// go with it.
void Cluster::vtep_lost(NodeState& n) {
  const std::string vtep = fmt::format("flannel.{}", s_.net_conf.vni);
  if (!world_.netns(n.spec->name)->dev_by_name(vtep)) return;
  nc::NetConfig cfg;
  cfg.add(nc::LinkDel{n.spec->name, vtep}, kFault);
  apply(n.spec->name, std::move(cfg));
}

// A power cycle: every pod and kernel object goes and /run (subnet.env) with them; the lease
// stays in etcd. `down_for` later the node boots: flanneld reuses its lease, the container
// runtime has released the old sandboxes' addresses (CNI DEL), so host-local hands out the next
// ones round robin from last_reserved_ip.
void Cluster::node_reboot(NodeState& n, Nanos down_for) {
  const std::string name = n.spec->name;
  note(name, kFault, fmt::format("the node reboots; it is back in {} s", double(down_for) / 1e9));
  tear_down(n);
  n.files.remove(cni::kSubnetEnvPath);  // /run is a tmpfs
  // The node's own network (its conf dir's choice), and libcni's cached results, which the
  // runtime's DEL of each old sandbox removes.
  const std::string network = n.cni_conf ? n.cni_conf->name : s_.cni.network;
  for (const auto& dir : {std::string("/var/lib/cni/flannel"), fmt::format("/var/lib/cni/networks/{}", network),
                          std::string(cni::kResultsDir)})
    for (const auto& f : n.files.list(dir))
      if (f.find("/last_reserved_ip") == std::string::npos && f.find("/lock") == std::string::npos) n.files.remove(f);
  world_.sim.at(world_.sim.now() + down_for, this, kBoot | n.index);
}

// `ip link set eth0 down|up` on the node: down flushes every route through eth0 (the connected
// one, a default route, host-gw's peer routes); up brings back only the connected route.
void Cluster::link_set(NodeState& n, bool up) {
  nc::NetConfig cfg;
  cfg.add(nc::LinkSet{.netns = n.spec->name, .dev = "eth0", .up = up}, kFault);
  apply(n.spec->name, std::move(cfg));
}

// netem loss on both ends of the node's cable (its eth0 and its switch port), keeping the rate.
void Cluster::link_loss(NodeState& n, double percent) {
  nc::NetConfig cfg;
  const scenario::Segment& seg = s_.segments[n.spec->segment];
  const std::optional<double> loss = percent > 0 ? std::optional<double>(percent) : std::nullopt;
  for (bool port : {true, false}) {
    nc::Netem q = link_shape(seg, port ? seg.name : n.spec->name, port ? "sw-" + n.spec->name : "eth0", n.spec->nic_gbps, port, true);
    q.loss_percent = loss;
    cfg.add(q, kFault);
  }
  apply(n.spec->name, std::move(cfg));
}

// The router's port on the segment goes down (its connected route is flushed), then up again.
void Cluster::segment_set(const std::string& segment, bool up) {
  for (std::size_t i = 0; i < s_.segments.size(); ++i) {
    if (s_.segments[i].name != segment) continue;
    nc::NetConfig cfg;
    cfg.add(nc::LinkSet{.netns = *s_.router, .dev = fmt::format("eth{}", i), .up = up}, kFault);
    apply("", std::move(cfg));
  }
}

}  // namespace ol::cluster
