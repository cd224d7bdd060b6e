// Fitting a cost profile to measurements: the profile's steps fall into a few groups (the kernel
// stack, the VXLAN device, the TUN device, system calls, wake-ups, the per-byte copies, the traffic
// generator's own work); each group is scaled by one factor, and the factors are chosen by
// Levenberg–Marquardt so that the simulator's predictions, run with the scaled profile, match the
// measured figures in log space (a 2× miss weighs the same on a latency and on a rate).
#pragma once
#include <array>
#include <functional>
#include <string>
#include <vector>

#include "models/cost/profile.h"

namespace ol::validate {

enum class CostGroup { Stack, Vxlan, Tun, Syscall, Wakeup, Bytes, App, kCount };
inline constexpr std::size_t kGroups = std::size_t(CostGroup::kCount);
const char* group_name(CostGroup g);
CostGroup group_of(cost::Step s);

using Scales = std::array<double, kGroups>;  // natural logs of each group's factor

// `base` with each group's per-packet and per-byte costs multiplied by exp(scale). The App group
// starts from 1 µs per message where `base` has 0 (an ideal generator cannot be scaled).
cost::Profile scaled(const cost::Profile& base, const Scales& s);

struct FitResult {
  Scales scales{};
  std::vector<double> predicted;  // at the fitted scales
  double rms_log_error = 0;       // sqrt(mean(log(predicted/measured)^2))
  int evaluations = 0;
};

// `predict` maps a batch of candidate scale vectors to their predictions (one vector of figures
// each, in the order of `measured`); it may evaluate them in parallel. Figures <= 0 in `measured`
// are left out of the fit.
using Predictor = std::function<std::vector<std::vector<double>>(const std::vector<Scales>&)>;
FitResult fit_profile(const std::vector<double>& measured, const Predictor& predict, int iterations = 10);

}  // namespace ol::validate
