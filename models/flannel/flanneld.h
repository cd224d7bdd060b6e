// flanneld on one node: acquires a lease (the subnet manager), writes subnet.env, has its backend
// set the node up, then follows every peer lease: the ones listed at start at once, later ones as
// the store's watch delivers them. It renews its lease `renew_margin` before it expires
// (CompleteLease), and host-gw checks its routes every 10 s. A restarted flanneld is a new one:
// it finds the lease held for its public IP and reuses it (tryAcquireLease's findLeaseByIP).
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "models/flannel/backend.h"
#include "models/flannel/lease_store.h"
#include "models/netconfig/files.h"
#include "sim/random.h"
#include "sim/timer.h"

namespace ol::flannel {

class FlanneldError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Flanneld {
 public:
  // Receives each batch of commands as flanneld issues it; the caller applies them.
  using Emit = std::function<void(netconfig::NetConfig&&)>;

  static constexpr Nanos kDefaultRenewMargin = 60 * 60 * kNanosPerSecond;  // --subnet-lease-renew-margin=60 (minutes)
  static constexpr Nanos kRenewRetry = 60 * kNanosPerSecond;              // "trying again in 1 min"

  Flanneld(std::string node, BackendContext ctx, LeaseStore& store, netconfig::Files& files, RandomStream rand, Emit emit,
           Simulator& sim);
  ~Flanneld();

  // Throws FlanneldError when no lease can be had (out of subnets, etcd unreachable): flanneld
  // exits. `pinned`: a lease chosen for it (kube mode's node.spec.podCIDR).
  void start(std::optional<Ipv4Prefix> pinned = std::nullopt);
  void stop();  // the process ends (the node goes away, or it crashed): no watch, no timers

  const Ipv4Prefix& lease() const { return lease_; }
  BackendNetwork& backend() { return *backend_; }
  bool ipmasq = true;  // kube-flannel runs flanneld with --ip-masq
  Nanos renew_margin = kDefaultRenewMargin;
  std::function<void(const std::string&)> log;  // flanneld's log lines
  // The process exits on its own (its lease revoked); called once it has stopped.
  std::function<void(const std::string& why)> on_exit;

 private:
  void on_lease_events(std::span<const LeaseEvent> batch);
  Ipv4Prefix acquire(std::optional<Ipv4Prefix> pinned, const LeaseAttrs& attrs);
  void renew();
  void check_routes();
  void arm_renewal();

  Simulator& sim_;
  std::string node_;
  BackendContext ctx_;
  LeaseStore& store_;
  netconfig::Files& files_;
  RandomStream rand_;
  Emit emit_;
  std::unique_ptr<BackendNetwork> backend_;
  Ipv4Prefix lease_;
  std::optional<std::size_t> watch_;
  DaemonTimer renew_timer_;
  DaemonTimer route_timer_;
};

}  // namespace ol::flannel
