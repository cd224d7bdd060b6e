#include "models/kernel/tables/neigh.h"

#include <algorithm>

#include "models/kernel/dev.h"
#include "models/kernel/drop.h"
#include "models/kernel/device.h"
#include "models/kernel/dump.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"
#include "models/kernel/cpu_work.h"
#include "models/kernel/tracing.h"
#include "models/kernel/world.h"
#include "models/wire/ethernet.h"
#include "models/wire/icmp.h"

namespace ol::kernel {

const char* nud_name(Nud s) {
  switch (s) {
    case Nud::None: return "NONE";
    case Nud::Incomplete: return "INCOMPLETE";
    case Nud::Reachable: return "REACHABLE";
    case Nud::Stale: return "STALE";
    case Nud::Delay: return "DELAY";
    case Nud::Probe: return "PROBE";
    case Nud::Failed: return "FAILED";
    case Nud::Noarp: return "NOARP";
    case Nud::Permanent: return "PERMANENT";
  }
  return "NONE";
}

std::uint64_t NeighTable::key(const Device* dev, wire::Ipv4Addr ip) {
  return std::uint64_t(std::uint32_t(dev->ifindex)) << 32 | ip.v;
}

NeighView view_of(const Neighbour& n) { return NeighView{n.dev, n.ip, n.lladdr, n.state}; }

NeighPool& NeighTable::shared() const { return ns_.world.shared_neigh; }

IdBits* NeighTable::held_on(const Device* dev) {
  for (auto& [d, bits] : held_)
    if (d == dev) return &bits;
  return nullptr;
}

const IdBits* NeighTable::held_on(const Device* dev) const { return const_cast<NeighTable*>(this)->held_on(dev); }

std::uint32_t NeighTable::held_id(const Device* dev, wire::Ipv4Addr ip) const {
  const IdBits* bits = held_.empty() ? nullptr : held_on(dev);
  return bits ? shared().held(ip.v, *bits) : NeighPool::kNone;
}

Neighbour& NeighTable::materialize(const Device* dev, std::uint32_t id) {
  auto at = std::find_if(held_.begin(), held_.end(), [&](const auto& h) { return h.first == dev; });
  Device* owner = at->first;
  at->second.reset(id);
  if (at->second.empty()) held_.erase(at);
  const PermanentNeigh& e = shared()[id];
  Neighbour& n = entries_.insert(key(owner, e.ip));
  n.ip = e.ip;
  n.dev = owner;
  n.lladdr = e.lladdr;
  n.state = Nud::Permanent;
  n.confirmed = ns_.now();
  return n;
}

Neighbour* NeighTable::lookup(const Device* dev, wire::Ipv4Addr ip) {
  if (Neighbour* n = entries_.find(key(dev, ip))) return n;
  const std::uint32_t id = held_id(dev, ip);
  return id == NeighPool::kNone ? nullptr : &materialize(dev, id);
}

Neighbour& NeighTable::lookup_or_create(Device* dev, wire::Ipv4Addr ip) {
  if (Neighbour* n = lookup(dev, ip)) return *n;
  Neighbour& n = entries_.insert(key(dev, ip));
  n.ip = ip;
  n.dev = dev;
  n.state = Nud::None;  // nothing known yet; output() starts resolving
  return n;
}

bool NeighTable::add(Device* dev, wire::Ipv4Addr ip, wire::MacAddr mac, Nud state, bool replace) {
  Neighbour* own = entries_.find(key(dev, ip));
  const std::uint32_t id = own ? NeighPool::kNone : held_id(dev, ip);
  if ((own || id != NeighPool::kNone) && !replace) return false;
  if (!own && state == Nud::Permanent) {  // nothing queued or timed: the entry can be shared
    if (id != NeighPool::kNone) held_on(dev)->reset(id);
    IdBits* bits = held_on(dev);
    if (!bits) bits = &held_.emplace_back(dev, IdBits{}).second;
    bits->set(shared().intern(ip.v, PermanentNeigh{ip, mac}));
    return true;
  }
  Neighbour& n = own ? *own : id != NeighPool::kNone ? materialize(dev, id) : lookup_or_create(dev, ip);
  disarm(n);
  n.lladdr = mac;
  n.state = state;
  n.confirmed = ns_.now();
  if (state == Nud::Reachable) arm(n, reachable_time());
  flush_queue(n);
  return true;
}

bool NeighTable::remove(const Device* dev, wire::Ipv4Addr ip) {
  const std::uint64_t k = key(dev, ip);
  Neighbour* n = entries_.find(k);
  if (!n) {
    const std::uint32_t id = held_id(dev, ip);
    if (id == NeighPool::kNone) return false;
    held_on(dev)->reset(id);
    return true;
  }
  disarm(*n);
  entries_.erase(k);
  return true;
}

void NeighTable::remove_dev(const Device* dev) {
  std::erase_if(held_, [&](const auto& h) { return h.first == dev; });
  std::vector<wire::Ipv4Addr> gone;
  entries_.for_each([&](std::uint64_t, const Neighbour& n) {
    if (n.dev == dev) gone.push_back(n.ip);
  });
  for (wire::Ipv4Addr ip : gone) remove(dev, ip);
}

Nanos NeighTable::reachable_time() {
  // neigh_rand_reach_time: uniformly between half and one and a half times the base.
  const Nanos base = params.base_reachable_time;
  return base / 2 + Nanos(rand_.below(std::uint64_t(base)));
}

void NeighTable::arm(Neighbour& n, Nanos delay) {
  disarm(n);
  n.timer = ns_.work.sim.timer_after(delay, this, key(n.dev, n.ip));
  n.timer_armed = true;
}

void NeighTable::disarm(Neighbour& n) {
  if (n.timer_armed) ns_.work.sim.cancel(n.timer);
  n.timer_armed = false;
}

void NeighTable::connected_output(Neighbour& n, PacketPtr p) {
  wire::EthernetRepr{*n.lladdr, n.dev->mac, std::uint16_t(wire::EtherType::Ipv4)}.emit(
      wire::MutBytes(p->push(wire::EthernetRepr::kLen), wire::EthernetRepr::kLen));
  p->at_l3 = false;
  dev_queue_xmit(*n.dev, std::move(p));
}

void NeighTable::output(Neighbour& n, PacketPtr p) {
  switch (n.state) {
    case Nud::Permanent:
    case Nud::Noarp:
    case Nud::Reachable:
    case Nud::Delay:
    case Nud::Probe:
      return connected_output(n, std::move(p));
    case Nud::Stale:  // use the old address, but check it soon
      n.state = Nud::Delay;
      arm(n, params.delay_first_probe_time);
      return connected_output(n, std::move(p));
    case Nud::Incomplete:
      break;
    case Nud::None:
    case Nud::Failed:  // start over (__neigh_event_send)
      n.state = Nud::Incomplete;
      n.probes = 0;
      n.lladdr.reset();
      break;
  }
  // Queue while resolving; __neigh_event_send drops the oldest while the queue's truesize plus
  // this packet's would pass unres_qlen_bytes.
  const std::uint32_t truesize = skb_truesize(*p);
  while (n.queued_bytes + truesize > params.unres_qlen_bytes && !n.arp_queue.empty()) {
    PacketPtr old = std::move(n.arp_queue.front());
    n.arp_queue.erase(n.arp_queue.begin());
    n.queued_bytes -= skb_truesize(*old);
    kfree_skb_reason(ns_, n.dev, std::move(old), DropReason::NeighQueueFull, "__neigh_event_send");
  }
  n.queued_bytes += truesize;
  n.arp_queue.push_back(std::move(p));
  if (n.probes == 0) {
    n.probes = 1;
    arm(n, params.retrans_time);
    arp_solicit(ns_, n, false);
  }
}

void NeighTable::flush_queue(Neighbour& n) {
  if (!n.lladdr || n.arp_queue.empty()) return;
  std::vector<PacketPtr> q = std::move(n.arp_queue);
  n.arp_queue.clear();
  n.queued_bytes = 0;
  for (auto& p : q) {
    if (p->traced) ns_.tracing.trace(*p, ns_, n.dev, "neigh_update", "send queued packet", "neigh", format_neigh(n));
    connected_output(n, std::move(p));
  }
}

void NeighTable::update_from_arp(Neighbour& n, const wire::MacAddr& mac, bool solicited) {
  if (n.state == Nud::Permanent || n.state == Nud::Noarp) return;  // administrative entries stay
  const bool changed = !n.lladdr || *n.lladdr != mac;
  n.lladdr = mac;
  if (solicited) {
    n.state = Nud::Reachable;
    n.confirmed = ns_.now();
    n.probes = 0;
    arm(n, reachable_time());
  } else if (changed || n.state == Nud::Incomplete || n.state == Nud::Failed || n.state == Nud::None) {
    n.state = Nud::Stale;
    n.probes = 0;
    disarm(n);
  }
}

void NeighTable::fail(Neighbour& n) {
  n.state = Nud::Failed;
  n.probes = 0;
  disarm(n);
  // neigh_invalidate → arp_error_report → ipv4_link_failure: host unreachable to each sender.
  std::vector<PacketPtr> q = std::move(n.arp_queue);
  n.arp_queue.clear();
  n.queued_bytes = 0;
  for (auto& p : q) {
    icmp_send(ns_, *p, wire::icmp::kDestUnreach, wire::icmp::kHostUnreach, 0);
    kfree_skb_reason(ns_, n.dev, std::move(p), DropReason::NeighFailed, "neigh_invalidate");
  }
}

void NeighTable::on_event(std::uint64_t cookie) {
  Neighbour* found = entries_.find(cookie);
  if (!found) return;
  Neighbour& n = *found;
  n.timer_armed = false;
  switch (n.state) {
    case Nud::Incomplete:
      if (n.probes >= params.mcast_solicit) return fail(n);
      ++n.probes;
      arm(n, params.retrans_time);
      return arp_solicit(ns_, n, false);
    case Nud::Reachable: {
      // neigh_timer_handler: still REACHABLE while confirmed within reachable_time.
      const Nanos reach = reachable_time();
      if (ns_.now() < n.confirmed + reach) return arm(n, n.confirmed + reach - ns_.now());
      n.state = Nud::Stale;
      return;
    }
    case Nud::Delay:
      if (ns_.now() - n.confirmed < params.delay_first_probe_time) {
        n.state = Nud::Reachable;
        return arm(n, reachable_time());
      }
      n.state = Nud::Probe;
      n.probes = 1;
      arm(n, params.retrans_time);
      return arp_solicit(ns_, n, true);
    case Nud::Probe:
      if (n.probes >= params.ucast_solicit) return fail(n);
      ++n.probes;
      arm(n, params.retrans_time);
      return arp_solicit(ns_, n, true);
    default:
      return;
  }
}

std::vector<NeighView> NeighTable::dump() const {
  // By device, then address: the order of the keys (ifindex << 32 | address), not of the entries.
  const auto before = [](const auto& a, const auto& b) { return a.first < b.first; };
  std::vector<std::pair<std::uint64_t, NeighView>> order;
  order.reserve(entries_.size());
  entries_.for_each([&](std::uint64_t k, const Neighbour& n) { order.emplace_back(k, view_of(n)); });
  std::sort(order.begin(), order.end(), before);
  for (const auto& held : held_) {  // named, not a structured binding: clang 14 cannot capture one in a lambda
    Device* dev = held.first;
    const auto mid = std::ptrdiff_t(order.size());
    shared().for_each_held_in_order(held.second, [](std::uint64_t ip) { return ip; }, [&](std::uint32_t id) {
      const PermanentNeigh& e = shared()[id];
      order.emplace_back(key(dev, e.ip), NeighView{dev, e.ip, e.lladdr, Nud::Permanent, id});
    });
    std::inplace_merge(order.begin(), order.begin() + mid, order.end(), before);  // a key is in one or the other
  }
  std::vector<NeighView> out;
  out.reserve(order.size());
  for (const auto& [k, v] : order) out.push_back(v);
  return out;
}

}  // namespace ol::kernel
