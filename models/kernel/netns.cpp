#include "models/kernel/netns.h"

#include <algorithm>

#include "models/kernel/devices/loopback.h"
#include "models/kernel/ipv4/ip_defrag.h"
#include "models/kernel/world.h"

namespace ol::kernel {

Netns::Netns(World& w, std::string n)
    : world(w), pool(w.pool), work(w.work), softnet(w.softnet), tracing(w.tracing), name(std::move(n)), node(name), main_table(254, &w.shared_routes), neigh(*this, w.sim.stream("neigh:" + name)) {
  // Every new namespace starts with lo, down (net/core/net_namespace.c → loopback_net_init).
  register_device(std::make_unique<LoopbackDevice>(*this));
}

Netns::~Netns() = default;

Device* Netns::dev_by_name(std::string_view n) const {
  if (last_by_name_ && last_by_name_->name == n) return last_by_name_;
  if (!by_name_.empty()) {
    const auto it = by_name_.find(n);
    return it == by_name_.end() ? nullptr : last_by_name_ = it->second;
  }
  for (auto& d : devices_)
    if (d->name == n) return last_by_name_ = d.get();
  return nullptr;
}

void Netns::index_name(Device& d) {
  if (by_name_.empty()) {
    if (devices_.size() < kIndexFrom) return;
    for (auto& x : devices_) by_name_.emplace(x->name, x.get());
  } else {
    by_name_.emplace(d.name, &d);
  }
}

Device* Netns::dev_by_index(int ifindex) const {
  for (auto& d : devices_)
    if (d->ifindex == ifindex) return d.get();
  return nullptr;
}

Device& Netns::register_device(std::unique_ptr<Device> dev, int keep_index) {
  dev->netns = this;
  if (keep_index > 0 && !dev_by_index(keep_index)) {
    dev->ifindex = keep_index;
    next_ifindex_ = std::max(next_ifindex_, keep_index + 1);
  } else {
    dev->ifindex = next_ifindex_++;
  }
  Device& ref = *dev;
  const auto at = std::upper_bound(devices_.begin(), devices_.end(), ref.ifindex,
                                   [](int ifindex, const auto& d) { return ifindex < d->ifindex; });
  devices_.insert(at, std::move(dev));
  index_name(ref);
  return ref;
}

std::unique_ptr<Device> Netns::unlink_device(Device& dev) {
  local_table.remove_if_dev(&dev);
  main_table.remove_if_dev(&dev);
  neigh.remove_dev(&dev);
  auto it = std::find_if(devices_.begin(), devices_.end(), [&](auto& d) { return d.get() == &dev; });
  if (last_by_name_ == &dev) last_by_name_ = nullptr;
  if (!by_name_.empty()) by_name_.erase(dev.name);
  std::unique_ptr<Device> out = std::move(*it);
  devices_.erase(it);
  return out;
}

bool Netns::is_local_addr(wire::Ipv4Addr a) const {
  const Route* r = local_table.lookup(a, Scope::Universe);
  return r && r->type == RouteType::Local;
}

Nanos Netns::now() const { return work.now(); }

}  // namespace ol::kernel
