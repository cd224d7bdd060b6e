#include "validate/profile_fit.h"

#include <algorithm>
#include <cmath>

namespace ol::validate {

namespace {

constexpr double kAppBaseNs = 1000;
constexpr double kStep = 0.3;       // finite-difference step, in log scale (the simulator is not smooth)
constexpr double kLimit = 4.5;      // factors stay within e^±4.5 (about 1/90 to 90)
constexpr double kFloor = 1e-6;     // a prediction of 0 counts as a very large miss

using Matrix = std::vector<std::vector<double>>;

std::vector<double> residuals(const std::vector<double>& measured, const std::vector<double>& predicted) {
  std::vector<double> r;
  for (std::size_t i = 0; i < measured.size(); ++i)
    if (measured[i] > 0) r.push_back(std::log(std::max(predicted[i], kFloor * measured[i]) / measured[i]));
  return r;
}

double cost_of(const std::vector<double>& r) {
  double c = 0;
  for (double x : r) c += x * x;
  return c;
}

// Solves A x = b by Gaussian elimination with partial pivoting (A is small and positive definite).
std::vector<double> solve(Matrix a, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t p = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::abs(a[r][c]) > std::abs(a[p][c])) p = r;
    std::swap(a[c], a[p]);
    std::swap(b[c], b[p]);
    if (std::abs(a[c][c]) < 1e-12) continue;
    for (std::size_t r = c + 1; r < n; ++r) {
      const double f = a[r][c] / a[c][c];
      for (std::size_t k = c; k < n; ++k) a[r][k] -= f * a[c][k];
      b[r] -= f * b[c];
    }
  }
  std::vector<double> x(n, 0);
  for (std::size_t c = n; c-- > 0;) {
    double s = b[c];
    for (std::size_t k = c + 1; k < n; ++k) s -= a[c][k] * x[k];
    x[c] = std::abs(a[c][c]) < 1e-12 ? 0 : s / a[c][c];
  }
  return x;
}

}  // namespace

const char* group_name(CostGroup g) {
  switch (g) {
    case CostGroup::Stack: return "kernel stack";
    case CostGroup::Vxlan: return "vxlan device";
    case CostGroup::Tun: return "tun device";
    case CostGroup::Syscall: return "syscall";
    case CostGroup::Wakeup: return "wakeup (a sleeping reader)";
    case CostGroup::Bytes: return "per-byte (copies, checksums)";
    case CostGroup::App: return "traffic generator (app_work)";
    case CostGroup::kCount: break;
  }
  return "?";
}

CostGroup group_of(cost::Step s) {
  using S = cost::Step;
  switch (s) {
    case S::VxlanXmit: case S::VxlanRcv: return CostGroup::Vxlan;
    case S::TunNetXmit: case S::TunDoRead: case S::TunGetUser: return CostGroup::Tun;
    case S::Syscall: return CostGroup::Syscall;
    case S::Wakeup: case S::SendIpi: case S::SchedTtwuPending: return CostGroup::Wakeup;
    case S::CopyToUser: case S::CopyFromUser: case S::Csum: return CostGroup::Bytes;
    case S::AppWork: return CostGroup::App;
    default: return CostGroup::Stack;
  }
}

cost::Profile scaled(const cost::Profile& base, const Scales& s) {
  cost::Profile p = base;
  for (std::size_t i = 0; i < cost::kSteps; ++i) {
    const auto step = cost::Step(i);
    auto& c = p.steps[i];
    const double f = std::exp(s[std::size_t(group_of(step))]);
    if (step == cost::Step::AppWork && c.per_packet_ns == 0) c.per_packet_ns = kAppBaseNs;
    c.per_packet_ns *= f;
    if (group_of(step) == CostGroup::Bytes || step == cost::Step::GsoSegment)
      c.per_byte_ns *= std::exp(s[std::size_t(CostGroup::Bytes)]);
  }
  return p;
}

