#include <algorithm>

#include "models/netconfig/ops.h"

namespace ol::netconfig {

std::optional<Tbf> tbf_for(const Netem& shape) {
  if (!shape.rate_bps || *shape.rate_bps == 0) return std::nullopt;
  constexpr std::uint64_t kTickHz = 250;
  constexpr std::uint64_t kMinBurst = 64 * 1024;
  constexpr std::uint64_t kFrame = 1514;  // a full Ethernet frame, without its FCS
  const std::uint64_t burst = std::max<std::uint64_t>(*shape.rate_bps / 8 / kTickHz, kMinBurst);
  return Tbf{.change = shape.change,
             .netns = shape.netns,
             .dev = shape.dev,
             .rate_bps = *shape.rate_bps,
             .burst = burst,
             .limit = burst + std::uint64_t{shape.limit.value_or(1000)} * kFrame,
             .packet_overhead = shape.packet_overhead};
}

}  // namespace ol::netconfig
