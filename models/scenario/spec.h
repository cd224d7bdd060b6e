// A loaded, validated scenario (the ClusterSpec of DESIGN.md): what the control plane builds and
// what the workloads do. Every field has its default filled in; names are unique across kinds.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/cni/conf.h"
#include "models/flannel/net_conf.h"
#include "models/wire/addr.h"
#include "sim/time.h"

namespace ol::scenario {

using wire::Ipv4Addr;
using wire::Ipv4Prefix;
using cni::CniConf;
using flannel::Backend;
using flannel::NetConf;
using flannel::backend_name;
using flannel::parse_backend;

struct Segment {  // one L2 switch: a namespace holding bridge br0
  std::string name;
  Ipv4Prefix subnet;
  std::optional<Ipv4Addr> gateway;  // the router's address on this segment
  Nanos delay = 0;                  // one-way propagation delay of each port
  enum class Shaper { Netem, Tbf };
  Shaper shaper = Shaper::Netem;    // what shapes its cables' rate (tbf: a kernel without netem)
};

// A DHCP server on a node's pod bridge (nodes[i].dhcp_server), in dnsmasq's terms.
struct DhcpServerSpec {
  Ipv4Addr first, last;  // --dhcp-range
  Ipv4Prefix address;    // its own address on the bridge: the server identifier
  std::optional<Ipv4Addr> router;
  Nanos lease_time = 3600 * kNanosPerSecond;
  std::vector<std::pair<Ipv4Prefix, Ipv4Addr>> routes;  // option 121
};

// The CNI dhcp daemon's flags ($.cni_dhcp_daemon).
struct DhcpDaemonSpec {
  std::string socket_path = "/run/cni/dhcp.sock";
  Nanos timeout = 10 * kNanosPerSecond;
  Nanos resend_max = 62 * kNanosPerSecond;
};

struct Node {
  std::string name;
  Ipv4Addr address;
  std::size_t segment = 0;  // index into Scenario::segments
  int cores = 4;
  double nic_gbps = 10;
  int mtu = 1500;
  std::optional<Ipv4Prefix> pod_cidr;  // a pinned lease (kube mode's node.spec.podCIDR)
  std::vector<std::string> pods;
  // This node's /etc/cni/net.d when it differs from the cluster's (file name → contents).
  std::optional<std::map<std::string, std::string>> cni_conf_dir;
  std::optional<DhcpServerSpec> dhcp_server;
  bool no_dhcp_server = false;  // "dhcp_server": "none"
  std::optional<Nanos> joins_at;  // set when an event makes it join later
};

struct Workload {
  std::string type = "ping";  // ping | udp | tcp
  std::string from, to;       // pod names
  Nanos at = 0;
  int count = 1;                      // ping
  Nanos interval = kNanosPerSecond;   // ping
  int size = 56;                      // ping and udp payload bytes
  Nanos duration = kNanosPerSecond;   // udp and tcp
  double rate_pps = 0;                // udp; 0: flood
  std::uint16_t port = 0;             // udp and tcp; 0: 5001 + the workload's index
};

// The scenario's "type" names, in this order.
#define OL_EVENT_KINDS(X)                                                                                        \
  X(NodeJoin, "node-join") X(NodeLeave, "node-leave") X(PodDelete, "pod-delete") X(FlanneldCrash, "flanneld-crash") \
  X(FlanneldRestart, "flanneld-restart") X(NodeReboot, "node-reboot") X(LinkDown, "link-down") X(LinkUp, "link-up")   \
  X(LinkLoss, "link-loss") X(Partition, "partition") X(Heal, "heal") X(EtcdDown, "etcd-down") X(EtcdUp, "etcd-up")
enum class EventKind {
#define OL_X(id, name) id,
  OL_EVENT_KINDS(OL_X)
#undef OL_X
};
const char* event_name(EventKind k);
std::optional<EventKind> parse_event_kind(std::string_view name);

struct Event {
  Nanos at = 0;
  EventKind kind = EventKind::NodeJoin;
  std::string target;           // the node, pod or segment ("" for etcd-down and etcd-up)
  Nanos down_for = 30 * kNanosPerSecond;  // node-reboot
  double loss_percent = 0;      // link-loss
  bool device_lost = false;     // flanneld-restart: flannel.<VNI> was deleted while it was down
  // flanneld-restart and node-reboot: whether a re-created VTEP device gets a new MAC. Unset: the
  // subnet manager decides (kube mode keeps it in the node's annotation; etcd mode has none).
  std::optional<bool> new_vtep_mac;
};

struct Scenario {
  std::string file;
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  std::vector<Segment> segments;
  std::optional<std::string> router;  // a forwarding namespace joining the segments
  std::vector<Node> nodes;
  NetConf net_conf;
  CniConf cni;
  DhcpDaemonSpec dhcp_daemon;
  Nanos watch_delay = 10 * kNanosPerMilli;          // until the first watcher hears of a change
  Nanos watch_fanout = 10 * kNanosPerMicro;          // per watcher after that (the store sends one by one)
  Nanos netlink_request_cost = 25 * kNanosPerMicro;  // flanneld's cost per command it issues
  Nanos lease_ttl = 24 * 3600 * kNanosPerSecond;     // etcd's TTL on a lease (flannel's subnetTTL)
  Nanos renew_margin = 3600 * kNanosPerSecond;       // flanneld --subnet-lease-renew-margin
  bool gso = true;                    // offloads.gso
  std::vector<std::string> gso_off;   // offloads.gso_off: devices (by name) without GSO
  std::vector<Workload> workloads;
  std::vector<Event> events;  // sorted by time, stable

  const Node* node(std::string_view name) const;
  // The node a pod runs on, or nullptr.
  const Node* node_of_pod(std::string_view pod) const;
  // Every pod's node at once, for a caller that asks about many pods (node_of_pod scans).
  std::unordered_map<std::string_view, const Node*> pod_homes() const;
};

}  // namespace ol::scenario
