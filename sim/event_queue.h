// The pending-event set, ordered by (time, sequence) so that events due at the same instant run in
// the order they were scheduled (as in ns-3).
//
// A hierarchical timing wheel, as the kernel keeps its timers (kernel/time/timer.c: 64 buckets per
// level), used as a monotone priority queue (a radix heap, Ahuja et al. 1990, with 64-way digits).
// Simulated time never runs backwards, so every pending event is at or after `last_`, the time of
// the last event popped. An event sits at level L, bucket d when its time agrees with `last_` in
// every 6-bit digit above L and has digit d at L. Level 0's buckets therefore each hold one exact
// time and are popped in digit order; when level 0 is empty, the lowest occupied bucket of the lowest
// occupied level cascades: `last_` moves to that bucket's first instant and its events spread over
// the levels below (each event cascades at most once per level, and a delay under 4 us at most
// once). Every step is a bitmap scan or a sequential append, so the cost per event stays flat as the
// pending set grows, where a binary heap pays log2(n) cache misses. Buckets are FIFOs and a bucket
// only cascades while every lower level is empty, so events of equal time keep their scheduling
// order without a sequence number.
//
// Looking ahead (peek_time) moves `last_` to the next event without running it, so the clock may
// still be behind it: an event then scheduled before `last_` goes to a small binary heap of early
// events, ordered by (time, sequence), which runs before anything in the wheel.
//
// Most events are never cancelled (a packet's next hop, a CPU's next job) and carry no slot: they
// cost a bucket append and a read. A cancellable one (a timer: mod_timer/del_timer) takes a slot
// whose generation the entry records; cancelling bumps the generation, which kills the entry where
// it lies, and the loop drops dead entries as it meets them. Bucket and slot storage is recycled, so
// scheduling allocates nothing once the queue has grown.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "sim/time.h"

namespace ol {

// Anything that wakes up: one method, the cookie says why (htsim's EventSource, in one method).
class EventTarget {
 public:
  virtual void on_event(std::uint64_t cookie) = 0;

 protected:
  ~EventTarget() = default;
};

struct EventId {
  std::uint32_t slot = UINT32_MAX;
  std::uint32_t generation = 0;
};

class EventQueue {
 public:
  struct Due {
    Nanos at;
    EventTarget* target;
    std::uint64_t cookie;
  };

  // An event that will run: it cannot be cancelled.
  void schedule(Nanos at, EventTarget* target, std::uint64_t cookie) {
    insert(Entry{at, target, cookie, kNoSlot, 0});
  }
  // An event that can be cancelled until it runs.
  EventId schedule_cancellable(Nanos at, EventTarget* target, std::uint64_t cookie);
  // Returns false when the event already ran or was already cancelled.
  bool cancel(EventId id);
  // Removes the earliest live event; false when none is left.
  bool pop(Due& out) {
    if (!early_.empty()) [[unlikely]]
      if (pop_early(out)) return true;
    for (;;) {
      std::vector<Entry>& b = current();
      while (head_ < b.size()) {
        // The target is the cold line an event touches: fetch a later event's while this one runs.
        if (head_ + kPrefetch < b.size()) __builtin_prefetch(b[head_ + kPrefetch].target);
        const Entry& e = b[head_++];
        if (e.slot == kNoSlot) [[likely]] {
          --live_;
        } else {
          if (generations_[e.slot] != e.generation) continue;  // cancelled
          release(e.slot);
        }
        out = Due{e.at, e.target, e.cookie};
        return true;
      }
      if (!advance()) return false;
    }
  }
  // Time of the earliest live event, or false when none is left.
  bool peek_time(Nanos& at);
  std::size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }

 private:
  static constexpr std::uint32_t kNoSlot = UINT32_MAX;
  struct Entry {
    Nanos at;
    EventTarget* target;
    std::uint64_t cookie;
    std::uint32_t slot;  // kNoSlot: not cancellable
    std::uint32_t generation;
  };
  static constexpr int kBits = 6;
  static constexpr int kLevels = (64 + kBits - 1) / kBits;
  static constexpr std::size_t kPrefetch = 8;
  using Level = std::array<std::vector<Entry>, 1u << kBits>;
  struct Early {
    Entry entry;
    std::uint64_t seq;
    // std::push_heap keeps the greatest on top: "greater" is the later (time, seq).
    bool operator<(const Early& o) const { return entry.at != o.entry.at ? entry.at > o.entry.at : seq > o.seq; }
  };

  bool alive(const Entry& e) const { return e.slot == kNoSlot || generations_[e.slot] == e.generation; }
  void insert(const Entry& e) {
    ++live_;
    if (e.at >= last_) [[likely]]
      place(e);
    else
      insert_early(e);
  }
  void place(const Entry& e) {
    const auto diff = std::uint64_t(e.at) ^ std::uint64_t(last_);
    const int level = diff == 0 ? 0 : (63 - __builtin_clzll(diff)) / kBits;
    const unsigned d = unsigned(std::uint64_t(e.at) >> (level * kBits)) & ((1u << kBits) - 1);
    std::vector<Entry>& bucket = wheel_[level][d];
    bucket.push_back(e);
    // Buckets fill in interleaved streams the hardware prefetcher loses: fetch the next line ahead.
    if (bucket.size() + 4 <= bucket.capacity()) __builtin_prefetch(bucket.data() + bucket.size() + 4, 1);
    occupied_[level] |= std::uint64_t(1) << d;
  }
  void insert_early(const Entry& e);
  void release(std::uint32_t slot);
  bool pop_early(Due& out);
  // The current bucket is drained: moves `last_` to the next occupied instant; false when none.
  bool advance();
  // Leaves a live event at the head of level 0's current bucket; false when none is left.
  bool settle();
  bool early_pending();
  bool cascade();
  std::vector<Entry>& current() { return wheel_[0][std::uint64_t(last_) & ((1u << kBits) - 1)]; }

  std::array<Level, kLevels> wheel_;
  std::array<std::uint64_t, kLevels> occupied_{};  // bit d: bucket d of the level holds entries
  std::size_t head_ = 0;  // the current bucket is consumed from here; it is cleared when drained
  std::vector<Early> early_;  // a heap of events scheduled before `last_`
  std::uint64_t early_seq_ = 0;
  Nanos last_ = 0;
  std::vector<std::uint32_t> generations_;  // per slot; an entry is live while its generation matches
  std::vector<std::uint32_t> free_slots_;
  std::size_t live_ = 0;  // live events, cancellable or not
};

}  // namespace ol
