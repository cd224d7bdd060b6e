// What the simulated kernel charges one packet of a step experiment: the experiment's script is
// applied to a World of its own, every namespace on one shared core (as the real experiment pins
// everything to one CPU), and a few datagrams are sent once ARP has settled. The result is the
// recipe — calls and bytes per packet of each step — from which any profile's cost follows.
#pragma once
#include <array>

#include "models/cost/profile.h"
#include "validate/step_experiments.h"

namespace ol::validate {

struct StepRecipe {
  std::array<double, cost::kSteps> calls{};  // per packet delivered
  std::array<double, cost::kSteps> bytes{};  // per packet delivered, for the per-byte costs
};

// The steps one `payload`-byte datagram of `e` costs in the model, the receiver's recvmsg (and the
// TUN reader's read and write) included; wake-ups are left out: the measurement counts them.
// Throws std::runtime_error when the model does not deliver the datagrams.
StepRecipe model_recipe(const StepExperiment& e, int payload);

// The CPU one packet costs under `p`, with `wakeups` wake-ups per packet.
double recipe_cost(const StepRecipe& r, const cost::Profile& p, double wakeups);

// The CPU kTcpUnit bytes of a TCP stream (TcpFlow, as iperf3 runs one: GSO, CUBIC) from the
// experiment's sender to its receiver cost under `p`, everything on one core: the busy time over
// 80 ms after a 20 ms warm-up, over the payload the receiver read. Throws std::runtime_error when
// the model delivers nothing.
double model_tcp_ns_per_unit(const StepExperiment& e, const cost::Profile& p);

}  // namespace ol::validate
