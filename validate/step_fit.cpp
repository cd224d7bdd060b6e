#include "validate/step_fit.h"

#include <algorithm>
#include <cmath>

namespace ol::validate {

StepGroup step_group_of(cost::Step s) {
  using S = cost::Step;
  switch (s) {
    case S::UdpSendmsg: case S::UdpQueueRcvSkb: case S::UdpRecvmsg: case S::TcpSendmsg: case S::TcpV4Rcv: case S::IcmpRcv:
      return StepGroup::Socket;
    case S::VxlanXmit: case S::VxlanRcv: return StepGroup::Vxlan;
    case S::TunNetXmit: case S::TunDoRead: case S::TunGetUser: return StepGroup::Tun;
    case S::Syscall: return StepGroup::Syscall;
    case S::Wakeup: return StepGroup::Wakeup;
    case S::CopyToUser: case S::CopyFromUser: case S::Csum: return StepGroup::Bytes;
    default: return StepGroup::Path;
  }
}

const char* step_group_name(StepGroup g) {
  switch (g) {
    case StepGroup::Path: return "path (devices, bridge, routing)";
    case StepGroup::Socket: return "socket layer (udp/tcp/icmp)";
    case StepGroup::Vxlan: return "vxlan device";
    case StepGroup::Tun: return "tun device";
    case StepGroup::Syscall: return "syscall";
    case StepGroup::Wakeup: return "wakeup (a sleeping reader)";
    case StepGroup::Bytes: return "per-byte (copies, checksums)";
    case StepGroup::kCount: break;
  }
  return "?";
}

bool step_measured(cost::Step s) {
  return s != cost::Step::NicXmit && s != cost::Step::NapiGroReceive && s != cost::Step::AppWork && s != cost::Step::SendIpi &&
         s != cost::Step::SchedTtwuPending;
}

namespace {
bool per_byte_scaled(cost::Step s) { return step_group_of(s) == StepGroup::Bytes || s == cost::Step::GsoSegment; }
}  // namespace

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
  cost::Profile p = cost::Profile::estimates();
  for (std::size_t i = 0; i < cost::kSteps; ++i) {
    const auto step = cost::Step(i);
    if (!step_measured(step)) continue;
    p.steps[i].per_packet_ns *= std::exp(s[std::size_t(step_group_of(step))]);
    if (per_byte_scaled(step)) p.steps[i].per_byte_ns *= std::exp(s[std::size_t(StepGroup::Bytes)]);
  }
  return p;
}

std::vector<double> predict_steps(const std::vector<StepFigure>& figs, const cost::Profile& p) {
  std::vector<double> out;
  for (const auto& f : figs) out.push_back(recipe_cost(f.recipe, p, f.wakeups));
  return out;
}

// As step_profile scales them: a step's per-packet cost with its group, its per-byte cost with the
// per-byte group where it is a copy, a checksum or software GSO.
double group_ns(const StepFigure& f, const cost::Profile& p, StepGroup g) {
  double ns = g == StepGroup::Wakeup ? f.wakeups * p.steps[std::size_t(cost::Step::Wakeup)].per_packet_ns : 0;
  for (std::size_t s = 0; s < cost::kSteps; ++s) {
    const auto step = cost::Step(s);
    const StepGroup own = step_group_of(step);
    if (own == g) ns += f.recipe.calls[s] * p.steps[s].per_packet_ns;
    if ((per_byte_scaled(step) ? StepGroup::Bytes : own) == g) ns += f.recipe.bytes[s] * p.steps[s].per_byte_ns;
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
