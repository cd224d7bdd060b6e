#include "sim/timer.h"

namespace ol {

void DaemonTimer::arm(Nanos when) {
  disarm();
  id_ = sim_.timer_at(when, this);
  due_ = when < sim_.now() ? sim_.now() : when;
  armed_ = true;
  sim_.daemon_events(+1);
}

void DaemonTimer::disarm() {
  if (!armed_) return;
  sim_.cancel(id_);
  armed_ = false;
  sim_.daemon_events(-1);
}

void DaemonTimer::on_event(std::uint64_t) {
  armed_ = false;
  sim_.daemon_events(-1);
  fire_();  // may arm it again
}

}  // namespace ol
