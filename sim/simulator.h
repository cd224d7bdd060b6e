// One simulation: its clock, its pending events and its seed. No globals: the GUI runs many.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/event_queue.h"
#include "sim/random.h"
#include "sim/time.h"

namespace ol {

class Simulator {
 public:
  explicit Simulator(std::uint64_t seed = 1) : seed_(seed) {}

  Nanos now() const { return now_; }
  std::uint64_t seed() const { return seed_; }
  // An event that will run (a time in the past runs now).
  void at(Nanos when, EventTarget* target, std::uint64_t cookie = 0) {
    queue_.schedule(when < now_ ? now_ : when, target, cookie);
  }
  void after(Nanos delay, EventTarget* target, std::uint64_t cookie = 0) { queue_.schedule(now_ + delay, target, cookie); }
  // A timer: an event that can be cancelled until it runs (the kernel's mod_timer/del_timer).
  EventId timer_at(Nanos when, EventTarget* target, std::uint64_t cookie = 0) {
    return queue_.schedule_cancellable(when < now_ ? now_ : when, target, cookie);
  }
  EventId timer_after(Nanos delay, EventTarget* target, std::uint64_t cookie = 0) {
    return queue_.schedule_cancellable(now_ + delay, target, cookie);
  }
  bool cancel(EventId id) { return queue_.cancel(id); }
  RandomStream stream(std::string_view name) const { return RandomStream(seed_, name); }

  // Runs one event; false when nothing is pending.
  bool step() {
    EventQueue::Due due;
    if (!queue_.pop(due)) return false;
    now_ = due.at;
    due.target->on_event(due.cookie);
    return true;
  }
  // Runs every event due at or before `until`, then sets the clock to `until`. Returns events run.
  std::uint64_t run_until(Nanos until);
  // Runs until no event is pending.
  std::uint64_t run();
  // Runs until only daemons' timers (DaemonTimer) are pending: the control plane has settled.
  std::uint64_t run_foreground();
  std::size_t pending() const { return queue_.size(); }
  void daemon_events(int delta) { daemons_ = std::size_t(std::ptrdiff_t(daemons_) + delta); }

 private:
  Nanos now_ = 0;
  std::uint64_t seed_;
  EventQueue queue_;
  std::size_t daemons_ = 0;  // pending events that belong to DaemonTimers
};

}  // namespace ol
