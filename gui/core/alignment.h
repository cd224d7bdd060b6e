// The same packet in host-gw, udp and vxlan, side by side: the three walks' steps aligned on
// their kernel functions (longest common subsequence), so that what one mode does and another
// does not — the extra hops, the crossings — shows as a row with gaps.
#pragma once
#include <array>
#include <string>
#include <vector>

namespace ol::gui {

using AlignedRow = std::array<int, 3>;  // step index in each walk, or -1 (this mode has no such step)

// `walks[k]` holds walk k's function names in order.
std::vector<AlignedRow> align_walks(const std::array<std::vector<std::string>, 3>& walks);

}  // namespace ol::gui
