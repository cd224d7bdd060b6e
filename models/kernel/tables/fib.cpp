#include "models/kernel/tables/fib.h"

#include <algorithm>
#include <bit>

#include "models/kernel/device.h"

namespace ol::kernel {

namespace {
bool usable(const Route& r, Scope min_scope) {
  // fib_table_lookup skips aliases narrower than asked for and nexthops on dead (down) devices.
  // A local address stays local while its device is down (Linux is a weak-host stack).
  if (std::uint8_t(r.scope) < std::uint8_t(min_scope) || !r.dev) return false;
  return r.type == RouteType::Local || r.dev->admin_up;
}

template <typename Pred>
std::size_t erase_routes_if(RouteList& routes, Pred pred) {
  const auto keep_end = std::remove_if(routes.begin(), routes.end(), pred);
  const auto n = std::size_t(routes.end() - keep_end);
  routes.erase(keep_end, routes.end());
  return n;
}
}  // namespace

const Route* FibTable::lookup(wire::Ipv4Addr dst, Scope min_scope) const {
  for (std::uint64_t left = length_mask_; left; left &= ~(std::uint64_t(1) << (63 - std::countl_zero(left)))) {
    const int len = 63 - std::countl_zero(left);  // the longest length not yet tried
    const std::uint64_t k = std::uint64_t(len) << 32 | (dst.v & wire::prefix_mask(len));
    const RouteList* routes = by_prefix_.find(k);
    if (!routes && (held_lengths_ >> len & 1)) routes = materialize(k);  // a shared route of this length?
    if (!routes) continue;
    for (const Route& r : *routes)
      if (usable(r, min_scope)) return &r;
  }
  return nullptr;
}

namespace {
// One route of length `len` more or fewer among `count`; `mask` keeps the lengths with any.
void count_length(std::array<std::uint32_t, 33>& count, std::uint64_t& mask, int len, int delta) {
  auto& n = count[std::size_t(len)];
  n = std::uint32_t(int(n) + delta);
  if (n)
    mask |= std::uint64_t(1) << len;
  else
    mask &= ~(std::uint64_t(1) << len);
}
}  // namespace

void FibTable::note_length(int len, int delta) { count_length(length_count_, length_mask_, len, delta); }

void FibTable::note_held(int len, int delta) const { count_length(held_count_, held_lengths_, len, delta); }

std::uint32_t FibTable::held_id(std::uint64_t k, Device** dev) const {
  if (!(held_lengths_ >> (k >> 32) & 1)) return RoutePool::kNone;
  for (const auto& [d, bits] : held_)
    if (const std::uint32_t id = shared_->held(k, bits); id != RoutePool::kNone) {
      *dev = d;
      return id;
    }
  return RoutePool::kNone;
}

Route FibTable::shared_route(std::uint32_t id, Device* dev) const {
  Route r = (*shared_)[id];
  r.dev = dev;
  return r;
}

void FibTable::hold(const Route& r) {
  Route stored = r;
  stored.dev = nullptr;
  auto at = std::find_if(held_.begin(), held_.end(), [&](const auto& h) { return h.first == r.dev; });
  IdBits& bits = at != held_.end() ? at->second : held_.emplace_back(r.dev, IdBits{}).second;
  bits.set(shared_->intern(key(r.dst), stored));
  note_length(r.dst.len, +1);
  note_held(r.dst.len, +1);
  ++count_;
}

void FibTable::unhold(std::uint32_t id, Device* dev) {
  auto at = std::find_if(held_.begin(), held_.end(), [&](const auto& h) { return h.first == dev; });
  at->second.reset(id);
  if (at->second.empty()) held_.erase(at);
  note_length((*shared_)[id].dst.len, -1);
  note_held((*shared_)[id].dst.len, -1);
  --count_;
}

RouteList* FibTable::materialize(std::uint64_t k) const {
  Device* dev = nullptr;
  const std::uint32_t id = held_id(k, &dev);
  if (id == RoutePool::kNone) return nullptr;
  auto at = std::find_if(held_.begin(), held_.end(), [&](const auto& h) { return h.first == dev; });
  at->second.reset(id);
  if (at->second.empty()) held_.erase(at);
  note_held(int(k >> 32), -1);
  RouteList& routes = by_prefix_[k];
  routes.push_back(shared_route(id, dev));
  return &routes;
}

std::optional<Route> FibTable::find(const wire::Ipv4Prefix& dst) const {
  if (const RouteList* routes = by_prefix_.find(key(dst)); routes && !routes->empty()) return routes->front();
  Device* dev = nullptr;
  const std::uint32_t id = held_id(key(dst), &dev);
  if (id == RoutePool::kNone) return std::nullopt;
  return shared_route(id, dev);
}

FibTable::AddResult FibTable::add(const Route& r) {
  if (!by_prefix_.find(key(r.dst))) {
    Device* dev = nullptr;
    const std::uint32_t id = held_id(key(r.dst), &dev);
    if (id == RoutePool::kNone && shareable(r)) {
      hold(r);
      return AddResult::Added;
    }
    if (id != RoutePool::kNone) {
      const Route& e = (*shared_)[id];
      if (e.same_key(r) && e.type == r.type) return AddResult::Exists;
      materialize(key(r.dst));
    }
  }
  auto& bucket = by_prefix_[key(r.dst)];
  for (const Route& e : bucket)
    if (e.same_key(r) && e.type == r.type) return AddResult::Exists;
  auto pos = std::upper_bound(bucket.begin(), bucket.end(), r.metric,
                              [](std::uint32_t m, const Route& e) { return m < e.metric; });
  bucket.insert(pos, r);
  note_length(r.dst.len, +1);
  ++count_;
  return AddResult::Added;
}

FibTable::AddResult FibTable::append(const Route& r) {
  materialize(key(r.dst));
  auto& bucket = by_prefix_[key(r.dst)];
  for (const Route& e : bucket)
    if (e.same_key(r) && e.type == r.type && e.dev == r.dev) return AddResult::Exists;
  auto pos = std::upper_bound(bucket.begin(), bucket.end(), r.metric,
                              [](std::uint32_t m, const Route& e) { return m < e.metric; });
  bucket.insert(pos, r);
  note_length(r.dst.len, +1);
  ++count_;
  return AddResult::Added;
}

void FibTable::replace(const Route& r) {
  if (!by_prefix_.find(key(r.dst))) {
    Device* dev = nullptr;
    const std::uint32_t id = held_id(key(r.dst), &dev);
    if (id == RoutePool::kNone || !(*shared_)[id].same_key(r)) return void(add(r));
    if (shareable(r)) {  // the shared route for another: the new one is shared too
      unhold(id, dev);
      return hold(r);
    }
    materialize(key(r.dst));
  }
  auto& bucket = by_prefix_[key(r.dst)];
  for (Route& e : bucket)
    if (e.same_key(r)) {
      e = r;
      return;
    }
  add(r);
}

bool FibTable::remove(const wire::Ipv4Prefix& dst, std::optional<std::uint32_t> metric, const Device* dev) {
  RouteList* found = by_prefix_.find(key(dst));
  if (!found) {
    Device* on = nullptr;
    const std::uint32_t id = held_id(key(dst), &on);
    if (id == RoutePool::kNone || (metric && (*shared_)[id].metric != *metric) || (dev && on != dev)) return false;
    unhold(id, on);
    return true;
  }
  auto& bucket = *found;
  for (auto e = bucket.begin(); e != bucket.end(); ++e) {
    if ((!metric || e->metric == *metric) && (!dev || e->dev == dev)) {
      bucket.erase(e);
      note_length(dst.len, -1);
      --count_;
      if (bucket.empty()) by_prefix_.erase(key(dst));
      return true;
    }
  }
  return false;
}

void FibTable::remove_exact(const Route& r) {
  RouteList* found = by_prefix_.find(key(r.dst));
  if (!found) {
    Device* on = nullptr;
    const std::uint32_t id = held_id(key(r.dst), &on);
    if (id != RoutePool::kNone && shared_route(id, on) == r) unhold(id, on);
    return;
  }
  auto& bucket = *found;
  const std::size_t n = erase_routes_if(bucket, [&](const Route& e) {
    return e.same_key(r) && e.type == r.type && e.dev == r.dev && e.prefsrc == r.prefsrc;
  });
  for (std::size_t i = 0; i < n; ++i) note_length(r.dst.len, -1);
  count_ -= n;
  if (bucket.empty()) by_prefix_.erase(key(r.dst));
}

void FibTable::remove_if_dev(const Device* dev) {
  for (auto at = held_.begin(); at != held_.end(); ++at)
    if (at->first == dev) {
      at->second.for_each([&](std::uint32_t id) {
        note_length((*shared_)[id].dst.len, -1);
        note_held((*shared_)[id].dst.len, -1);
      });
      count_ -= at->second.size();
      held_.erase(at);
      break;
    }
  by_prefix_.edit_all([&](std::uint64_t k, RouteList& routes) {
    const std::size_t n = erase_routes_if(routes, [&](const Route& e) { return e.dev == dev; });
    for (std::size_t i = 0; i < n; ++i) note_length(int(k >> 32), -1);
    count_ -= n;
  });
}

std::vector<Route> FibTable::dump(std::vector<std::uint32_t>* shared_ids) const {
  // Prefixes sorted by (address, length) without touching the routes (a prefix's routes are
  // already in metric order): a sort that dereferenced each route missed the cache on every
  // comparison of a 5,000-route table.
  struct Prefix {
    std::uint64_t order;         // address << 8 | length
    const RouteList* routes;     // the table's own, or
    std::uint32_t id;            // a shared route
    Device* dev;                 // on this device
  };
  const auto before = [](const Prefix& a, const Prefix& b) { return a.order < b.order; };
  const auto by_address = [](std::uint64_t k) { return (k & 0xffffffffu) << 8 | k >> 32; };  // k: length << 32 | address
  std::vector<Prefix> order;
  order.reserve(count_);
  by_prefix_.for_each([&](std::uint64_t k, const RouteList& routes) { order.push_back({by_address(k), &routes, 0, nullptr}); });
  std::sort(order.begin(), order.end(), before);
  for (const auto& h : held_) {  // named, not a structured binding: clang 14 cannot capture one in a lambda
    const auto mid = std::ptrdiff_t(order.size());
    Device* dev = h.first;
    shared_->for_each_held_in_order(h.second, by_address,
                                    [&](std::uint32_t id) { order.push_back({by_address(shared_->key_of(id)), nullptr, id, dev}); });
    std::inplace_merge(order.begin(), order.begin() + mid, order.end(), before);  // a prefix is in one or the other
  }
  std::vector<Route> out;
  out.reserve(count_);
  if (shared_ids) shared_ids->clear(), shared_ids->reserve(count_);
  for (const Prefix& p : order) {
    if (!p.routes) out.push_back(shared_route(p.id, p.dev));
    else out.insert(out.end(), p.routes->begin(), p.routes->end());
    if (shared_ids) shared_ids->resize(out.size(), p.routes ? RoutePool::kNone : p.id);
  }
  return out;
}

}  // namespace ol::kernel
