// A daemon's timer (flanneld's lease renewal, its route check, etcd's TTL): it fires like any event
// but never keeps the simulation "busy" — Simulator::run_foreground() stops when only such timers
// are left, so a converged control plane is one whose daemons merely wait.
#pragma once
#include <functional>

#include "sim/simulator.h"

namespace ol {

class DaemonTimer final : public EventTarget {
 public:
  DaemonTimer(Simulator& sim, std::function<void()> fire) : sim_(sim), fire_(std::move(fire)) {}
  ~DaemonTimer() { disarm(); }
  DaemonTimer(const DaemonTimer&) = delete;
  DaemonTimer& operator=(const DaemonTimer&) = delete;

  // (Re)arms it for `when`; an earlier arming is forgotten.
  void arm(Nanos when);
  void disarm();
  bool armed() const { return armed_; }
  Nanos due() const { return due_; }

  void on_event(std::uint64_t) override;

 private:
  Simulator& sim_;
  std::function<void()> fire_;
  EventId id_;
  Nanos due_ = 0;
  bool armed_ = false;
};

}  // namespace ol
