#include "models/kernel/tbf.h"

#include <algorithm>

namespace ol::kernel {

Tbf::Tbf(std::uint64_t rate, std::uint64_t burst, std::uint64_t lim, std::uint32_t overhead)
    : rate_bps(rate),
      max_size(burst),
      limit(lim),
      packet_overhead(overhead),
      buffer_(time_to_send(burst + overhead, rate)),  // tbf_change: buffer = psched_l2t_ns(rate, burst)
      tokens_(buffer_) {}

void Tbf::expire(Nanos now) {
  while (!queued_.empty() && queued_.front().first <= now) {
    backlog_ -= queued_.front().second;
    queued_.pop_front();
  }
}

// tbf_dequeue for the packet at the head once those before it have left: the bucket refills for
// the time since the last departure (never above the buffer), and the packet leaves when it holds
// the packet's time.
Nanos Tbf::send_one(Nanos start, std::uint64_t bytes) {
  const Nanos need = time_to_send(bytes, rate_bps);
  const Nanos toks = std::min(buffer_, tokens_ + (start - t_c_));
  const Nanos depart = toks >= need ? start : start + (need - toks);
  tokens_ = std::max<Nanos>(0, toks - need);
  t_c_ = depart;
  return depart;
}

std::optional<Nanos> Tbf::enqueue(Nanos now, std::uint32_t bytes, std::uint32_t segs, std::uint32_t overheads) {
  expire(now);
  const bool segment = bytes > max_size;  // tbf_enqueue: qdisc_pkt_len above max_size
  if (segment && segs <= 1) return std::nullopt;
  // bfifo_enqueue: the whole packet must fit what the FIFO has left.
  if (backlog_ + bytes > limit) return std::nullopt;
  Nanos depart = std::max(now, t_c_);
  if (!segment) {
    depart = send_one(depart, std::uint64_t(bytes) + std::uint64_t(packet_overhead) * overheads);
  } else {  // tbf_segment: each segment a packet of its own, each paying the overhead
    const std::uint32_t each = (bytes + segs - 1) / segs;
    for (std::uint32_t left = bytes; left > 0;) {
      const std::uint32_t b = std::min(each, left);
      depart = send_one(depart, std::uint64_t(b) + packet_overhead);
      left -= b;
    }
  }
  backlog_ += bytes;
  queued_.push_back({depart, bytes});
  return depart;
}

}  // namespace ol::kernel
