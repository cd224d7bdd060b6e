#include "validate/step_fit.h"

#include <algorithm>

namespace ol::validate {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

void settle(StepFigure& f) {
  std::vector<double> ns, w;
  for (const auto& r : f.runs) ns.push_back(r.ns_per_packet()), w.push_back(r.wakeups_per_packet());
  f.measured = median(ns);
  f.wakeups = median(w);
}

cost::Profile step_profile(const Scales& s) {
  Scales t = s;
  t[std::size_t(CostGroup::App)] = 0;
  cost::Profile p = scaled(cost::Profile::builtin(), t);
  p.steps[std::size_t(cost::Step::AppWork)] = cost::Profile::builtin().steps[std::size_t(cost::Step::AppWork)];
  return p;
}

std::vector<double> predict_steps(const std::vector<StepFigure>& figs, const cost::Profile& p) {
  std::vector<double> out;
  for (const auto& f : figs) out.push_back(recipe_cost(f.recipe, p, f.wakeups));
  return out;
}

// As scaled() scales them: a step's per-packet cost with its group, its per-byte cost with the
// per-byte group where it is a copy, a checksum or software GSO.
double group_ns(const StepFigure& f, const cost::Profile& p, CostGroup g) {
  double ns = g == CostGroup::Wakeup ? f.wakeups * p.steps[std::size_t(cost::Step::Wakeup)].per_packet_ns : 0;
  for (std::size_t s = 0; s < cost::kSteps; ++s) {
    const auto step = cost::Step(s);
    const CostGroup own = group_of(step);
    const CostGroup bytes = own == CostGroup::Bytes || step == cost::Step::GsoSegment ? CostGroup::Bytes : own;
    if (own == g) ns += f.recipe.calls[s] * p.steps[s].per_packet_ns;
    if (bytes == g) ns += f.recipe.bytes[s] * p.steps[s].per_byte_ns;
  }
  return ns;
}

FitResult fit_steps(const std::vector<StepFigure>& figs) {
  std::vector<double> measured;
  for (const auto& f : figs) measured.push_back(f.measured);
  const auto predictor = [&](const std::vector<Scales>& batch) {
    std::vector<std::vector<double>> r;
    for (const auto& s : batch) r.push_back(predict_steps(figs, step_profile(s)));
    return r;
  };
  return fit_profile(measured, predictor, 60);
}

}  // namespace ol::validate
