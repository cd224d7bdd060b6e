// An IPv4 routing table (net/ipv4/fib_trie.c semantics without the trie): longest prefix first,
// then the lowest metric; a route is usable only if its scope is at least the lookup's scope.
// Lookups hash each prefix length present, so they cost O(distinct lengths), not O(routes).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/kernel/tables/prefix_map.h"
#include "models/kernel/tables/route.h"
#include "models/wire/addr.h"

namespace ol::kernel {

class FibTable {
 public:
  enum class AddResult { Added, Exists };

  explicit FibTable(std::uint32_t id) : id_(id) {}
  std::uint32_t id() const { return id_; }

  // fib_table_lookup: the best route for `dst` whose scope is >= `min_scope`, or nullptr.
  const Route* lookup(wire::Ipv4Addr dst, Scope min_scope = Scope::Universe) const;
  // RouteListFiltered(RT_FILTER_DST): the lowest-metric route for exactly this prefix, or nullptr.
  const Route* find(const wire::Ipv4Prefix& dst) const;
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
  std::vector<const Route*> dump() const;
  std::size_t size() const { return count_; }

 private:
  static std::uint64_t key(const wire::Ipv4Prefix& p) { return std::uint64_t(p.len) << 32 | p.network().v; }
  void note_length(int len, int delta);

  // What a lookup reads comes first, on one cache line.
  std::uint32_t id_;
  std::uint64_t length_mask_ = 0;  // bit L: some route has prefix length L (tried longest first)
  PrefixMap by_prefix_;  // each prefix's routes sorted by metric
  std::size_t count_ = 0;
  std::array<std::uint32_t, 33> length_count_{};  // routes per prefix length
};

}  // namespace ol::kernel
