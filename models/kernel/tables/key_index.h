// A table's index: a 64-bit key (a MAC, or a device and an address) → a small value (an entry's
// slot number, or its address and slot). An open-addressing map (linear probing, backward-shift
// deletion) of 16- or 24-byte slots, so a 5,000-peer table is one array, not 5,000 heap nodes to
// allocate, chase and free (SlotIndex keeps entries at stable addresses behind it).
#pragma once
#include <algorithm>
#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

namespace ol::kernel {

template <typename V>
class KeyMap {
 public:
  static constexpr std::uint64_t kEmpty = UINT64_MAX;  // no key in use is this

  const V* find(std::uint64_t key) const {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = home(key);; i = (i + 1) & mask()) {
      if (slots_[i].key == key) return &slots_[i].value;
      if (slots_[i].key == kEmpty) return nullptr;
    }
  }
  V* find(std::uint64_t key) { return const_cast<V*>(static_cast<const KeyMap*>(this)->find(key)); }
  void insert(std::uint64_t key, V value);  // `key` must be absent
  void reserve(std::size_t keys);           // room for this many keys without growing again
  bool erase(std::uint64_t key);
  std::size_t size() const { return used_; }
  template <typename F>
  void for_each(F&& f) const {
    for (const Slot& s : slots_)
      if (s.key != kEmpty) f(s.key, s.value);
  }

 private:
  struct Slot {
    std::uint64_t key = kEmpty;
    V value{};
  };
  std::size_t mask() const { return slots_.size() - 1; }
  std::size_t home(std::uint64_t key) const { return std::size_t((key * 0x9E3779B97F4A7C15ull) >> shift_); }
  void grow(std::size_t slots);  // rehash into this many (a power of two)

  std::vector<Slot> slots_;  // a power of two, at most 3/4 full
  std::size_t used_ = 0;
  int shift_ = 64;
};

using KeyIndex = KeyMap<std::uint32_t>;

template <typename V>
void KeyMap<V>::grow(std::size_t slots) {
  std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(slots));
  shift_ = 64 - std::countr_zero(slots_.size());
  for (const Slot& s : old) {
    if (s.key == kEmpty) continue;
    std::size_t i = home(s.key);
    while (slots_[i].key != kEmpty) i = (i + 1) & mask();
    slots_[i] = s;
  }
}

template <typename V>
void KeyMap<V>::reserve(std::size_t keys) {
  const std::size_t slots = std::bit_ceil(std::max<std::size_t>(8, (keys * 4 + 2) / 3));  // at most 3/4 full
  if (slots > slots_.size()) grow(slots);
}

template <typename V>
void KeyMap<V>::insert(std::uint64_t key, V value) {
  if ((used_ + 1) * 4 > slots_.size() * 3) grow(slots_.empty() ? 8 : slots_.size() * 2);
  std::size_t i = home(key);
  while (slots_[i].key != kEmpty) i = (i + 1) & mask();
  slots_[i] = Slot{key, value};
  ++used_;
}

// Backward-shift deletion: later members of the probe run move up into the hole, so no tombstones
// are left and a lookup still stops at the first empty slot.
template <typename V>
bool KeyMap<V>::erase(std::uint64_t key) {
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

}  // namespace ol::kernel
