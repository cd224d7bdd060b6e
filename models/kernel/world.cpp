#include "models/kernel/world.h"

#include <algorithm>

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

cost::NodeCpu& World::add_cpu(const std::string& node, int cores) {
  auto& c = cpus_[node];
  if (!c) c = std::make_unique<cost::NodeCpu>(node, cores);
  return *c;
}

cost::NodeCpu* World::cpu(std::string_view node) const {
  auto it = cpus_.find(std::string(node));
  return it == cpus_.end() ? nullptr : it->second.get();
}

bool World::begin_work(cost::NodeCpu* c, int core) {
  if (c && c->free_at(core) > sim.now()) return false;
  work_ = {true, c, core, sim.now(), 0, 0};
  return true;
}

void World::end_work() {
  if (work_.cpu) work_.cpu->occupy(work_.core, work_.start, work_.cost);
  work_ = {};
}

// Which core's backlog a received packet joins: the current one when it stays on this node (veth,
// tun and vxlan decap call netif_rx on the running CPU), else the one RSS picks from the flow.
int World::rx_core(const Device& dev, const Packet& p) const {
  const cost::NodeCpu* c = dev.netns->cpu;
  if (!c) return 0;
  if (work_.active && work_.cpu == c) return work_.core;
  std::uint32_t h = 0;
  const std::uint8_t* d = p.data();
  std::size_t off = p.at_l3 ? 0 : 14;
  if (p.size() >= off + 24 && (p.at_l3 || (d[12] == 0x08 && d[13] == 0x00)))
    for (std::size_t i = off + 12; i < off + 24; ++i) h = (h ^ d[i]) * 16777619u;  // addresses and ports
  return int(h % std::uint32_t(c->cores()));
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
  pending_[slot].core = rx_core(dev, *p);
  pending_[slot].from_wire = dev.netns->cpu && !(work_.active && work_.cpu == dev.netns->cpu);
  pending_[slot].p = std::move(p);
  pending_[slot].dev = &dev;
  sim.at(std::max(at, now()), this, slot);
}

World::Backlog& World::backlog(cost::NodeCpu* c, int core) {
  auto& v = backlogs_[c];
  if (v.empty())
    for (int i = 0; i < c->cores(); ++i) {
      v.push_back(std::make_unique<Backlog>());
      v.back()->world = this;
      v.back()->cpu = c;
      v.back()->core = i;
    }
  return *v[std::size_t(core)];
}

void World::Backlog::on_event(std::uint64_t) {
  scheduled = false;
  if (slots.empty()) return;
  if (cpu->free_at(core) > world->sim.now()) {  // something else took the core meanwhile
    scheduled = true;
    world->sim.at(cpu->free_at(core), this);
    return;
  }
  const std::uint32_t slot = slots.front();
  slots.pop_front();
  world->receive(slot);
  if (!slots.empty()) {
    scheduled = true;
    world->sim.at(cpu->free_at(core), this);
  }
}

void World::on_event(std::uint64_t cookie) {
  auto slot = std::uint32_t(cookie);
  Device* dev = pending_[slot].dev;
  cost::NodeCpu* c = dev->dead ? nullptr : dev->netns->cpu;
  if (c) {
    Backlog& b = backlog(c, pending_[slot].core);
    if (!b.slots.empty() || c->free_at(b.core) > sim.now()) {  // the core is busy: wait in its backlog
      if (b.slots.size() >= netdev_max_backlog) {  // enqueue_to_backlog: the per-CPU queue is full
        PacketPtr p = std::move(pending_[slot].p);
        free_pending_.push_back(slot);
        return kfree_skb_reason(*dev->netns, dev, std::move(p), DropReason::CpuBacklog, "enqueue_to_backlog");
      }
      b.slots.push_back(slot);
      if (!b.scheduled) {
        b.scheduled = true;
        sim.at(c->free_at(b.core), &b);
      }
      return;
    }
  }
  receive(slot);
}

// netif_receive_skb on the packet's core, as one piece of work.
void World::receive(std::uint32_t slot) {
  Device* dev = pending_[slot].dev;
  if (!dev->dead) begin_work(dev->netns->cpu, pending_[slot].core);
  PacketPtr p = std::move(pending_[slot].p);
  free_pending_.push_back(slot);
  if (dev->dead) return;  // the device was deleted while the packet was on its way
  set_flow(p->flow);
  if (pending_[slot].from_wire && p->gso_size && wire_frames) {
    // A burst that crossed the wire arrived as MSS-sized frames: each was received and merged
    // back by GRO (the NIC's TSO cut it up, napi_gro_receive glued it together).
    for (std::uint32_t i = 0; i < p->gso_segs(); ++i) {
      charge(cost::Step::NetifReceiveSkb, p->seglen());
      charge(cost::Step::NapiGroReceive, p->seglen());
    }
  } else {
    charge(cost::Step::NetifReceiveSkb, p->size());
  }
  netif_receive_skb(*dev, std::move(p));
  end_work();
}

void World::trace(const Packet& p, const Netns& ns, const Device* dev, const char* function, std::string verdict,
                  std::string table, std::string entry, std::string crossing) {
  if (!trace_sink) return;
  TraceEvent e;
  e.time = now();
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
