// calibrate --steps without the real kernel: what the model charges each experiment's packet
// (the difference between two experiments is the work the second adds, and only that), and the
// fit recovering known per-group factors from figures a known profile produced.
#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "validate/step_experiments.h"
#include "validate/step_fit.h"
#include "validate/step_model.h"

using namespace ol;
using validate::model_recipe;
using validate::step_experiment;
using validate::StepRecipe;
using S = cost::Step;

namespace {

// The steps of `b` beyond `a`'s per packet, in the profile's order: "veth_xmit x1 br_handle_frame x1".
std::string extra_calls(const StepRecipe& a, const StepRecipe& b) {
  std::string out;
  for (std::size_t s = 0; s < cost::kSteps; ++s)
    if (const double d = b.calls[s] - a.calls[s]; std::abs(d) > 1e-9)
      out += (out.empty() ? "" : " ") + std::string(cost::step_name(S(s))) + " x" + std::to_string(int(std::lround(d)));
  return out;
}

std::string calls(const StepRecipe& r) { return extra_calls(StepRecipe{}, r); }

}  // namespace

TEST_CASE("step experiments: a datagram over one veth pair is charged the sender's and the receiver's system calls and one hop") {
  const StepRecipe r = model_recipe(step_experiment("veth"), 64);
  CHECK(calls(r) ==
        "netif_receive_skb x1 ip_rcv x1 fib_lookup x2 ip_output x1 veth_xmit x1 udp_sendmsg x1 udp_queue_rcv_skb x1 "
        "udp_recvmsg x1 syscall x2 copy_to_user x1 copy_from_user x1");
  // The copies: the payload in, the whole datagram (IPv4 header first) out; the frame is 14 more.
  CHECK(r.bytes[std::size_t(S::CopyFromUser)] == 64);
  CHECK(r.bytes[std::size_t(S::CopyToUser)] == 64 + 28);
  CHECK(r.bytes[std::size_t(S::VethXmit)] == 64 + 28 + 14);
  CHECK(r.calls[std::size_t(S::Wakeup)] == 0);  // counted in the real run, not taken from the model
}

TEST_CASE("step experiments: the bridge adds one veth hop and br_handle_frame, nothing else") {
  CHECK(extra_calls(model_recipe(step_experiment("veth"), 64), model_recipe(step_experiment("bridge"), 64)) ==
        "netif_receive_skb x1 br_handle_frame x1 veth_xmit x1");
}

TEST_CASE("step experiments: the router adds one veth hop and a forwarding, nothing else") {
  CHECK(extra_calls(model_recipe(step_experiment("veth"), 64), model_recipe(step_experiment("forward"), 64)) ==
        "netif_receive_skb x1 ip_rcv x1 fib_lookup x1 ip_forward x1 ip_output x1 veth_xmit x1");
}

TEST_CASE("step experiments: VXLAN adds the encapsulation with its route lookup and output, and the outer packet's receive") {
  CHECK(extra_calls(model_recipe(step_experiment("veth"), 64), model_recipe(step_experiment("vxlan"), 64)) ==
        "netif_receive_skb x1 ip_rcv x1 fib_lookup x2 ip_output x1 vxlan_xmit x1 vxlan_rcv x1");
  CHECK(model_recipe(step_experiment("vxlan"), 64).bytes[std::size_t(S::VethXmit)] == 64 + 28 + 14 + 50);
}

TEST_CASE("step experiments: a root qdisc on the sender's veth adds __dev_xmit_skb and nothing else") {
  CHECK(extra_calls(model_recipe(step_experiment("veth"), 64), model_recipe(step_experiment("qdisc"), 64)) == "__dev_xmit_skb x1");
}

