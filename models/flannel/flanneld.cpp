#include "models/flannel/flanneld.h"

#include <fmt/format.h>

#include "models/cni/flannel_plugin.h"
#include "models/flannel/subnet.h"

namespace ol::flannel {

Flanneld::Flanneld(std::string node, BackendContext ctx, LeaseStore& store, netconfig::Files& files, RandomStream rand,
                   Emit emit)
    : node_(std::move(node)), ctx_(std::move(ctx)), store_(store), files_(files), rand_(rand), emit_(std::move(emit)) {
  backend_ = make_backend(ctx_.conf->backend, ctx_);
}

Flanneld::~Flanneld() { stop(); }

void Flanneld::start(std::optional<Ipv4Prefix> pinned) {
  const NetConf& conf = *ctx_.conf;
  auto sn = pinned ? pinned : allocate_subnet(conf, store_, rand_);
  if (!sn) throw FlanneldError("failed to acquire lease: out of subnets");
  lease_ = *sn;
  LeaseAttrs attrs{ctx_.public_ip, backend_name(conf.backend), backend_->backend_data()};
  if (!store_.create(lease_, attrs)) throw FlanneldError("failed to acquire lease: Key already exists");
  if (log) log(fmt::format("Allocated lease ({}) to current node ({})", lease_.str(), ctx_.public_ip.str()));
  files_.write(cni::kSubnetEnvPath, subnet_env(conf, lease_, backend_->mtu(), ipmasq));
  if (log) log(fmt::format("Wrote subnet file to {}", cni::kSubnetEnvPath));

  netconfig::NetConfig cfg;
  cfg.commands.reserve(8 + 3 * store_.list().size());  // a Command is large: grow the list once
  backend_->setup(lease_, cfg);
  // The watch starts from the list it took, so each peer is handled exactly once.
  const std::uint64_t rev = store_.revision();
  for (const Lease* l : store_.list())
    if (l->subnet != lease_) backend_->add_peer(*l, cfg);
  emit_(std::move(cfg));
  watch_ = store_.watch(rev, [this](std::span<const LeaseEvent> batch) { on_lease_events(batch); });
}

void Flanneld::stop() {
  if (watch_) store_.unwatch(*watch_);
  watch_.reset();
}

// handleSubnetEvents: the batch in order, our own lease skipped.
void Flanneld::on_lease_events(std::span<const LeaseEvent> batch) {
  netconfig::NetConfig cfg;
  cfg.commands.reserve(3 * batch.size());
  for (const LeaseEvent& ev : batch) {
    if (ev.lease.subnet == lease_) continue;
    if (ev.type == LeaseEventType::Added) backend_->add_peer(ev.lease, cfg);
    else backend_->remove_peer(ev.lease, cfg);
  }
  if (!cfg.commands.empty()) emit_(std::move(cfg));
}

}  // namespace ol::flannel
