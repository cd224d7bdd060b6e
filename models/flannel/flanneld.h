// flanneld on one node: acquires a lease (the subnet manager), writes subnet.env, has its backend
// set the node up, then follows every peer lease: the ones listed at start at once, later ones as
// the store's watch delivers them. It renews its lease `renew_margin` before it expires
// (CompleteLease), and host-gw checks its routes every 10 s. A restarted flanneld is a new one:
// it finds the lease held for its public IP and reuses it (tryAcquireLease's findLeaseByIP).
#pragma once
#include <deque>
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

// One lease event handled: when the store took it, when this flanneld heard of it, and when its
// backend had programmed it (the commands applied).
struct Programmed {
  LeaseEventType type;
  Ipv4Prefix subnet;
  Nanos written, heard, done;
};

class Flanneld final : public EventTarget {
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
  // The time one netlink request takes flanneld (a round trip to the kernel with its ack). A peer's
  // lease event costs as many as its backend issues (vxlan: neighbour, FDB entry, route; host-gw:
  // the route; udp: none, the proxy's route list is in-process). flanneld handles one batch of
  // events (a watch response, or the list it took at start) after another, and a batch's commands
  // take effect together once all its requests are made: a flanneld that
  // has just listed 5,000 peers is busy for 15,000 requests before it hears of a new one.
  // 0: at once, as they arrive.
  Nanos request_cost = 0;
  std::function<void(const Programmed&)> on_programmed;

  void on_event(std::uint64_t) override;  // the batch being handled is done: its commands apply

 private:
  void on_lease_events(std::span<const LeaseEvent> batch);
  void handle(const LeaseEvent& ev, Nanos heard, netconfig::NetConfig& cfg);
  static constexpr std::size_t kEmitEvery = 384;
  void emit_if_full(netconfig::NetConfig& cfg);
  // A peer's lease event as a queued batch keeps it: only what the backends read, 32 bytes, where
  // a LeaseEvent takes 104 (a flanneld that lists 5,000 leases queues 5,000, and 5,000 flanneld
  // hear each change: at 5,000 nodes the queues held 1.2 GiB at their peak).
  struct PeerEvent {
    Nanos written = 0;  // when the store took the change
    Ipv4Prefix subnet;
    wire::Ipv4Addr public_ip;
    std::optional<wire::MacAddr> vtep_mac;
    LeaseEventType type = LeaseEventType::Added;

    static PeerEvent of(LeaseEventType type, const Lease& l, Nanos written);
    LeaseEvent event() const;
  };
  void enqueue(std::vector<PeerEvent> events);
  void handle_next();
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
  struct Queued {
    std::vector<PeerEvent> events;  // peers' only
    Nanos heard;
  };
  std::deque<Queued> queue_;  // batches heard, not yet done (request_cost > 0); the first is under way
  std::optional<EventId> working_;
  DaemonTimer renew_timer_;
  DaemonTimer route_timer_;
};

}  // namespace ol::flannel
