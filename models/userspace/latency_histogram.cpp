#include "models/userspace/latency_histogram.h"

#include <algorithm>
#include <bit>

namespace ol::traffic {

std::size_t LatencyHistogram::index_of(std::uint64_t v) {
  if (v < 2 * kSub) return std::size_t(v);
  const int shift = (63 - std::countl_zero(v)) - kSubBits;  // >= 1: the bucket is 2^shift wide
  const std::uint64_t mantissa = v >> shift;                  // in [kSub, 2 kSub)
  return std::size_t((std::uint64_t(shift) + 1) * kSub + (mantissa - kSub));
}

double LatencyHistogram::middle_of(std::size_t index) {
  if (index < 2 * kSub) return double(index);
  const int shift = int(index / kSub) - 1;
  const std::uint64_t lower = (index % kSub + kSub) << shift;
  return double(lower) + double(std::uint64_t(1) << shift) / 2;
}

void LatencyHistogram::record(Nanos v) {
  const std::size_t i = index_of(std::uint64_t(std::max<Nanos>(0, v)));
  if (i >= counts_.size()) counts_.resize(std::max(i + 1, counts_.size() + kSub));
  ++counts_[i];
  ++count_;
}

std::vector<double> LatencyHistogram::quantiles(std::size_t n) const {
  std::vector<double> out;
  if (count_ == 0 || n == 0) return out;
  out.reserve(n);
  std::uint64_t seen = 0;  // values in the buckets before `i`
  std::size_t i = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint64_t rank = std::uint64_t(k) * count_ / n + 1;
    while (seen + counts_[i] < rank) seen += counts_[i++];
    out.push_back(middle_of(i));
  }
  return out;
}

double LatencyHistogram::percentile(double p) const {
  if (count_ == 0) return -1;
  const auto rank = std::clamp<std::uint64_t>(std::uint64_t(p / 100.0 * double(count_) + 0.999999), 1, count_);
  std::uint64_t seen = 0;
  std::size_t i = 0;
  while (seen + counts_[i] < rank) seen += counts_[i++];
  return middle_of(i);
}

}  // namespace ol::traffic
