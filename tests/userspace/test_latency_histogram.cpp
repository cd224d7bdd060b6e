// The flows' latency percentiles come from a bounded histogram: exact below 128 ns, within 1/128 of
// the exact nearest-rank percentile above, and the same size after a million samples as after a
// thousand.
#include <catch2/catch.hpp>
#include <cmath>

#include "models/userspace/flow_stats.h"
#include "models/userspace/latency_histogram.h"

using ol::Nanos;
using ol::traffic::LatencyHistogram;

TEST_CASE("latency histogram: values below 128 ns are exact, an empty one reports -1") {
  LatencyHistogram h;
  CHECK(h.percentile(50) == -1);
  CHECK(h.quantiles(10).empty());
  for (Nanos v : {5, 7, 127, 0, -3}) h.record(v);
  CHECK(h.count() == 5);
  CHECK(h.percentile(0) == 0);    // rank 1: -3 counted as 0
  CHECK(h.percentile(50) == 5);   // ranks: 0 0 5 7 127
  CHECK(h.percentile(80) == 7);
  CHECK(h.percentile(100) == 127);
  CHECK(h.quantiles(5) == std::vector<double>{0, 0, 5, 7, 127});
}

TEST_CASE("latency histogram: every percentile within 1/128 of the exact one, from ns to seconds") {
  LatencyHistogram h;
  std::vector<Nanos> exact;
  std::uint64_t state = 42;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const Nanos v = Nanos(std::exp2(double(state >> 40) / double(1 << 24) * 33));  // 1 ns .. 8.6 s, log-uniform
    exact.push_back(v);
    h.record(v);
  }
  for (double p : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 100.0}) {
    const double want = ol::traffic::percentile(exact, p);
    INFO("p" << p << ": exact " << want << " histogram " << h.percentile(p));
    CHECK(std::abs(h.percentile(p) - want) <= want * LatencyHistogram::kRelativeError + 0.5);
  }
  const auto q = h.quantiles(100);
  CHECK(q.size() == 100);
  CHECK(std::is_sorted(q.begin(), q.end()));
}

TEST_CASE("latency histogram: memory stays flat in the number of samples") {
  LatencyHistogram h;
  for (int i = 0; i < 1000; ++i) h.record(10'000 + i * 7);  // 10-17 us, a UDP flow's one-way delays
  const std::size_t after_thousand = h.buckets();
  for (int i = 0; i < 1'000'000; ++i) h.record(10'000 + (i % 1000) * 7);
  CHECK(h.count() == 1'001'000);
  CHECK(h.buckets() == after_thousand);
  CHECK(h.buckets() * sizeof(std::uint64_t) <= 8192);
}