TEST_CASE("step experiments: the TUN loop replaces the veth hop with a read and a write, each a system call and a copy") {
  CHECK(extra_calls(model_recipe(step_experiment("veth"), 1400), model_recipe(step_experiment("tun"), 1400)) ==
        "veth_xmit x-1 tun_net_xmit x1 tun_do_read x1 tun_get_user x1 syscall x2 copy_to_user x1 copy_from_user x1");
  const StepRecipe r = model_recipe(step_experiment("tun"), 1400);
  CHECK(r.bytes[std::size_t(S::CopyToUser)] == 2 * (1400 + 28));     // the reader's read and the receiver's recvfrom
  CHECK(r.bytes[std::size_t(S::CopyFromUser)] == 1400 + 1400 + 28);  // the sender's payload and the reader's write
}

TEST_CASE("step experiments: the fit recovers every group's factor from figures a known profile produced") {
  validate::Scales known{};
  using G = validate::StepGroup;
  known[std::size_t(G::Path)] = std::log(2.2);
  known[std::size_t(G::Socket)] = std::log(1.3);
  known[std::size_t(G::Vxlan)] = std::log(0.6);
  known[std::size_t(G::Tun)] = std::log(2.5);
  known[std::size_t(G::Syscall)] = std::log(0.8);
  known[std::size_t(G::Wakeup)] = std::log(1.4);
  known[std::size_t(G::Bytes)] = std::log(3.0);
  std::vector<validate::StepFigure> figs;
  validate::StepFigure sys{"syscall", "syscall", 0, {}, {}};
  sys.recipe.calls[std::size_t(S::Syscall)] = 1;
  figs.push_back(sys);
  for (const auto& e : validate::step_experiments())
    for (int payload : {64, 1400}) figs.push_back({e.name, "stream", payload, model_recipe(e, payload), {}, 0, 0.01});
  figs.push_back({"ping-pong", "ping-pong", 64, model_recipe(step_experiment("veth"), 64), {}, 0, 1.0});
  const auto truth = validate::predict_steps(figs, validate::step_profile(known));
  for (std::size_t i = 0; i < figs.size(); ++i) figs[i].measured = truth[i];
  const auto fit = validate::fit_steps(figs);
  CHECK(fit.rms_log_error < 0.01);
  for (std::size_t i = 0; i < validate::kGroups; ++i) {
    const auto g = G(i);
    INFO(validate::step_group_name(g));
    CHECK(std::exp(fit.scales[std::size_t(g)]) == Approx(std::exp(known[std::size_t(g)])).epsilon(0.02));
  }
}

TEST_CASE("step experiments: an 8000-byte datagram crosses every experiment whole (9000-byte links, VXLAN 8950)") {
  for (const auto& e : validate::step_experiments()) {
    INFO(e.name);
    const StepRecipe r = model_recipe(e, 8000);
    CHECK(r.calls[std::size_t(S::UdpRecvmsg)] == 1);
    CHECK(r.bytes[std::size_t(S::UdpRecvmsg)] == 8000 + 28);
    CHECK(extra_calls(model_recipe(e, 64), r) == "");  // the same steps as a small one: no fragments, no GSO
  }
}

TEST_CASE("step experiments: the model's TCP stream on one core costs what its steps charge, and TCP's per-byte cost adds per byte") {
  const auto& veth = step_experiment("veth");
  const cost::Profile base = cost::Profile::builtin();
  cost::Profile dearer = base;
  for (S s : {S::TcpSendmsg, S::TcpV4Rcv}) dearer.steps[std::size_t(s)].per_byte_ns += 0.5;
  const double without = validate::model_tcp_ns_per_unit(veth, base);
  const double with = validate::model_tcp_ns_per_unit(veth, dearer);
  INFO("ns per 64 KiB: " << without << " then " << with);
  // Each payload byte is charged once at tcp_sendmsg and once at tcp_v4_rcv (with its headers,
  // 52 bytes of every 9000-byte MTU's segment): about 1 ns per byte more.
  CHECK(with - without == Approx(validate::kTcpUnit * 1.0).epsilon(0.05));
  // The copies alone are 2 x 64 KiB at the profile's per-byte cost: the stream costs more than that.
  CHECK(without > 2 * validate::kTcpUnit * base.steps[std::size_t(S::CopyFromUser)].per_byte_ns);
}
