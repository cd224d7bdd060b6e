// flanneld on one node: acquires a lease (the subnet manager), writes subnet.env, has its backend
// set the node up, then follows every peer lease: the ones listed at start at once, later ones as
// the store's watch delivers them.
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

namespace ol::flannel {

class FlanneldError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Flanneld {
 public:
  // Receives each batch of commands as flanneld issues it; the caller applies them.
  using Emit = std::function<void(netconfig::NetConfig&&)>;

  Flanneld(std::string node, BackendContext ctx, LeaseStore& store, netconfig::Files& files, RandomStream rand, Emit emit);
  ~Flanneld();

  // Throws FlanneldError("out of subnets") when no lease can be had. `pinned`: a lease chosen for
  // it (kube mode's node.spec.podCIDR).
  void start(std::optional<Ipv4Prefix> pinned = std::nullopt);
  void stop();  // the node is going away: stop watching

  const Ipv4Prefix& lease() const { return lease_; }
  BackendNetwork& backend() { return *backend_; }
  bool ipmasq = true;  // kube-flannel runs flanneld with --ip-masq
  std::function<void(const std::string&)> log;  // flanneld's log lines

 private:
  void on_lease_events(std::span<const LeaseEvent> batch);

  std::string node_;
  BackendContext ctx_;
  LeaseStore& store_;
  netconfig::Files& files_;
  RandomStream rand_;
  Emit emit_;
  std::unique_ptr<BackendNetwork> backend_;
  Ipv4Prefix lease_;
  std::optional<std::size_t> watch_;
};

}  // namespace ol::flannel
