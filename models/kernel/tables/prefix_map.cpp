#include "models/kernel/tables/prefix_map.h"

#include <bit>
#include <utility>

namespace ol::kernel {

void PrefixMap::grow() {
  std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(slots_.empty() ? 8 : slots_.size() * 2));
  shift_ = 64 - std::countr_zero(slots_.size());
  for (Slot& s : old) {
    if (s.key == kEmpty) continue;
    std::size_t i = home(s.key);
    while (slots_[i].key != kEmpty) i = (i + 1) & mask();
    slots_[i] = std::move(s);
  }
}

std::vector<Route>& PrefixMap::operator[](std::uint64_t key) {
  if ((used_ + 1) * 4 > slots_.size() * 3) grow();
  std::size_t i = home(key);
  for (; slots_[i].key != kEmpty; i = (i + 1) & mask())
    if (slots_[i].key == key) return slots_[i].routes;
  slots_[i].key = key;
  ++used_;
  return slots_[i].routes;
}

// Backward-shift deletion: later members of the probe run move up into the hole, so no tombstones
// are left and a lookup still stops at the first empty slot.
void PrefixMap::erase(std::uint64_t key) {
  if (slots_.empty()) return;
  std::size_t hole = home(key);
  for (; slots_[hole].key != key; hole = (hole + 1) & mask())
    if (slots_[hole].key == kEmpty) return;
  for (std::size_t j = (hole + 1) & mask(); slots_[j].key != kEmpty; j = (j + 1) & mask()) {
    const std::size_t h = home(slots_[j].key);
    // j's entry may fill the hole unless its home lies cyclically in (hole, j].
    const bool home_between = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
    if (home_between) continue;
    slots_[hole] = std::move(slots_[j]);
    hole = j;
  }
  slots_[hole].key = kEmpty;
  slots_[hole].routes = {};
  --used_;
}

}  // namespace ol::kernel
