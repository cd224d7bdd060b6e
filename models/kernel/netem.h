// The root qdisc `tc qdisc add dev X root netem delay D rate R limit N` (net/sched/sch_netem.c),
// reduced to a FIFO of at most `limit` packets drained at `rate`, each then delayed by `delay`.
// Like netem's rate, it counts the bytes of the frame (no preamble or inter-frame gap).
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/time.h"

namespace ol::kernel {

class Netem {
 public:
  Netem(std::uint64_t delay_ns, std::uint64_t rate_bps, std::uint32_t limit);
  // When the frame arrives at the other end, or nullopt when the queue is full (tail drop).
  std::optional<Nanos> enqueue(Nanos now, std::uint32_t bytes);

  std::uint64_t delay_ns;
  std::uint64_t rate_bps;  // 0: unlimited
  std::uint32_t limit;

 private:
  std::vector<Nanos> departures_;  // ring of departure times of queued frames
  std::size_t first_ = 0, count_ = 0;
  Nanos busy_until_ = 0;
};

}  // namespace ol::kernel
