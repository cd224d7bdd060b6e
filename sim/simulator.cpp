#include "sim/simulator.h"

namespace ol {

std::uint64_t Simulator::run_until(Nanos until) {
  std::uint64_t n = 0;
  Nanos next;
  while (queue_.peek_time(next) && next <= until) {
    step();
    ++n;
  }
  if (until > now_) now_ = until;
  return n;
}

std::uint64_t Simulator::run() {
  std::uint64_t n = 0;
  while (step()) ++n;
  return n;
}

std::uint64_t Simulator::run_foreground() {
  std::uint64_t n = 0;
  while (queue_.size() > daemons_ && step()) ++n;
  return n;
}

}  // namespace ol
