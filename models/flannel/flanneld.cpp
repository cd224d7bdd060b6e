#include "models/flannel/flanneld.h"

#include <fmt/format.h>

#include "models/cni/flannel_plugin.h"
#include "models/flannel/subnet.h"

namespace ol::flannel {

Flanneld::Flanneld(std::string node, BackendContext ctx, LeaseStore& store, netconfig::Files& files, RandomStream rand,
                   Emit emit, Simulator& sim)
    : sim_(sim), node_(std::move(node)), ctx_(std::move(ctx)), store_(store), files_(files), rand_(rand), emit_(std::move(emit)),
      renew_timer_(sim, [this] { renew(); }), route_timer_(sim, [this] { check_routes(); }) {
  backend_ = make_backend(ctx_.conf->backend, ctx_);
}

Flanneld::~Flanneld() { stop(); }

// tryAcquireLease: the lease already held for this public IP is reused (its attributes and TTL
// refreshed); else the pinned or a free subnet is created.
Ipv4Prefix Flanneld::acquire(std::optional<Ipv4Prefix> pinned, const LeaseAttrs& attrs) {
  if (!store_.reachable()) throw FlanneldError("failed to acquire lease: etcd cluster is unavailable");
  if (const Lease* mine = store_.find_by_ip(ctx_.public_ip); mine && (!pinned || mine->subnet == *pinned)) {
    const Ipv4Prefix sn = mine->subnet;
    store_.update(sn, attrs);
    if (log) log(fmt::format("Found lease ({}) for current IP ({}), reusing", sn.str(), ctx_.public_ip.str()));
    return sn;
  }
  auto sn = pinned ? pinned : allocate_subnet(*ctx_.conf, store_, rand_);
  if (!sn) throw FlanneldError("failed to acquire lease: out of subnets");
  if (!store_.create(*sn, attrs)) throw FlanneldError("failed to acquire lease: Key already exists");
  if (log) log(fmt::format("Allocated lease ({}) to current node ({})", sn->str(), ctx_.public_ip.str()));
  return *sn;
}

void Flanneld::start(std::optional<Ipv4Prefix> pinned) {
  const NetConf& conf = *ctx_.conf;
  lease_ = acquire(pinned, LeaseAttrs{ctx_.public_ip, backend_name(conf.backend), backend_->backend_data()});
  files_.write(cni::kSubnetEnvPath, subnet_env(conf, lease_, backend_->mtu(), ipmasq));
  if (log) log(fmt::format("Wrote subnet file to {}", cni::kSubnetEnvPath));

  netconfig::NetConfig cfg;
  backend_->setup(lease_, cfg);
  // The watch starts from the list it took, so each peer is handled exactly once. The listing is
  // read in place: nothing below writes to the store (a copy was 12.5 M entries at 5,000 nodes).
  const std::uint64_t rev = store_.revision();
  const std::vector<ListedLease>& leases = store_.listed();
  std::vector<PeerEvent> listed;
  if (request_cost > 0) listed.reserve(leases.size());
  for (const ListedLease& l : leases) {
    if (l.subnet == lease_) continue;
    const PeerEvent peer{sim_.now(), l.subnet, l.public_ip, l.vtep_mac, LeaseEventType::Added};
    if (request_cost > 0) listed.push_back(peer);
    else handle(peer.event(), sim_.now(), cfg);
    emit_if_full(cfg);
  }
  emit_(std::move(cfg));
  if (!listed.empty()) enqueue(std::move(listed));
  watch_ = store_.watch(rev, [this](std::span<const LeaseEvent> batch) { on_lease_events(batch); });
  arm_renewal();
  if (backend_->checks_routes()) route_timer_.arm(sim_.now() + kRouteCheckInterval);
}

void Flanneld::stop() {
  if (watch_) store_.unwatch(*watch_);
  watch_.reset();
  if (working_) sim_.cancel(*working_);
  working_.reset();
  queue_.clear();
  renew_timer_.disarm();
  route_timer_.disarm();
}

void Flanneld::arm_renewal() {
  if (const Lease* mine = store_.find(lease_)) renew_timer_.arm(mine->expiration - renew_margin);
}

// CompleteLease's loop: RenewLease, or on failure again in a minute.
void Flanneld::renew() {
  const Lease* mine = store_.find(lease_);
  if (mine && store_.update(lease_, mine->attrs)) {
    arm_renewal();
    if (log) log(fmt::format("Lease renewed, new expiration: +{} s", store_.ttl() / kNanosPerSecond));
    return;
  }
  if (log) log("Error renewing lease (trying again in 1 min)");
  renew_timer_.arm(renew_timer_.due() + kRenewRetry);
}

void Flanneld::check_routes() {
  netconfig::NetConfig cfg;
  backend_->check_routes(cfg);
  if (!cfg.commands.empty()) emit_(std::move(cfg));
  route_timer_.arm(route_timer_.due() + kRouteCheckInterval);
}

void Flanneld::handle(const LeaseEvent& ev, Nanos heard, netconfig::NetConfig& cfg) {
  if (ev.type == LeaseEventType::Added) backend_->add_peer(ev.lease, cfg);
  else backend_->remove_peer(ev.lease, cfg);
  if (on_programmed && request_cost == 0) on_programmed(Programmed{ev.type, ev.lease.subnet, ev.written, heard, sim_.now()});
}

// What the backends read of a lease (not its BackendData: LeaseStore parsed the VtepMAC).
Flanneld::PeerEvent Flanneld::PeerEvent::of(LeaseEventType type, const Lease& l, Nanos written) {
  return PeerEvent{written, l.subnet, l.attrs.public_ip, l.attrs.vtep_mac, type};
}

LeaseEvent Flanneld::PeerEvent::event() const {
  LeaseEvent e;
  e.type = type;
  e.written = written;
  e.lease.subnet = subnet;
  e.lease.attrs.public_ip = public_ip;
  e.lease.attrs.vtep_mac = vtep_mac;
  return e;
}

// A batch's commands all take effect at the instant it is done, whether they reach the kernel in
// one NetConfig or several: so a long batch (the 5,000 peers a new flanneld lists) goes out
// kEmitEvery commands at a time, and its buffer stays small (a Command is about 300 bytes).
void Flanneld::emit_if_full(netconfig::NetConfig& cfg) {
  if (cfg.commands.size() < kEmitEvery) return;
  emit_(std::move(cfg));
  cfg.commands.clear();
  cfg.commands.reserve(kEmitEvery + 8);
}

// A batch of peers' events, handled after the ones before it.
void Flanneld::enqueue(std::vector<PeerEvent> events) {
  queue_.push_back(Queued{std::move(events), sim_.now()});
  if (!working_) handle_next();
}

// The batch at the head of the queue takes its netlink requests' time; its commands are issued
// (and take effect) when the last request is made.
void Flanneld::handle_next() {
  const Nanos requests = Nanos(queue_.front().events.size()) * backend_->requests_per_event();
  working_ = sim_.timer_at(sim_.now() + requests * request_cost, this);
}

void Flanneld::on_event(std::uint64_t) {
  working_.reset();
  const Queued done = std::move(queue_.front());
  queue_.pop_front();
  netconfig::NetConfig cfg;
  for (const PeerEvent& ev : done.events) {
    handle(ev.event(), done.heard, cfg);
    emit_if_full(cfg);
  }
  if (!queue_.empty()) handle_next();
  if (!cfg.commands.empty()) emit_(std::move(cfg));
  if (on_programmed)
    for (const PeerEvent& ev : done.events) on_programmed(Programmed{ev.type, ev.subnet, ev.written, done.heard, sim_.now()});
}

// handleSubnetEvents: the batch in order, our own lease skipped.
void Flanneld::on_lease_events(std::span<const LeaseEvent> batch) {
  netconfig::NetConfig cfg;
  for (const LeaseEvent& ev : batch) {
    if (ev.lease.subnet == lease_) {
      // WatchLease on its own key: "Lease has been revoked. Shutting down daemon."
      if (ev.type == LeaseEventType::Removed) {
        if (log) log("Lease has been revoked. Shutting down daemon.");
        stop();
        if (on_exit) on_exit("Lease has been revoked");
        return;
      }
      continue;
    }
    if (request_cost == 0) {
      handle(ev, sim_.now(), cfg);
      emit_if_full(cfg);
    }
  }
  if (request_cost > 0) {
    std::vector<PeerEvent> peers;
    peers.reserve(batch.size());
    for (const LeaseEvent& ev : batch)
      if (ev.lease.subnet != lease_) peers.push_back(PeerEvent::of(ev.type, ev.lease, ev.written));
    if (!peers.empty()) enqueue(std::move(peers));
  }
  if (!cfg.commands.empty()) emit_(std::move(cfg));
}

}  // namespace ol::flannel
