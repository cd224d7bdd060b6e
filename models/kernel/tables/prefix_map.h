// A routing table's prefixes, each with its routes: an open-addressing hash map (linear probing,
// backward-shift deletion) keyed by (prefix length, network). fib_table_lookup probes it once per
// prefix length present, on every packet, so a probe is one multiply and, mostly, one cache line;
// a node-based map paid a division and two pointer chases. A prefix's route vector moves with its
// slot, but its storage does not, so a `const Route*` stays valid while its prefix is untouched.
#pragma once
#include <cstdint>
#include <vector>

#include "models/kernel/tables/route.h"

namespace ol::kernel {

class PrefixMap {
 public:
  static constexpr std::uint64_t kEmpty = UINT64_MAX;  // no (length, network) key is this
  struct Slot {
    std::uint64_t key = kEmpty;
    std::vector<Route> routes;  // sorted by metric
  };

  const std::vector<Route>* find(std::uint64_t key) const {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = home(key);; i = (i + 1) & mask()) {
      if (slots_[i].key == key) return &slots_[i].routes;
      if (slots_[i].key == kEmpty) return nullptr;
    }
  }
  std::vector<Route>* find(std::uint64_t key) {
    return const_cast<std::vector<Route>*>(static_cast<const PrefixMap*>(this)->find(key));
  }
  std::vector<Route>& operator[](std::uint64_t key);  // inserts an empty prefix when absent
  void erase(std::uint64_t key);                       // drops the prefix (if present)
  // Every occupied slot, in no particular order.
  template <typename F>
  void for_each(F&& f) const {
    for (const Slot& s : slots_)
      if (s.key != kEmpty) f(s.key, s.routes);
  }
  // Every occupied slot's routes, mutable; prefixes left without routes are dropped afterwards.
  template <typename F>
  void edit_all(F&& f) {
    std::vector<std::uint64_t> emptied;
    for (Slot& s : slots_)
      if (s.key != kEmpty) {
        f(s.key, s.routes);
        if (s.routes.empty()) emptied.push_back(s.key);
      }
    for (std::uint64_t k : emptied) erase(k);
  }

 private:
  std::size_t mask() const { return slots_.size() - 1; }
  std::size_t home(std::uint64_t key) const { return std::size_t((key * 0x9E3779B97F4A7C15ull) >> shift_); }
  void grow();

  std::vector<Slot> slots_;  // a power of two, at most 3/4 full
  std::size_t used_ = 0;
  int shift_ = 64;
};

}  // namespace ol::kernel
