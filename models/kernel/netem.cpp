#include "models/kernel/netem.h"

#include <algorithm>

namespace ol::kernel {

Netem::Netem(std::uint64_t d, std::uint64_t r, std::uint32_t l, std::uint32_t overhead)
    : delay_ns(d), rate_bps(r), limit(l == 0 ? 1000 : l), packet_overhead(overhead), departures_(limit) {}

std::optional<Nanos> Netem::enqueue(Nanos now, std::uint32_t bytes, std::uint32_t /*segs*/, std::uint32_t overheads) {
  bytes += packet_overhead * overheads;
  while (count_ > 0 && departures_[first_] <= now) {
    first_ = (first_ + 1) % departures_.size();
    --count_;
  }
  if (count_ >= limit) return std::nullopt;
  Nanos start = std::max(now, busy_until_);
  busy_until_ = start + time_to_send(bytes, rate_bps);
  departures_[(first_ + count_) % departures_.size()] = busy_until_;
  ++count_;
  return busy_until_ + Nanos(delay_ns);
}

}  // namespace ol::kernel
