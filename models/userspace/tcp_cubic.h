// CUBIC, Linux's default congestion control (net/ipv4/tcp_cubic.c, RFC 9438), with its defaults:
// beta 717/1024 (a loss leaves 70 % of the window), C = 0.4 (bic_scale 41), fast convergence, the
// TCP-friendly region, and HyStart's two exits from slow start: an ACK train that lasts longer than
// half the minimum RTT, or a round whose RTT rose by an eighth of the minimum (4 to 16 ms). Windows
// count segments. Time runs in jiffies of a HZ = 250 kernel (Debian's), as the kernel's does, and
// HyStart's in microseconds.
#pragma once
#include <cstdint>

#include "sim/time.h"

namespace ol::traffic {

class Cubic {
 public:
  static constexpr std::uint32_t kHz = 250;          // CONFIG_HZ_250
  static constexpr std::uint32_t kBeta = 717;        // of kBetaScale
  static constexpr std::uint32_t kBetaScale = 1024;
  static constexpr std::uint32_t kLowWindow = 16;    // hystart_low_window

  // cubictcp_init / cubictcp_state(TCP_CA_Loss): a fresh epoch, HyStart armed for the next round.
  void reset(Nanos now, std::uint32_t snd_nxt);
  // cubictcp_recalc_ssthresh: on a loss; returns the new ssthresh and ends the epoch.
  std::uint32_t recalc_ssthresh(std::uint32_t cwnd);
  // cubictcp_acked: an RTT sample (microseconds) from this ACK, for delay_min and HyStart, which
  // may set ssthresh to cwnd to leave slow start. `gso_ack_delay_us`: hystart_ack_delay's cushion.
  void acked(Nanos now, std::uint32_t rtt_us, std::uint32_t snd_una, std::uint32_t snd_nxt, std::uint32_t cwnd,
             std::uint32_t& ssthresh, std::uint32_t gso_ack_delay_us);
  // cubictcp_cong_avoid (tcp_slow_start, bictcp_update, tcp_cong_avoid_ai): grows cwnd for
  // `acked` newly acknowledged segments.
  void cong_avoid(Nanos now, std::uint32_t& cwnd, std::uint32_t& cwnd_cnt, std::uint32_t ssthresh, std::uint32_t acked);

  std::uint32_t delay_min_us() const { return delay_min_; }
  bool hystart_found() const { return found_; }
  std::uint32_t last_max_cwnd() const { return last_max_cwnd_; }

 private:
  void update(std::uint32_t now_jiffies, std::uint32_t cwnd, std::uint32_t acked);  // bictcp_update
  void hystart_reset(Nanos now, std::uint32_t snd_nxt);

  std::uint32_t cnt_ = 0;            // grow cwnd by 1 every cnt_ segments acknowledged
  std::uint32_t last_max_cwnd_ = 0;  // W_max
  std::uint32_t last_cwnd_ = 0, last_time_ = 0;
  std::uint32_t bic_origin_point_ = 0, bic_k_ = 0;
  std::uint32_t delay_min_ = 0;      // microseconds
  std::uint32_t epoch_start_ = 0;    // jiffies; 0: no epoch
  std::uint32_t ack_cnt_ = 0, tcp_cwnd_ = 0;
  bool found_ = false;
  std::uint32_t round_start_ = 0, last_ack_ = 0, end_seq_ = 0, curr_rtt_ = 0, sample_cnt_ = 0;  // HyStart (us)
};

}  // namespace ol::traffic
