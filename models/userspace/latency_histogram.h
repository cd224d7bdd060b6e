// A latency distribution in bounded memory, whatever the run's length: a log-linear histogram
// (HdrHistogram's scheme). Values below 128 ns are counted exactly; above, each power of two is cut
// into 64 equal buckets, so a bucket is at most 1/64 of its values wide and a percentile, reported at
// its bucket's middle, is within 1/128 (0.8 %) of the exact one. A flow whose latencies stay below
// 10 ms holds at most 1,152 counters (9 KiB), however many packets it carries.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/time.h"

namespace ol::traffic {

class LatencyHistogram {
 public:
  static constexpr double kRelativeError = 1.0 / 128;

  // Counts one value (a negative one as 0). Allocates only when a value is the largest yet by an
  // octave: a few times in a flow's life, never per packet once its range is seen.
  void record(Nanos v);
  std::uint64_t count() const { return count_; }
  std::size_t buckets() const { return counts_.size(); }  // the memory it holds, in counters
  // The p-th percentile (0..100) by nearest rank, in ns; -1 when nothing was recorded.
  double percentile(double p) const;
  // `n` values at evenly spaced ranks (the k-th at rank k·count/n + 1), ascending: a CDF to draw.
  std::vector<double> quantiles(std::size_t n) const;

 private:
  static constexpr int kSubBits = 6;  // 64 buckets per power of two
  static constexpr std::uint64_t kSub = std::uint64_t(1) << kSubBits;
  static std::size_t index_of(std::uint64_t v);
  static double middle_of(std::size_t index);
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
};

}  // namespace ol::traffic
