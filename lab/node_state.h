// What the cluster keeps per node (private to lab/: cluster.cpp and faults.cpp), and the cookies
// of the cluster's own events.
#pragma once
#include <memory>
#include <optional>

#include "lab/cluster.h"
#include "sim/timer.h"

namespace ol::cluster {

constexpr std::uint64_t kBoot = 1ull << 40, kEvent = 2ull << 40, kExit = 3ull << 40, kIndexMask = (1ull << 40) - 1;

struct Cluster::NodeState {
  const scenario::Node* spec = nullptr;
  std::size_t index = 0;
  std::size_t first_pod = 0, pod_count = 0;  // its pods in Cluster::pods_, which lists them node by node
  netconfig::Files files;
  std::optional<cni::ConfList> cni_conf;  // libcni's choice from the node's conf dir
  std::string cni_conf_error;              // why there is none
  std::unique_ptr<flannel::UdpProxy> proxy;
  std::unique_ptr<traffic::DhcpServer> dhcp_server;    // on its pod bridge (lab/dhcp.cpp)
  std::unique_ptr<traffic::CniDhcpDaemon> dhcp_daemon;
  std::unique_ptr<flannel::Flanneld> flanneld;
  bool up = false;
  int boots = 0;               // how many times it booted (a reboot gives new sandboxes and, in etcd mode, a new VTEP MAC)
  std::unique_ptr<DaemonTimer> restart;  // the kubelet starting an exited flanneld again
  Nanos backoff = 0;
  int starts = 0;  // flanneld processes started
  int vteps = 0;   // VTEP devices flanneld created
  std::optional<wire::MacAddr> vtep_mac;  // the last one's MAC
  std::optional<bool> new_mac_next;       // the scenario's vtep_mac for the next creation
};


}  // namespace ol::cluster
