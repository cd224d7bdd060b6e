#include "models/kernel/world.h"

#include "models/kernel/config_error.h"
#include "models/kernel/core.h"

namespace ol::kernel {

World::World(Simulator& s) : sim(s) {}
World::~World() = default;

Netns& World::add_netns(const std::string& name) {
  if (netns(name))
    throw ConfigError(fmt::format("Cannot create namespace file \"/run/netns/{}\": File exists", name));
  namespaces_.push_back(std::make_unique<Netns>(*this, name));
  Netns& ns = *namespaces_.back();
  by_name_.emplace(ns.name, &ns);
  return ns;
}

Netns* World::netns(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

void World::remove_netns(Netns& ns) {
  by_name_.erase(ns.name);
  for (auto it = namespaces_.begin(); it != namespaces_.end(); ++it)
    if (it->get() == &ns) {
      dead_namespaces_.push_back(std::move(*it));
      namespaces_.erase(it);
      return;
    }
}

void World::bury(std::unique_ptr<Device> dev) {
  dev->dead = true;
  graveyard_.push_back(std::move(dev));
}

void World::netif_rx(Device& dev, PacketPtr p, Nanos at) {
  std::uint32_t slot;
  if (!free_pending_.empty()) {
    slot = free_pending_.back();
    free_pending_.pop_back();
  } else {
    slot = std::uint32_t(pending_.size());
    pending_.emplace_back();
  }
  pending_[slot].p = std::move(p);
  pending_[slot].dev = &dev;
  sim.at(at, this, slot);
}

void World::on_event(std::uint64_t cookie) {
  auto slot = std::uint32_t(cookie);
  PacketPtr p = std::move(pending_[slot].p);
  Device* dev = pending_[slot].dev;
  free_pending_.push_back(slot);
  if (dev->dead) return;  // the device was deleted while the packet was on its way
  netif_receive_skb(*dev, std::move(p));
}

void World::trace(const Packet& p, const Netns& ns, const Device* dev, const char* function, std::string verdict,
                  std::string table, std::string entry, std::string crossing) {
  if (!trace_sink) return;
  TraceEvent e;
  e.time = sim.now();
  e.packet = p.id;
  e.node = ns.node;
  e.netns = ns.name;
  e.device = dev ? dev->name : "";
  e.function = function;
  e.table = std::move(table);
  e.entry = std::move(entry);
  e.verdict = std::move(verdict);
  e.headers = describe_headers(p);
  e.size = p.size();
  e.crossing = std::move(crossing);
  trace_sink->record(std::move(e));
}

}  // namespace ol::kernel
