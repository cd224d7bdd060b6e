// The root qdisc `tc qdisc add dev X root tbf rate R burst B limit L overhead O`
// (net/sched/sch_tbf.c): a bucket holding up to `burst` bytes' worth of time, filled at `rate`, in
// front of a FIFO of at most `limit` bytes (bfifo). tbf_dequeue sends the head packet once the
// bucket holds its transmission time (psched_l2t_ns of its length plus the overhead), else arms a
// watchdog for when it will; so a flow below the rate passes without waiting, and one above it
// first spends the bucket, then queues. tbf_enqueue segments a GSO packet larger than the bucket
// (max_size) and drops any other packet that large.
#pragma once
#include <cstdint>
#include <optional>
#include <utility>

#include "models/kernel/qdisc.h"
#include "sim/fifo.h"

namespace ol::kernel {

class Tbf final : public Qdisc {
 public:
  Tbf(std::uint64_t rate_bps, std::uint64_t burst, std::uint64_t limit, std::uint32_t packet_overhead);
  const char* kind() const override { return "tbf"; }
  std::optional<Nanos> enqueue(Nanos now, std::uint32_t bytes, std::uint32_t segs, std::uint32_t overheads) override;

  const std::uint64_t rate_bps;
  const std::uint64_t max_size;  // the burst: larger packets never fit the bucket
  const std::uint64_t limit;     // bytes the FIFO holds
  const std::uint32_t packet_overhead;

 private:
  Nanos send_one(Nanos start, std::uint64_t bytes);  // the departure of the next packet in line
  void expire(Nanos now);

  const Nanos buffer_;       // the bucket, as time at the rate
  Nanos tokens_;             // what the bucket held at t_c_
  Nanos t_c_ = 0;            // when a packet last left (the next one cannot leave before)
  std::uint64_t backlog_ = 0;                       // bytes queued (not yet left)
  Fifo<std::pair<Nanos, std::uint32_t>> queued_;  // departure and bytes of each queued packet
};

}  // namespace ol::kernel
