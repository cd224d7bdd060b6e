// A table's entries by key, each at an address that stays put (SlotStore), found in one probe of
// the index: its slot holds the entry's address beside the key, so a lookup reads the index's
// line and then the entry's, not also the chunk table between them. A lookup on the packet path
// finds every node's tables cold, so each line saved is a cache miss saved per packet.
#pragma once
#include <cstdint>
#include <vector>

#include "models/kernel/tables/key_index.h"
#include "models/kernel/tables/slot_store.h"

namespace ol::kernel {

template <typename T>
class SlotIndex {
 public:
  T* find(std::uint64_t key) {
    const Ref* r = index_.find(key);
    return r ? r->entry : nullptr;
  }
  const T* find(std::uint64_t key) const { return const_cast<SlotIndex*>(this)->find(key); }
  // A default entry under `key`, which must be absent.
  T& insert(std::uint64_t key) {
    const std::uint32_t slot = entries_.take();
    T& e = entries_[slot];
    index_.insert(key, Ref{&e, slot});
    return e;
  }
  // The entry goes (what it held with it); false when there was none.
  bool erase(std::uint64_t key) {
    const Ref* r = index_.find(key);
    if (!r) return false;
    const std::uint32_t slot = r->slot;
    index_.erase(key);
    entries_.give_back(slot);
    return true;
  }
  std::size_t size() const { return index_.size(); }
  // f(key, entry) for every entry, in no particular order.
  template <typename F>
  void for_each(F&& f) const {
    index_.for_each([&](std::uint64_t key, const Ref& r) { f(key, static_cast<const T&>(*r.entry)); });
  }
  template <typename F>
  void for_each(F&& f) {
    index_.for_each([&](std::uint64_t key, const Ref& r) { f(key, *r.entry); });
  }

 private:
  struct Ref {
    T* entry = nullptr;
    std::uint32_t slot = 0;  // in entries_, to give it back
  };
  KeyMap<Ref> index_;
  SlotStore<T> entries_;
};

}  // namespace ol::kernel
