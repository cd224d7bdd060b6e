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
    const RouteList* routes = by_prefix_.find(std::uint64_t(len) << 32 | (dst.v & wire::prefix_mask(len)));
    if (!routes) continue;
    for (const Route& r : *routes)
      if (usable(r, min_scope)) return &r;
  }
  return nullptr;
}

void FibTable::note_length(int len, int delta) {
  length_count_[std::size_t(len)] = std::uint32_t(int(length_count_[std::size_t(len)]) + delta);
  if (length_count_[std::size_t(len)])
    length_mask_ |= std::uint64_t(1) << len;
  else
    length_mask_ &= ~(std::uint64_t(1) << len);
}

const Route* FibTable::find(const wire::Ipv4Prefix& dst) const {
  const RouteList* routes = by_prefix_.find(key(dst));
  return !routes || routes->empty() ? nullptr : &routes->front();
}

FibTable::AddResult FibTable::add(const Route& r) {
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
  if (!found) return false;
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
  if (!found) return;
  auto& bucket = *found;
  const std::size_t n = erase_routes_if(bucket, [&](const Route& e) {
    return e.same_key(r) && e.type == r.type && e.dev == r.dev && e.prefsrc == r.prefsrc;
  });
  for (std::size_t i = 0; i < n; ++i) note_length(r.dst.len, -1);
  count_ -= n;
  if (bucket.empty()) by_prefix_.erase(key(r.dst));
}

void FibTable::remove_if_dev(const Device* dev) {
  by_prefix_.edit_all([&](std::uint64_t k, RouteList& routes) {
    const std::size_t n = erase_routes_if(routes, [&](const Route& e) { return e.dev == dev; });
    for (std::size_t i = 0; i < n; ++i) note_length(int(k >> 32), -1);
    count_ -= n;
  });
}

std::vector<const Route*> FibTable::dump() const {
  // Prefixes sorted by (address, length) without touching the routes (a prefix's routes are
  // already in metric order): a sort that dereferenced each route missed the cache on every
  // comparison of a 5,000-route table.
  std::vector<std::pair<std::uint64_t, const RouteList*>> order;
  order.reserve(count_);
  by_prefix_.for_each([&](std::uint64_t k, const RouteList& routes) {
    order.emplace_back((k & 0xffffffffu) << 8 | k >> 32, &routes);  // key: length << 32 | address
  });
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const Route*> out;
  out.reserve(count_);
  for (const auto& [k, routes] : order)
    for (const Route& r : *routes) out.push_back(&r);
  return out;
}

}  // namespace ol::kernel
