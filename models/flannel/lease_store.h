// The lease store: flannel's etcd registry reduced to what matters here. Keys and values are what
// flanneld writes (/coreos.com/network/subnets/10.244.1.0-24 → {"PublicIP":…,"BackendType":…,
// "BackendData":…}); every change gets a revision, and watchers hear of it `watch_delay` later,
// starting after the revision they had listed (so a lease is never announced twice). Changes that
// fall due at the same instant reach each watcher as one batch, as an etcd watch response does.
// Leases live 24 h (flannel's subnetTTL) unless renewed; an expired key is deleted and watchers
// hear of it as a removal. While etcd is unreachable, writes fail and watch responses are held,
// then delivered (in revision order) once it is back; keys still expire meanwhile.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/wire/addr.h"
#include "sim/simulator.h"
#include "sim/timer.h"

namespace ol::flannel {

struct LeaseAttrs {
  wire::Ipv4Addr public_ip;
  std::string backend_type;
  nlohmann::json backend_data;  // null for host-gw and udp; {"VNI":…,"VtepMAC":…} for vxlan
  std::optional<wire::MacAddr> vtep_mac;  // BackendData's VtepMAC, parsed once when the lease is stored
};

struct Lease {
  wire::Ipv4Prefix subnet;
  LeaseAttrs attrs;
  Nanos expiration = 0;
};

// What a flanneld reads of a lease it lists (LeaseStore::listed()).
struct ListedLease {
  wire::Ipv4Prefix subnet;
  wire::Ipv4Addr public_ip;
  std::optional<wire::MacAddr> vtep_mac;
  const std::string* key;  // the store's key: the list's order
};

enum class LeaseEventType { Added, Removed };
struct LeaseEvent {
  LeaseEventType type;
  Lease lease;
  std::uint64_t revision = 0;
  Nanos written = 0;  // when the store took the change
};

inline constexpr const char* kEtcdPrefix = "/coreos.com/network";
std::string subnet_key(const wire::Ipv4Prefix& subnet);  // "/coreos.com/network/subnets/10.244.1.0-24"
std::string lease_value(const LeaseAttrs& a);              // the JSON flanneld stores

class LeaseStore final : public EventTarget {
 public:
  using Watcher = std::function<void(std::span<const LeaseEvent>)>;
  static constexpr Nanos kLeaseTtl = 24 * 3600 * kNanosPerSecond;

  LeaseStore(Simulator& sim, Nanos watch_delay, Nanos ttl = kLeaseTtl)
      : sim_(sim), watch_delay_(watch_delay), ttl_(ttl), expiry_(sim, [this] { expire(); }) {}
  Nanos ttl() const { return ttl_; }
  // The store sends a watch response to one watcher after another, each taking this long (etcd's
  // watch stream or the API server's watch cache serialising and writing it): with N flanneld
  // watching, the last hears of a change N times this after the first. 0: all at once.
  Nanos fanout_per_watcher = 0;
  std::function<void(const std::string&)> log;  // "lease … expired"

  void set_config(const nlohmann::json& net_conf) { config_ = net_conf.dump(); }
  // createSubnet: false when the key exists (etcd's "Key already exists").
  bool create(const wire::Ipv4Prefix& subnet, const LeaseAttrs& attrs);
  bool remove(const wire::Ipv4Prefix& subnet);
  // updateSubnet: new attributes (a restarted flanneld's VTEP MAC) and a fresh TTL for an existing
  // key; watchers see it as Added again. False when the key is gone.
  bool update(const wire::Ipv4Prefix& subnet, const LeaseAttrs& attrs);
  // The lease held for this public address (tryAcquireLease's findLeaseByIP), or nullptr.
  const Lease* find_by_ip(wire::Ipv4Addr public_ip) const;
  bool reachable() const { return reachable_; }
  void set_reachable(bool up);
  bool taken(const wire::Ipv4Prefix& subnet) const { return taken_.count(subnet.addr.v) > 0; }
  const Lease* find(const wire::Ipv4Prefix& subnet) const;
  // Every lease, in key order, as a flat array: each flanneld that starts lists them all, and at
  // 5,000 nodes reading them from the map's scattered nodes was a tenth of the build.
  const std::vector<ListedLease>& listed() const { return listed_; }
  std::uint64_t revision() const { return revision_; }

  // Watches changes made after `since` (the revision the listing was taken at). Returns an id.
  std::size_t watch(std::uint64_t since, Watcher w);
  void unwatch(std::size_t id);

  // `etcdctl get --prefix /coreos.com/network`: key, value, key, value, …
  std::string dump() const;

  void on_event(std::uint64_t cookie) override;  // delivers a batch of changes (to the next watcher)

 private:
  struct Watch {
    std::uint64_t since;
    Watcher fn;
    bool active;
  };
  void publish(LeaseEventType type, const Lease& l);
  void deliver(std::vector<LeaseEvent> batch);
  void deliver_to(std::size_t watcher, const std::vector<LeaseEvent>& batch);
  void fan_out(std::size_t fanout);  // the next watcher of a fan-out, then the one after, later
  bool remove_key(const wire::Ipv4Prefix& subnet);  // etcd itself deleting a key
  void expire();  // deletes every key whose TTL ran out, then waits for the next
  void arm_expiry();
  Lease& store(const wire::Ipv4Prefix& subnet, const LeaseAttrs& attrs, Lease& slot);
  std::vector<ListedLease>::iterator listed_at(const std::string& key);
  static ListedLease listed_of(const std::string& key, const Lease& l) {
    return {l.subnet, l.attrs.public_ip, l.attrs.vtep_mac, &key};
  }

  Simulator& sim_;
  Nanos watch_delay_;
  Nanos ttl_;
  DaemonTimer expiry_;
  bool reachable_ = true;
  std::vector<LeaseEvent> held_;  // watch responses not delivered while etcd was unreachable
  std::string config_;
  std::map<std::string, Lease> leases_;
  std::vector<ListedLease> listed_;  // leases_, in its order
  std::unordered_set<std::uint32_t> taken_;
  std::unordered_map<std::uint32_t, std::string> by_ip_;  // PublicIP → key (findLeaseByIP without a scan)
  std::vector<Watch> watchers_;
  struct Batch {
    Nanos due;
    std::vector<LeaseEvent> changes;  // in revision order
  };
  std::vector<Batch> batches_;  // cookie = index; emptied once delivered
  struct Fanout {
    std::vector<LeaseEvent> changes;
    std::size_t next_watcher = 0;
  };
  static constexpr std::uint64_t kFanoutCookie = std::uint64_t(1) << 63;
  std::vector<Fanout> fanouts_;  // cookie = kFanoutCookie | index; emptied once every watcher has it
  std::uint64_t revision_ = 0;
};

}  // namespace ol::flannel
