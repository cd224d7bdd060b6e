#include "sim/event_queue.h"

#include <algorithm>
#include <bit>

namespace ol {

EventId EventQueue::schedule_cancellable(Nanos at, EventTarget* target, std::uint64_t cookie) {
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = std::uint32_t(generations_.size());
    generations_.push_back(0);
  }
  const std::uint32_t generation = generations_[slot];
  insert(Entry{at, target, cookie, slot, generation});
  return EventId{slot, generation};
}

void EventQueue::insert_early(const Entry& e) {
  early_.push_back(Early{e, early_seq_++});
  std::push_heap(early_.begin(), early_.end());
}

void EventQueue::release(std::uint32_t slot) {
  ++generations_[slot];  // every entry and EventId naming the old generation is now dead
  free_slots_.push_back(slot);
  --live_;
}

bool EventQueue::cancel(EventId id) {
  if (id.slot >= generations_.size() || generations_[id.slot] != id.generation) return false;
  release(id.slot);
  return true;
}

// Level 0 is empty: the lowest occupied bucket of the lowest occupied level becomes the present.
// `last_` moves to its first instant (its digit at that level, zeros below) and its live entries
// spread, in order, over the empty levels below.
bool EventQueue::cascade() {
  for (int level = 1; level < kLevels; ++level) {
    if (occupied_[level] == 0) continue;
    const int d = std::countr_zero(occupied_[level]);
    const int shift = level * kBits;
    const std::uint64_t above = shift + kBits >= 64 ? 0 : ~std::uint64_t(0) << (shift + kBits);
    last_ = Nanos((std::uint64_t(last_) & above) | (std::uint64_t(d) << shift));
    std::vector<Entry>& bucket = wheel_[level][d];
    occupied_[level] &= ~(std::uint64_t(1) << d);
    for (const Entry& e : bucket)
      if (alive(e)) place(e);
    bucket.clear();
    return true;
  }
  return false;
}

bool EventQueue::advance() {
  const unsigned d = unsigned(std::uint64_t(last_) & ((1u << kBits) - 1));
  wheel_[0][d].clear();
  head_ = 0;
  occupied_[0] &= ~(std::uint64_t(1) << d);
  if (occupied_[0] != 0) {  // the next instant in this level: only later digits can be set
    last_ = Nanos((std::uint64_t(last_) & ~std::uint64_t((1u << kBits) - 1)) | std::uint64_t(std::countr_zero(occupied_[0])));
    return true;
  }
  return cascade();
}

bool EventQueue::settle() {
  for (;;) {
    std::vector<Entry>& b = current();
    while (head_ < b.size() && !alive(b[head_])) ++head_;
    if (head_ < b.size()) return true;
    if (!advance()) return false;
  }
}

bool EventQueue::early_pending() {
  while (!early_.empty() && !alive(early_.front().entry)) {
    std::pop_heap(early_.begin(), early_.end());
    early_.pop_back();
  }
  return !early_.empty();
}

bool EventQueue::pop_early(Due& out) {
  if (!early_pending()) return false;
  std::pop_heap(early_.begin(), early_.end());
  const Entry e = early_.back().entry;
  early_.pop_back();
  out = Due{e.at, e.target, e.cookie};
  if (e.slot == EventQueue::kNoSlot)
    --live_;
  else
    release(e.slot);
  return true;
}

bool EventQueue::peek_time(Nanos& at) {
  if (early_pending()) {
    at = early_.front().entry.at;
    return true;
  }
  if (!settle()) return false;
  at = last_;
  return true;
}

}  // namespace ol
