// A table's index: a 64-bit key (a MAC, or a device and an address) → the entry's slot number. An
// open-addressing map (linear probing, backward-shift deletion) of 16-byte slots, so a 5,000-peer
// table is one array, not 5,000 heap nodes to allocate, chase and free (PrefixMap is its sibling
// for routes, built on it).
#pragma once
#include <cstdint>
#include <vector>

namespace ol::kernel {

class KeyIndex {
 public:
  static constexpr std::uint64_t kEmpty = UINT64_MAX;  // no key in use is this

  const std::uint32_t* find(std::uint64_t key) const {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = home(key);; i = (i + 1) & mask()) {
      if (slots_[i].key == key) return &slots_[i].value;
      if (slots_[i].key == kEmpty) return nullptr;
    }
  }
  std::uint32_t* find(std::uint64_t key) {
    return const_cast<std::uint32_t*>(static_cast<const KeyIndex*>(this)->find(key));
  }
  void insert(std::uint64_t key, std::uint32_t value);  // `key` must be absent
  void reserve(std::size_t keys);  // room for this many keys without growing again
  bool erase(std::uint64_t key);
  std::size_t size() const { return used_; }
  // The slots in the order of their keys: a table whose key is its dump order (a MAC; a device
  // and an address) sorts these, never its scattered entries.
  std::vector<std::uint32_t> values_by_key() const;
  template <typename F>
  void for_each(F&& f) const {
    for (const Slot& s : slots_)
      if (s.key != kEmpty) f(s.key, s.value);
  }

 private:
  struct Slot {
    std::uint64_t key = kEmpty;
    std::uint32_t value = 0;
  };
  std::size_t mask() const { return slots_.size() - 1; }
  std::size_t home(std::uint64_t key) const { return std::size_t((key * 0x9E3779B97F4A7C15ull) >> shift_); }
  void grow(std::size_t slots);  // rehash into this many (a power of two)

  std::vector<Slot> slots_;  // a power of two, at most 3/4 full
  std::size_t used_ = 0;
  int shift_ = 64;
};

}  // namespace ol::kernel
