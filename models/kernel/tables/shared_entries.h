// Entries that many namespaces hold alike, stored once per World. A 5,000-node flannel cluster
// programs every peer's VTEP neighbour and FDB entry into every other node: 25 million entries of
// only 5,000 distinct values. Each table keeps its own entries as before, and for these an IdBits
// of the shared ids it holds. The kernel has no such sharing; it changes nothing a table shows
// or does, only what 5,000 copies cost. Entries are interned, never freed: there are as many as
// distinct values were ever programmed.
#pragma once
#include <cstdint>

#include "models/kernel/tables/key_index.h"
#include "models/kernel/tables/slot_store.h"

namespace ol::kernel {

template <typename T>
class SharedEntries {
 public:
  static constexpr std::uint32_t kNone = UINT32_MAX;

  // The id of the entry under `key` equal to `e`, added when there is none.
  std::uint32_t intern(std::uint64_t key, const T& e) {
    std::uint32_t* head = index_.find(key);
    for (std::uint32_t id = head ? *head : kNone; id != kNone; id = slots_[id].next)
      if (slots_[id].value == e) return id;
    const std::uint32_t id = slots_.take();
    slots_[id] = Slot{e, key, head ? *head : kNone};
    ++count_;
    if (head) *head = id;
    else index_.insert(key, id);
    return id;
  }
  const T& operator[](std::uint32_t id) const { return slots_[id].value; }
  std::uint64_t key_of(std::uint32_t id) const { return slots_[id].key; }
  // The ids under `key`: first(key), then next(id), until kNone.
  std::uint32_t first(std::uint64_t key) const {
    const std::uint32_t* head = index_.find(key);
    return head ? *head : kNone;
  }
  std::uint32_t next(std::uint32_t id) const { return slots_[id].next; }
  // The id under `key` that `held` contains (a table holds at most one entry per key), or kNone.
  template <typename Bits>
  std::uint32_t held(std::uint64_t key, const Bits& held) const {
    for (std::uint32_t id = first(key); id != kNone; id = slots_[id].next)
      if (held.test(id)) return id;
    return kNone;
  }
  std::size_t size() const { return count_; }

 private:
  struct Slot {
    T value{};
    std::uint64_t key = 0;
    std::uint32_t next = kNone;  // the next entry under the same key
  };
  SlotStore<Slot> slots_;  // never given back, so a `const T&` stays valid
  KeyIndex index_;         // key → the newest entry under it
  std::size_t count_ = 0;
};

}  // namespace ol::kernel
