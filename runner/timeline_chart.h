// The timeline chart as SVG: per flow, packets delivered per bin over simulated time, one line
// per mode, the scenario's events as dashed lines. What a fault costs each mode, at a glance.
#pragma once
#include <string>
#include <vector>

#include "runner/run.h"

namespace ol::runner {

std::string timeline_svg(const std::string& title, const std::vector<TimelineRow>& rows, const std::vector<EventMark>& marks,
                         double bin_s);

}  // namespace ol::runner
