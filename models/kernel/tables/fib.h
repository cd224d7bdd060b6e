// An IPv4 routing table (net/ipv4/fib_trie.c semantics without the trie): longest prefix first,
// then the lowest metric; a route is usable only if its scope is at least the lookup's scope.
// Lookups hash each prefix length present, so they cost O(distinct lengths), not O(routes).
// A route through a gateway that is its prefix's only one (every peer's route flanneld programs)
// is shared with the World's other tables (shared_entries.h) until it is used or changed.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/kernel/tables/id_bits.h"
#include "models/kernel/tables/prefix_map.h"
#include "models/kernel/tables/route.h"
#include "models/kernel/tables/shared_entries.h"
#include "models/wire/addr.h"

namespace ol::kernel {

// Routes shared by a World's tables, keyed as a table keys its prefixes; their device is left null
// (each table that holds one says on which of its devices).
using RoutePool = SharedEntries<Route>;

class alignas(64) FibTable {
 public:
  enum class AddResult { Added, Exists };

  explicit FibTable(std::uint32_t id, RoutePool* shared = nullptr) : id_(id), shared_(shared) {}
  std::uint32_t id() const { return id_; }

  // fib_table_lookup: the best route for `dst` whose scope is >= `min_scope`, or nullptr. A
  // shared route it returns becomes the table's own first, so the pointer stays valid as above.
  const Route* lookup(wire::Ipv4Addr dst, Scope min_scope = Scope::Universe) const;
  // RouteListFiltered(RT_FILTER_DST): the lowest-metric route for exactly this prefix.
  std::optional<Route> find(const wire::Ipv4Prefix& dst) const;
  AddResult add(const Route& r);   // NLM_F_EXCL: a route with the same prefix and metric exists
  void replace(const Route& r);    // NLM_F_REPLACE|NLM_F_CREATE
  // NLM_F_APPEND|NLM_F_CREATE (fib_magic's local routes): another alias after those with the same
  // prefix and metric, unless one with the same type and device is there already. One address on
  // several devices so gets one local route per device.
  AddResult append(const Route& r);
  bool remove(const wire::Ipv4Prefix& dst, std::optional<std::uint32_t> metric, const Device* dev);
  void remove_if_dev(const Device* dev);  // the device went down or away
  void remove_exact(const Route& r);      // one route, matched on every field that identifies it
  // Every route, in the order `ip route` prints them (by address, then prefix length, then metric).
  // `shared_ids`, when given, gets each route's id in the pool (RoutePool::kNone: the table's own).
  std::vector<Route> dump(std::vector<std::uint32_t>* shared_ids = nullptr) const;
  std::size_t size() const { return count_; }
  const RoutePool* pool() const { return shared_; }

 private:
  static std::uint64_t key(const wire::Ipv4Prefix& p) { return std::uint64_t(p.len) << 32 | p.network().v; }
  void note_length(int len, int delta);
  void note_held(int len, int delta) const;  // a shared route of this length came or went
  bool shareable(const Route& r) const { return shared_ && r.gw && r.dev && r.type == RouteType::Unicast; }
  std::uint32_t held_id(std::uint64_t k, Device** dev) const;  // RoutePool::kNone: not shared here
  Route shared_route(std::uint32_t id, Device* dev) const;
  void hold(const Route& r);                       // share it (its prefix has no route here)
  void unhold(std::uint32_t id, Device* dev);      // drop a shared route
  RouteList* materialize(std::uint64_t k) const;  // the prefix's shared route becomes the table's own

  // What a lookup reads comes first, on the object's one aligned cache line: the lengths to try,
  // which of them hold shared routes, the prefix index and where its route lists are.
  std::uint64_t length_mask_ = 0;  // bit L: some route has prefix length L (tried longest first)
  mutable std::uint64_t held_lengths_ = 0;  // bit L: some shared route held here has prefix length L
  // Each prefix's routes sorted by metric. Mutable: a lookup makes a shared route the table's own.
  mutable PrefixMap by_prefix_;
  std::uint32_t id_;
  std::size_t count_ = 0;
  std::array<std::uint32_t, 33> length_count_{};       // routes per prefix length
  mutable std::array<std::uint32_t, 33> held_count_{};  // shared routes held, per prefix length
  RoutePool* shared_;
  // Per device, the shared routes held on it; a prefix is either here or in by_prefix_.
  mutable std::vector<std::pair<Device*, IdBits>> held_;
};

}  // namespace ol::kernel
