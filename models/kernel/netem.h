// The root qdisc `tc qdisc add dev X root netem delay D rate R limit N` (net/sched/sch_netem.c),
// reduced to a FIFO of at most `limit` packets drained at `rate`, each then delayed by `delay`.
// Like netem's rate it counts the packet's bytes, plus `packet_overhead` each time the caller says
// (tc's PACKETOVERHEAD: 20 models Ethernet's preamble, start delimiter and inter-frame gap).
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "models/kernel/qdisc.h"
#include "sim/random.h"

namespace ol::kernel {

class Netem final : public Qdisc {
 public:
  Netem(std::uint64_t delay_ns, std::uint64_t rate_bps, std::uint32_t limit, std::uint32_t packet_overhead = 0);
  const char* kind() const override { return "netem"; }
  // When the packet arrives at the other end, or nullopt when the queue is full (tail drop).
  std::optional<Nanos> enqueue(Nanos now, std::uint32_t bytes, std::uint32_t segs, std::uint32_t overheads) override;
  // netem's loss: the packet is dropped on enqueue with this probability (0..1).
  void set_loss(double p, RandomStream rand) {
    loss_ = p;
    rand_ = rand;
  }
  bool lose() override { return loss_ > 0 && rand_.uniform01() < loss_; }

  std::uint64_t delay_ns;
  std::uint64_t rate_bps;  // 0: unlimited
  std::uint32_t limit;
  std::uint32_t packet_overhead;  // e.g. 20: an Ethernet preamble, start delimiter and inter-frame gap

 private:
  std::vector<Nanos> departures_;  // ring of departure times of queued packets
  std::size_t first_ = 0, count_ = 0;
  Nanos busy_until_ = 0;
  double loss_ = 0;
  RandomStream rand_{0, "netem"};
};

}  // namespace ol::kernel
