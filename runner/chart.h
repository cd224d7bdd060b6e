// A comparison chart as SVG (no plotting library needed): one panel per measure, one bar per
// mode, for a scenario's flows.
#pragma once
#include <string>
#include <vector>

#include "runner/run.h"

namespace ol::runner {

// Each mode's colour in every chart: host-gw blue, vxlan green, udp red.
const char* mode_colour(const std::string& mode);

std::string comparison_svg(const std::string& title, const std::vector<FlowRow>& rows);

}  // namespace ol::runner
