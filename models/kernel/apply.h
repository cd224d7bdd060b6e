// Applies a NetConfig to the simulated kernel, refusing what Linux refuses with Linux's words
// (e.g. "Error: Nexthop has invalid gateway."). The real kernel gets the same commands (validate/).
#pragma once
#include "models/kernel/config_error.h"
#include "models/kernel/world.h"
#include "models/netconfig/ops.h"

namespace ol::kernel {

// Throws ConfigError naming the command and the error; commands before it stay applied.
void apply(World& world, const netconfig::NetConfig& cfg);
void apply(World& world, const netconfig::Op& op);

// The MAC Linux would pick at random, made deterministic: locally administered, from the names.
wire::MacAddr default_mac(std::string_view netns, std::string_view dev);

}  // namespace ol::kernel
