// NetConfig → the exact iproute2 / bridge / sysctl / tc command lines.
#pragma once
#include <string>

#include "models/netconfig/ops.h"

namespace ol::netconfig {

std::string render(const Op& op);
// The whole script: each origin change is announced by a "# origin" comment line.
std::string render(const NetConfig& cfg);

std::string format_rate(std::uint64_t bps);   // tc's units: 10gbit, 100mbit, 1500bit
std::string format_delay(std::uint64_t ns);  // 100us, 2ms, 1s, 1500ns

}  // namespace ol::netconfig
