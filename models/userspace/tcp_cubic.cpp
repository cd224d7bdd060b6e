#include "models/userspace/tcp_cubic.h"

#include <algorithm>
#include <cmath>

namespace ol::traffic {

namespace {

constexpr std::uint32_t kBicScale = 41, kCubeRttScale = kBicScale * 10;  // C = 410/1024 = 0.4
constexpr int kBicHz = 10;                                                // time in 1/1024 s
constexpr std::uint64_t kCubeFactor = (std::uint64_t(1) << (10 + 3 * kBicHz)) / kCubeRttScale;
// 8 (1024 + 717) / 3 / (1024 - 717): the Reno-equivalent window grows by one every
// cwnd * 15 / 8 segments acknowledged.
constexpr std::uint32_t kBetaScaleReno = 8 * (Cubic::kBetaScale + Cubic::kBeta) / 3 / (Cubic::kBetaScale - Cubic::kBeta);
constexpr std::uint32_t kAckDeltaUs = 2000;  // hystart_ack_delta_us
constexpr std::uint32_t kMinSamples = 8;     // HYSTART_MIN_SAMPLES
constexpr std::uint32_t kDelayMinUs = 4000, kDelayMaxUs = 16000;

// tcp_jiffies32, never 0 (the kernel's starts at INITIAL_JIFFIES): 0 means "no epoch".
std::uint32_t jiffies(Nanos now) { return 1 + std::uint32_t(now * Cubic::kHz / kNanosPerSecond); }
std::uint32_t clock_us(Nanos now) { return std::uint32_t(now / 1000); }
std::uint32_t usecs_to_jiffies(std::uint32_t us) { return std::uint32_t((std::uint64_t(us) * Cubic::kHz + 999999) / 1000000); }
bool after(std::uint32_t a, std::uint32_t b) { return std::int32_t(a - b) > 0; }

}  // namespace

void Cubic::reset(Nanos now, std::uint32_t snd_nxt) {
  *this = Cubic{};
  hystart_reset(now, snd_nxt);
}

void Cubic::hystart_reset(Nanos now, std::uint32_t snd_nxt) {
  round_start_ = last_ack_ = clock_us(now);
  end_seq_ = snd_nxt;
  curr_rtt_ = ~0u;
  sample_cnt_ = 0;
}

std::uint32_t Cubic::recalc_ssthresh(std::uint32_t cwnd) {
  epoch_start_ = 0;
  // Fast convergence: a window that peaked lower than last time gives up some more room.
  last_max_cwnd_ = cwnd < last_max_cwnd_ ? cwnd * (kBetaScale + kBeta) / (2 * kBetaScale) : cwnd;
  return std::max(cwnd * kBeta / kBetaScale, 2u);
}

void Cubic::acked(Nanos now, std::uint32_t rtt_us, std::uint32_t snd_una, std::uint32_t snd_nxt, std::uint32_t cwnd,
                  std::uint32_t& ssthresh, std::uint32_t gso_ack_delay_us) {
  // No delay samples in the second after a reduction.
  if (epoch_start_ && std::int32_t(jiffies(now) - epoch_start_) < std::int32_t(kHz)) return;
  const std::uint32_t delay = std::max(rtt_us, 1u);
  if (delay_min_ == 0 || delay_min_ > delay) delay_min_ = delay;
  if (found_ || cwnd >= ssthresh) return;
  // hystart_update
  if (after(snd_una, end_seq_)) hystart_reset(now, snd_nxt);
  if (cwnd < kLowWindow) return;
  const std::uint32_t t = clock_us(now);
  if (std::int32_t(t - last_ack_) <= std::int32_t(kAckDeltaUs)) {  // ACKs still close together: the train goes on
    last_ack_ = t;
    if (std::int32_t(t - round_start_) > std::int32_t((delay_min_ + gso_ack_delay_us) >> 1)) {
      found_ = true;
      ssthresh = cwnd;
    }
  }
  curr_rtt_ = std::min(curr_rtt_, delay);
  if (sample_cnt_ < kMinSamples) {
    ++sample_cnt_;
  } else if (curr_rtt_ > delay_min_ + std::clamp(delay_min_ >> 3, kDelayMinUs, kDelayMaxUs)) {
    found_ = true;
    ssthresh = cwnd;
  }
}

void Cubic::update(std::uint32_t now, std::uint32_t cwnd, std::uint32_t acked) {
  ack_cnt_ += acked;
  if (last_cwnd_ == cwnd && std::int32_t(now - last_time_) <= std::int32_t(kHz / 32)) return;
  if (!(epoch_start_ && now == last_time_)) {  // the cubic function, at most once a jiffy
    last_cwnd_ = cwnd;
    last_time_ = now;
    if (epoch_start_ == 0) {
      epoch_start_ = now;
      ack_cnt_ = acked;
      tcp_cwnd_ = cwnd;
      if (last_max_cwnd_ <= cwnd) {
        bic_k_ = 0;
        bic_origin_point_ = cwnd;
      } else {  // K = cbrt(W_max (1 - beta) / C), from the window still missing (cbrt where the kernel has a table and a Newton step)
        bic_k_ = std::uint32_t(std::cbrt(double(kCubeFactor * (last_max_cwnd_ - cwnd))));
        bic_origin_point_ = last_max_cwnd_;
      }
    }
    std::uint64_t t = now - epoch_start_ + usecs_to_jiffies(delay_min_);
    t = (t << kBicHz) / kHz;
    const std::uint64_t offs = t < bic_k_ ? bic_k_ - t : t - bic_k_;
    const auto delta = std::uint32_t((kCubeRttScale * offs * offs * offs) >> (10 + 3 * kBicHz));
    const std::uint32_t target = t < bic_k_ ? bic_origin_point_ - delta : bic_origin_point_ + delta;
    cnt_ = target > cwnd ? cwnd / (target - cwnd) : 100 * cwnd;
    if (last_max_cwnd_ == 0 && cnt_ > 20) cnt_ = 20;  // no loss yet: at least 5 % a round
  }
  // The TCP-friendly region: never slower than Reno with CUBIC's beta would be.
  const std::uint32_t reno_delta = (cwnd * kBetaScaleReno) >> 3;
  while (reno_delta && ack_cnt_ > reno_delta) {
    ack_cnt_ -= reno_delta;
    ++tcp_cwnd_;
  }
  if (tcp_cwnd_ > cwnd) cnt_ = std::min(cnt_, cwnd / (tcp_cwnd_ - cwnd));
  cnt_ = std::max(cnt_, 2u);  // at most 1.5x a round
}

void Cubic::cong_avoid(Nanos now, std::uint32_t& cwnd, std::uint32_t& cwnd_cnt, std::uint32_t ssthresh, std::uint32_t acked) {
  if (cwnd < ssthresh) {  // tcp_slow_start
    const std::uint32_t grown = std::min(cwnd + acked, ssthresh);
    acked -= grown - cwnd;
    cwnd = grown;
    if (!acked) return;
  }
  update(jiffies(now), cwnd, acked);
  // tcp_cong_avoid_ai: one more segment for every cnt_ acknowledged.
  if (cwnd_cnt >= cnt_) {
    cwnd_cnt = 0;
    ++cwnd;
  }
  cwnd_cnt += acked;
  if (cwnd_cnt >= cnt_) {
    const std::uint32_t delta = cwnd_cnt / cnt_;
    cwnd_cnt -= delta * cnt_;
    cwnd += delta;
  }
}

}  // namespace ol::traffic
