// What a flow measured: packets, bytes, round-trip and one-way times. Filled by the traffic
// generators, turned into CSV rows by the runner.
#pragma once
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "models/userspace/latency_histogram.h"
#include "sim/time.h"

namespace ol::traffic {

// Packets per time bin, by the simulated time they were sent and delivered: the loss window of a
// fault, bin by bin. Bins count from t = 0, so every flow and mode line up.
struct Timeline {
  Nanos bin = 100 * kNanosPerMilli;
  std::vector<std::uint64_t> sent, delivered;
  // Room for every bin until `until`, so counting allocates nothing on the packet path.
  void reserve(Nanos until) {
    sent.reserve(std::size_t(until / bin) + 2);
    delivered.reserve(std::size_t(until / bin) + 2);
  }
  void on_sent(Nanos t, std::uint64_t n = 1) { add(sent, t, n); }
  void on_delivered(Nanos t, std::uint64_t n = 1) { add(delivered, t, n); }

 private:
  void add(std::vector<std::uint64_t>& v, Nanos t, std::uint64_t n) {
    const std::size_t i = std::size_t(std::max<Nanos>(0, t) / bin);
    if (i >= v.size()) v.resize(i + 1);
    v[i] += n;
  }
};

struct FlowStats {
  std::uint64_t packets_sent = 0;       // MSS-sized for TCP (a GSO burst counts its segments)
  std::uint64_t packets_delivered = 0;  // to the receiving application, each once
  std::uint64_t payload_delivered = 0;  // bytes
  std::uint64_t l3_delivered = 0;       // bytes incl. IP and transport headers, as the pod sent them
  std::uint64_t retransmits = 0;        // TCP
  std::uint64_t tsq_throttled = 0;      // TCP: times TCP small queues stopped the sender
  Nanos first_sent = -1, last_delivered = 0;
  LatencyHistogram rtt;      // ping: per echo; TCP: per ACK sample
  LatencyHistogram one_way;  // UDP: per datagram
  Timeline timeline;
};

// The p-th percentile (0..100) of a few exact samples (a real measurement) by nearest rank; -1 when
// there are none. The simulator's flows keep a LatencyHistogram instead.
inline double percentile(std::vector<Nanos> v, double p) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  std::size_t rank = std::size_t(p / 100.0 * double(v.size()) + 0.999999);
  rank = std::clamp<std::size_t>(rank, 1, v.size());
  return double(v[rank - 1]);
}

}  // namespace ol::traffic
