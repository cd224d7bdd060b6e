// A device's root qdisc (tc qdisc add dev X root …), where __dev_xmit_skb puts a packet before the
// driver sees it. Each kind is reduced to when a packet leaves: its departure is fixed when it is
// enqueued, as netem and tbf both keep FIFO order. Kinds: netem.h, tbf.h.
#pragma once
#include <cstdint>
#include <optional>

#include "sim/time.h"

namespace ol::kernel {

class Qdisc {
 public:
  virtual ~Qdisc() = default;
  virtual const char* kind() const = 0;  // as `ip link` prints it after "qdisc"
  // When a packet of `bytes` (qdisc_pkt_len: a GSO packet's headers counted once per segment) and
  // `segs` segments reaches the other end, or nullopt when the qdisc drops it. `overheads` is how
  // many times the qdisc adds its per-packet overhead: once (the kernel's own accounting, as the
  // lab's veth cables get it) or once per segment (a NIC's wire, where every frame pays).
  virtual std::optional<Nanos> enqueue(Nanos now, std::uint32_t bytes, std::uint32_t segs, std::uint32_t overheads) = 0;
  // Whether the packet is lost on enqueue (netem's loss); tbf loses none.
  virtual bool lose() { return false; }
};

// Nanoseconds to send `bytes` at `rate_bps`, rounded up (psched_l2t_ns); 0 when the rate is 0.
inline Nanos time_to_send(std::uint64_t bytes, std::uint64_t rate_bps) {
  return rate_bps ? Nanos((bytes * 8 * 1'000'000'000ull + rate_bps - 1) / rate_bps) : 0;
}

}  // namespace ol::kernel
