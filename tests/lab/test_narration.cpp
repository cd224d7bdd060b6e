// Each step of a walk tagged with its stage of the mode's textbook workflow: the request passes
// through every stage in order, the steps a student looks for land in the stage that explains
// them, and the reply tells the same story the other way.
#include <catch2/catch.hpp>

#include "lab/narration.h"
#include "tests/lab/helpers.h"

using namespace ol;

namespace {

struct Told {
  cluster::WalkResult r;
  cluster::Narration n;
};

Told tell(const char* scenario, const char* mode, const char* from, const char* to) {
  auto s = test::session(scenario, mode);
  Told t;
  t.r = cluster::walk(*s, {from, to});
  t.n = cluster::narrate(t.r, s->scenario.net_conf.backend);
  return t;
}

// The stages the steps [begin, end) pass through, each once, in order.
std::vector<int> sequence(const Told& t, std::size_t begin, std::size_t end) {
  std::vector<int> out;
  for (std::size_t i = begin; i < end; ++i)
    if (out.empty() || out.back() != t.n.step_stage[i]) out.push_back(t.n.step_stage[i]);
  return out;
}

std::vector<int> all_of(std::size_t n) {
  std::vector<int> v;
  for (std::size_t k = 0; k < n; ++k) v.push_back(int(k));
  return v;
}

// The stage of the first request step on `netns` running `function`.
int stage_at(const Told& t, const std::string& netns, const std::string& function) {
  for (std::size_t i = 0; i < t.r.request_steps; ++i)
    if (t.r.steps[i].netns == netns && t.r.steps[i].function == function) return t.n.step_stage[i];
  return -2;
}

struct Expected {
  const char* netns;
  const char* function;
  int stage;
};

// The first request step on each `netns` running `function` is in `stage`.
void expect_stages(const Told& t, std::initializer_list<Expected> want) {
  for (const auto& w : want) {
    INFO(w.netns << " " << w.function);
    CHECK(stage_at(t, w.netns, w.function) == w.stage);
  }
}

// Delivered, and each leg passes through every one of the workflow's `stages` in order.
void whole_story(const Told& t, std::size_t stages, bool reply_too = true) {
  REQUIRE(t.r.delivered);
  REQUIRE(t.n.stages.size() == stages);
  CHECK(sequence(t, 0, t.r.request_steps) == all_of(stages));
  if (reply_too) CHECK(sequence(t, t.r.request_steps, t.r.steps.size()) == all_of(stages));
}

}  // namespace

TEST_CASE("udp: pod, cni0, flannel0, flanneld in user space, UDP to the peer's flanneld, back into the kernel, pod") {
  auto t = tell("two-nodes.json", "udp", "pod-a", "pod-c");
  whole_story(t, 8);
  expect_stages(t, {{"node-1", "tun_net_xmit", 2}, {"node-1", "tun_do_read", 3}, {"node-1", "find_route", 3},
                    {"node-1", "udp_sendmsg", 4}, {"node-2", "udp_recvmsg", 5}, {"node-2", "tun_get_user", 5},
                    {"pod-c", "icmp_rcv", 7}});
  CHECK_THAT(t.n.stages[3], Catch::Contains("flanneld reads it from /dev/net/tun in user space"));
}

TEST_CASE("vxlan: the route via the VTEP, the neighbour and FDB entries flanneld wrote, outer UDP/IP, decapsulation") {
  auto t = tell("two-nodes.json", "vxlan", "pod-a", "pod-c");
  whole_story(t, 9);
  expect_stages(t, {{"node-1", "ip_rcv", 1}, {"node-1", "fib_lookup", 2}, {"node-1", "neigh_resolve_output", 3},
                    {"node-1", "vxlan_xmit", 4}, {"node-1", "vxlan_xmit_one", 5}, {"lan", "br_forward", 5},
                    {"node-2", "udp_rcv", 5}, {"node-2", "vxlan_rcv", 6}, {"pod-c", "icmp_rcv", 8}});
}

TEST_CASE("host-gw: the route via the peer node, the bare underlay, the peer's routing") {
  auto t = tell("two-nodes.json", "host-gw", "pod-a", "pod-c");
  whole_story(t, 6);
  expect_stages(t, {{"node-1", "fib_lookup", 2}, {"node-1", "neigh_resolve_output", 3}, {"node-2", "ip_rcv", 3},
                    {"node-2", "fib_lookup", 4}, {"node-2", "ip_forward", 4}});
}

TEST_CASE("two pods on one node: the bridge alone, whatever the mode") {
  for (const char* mode : {"host-gw", "udp", "vxlan"}) {
    INFO(mode);
    auto t = tell("two-nodes.json", mode, "pod-a", "pod-b");
    whole_story(t, 3);
    CHECK_THAT(t.n.stages[1], Catch::Contains("same node, no routing, no encapsulation"));
  }
}

TEST_CASE("nodes behind a router: the router's steps are the underlay's - a failed host-gw walk stays tagged") {
  auto t = tell("l3-separated.json", "udp", "pod-a", "pod-b");
  whole_story(t, 8, false);
  auto failed = tell("l3-separated.json", "host-gw", "pod-a", "pod-b");
  CHECK_FALSE(failed.r.delivered);
  for (std::size_t i = 0; i < failed.r.request_steps; ++i) CHECK(failed.n.step_stage[i] >= 0);
  for (std::size_t i = failed.r.request_steps; i < failed.r.steps.size(); ++i) CHECK(failed.n.step_stage[i] == -1);
}
