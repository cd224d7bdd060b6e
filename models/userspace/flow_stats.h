// What a flow measured: packets, bytes, round-trip and one-way times. Filled by the traffic
// generators, turned into CSV rows by the runner.
#pragma once
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/time.h"

namespace ol::traffic {

struct FlowStats {
  std::uint64_t packets_sent = 0;       // MSS-sized for TCP (a GSO burst counts its segments)
  std::uint64_t packets_delivered = 0;  // to the receiving application, each once
  std::uint64_t payload_delivered = 0;  // bytes
  std::uint64_t l3_delivered = 0;       // bytes incl. IP and transport headers, as the pod sent them
  std::uint64_t retransmits = 0;        // TCP
  Nanos first_sent = -1, last_delivered = 0;
  std::vector<Nanos> rtts;      // ping: per echo; TCP: per ACK sample
  std::vector<Nanos> one_ways;  // UDP: per datagram
  std::vector<std::pair<Nanos, bool>> echoes;  // ping: each echo's send time, and whether its reply came
};

// The p-th percentile (0..100) by nearest rank; -1 when there are no samples.
inline double percentile(std::vector<Nanos> v, double p) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  std::size_t rank = std::size_t(p / 100.0 * double(v.size()) + 0.999999);
  rank = std::clamp<std::size_t>(rank, 1, v.size());
  return double(v[rank - 1]);
}

}  // namespace ol::traffic
