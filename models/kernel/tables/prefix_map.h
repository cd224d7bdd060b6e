// A routing table's prefixes, each with its routes: a SlotIndex (an open-addressing map whose
// slots point at their entries) keyed by (prefix length, network) over slot storage of route
// lists. fib_table_lookup probes it once per prefix length present, on every packet: one probe,
// then the list, whose first route is held in place (a prefix nearly always has one route), so a
// table of 5,000 peers' routes is an array and chunks of 64 lists, with no heap block per prefix
// and no doubling slack. A `const Route*` is valid until the table next changes.
#pragma once
#include <cstdint>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "models/kernel/tables/route.h"
#include "models/kernel/tables/slot_index.h"

namespace ol::kernel {

using RouteList = boost::container::small_vector<Route, 1>;  // one prefix's routes, sorted by metric

class PrefixMap {
 public:
  const RouteList* find(std::uint64_t key) const { return lists_.find(key); }
  RouteList* find(std::uint64_t key) { return lists_.find(key); }
  RouteList& operator[](std::uint64_t key) {  // inserts an empty prefix when absent
    RouteList* l = lists_.find(key);
    return l ? *l : lists_.insert(key);
  }
  void erase(std::uint64_t key) { lists_.erase(key); }  // drops the prefix (if present)
  // Every prefix, in no particular order.
  template <typename F>
  void for_each(F&& f) const {
    lists_.for_each(f);
  }
  // Every prefix's routes, mutable; prefixes left without routes are dropped afterwards.
  template <typename F>
  void edit_all(F&& f) {
    std::vector<std::uint64_t> emptied;
    lists_.for_each([&](std::uint64_t key, RouteList& routes) {
      f(key, routes);
      if (routes.empty()) emptied.push_back(key);
    });
    for (std::uint64_t k : emptied) erase(k);
  }

 private:
  SlotIndex<RouteList> lists_;  // (length, network) → its routes
};

}  // namespace ol::kernel
