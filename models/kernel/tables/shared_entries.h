// Entries that many namespaces hold alike, stored once per World. A 5,000-node flannel cluster
// programs every peer's VTEP neighbour and FDB entry into every other node: 25 million entries of
// only 5,000 distinct values. Each table keeps its own entries as before, and for these an IdBits
// of the shared ids it holds. The kernel has no such sharing; it changes nothing a table shows
// or does, only what 5,000 copies cost. Entries are interned, never freed: there are as many as
// distinct values were ever programmed.
#pragma once
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "models/kernel/tables/key_index.h"
#include "models/kernel/tables/slot_store.h"

namespace ol::kernel {

template <typename T>
class SharedEntries {
 public:
  static constexpr std::uint32_t kNone = UINT32_MAX;
  static constexpr std::size_t kFew = 8;  // a table holding this many ids or fewer is searched, not the key's chain

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
    if (held.size() <= kFew) {  // look through what the table holds, not through the key's chain:
      std::uint32_t found = kNone;  // every pod's default route has its key, one per node's gateway
      held.for_each([&](std::uint32_t id) {
        if (found == kNone && slots_[id].key == key) found = id;
      });
      return found;
    }
    for (std::uint32_t id = first(key); id != kNone; id = slots_[id].next)
      if (held.test(id)) return id;
    return kNone;
  }
  std::size_t size() const { return count_; }

  // Appends entry `id`'s printed line as a table holding it on device `dev` prints it. The line is
  // made once, by make(head, tail), around where the device's name goes, and copied after that:
  // 5,000 nodes print each peer's route, neighbour and FDB entry 5,000 times over.
  template <typename Make>
  void append_printed(std::string& s, std::uint32_t id, std::string_view dev, Make make) const {
    if (id >= printed_.size()) printed_.resize(std::max<std::size_t>(count_, id + 1));  // ids are never freed: all < count_
    Printed& p = printed_[id];
    if (!p.made) {
      std::string head, tail;
      make(head, tail);
      p.split = std::uint32_t(head.size());
      p.text = std::move(head) + tail;
      p.made = true;
    }
    const std::string_view text = p.text;
    s.append(text.substr(0, p.split)).append(dev).append(text.substr(p.split));
  }

  // f(id) for every id `held` contains, ordered by order(key), then by id. A table that holds much
  // of the pool reads the pool's own order (sorted once after the last intern) through: 5,000
  // tables each sorting 5,000 ids were a tenth of the tables' time at 5,000 nodes. One that holds
  // few sorts its own. One pool, one order: each kind of table asks with its own.
  template <typename Bits, typename Order, typename F>
  void for_each_held_in_order(const Bits& held, Order order, F&& f) const {
    const auto before = [&](std::uint32_t a, std::uint32_t b) {
      const std::uint64_t ka = order(slots_[a].key), kb = order(slots_[b].key);
      return ka != kb ? ka < kb : a < b;
    };
    if (held.size() * 8 >= count_) {
      if (in_order_.size() != count_) {
        in_order_.resize(count_);
        std::iota(in_order_.begin(), in_order_.end(), 0u);
        std::sort(in_order_.begin(), in_order_.end(), before);
      }
      for (const std::uint32_t id : in_order_)
        if (held.test(id)) f(id);
      return;
    }
    std::vector<std::uint32_t> ids;
    ids.reserve(held.size());
    held.for_each([&](std::uint32_t id) { ids.push_back(id); });
    std::sort(ids.begin(), ids.end(), before);
    for (const std::uint32_t id : ids) f(id);
  }

 private:
  struct Slot {
    T value{};
    std::uint64_t key = 0;
    std::uint32_t next = kNone;  // the next entry under the same key
  };
  SlotStore<Slot> slots_;  // never given back, so a `const T&` stays valid
  KeyIndex index_;         // key → the newest entry under it
  std::size_t count_ = 0;
  struct Printed {
    std::string text;
    std::uint32_t split = 0;
    bool made = false;
  };
  mutable std::vector<std::uint32_t> in_order_;  // every id, in the last order asked; none are ever freed
  mutable std::vector<Printed> printed_;         // by id; entries never change, so neither do their lines
};

}  // namespace ol::kernel