FitResult fit_profile(const std::vector<double>& measured, const Predictor& predict, int iterations) {
  // A start: every group scaled alike, the best of a coarse scan from 1/4 to 32 times the default.
  std::vector<Scales> scan;
  for (double l = -1.5; l <= 3.5; l += 0.5) {
    Scales s;
    s.fill(l);
    scan.push_back(s);
  }
  const auto scanned = predict(scan);
  FitResult best;
  best.evaluations = int(scan.size());
  double cost = 1e300;
  std::vector<double> r;
  for (std::size_t i = 0; i < scan.size(); ++i)
    if (const auto ri = residuals(measured, scanned[i]); cost_of(ri) < cost)
      cost = cost_of(ri), r = ri, best.scales = scan[i], best.predicted = scanned[i];
  double lambda = 1e-2;
  for (int it = 0; it < iterations && cost > 1e-6; ++it) {
    // The Jacobian by forward differences, every column evaluated in one batch.
    std::vector<Scales> probes;
    for (std::size_t g = 0; g < kGroups; ++g) {
      Scales s = best.scales;
      s[g] += kStep;
      probes.push_back(s);
    }
    const auto cols = predict(probes);
    best.evaluations += int(probes.size());
    Matrix jt(kGroups);
    std::size_t best_probe = 0;  // the probe (one group moved by kStep) with the lowest error
    double best_probe_cost = 1e300;
    for (std::size_t g = 0; g < kGroups; ++g) {
      const auto rg = residuals(measured, cols[g]);
      for (std::size_t k = 0; k < r.size(); ++k) jt[g].push_back((rg[k] - r[k]) / kStep);
      if (const double c = cost_of(rg); c < best_probe_cost) best_probe = g, best_probe_cost = c;
    }
    Matrix jtj(kGroups, std::vector<double>(kGroups, 0));
    std::vector<double> jtr(kGroups, 0);
    for (std::size_t a = 0; a < kGroups; ++a) {
      for (std::size_t b = 0; b < kGroups; ++b)
        for (std::size_t k = 0; k < r.size(); ++k) jtj[a][b] += jt[a][k] * jt[b][k];
      for (std::size_t k = 0; k < r.size(); ++k) jtr[a] -= jt[a][k] * r[k];
    }
    // Levenberg–Marquardt: two dampings at once (one more cautious), each step also tried at half
    // length; the best candidate that lowers the error is taken, else the damping grows.
    bool improved = false;
    for (int tries = 0; tries < 3 && !improved; ++tries) {
      std::vector<Scales> candidates;
      for (double l : {lambda, lambda * 10}) {
        Matrix a = jtj;
        for (std::size_t g = 0; g < kGroups; ++g) a[g][g] += l * (jtj[g][g] + 1e-3);
        const auto delta = solve(a, jtr);
        for (double frac : {1.0, 0.5}) {
          Scales s = best.scales;
          for (std::size_t g = 0; g < kGroups; ++g) s[g] = std::clamp(s[g] + frac * std::clamp(delta[g], -2.0, 2.0), -kLimit, kLimit);
          candidates.push_back(s);
        }
      }
      const auto preds = predict(candidates);
      best.evaluations += int(candidates.size());
      for (std::size_t c = 0; c < candidates.size(); ++c) {
        const auto rs = residuals(measured, preds[c]);
        if (const double cc = cost_of(rs); cc < cost) {
          best.scales = candidates[c], best.predicted = preds[c], r = rs, cost = cc;
          improved = true;
        }
      }
      lambda = improved ? std::max(lambda / 3, 1e-4) : lambda * 10;
    }
    // The simulator is not smooth (cores idle or not, queues fill or not), so the linearised step
    // can miss where a plain move of one group would not: then take the best probe, if it helps.
    if (!improved && best_probe_cost < cost) {
      best.scales = probes[best_probe], best.predicted = cols[best_probe], r = residuals(measured, cols[best_probe]);
      cost = best_probe_cost;
      improved = true;
    }
    if (!improved) break;
  }
  best.rms_log_error = r.empty() ? 0 : std::sqrt(cost / double(r.size()));
  return best;
}

}  // namespace ol::validate
