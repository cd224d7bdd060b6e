// From the step experiments' measurements to a profile: each measured figure (CPU ns per packet)
// is set against the model's recipe for the same packet, and one factor per cost group is fitted
// (profile_fit.h) so that the recipes, costed with the scaled profile, add up to what was measured.
#pragma once
#include <string>
#include <vector>

#include "models/cost/profile.h"
#include "validate/profile_fit.h"
#include "validate/step_model.h"
#include "validate/step_real.h"

namespace ol::validate {

struct StepFigure {
  std::string experiment;  // "veth", "syscall", "ping-pong", …
  std::string kind;        // "stream", "ping-pong" or "syscall"
  int payload = 0;         // UDP payload bytes; 0 for the system call
  StepRecipe recipe;       // what the model charges one packet
  std::vector<StepMeasurement> runs;
  double measured = 0;  // ns per packet: the median of the runs
  double wakeups = 0;   // wake-ups per packet: the median of the runs
};

// The groups the experiments tell apart. The whole-path fit's "kernel stack" is two here: a
// packet's way through devices and routing (every hop: veth_xmit, netif_receive_skb,
// br_handle_frame, ip_rcv, fib_lookup, ip_forward, ip_output, ...) and the socket layer at its
// ends (udp_sendmsg, udp_queue_rcv_skb, udp_recvmsg and their TCP and ICMP kin): the bridge and
// forwarding experiments add hops and no socket work, so the two are measured apart.
enum class StepGroup { Path, Socket, Vxlan, Tun, Syscall, Wakeup, Bytes, kCount };
static_assert(std::size_t(StepGroup::kCount) == kGroups, "the fit (profile_fit.h) is sized for seven groups");
StepGroup step_group_of(cost::Step s);  // a step's per-packet cost's group
const char* step_group_name(StepGroup g);

double median(std::vector<double> v);
void settle(StepFigure& f);  // measured and wakeups from the runs

// Whether the experiments measure a step's group. Not: a physical NIC's own steps (nic_xmit, and
// napi_gro_receive: its driver's receive and GRO, once per wire frame), as no experiment has a NIC
// and a veth's path says nothing of them; and the traffic generator's work (app_work), as the
// experiments' own programs do no work besides their system calls; nor a wake-up's IPI, which the
// two-CPU ping-pong measures apart (send_call_function_single_ipi, sched_ttwu_pending).
bool step_measured(cost::Step s);
// The estimates (models/cost/estimates.json) with each measured step's group scaled by
// exp(scale[group]) (indices are StepGroups), per-byte costs of copies, checksums and software GSO
// by the Bytes factor; the steps not measured left as estimated.
cost::Profile step_profile(const Scales& s);
// Each figure's CPU per packet under `p`.
std::vector<double> predict_steps(const std::vector<StepFigure>& figs, const cost::Profile& p);
// One group's share of a figure's cost under `p`.
double group_ns(const StepFigure& f, const cost::Profile& p, StepGroup g);
// The factors that best explain the figures (least squares in log space).
FitResult fit_steps(const std::vector<StepFigure>& figs);

}  // namespace ol::validate
