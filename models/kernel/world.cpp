#include "models/kernel/world.h"

#include <fmt/format.h>

#include "models/kernel/config_error.h"

namespace ol::kernel {

World::World(Simulator& s) : sim(s), work(s), tracing(work), softnet(work) {}
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
  if (last_found_ && last_found_->name == name) return last_found_;
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return nullptr;
  return last_found_ = it->second;
}

void World::remove_netns(Netns& ns) {
  by_name_.erase(ns.name);
  if (last_found_ == &ns) last_found_ = nullptr;
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

}  // namespace ol::kernel
