#include "sim/event_queue.h"

namespace ol {

EventId EventQueue::schedule(Nanos at, EventTarget* target, std::uint64_t cookie) {
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = std::uint32_t(slots_.size());
    slots_.emplace_back();
  }
  Slot& s = slots_[slot];
  s.target = target;
  s.cookie = cookie;
  s.live = true;
  heap_.push_back(Entry{at, next_seq_++, slot});
  sift_up(heap_.size() - 1);
  ++live_;
  return EventId{slot, s.generation};
}

bool EventQueue::cancel(EventId id) {
  if (id.slot >= slots_.size()) return false;
  Slot& s = slots_[id.slot];
  if (!s.live || s.generation != id.generation) return false;
  s.live = false;  // the heap entry stays until it reaches the top
  --live_;
  return true;
}

void EventQueue::drop_cancelled_top() {
  while (!heap_.empty() && !slots_[heap_.front().slot].live) {
    std::uint32_t slot = heap_.front().slot;
    ++slots_[slot].generation;
    free_slots_.push_back(slot);
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
  }
}

bool EventQueue::peek_time(Nanos& at) {
  drop_cancelled_top();
  if (heap_.empty()) return false;
  at = heap_.front().at;
  return true;
}

bool EventQueue::pop(Due& out) {
  drop_cancelled_top();
  if (heap_.empty()) return false;
  const Entry top = heap_.front();
  Slot& s = slots_[top.slot];
  out = Due{top.at, s.target, s.cookie};
  s.live = false;
  ++s.generation;
  free_slots_.push_back(top.slot);
  --live_;
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0);
  return true;
}

void EventQueue::sift_up(std::size_t i) {
  Entry e = heap_[i];
  while (i > 0) {
    std::size_t parent = (i - 1) / 2;
    if (!later(heap_[parent], e)) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

void EventQueue::sift_down(std::size_t i) {
  const std::size_t n = heap_.size();
  Entry e = heap_[i];
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && later(heap_[child], heap_[child + 1])) ++child;
    if (!later(e, heap_[child])) break;
    heap_[i] = heap_[child];
    i = child;
  }
  heap_[i] = e;
}

}  // namespace ol
