#include "models/kernel/tables/key_index.h"

#include <algorithm>
#include <bit>
#include <utility>

namespace ol::kernel {

void KeyIndex::grow(std::size_t slots) {
  std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(slots));
  shift_ = 64 - std::countr_zero(slots_.size());
  for (const Slot& s : old) {
    if (s.key == kEmpty) continue;
    std::size_t i = home(s.key);
    while (slots_[i].key != kEmpty) i = (i + 1) & mask();
    slots_[i] = s;
  }
}

void KeyIndex::reserve(std::size_t keys) {
  const std::size_t slots = std::bit_ceil(std::max<std::size_t>(8, (keys * 4 + 2) / 3));  // at most 3/4 full
  if (slots > slots_.size()) grow(slots);
}

void KeyIndex::insert(std::uint64_t key, std::uint32_t value) {
  if ((used_ + 1) * 4 > slots_.size() * 3) grow(slots_.empty() ? 8 : slots_.size() * 2);
  std::size_t i = home(key);
  while (slots_[i].key != kEmpty) i = (i + 1) & mask();
  slots_[i] = Slot{key, value};
  ++used_;
}

// Backward-shift deletion: later members of the probe run move up into the hole, so no tombstones
// are left and a lookup still stops at the first empty slot.
bool KeyIndex::erase(std::uint64_t key) {
  if (slots_.empty()) return false;
  std::size_t hole = home(key);
  for (; slots_[hole].key != key; hole = (hole + 1) & mask())
    if (slots_[hole].key == kEmpty) return false;
  for (std::size_t j = (hole + 1) & mask(); slots_[j].key != kEmpty; j = (j + 1) & mask()) {
    const std::size_t h = home(slots_[j].key);
    const bool home_between = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
    if (home_between) continue;
    slots_[hole] = slots_[j];
    hole = j;
  }
  slots_[hole].key = kEmpty;
  --used_;
  return true;
}

std::vector<std::uint32_t> KeyIndex::values_by_key() const {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> order;
  order.reserve(used_);
  for_each([&](std::uint64_t k, std::uint32_t v) { order.emplace_back(k, v); });
  std::sort(order.begin(), order.end());
  std::vector<std::uint32_t> out;
  out.reserve(order.size());
  for (const auto& [k, v] : order) out.push_back(v);
  return out;
}

}  // namespace ol::kernel
