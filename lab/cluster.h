// A scenario brought to life: the lab wiring, then on each node flanneld and the kubelet's CNI
// calls for its pods, at the times the scenario says (boot at 0, joins, leaves, pod deletions),
// and the faults it schedules (flanneld crashing and restarting, reboots, links, etcd).
// Every command any component issues is applied to the simulated kernel at once and logged with
// its time and origin; `overlaylab config` prints that log, `tables` the kernel it built.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "models/cni/host_local.h"
#include "models/cni/libcni.h"
#include "models/cni/naming.h"
#include "models/flannel/flanneld.h"
#include "models/userspace/cni_dhcp_daemon.h"
#include "models/userspace/dhcp_server.h"
#include "models/userspace/udp_proxy.h"
#include "models/kernel/world.h"
#include "models/netconfig/files.h"
#include "models/scenario/spec.h"

namespace ol::cluster {

struct LogEntry {
  Nanos time = 0;
  std::string node;    // the node the command concerns ("" for the fabric)
  std::string origin;  // "CNI bridge", "flanneld vxlan backend", …
  std::optional<netconfig::Op> op;  // a command, or (when empty) a note such as a lease acquired
  std::string note;
  std::string refused;  // the kernel's words when it refused the command
};

struct PodState {
  std::string name;
  std::string node;
  std::string container_id;
  std::optional<wire::Ipv4Addr> ip;
  bool running = false;
  std::string error;  // why CNI ADD failed
};

// A node that joins or leaves after the start, as each peer's flanneld programmed it: its lease
// written to the store, heard by the peer's watch, and the peer's commands applied.
struct Convergence {
  std::string node;  // the node joining or leaving
  wire::Ipv4Prefix subnet;
  bool joined = true;  // false: its lease was removed
  std::string peer;
  Nanos written = 0, heard = 0, programmed = 0;
};

class Cluster final : public EventTarget {
 public:
  // `world` must outlive the cluster. With keep_log false nothing is logged (large scenarios).
  Cluster(const scenario::Scenario& s, kernel::World& world, bool keep_log = true);
  ~Cluster();

  // Schedules the boot and the scenario's events; call once, then run the simulator.
  void start();
  // Runs the simulator until only daemons' timers are left (lease renewals, route checks, etcd's
  // TTLs): every scheduled event has happened and its consequences have settled.
  void converge();

  const std::vector<LogEntry>& log() const { return log_; }
  std::function<void(const LogEntry&)> on_log;  // sees each entry as it happens
  const PodState* pod(std::string_view name) const;
  const std::vector<PodState>& pods() const { return pods_; }
  // The node's DHCP server and CNI dhcp daemon, when its pods use dhcp IPAM (else null).
  const traffic::DhcpServer* dhcp_server(std::string_view node) const;
  const traffic::CniDhcpDaemon* dhcp_daemon(std::string_view node) const;
  const netconfig::Files* files(std::string_view node) const;
  const flannel::LeaseStore& leases() const { return store_; }
  std::optional<wire::Ipv4Prefix> lease_of(std::string_view node) const;
  const flannel::UdpProxy* proxy(std::string_view node) const;
  const scenario::Scenario& scenario() const { return s_; }
  // Errors that stopped a component (flanneld out of subnets, CNI ADD failures), in order.
  const std::vector<std::string>& errors() const { return errors_; }
  bool flanneld_running(std::string_view node) const;
  // Keep every CNI plugin invocation made for `pod` (call before start()); read them with cni_calls.
  // Records the pod's CNI calls; DHCP messages (the dhcp IPAM plugin's) are then traced hop by
  // hop into dhcp_trace() unless a walk or run has its own trace sink.
  void record_cni(std::string pod) {
    cni_recorded_[std::move(pod)];
    if (!world_.tracing.sink) world_.tracing.sink = &dhcp_trace_;
  }
  const TraceLog& dhcp_trace() const { return dhcp_trace_; }
  const std::vector<cni::Invocation>* cni_calls(std::string_view pod) const;
  // The configuration libcni chose from the node's conf dir, or nullptr (then why in cni_conf_error).
  const cni::ConfList* cni_conf(std::string_view node) const;
  // Every peer's programming of every node that joined or left by a scenario event, in order.
  const std::vector<Convergence>& convergence() const { return convergence_; }

  void on_event(std::uint64_t cookie) override;

 private:
  struct NodeState;
  class HostView;

  void boot_node(std::size_t index);
  void node_leaves(std::size_t index);
  void start_flanneld(NodeState& n);
  flannel::BackendContext backend_context(NodeState& n);
  void retry_pods(NodeState& n);
  void tear_down(NodeState& n);  // flanneld and every pod gone, then the node's namespace
  // Faults (lab/faults.cpp).
  void fault(const scenario::Event& e);
  void flanneld_exits(NodeState& n, const std::string& why);
  void node_reboot(NodeState& n, Nanos down_for);
  void vtep_lost(NodeState& n);
  void link_set(NodeState& n, bool up);
  void link_loss(NodeState& n, double percent);
  void segment_set(const std::string& segment, bool up);
  void start_dhcp(NodeState& n);  // lab/dhcp.cpp
  void stop_dhcp(NodeState& n);
  void block(const std::function<bool()>& done);
  // The plugins on `node` can dial its dhcp daemon, and make their commands take effect before.
  void plug_dhcp(NodeState& n, cni::PluginHost& h, const std::string& node, std::size_t& applied);
  void apply_rest(const std::string& node, netconfig::NetConfig&& cfg, std::size_t applied);
  void pod_add(NodeState& n, PodState& p);
  void pod_del(PodState& p);
  std::vector<cni::Invocation>* recording(std::string_view pod);  // where its CNI calls go, or nullptr
  void apply(const std::string& node, netconfig::NetConfig&& cfg);
  void note(const std::string& node, const std::string& origin, std::string text);
  void error(std::string text);
  void set_gso(const std::string& netns, const std::string& dev);
  NodeState* node_state(std::string_view name);
  std::span<PodState> pods_of(const NodeState& n);
  void note_programmed(const std::string& peer, const flannel::Programmed& p);

  const scenario::Scenario& s_;
  kernel::World& world_;
  bool keep_log_;
  cni::Naming names_;
  flannel::LeaseStore store_;
  std::unique_ptr<HostView> host_;
  std::vector<std::unique_ptr<NodeState>> nodes_;
  std::vector<PodState> pods_;
  std::map<std::string, std::size_t, std::less<>> pod_index_;
  std::vector<LogEntry> log_;
  std::vector<std::string> errors_;
  std::unordered_set<std::string> error_seen_;
  std::unordered_set<std::string> joins_, leaves_;       // nodes with a node-join / node-leave event
  std::map<std::uint32_t, std::string> tracked_leases_;  // their subnets (network address) → node
  std::map<std::string, std::vector<cni::Invocation>, std::less<>> cni_recorded_;
  TraceLog dhcp_trace_;
  int blocking_ = 0;                     // plugin calls waiting in block()
  std::vector<std::uint64_t> deferred_;  // the cluster's events that came meanwhile
  std::vector<Convergence> convergence_;  // a failure repeated (a route check every 10 s) is listed once
};

}  // namespace ol::cluster
