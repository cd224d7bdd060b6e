// The pending-event set, ordered by (time, sequence) so that events due at the same instant run in
// the order they were scheduled (as in ns-3). Cancelling marks the event's slot; the loop skips it.
// Slots and heap entries are recycled, so scheduling allocates nothing once the queue has grown.
#pragma once
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

  EventId schedule(Nanos at, EventTarget* target, std::uint64_t cookie);
  // Returns false when the event already ran or was already cancelled.
  bool cancel(EventId id);
  // Removes the earliest live event; false when none is left.
  bool pop(Due& out);
  // Time of the earliest live event, or false when none is left.
  bool peek_time(Nanos& at);
  std::size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }

 private:
  struct Entry {
    Nanos at;
    std::uint64_t seq;
    std::uint32_t slot;
  };
  struct Slot {
    EventTarget* target = nullptr;
    std::uint64_t cookie = 0;
    std::uint32_t generation = 0;
    bool live = false;
  };
  static bool later(const Entry& a, const Entry& b) { return a.at != b.at ? a.at > b.at : a.seq > b.seq; }
  void drop_cancelled_top();
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_seq_ = 0;
  std::size_t live_ = 0;
};

}  // namespace ol
