// Where a process's next turn runs (NodeCpu::process_core): pinned on a cluster node's own cores;
// on the lab's shared machine, as select_task_rq_fair places a waking task. And what a core that
// idled pays (the profile's cold start).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>

#include "models/cost/cpu.h"
#include "models/kernel/cpu_work.h"
#include "sim/simulator.h"

using namespace ol;

TEST_CASE("lab machine: a process that never slept keeps its core, a woken one takes its last core if idle, else an idle one but not the waker's") {
  cost::NodeCpu lab("this machine", 3);
  lab.shared = true;
  lab.occupy(0, 0, 1000);  // core 0 busy until t = 1000 ns
  const Nanos now = 500;
  CHECK(lab.process_core(0, -1, false, now) == 0);  // a flood's sender: waits for its own core
  CHECK(lab.process_core(0, -1, true, now) == 1);   // woken, its core busy: the first idle one
  CHECK(lab.process_core(2, -1, true, now) == 2);   // woken, its core idle: stays
  CHECK(lab.process_core(1, 1, true, now) == 2);    // core 1 runs the waker: not idle for it
  CHECK(lab.process_core(7, -1, true, now) == 1);   // a node's own core number past the machine's
  lab.occupy(1, 0, 800);
  lab.occupy(2, 0, 900);
  CHECK(lab.process_core(2, -1, true, now) == 1);  // none idle: the core free first
}

TEST_CASE("cluster node: each process runs on its own core, busy or not") {
  cost::NodeCpu node("node-1", 4);
  node.occupy(3, 0, 1000);
  CHECK(node.process_core(3, -1, true, 500) == 3);
  CHECK(node.process_core(3, 0, false, 500) == 3);
}

TEST_CASE("cold start: a core that idled runs its next budget of work the profile's factor slower, a short gap does not warm it") {
  Simulator sim;
  kernel::CpuWork work(sim);
  cost::Profile p;
  p.steps[std::size_t(cost::Step::IpRcv)].per_packet_ns = 1000;
  p.cold_start.points = {{1'000'000, 2.0}, {10'000'000, 11.0}};
  p.cold_start.budget = 10'000;  // ten ip_rcv
  work.profile = &p;
  cost::NodeCpu& cpu = work.add_node_cpu("node-1", 1);
  // `n` ip_rcv as one piece of work at `t`: what they cost the core.
  auto ip_rcv_at = [&](Nanos t, int n = 1, cost::NodeCpu* on = nullptr) {
    cost::NodeCpu& c = on ? *on : cpu;
    sim.run_until(t);
    REQUIRE(work.begin(&c, 0));
    for (int i = 0; i < n; ++i) work.charge(cost::Step::IpRcv, 0);
    const Nanos start = sim.now();
    work.end();
    return c.free_at(0) - start;
  };
  CHECK(ip_rcv_at(10'000'000, 12) == 10 * 11'000 + 2 * 1000);  // idle 10 ms: the first 10 us of work x11
  CHECK(ip_rcv_at(cpu.free_at(0)) == 1000);                     // warm again
  CHECK(ip_rcv_at(cpu.free_at(0) + 500'000) == 1500);           // 0.5 ms idle: halfway to x2
  CHECK(ip_rcv_at(cpu.free_at(0) + 2000) == 1500);              // 2 us later: still cold, its budget not spent
  CHECK(ip_rcv_at(cpu.free_at(0) + 5'500'000, 10) == 10 * 6500);
  CHECK(ip_rcv_at(cpu.free_at(0) + 100'000'000) == 11'000);  // flat after the last point
  p.cold_start.points.clear();
  cost::NodeCpu& other = work.add_node_cpu("node-2", 1);
  CHECK(ip_rcv_at(sim.now() + 100'000'000, 1, &other) == 1000);  // a profile without the curve
}

TEST_CASE("wake-up latency: a sleeper woken onto another, idle core runs the profile's latency later, on the waker's core at once, a task still running when its turn ends") {
  Simulator sim;
  kernel::CpuWork work(sim);
  cost::Profile p;
  p.wakeup_latency.ns = 700;
  work.profile = &p;
  cost::NodeCpu& node = work.add_node_cpu("node-1", 2);
  sim.run_until(1'000'000);
  REQUIRE(work.begin(&node, 0));  // the waker: softirq work on core 0
  kernel::Task other_core{.core = 1};
  kernel::Task same_core{.core = 0};
  kernel::Task running{.core = 1, .ran_until = 2'000'000};  // its turn has not ended: it never slept
  CHECK(work.wake_up(other_core, &node) == 1'000'700);
  CHECK(work.wake_up(same_core, &node) == 1'000'000);
  CHECK(work.wake_up(running, &node) == 2'000'000);  // it goes on when its turn ends, with no IPI
  CHECK_FALSE(running.ipi);
  node.occupy(1, 0, 3'000'000);  // core 1 busy: the task waits for the core, not for an IPI
  kernel::Task busy_core{.core = 1};
  CHECK(work.wake_up(busy_core, &node) == 1'000'000);
  work.end();
}

TEST_CASE("wake-up latency by idle time: a core that idled longer takes longer to wake, as the profile's points say") {
  Simulator sim;
  kernel::CpuWork work(sim);
  cost::Profile p;
  p.wakeup_latency.ns = 700;
  p.wakeup_latency.points = {{100'000, 60'000}, {1'000'000, 140'000}};
  work.profile = &p;
  cost::NodeCpu& node = work.add_node_cpu("node-1", 3);
  node.occupy(1, 0, 950'000);  // core 1 idled 50 us by t = 1 ms, core 2 the whole millisecond
  sim.run_until(1'000'000);
  REQUIRE(work.begin(&node, 0));
  kernel::Task short_idle{.core = 1}, long_idle{.core = 2};
  CHECK(work.wake_up(short_idle, &node) == 1'000'000 + 700 + 30'000);
  CHECK(work.wake_up(long_idle, &node) == 1'000'000 + 700 + 140'000);
  work.end();
}

TEST_CASE("an IPI: waking a sleeper onto another, idle core costs the waker send_call_function_single_ipi and that core sched_ttwu_pending - none on the waker's own core or a busy one") {
  Simulator sim;
  kernel::CpuWork work(sim);
  cost::Profile p;
  p.steps[std::size_t(cost::Step::SendIpi)].per_packet_ns = 1500;
  p.steps[std::size_t(cost::Step::SchedTtwuPending)].per_packet_ns = 2500;
  work.profile = &p;
  cost::NodeCpu& node = work.add_node_cpu("node-1", 2);
  const auto calls = [&](cost::Step s) { return node.steps[std::size_t(s)].calls; };
  sim.run_until(1'000'000);
  REQUIRE(work.begin(&node, 0));  // the waker: softirq work on core 0
  kernel::Task remote{.core = 1}, local{.core = 0};
  CHECK(work.wake_up(remote, &node) == 1'000'000);  // this profile has no latency
  CHECK(work.now() == 1'001'500);                    // the waker paid for the IPI
  CHECK(work.wake_up(local, &node) == 1'001'500);    // its own core: no IPI
  CHECK(work.now() == 1'001'500);
  work.end();
  CHECK(calls(cost::Step::SendIpi) == 1);
  REQUIRE(work.begin_process(&node, remote, true));  // core 1 leaves its idle loop and takes the IPI
  CHECK(work.now() == 1'002'500);
  work.end();
  CHECK(calls(cost::Step::SchedTtwuPending) == 1);
  sim.run_until(1'001'500);
  REQUIRE(work.begin_process(&node, local, true));  // woken on its own core: nothing to take
  CHECK(work.now() == 1'001'500);
  work.end();
  CHECK(calls(cost::Step::SchedTtwuPending) == 1);
  REQUIRE(work.begin(&node, 0));
  node.occupy(1, 1'001'500, 3'000'000);  // core 1 busy: the task is queued there, no idle core to kick
  kernel::Task busy{.core = 1};
  work.wake_up(busy, &node);
  work.end();
  CHECK(calls(cost::Step::SendIpi) == 1);
  CHECK_FALSE(busy.ipi);
}

TEST_CASE("softirq first: a core whose backlog holds packets runs them before a process's turn, for up to 2 ms (MAX_SOFTIRQ_TIME), then the task gets one") {
  cost::NodeCpu node("node-1", 2);
  CHECK_FALSE(node.softirq_first(0, 0));  // nothing pending: the task runs
  node.softirq_raise(0);
  node.softirq_raise(0);
  CHECK(node.softirq_first(0, 100));
  CHECK_FALSE(node.softirq_first(1, 100));  // another core's backlog holds nothing
  node.softirq_done(0);
  CHECK(node.softirq_first(0, 200));  // one packet still waits
  // The task has waited since t = 100: at 2 ms past that, __do_softirq has handed the rest to
  // ksoftirqd and the task gets its turn; then it waits again.
  CHECK(node.softirq_first(0, 100 + cost::NodeCpu::kMaxSoftirqTime - 1));
  CHECK_FALSE(node.softirq_first(0, 100 + cost::NodeCpu::kMaxSoftirqTime));
  CHECK(node.softirq_first(0, 100 + cost::NodeCpu::kMaxSoftirqTime + 10));
  node.softirq_done(0);
  CHECK_FALSE(node.softirq_first(0, 100 + cost::NodeCpu::kMaxSoftirqTime + 20));
  // On the lab's machine, a core about to run its softirq is not an idle one for a waking task.
  cost::NodeCpu lab("this machine", 2);
  lab.shared = true;
  lab.softirq_raise(0);
  CHECK(lab.process_core(0, -1, true, 0) == 1);
}

namespace {
// A process that, each time it is woken, takes a 1 us turn on its node's core 0 and notes when.
struct Process final : EventTarget {
  Process(kernel::CpuWork& w, cost::NodeCpu& c, char n, std::string& log) : work(w), cpu(c), name(n), order(log) {}
  void on_event(std::uint64_t) override {
    if (work.begin_turn(&cpu, task, true, this, 0) != kernel::CpuWork::Turn::Started) return;
    work.charge(cost::Step::AppWork, 0);
    order += fmt::format("{}@{} ", name, work.sim.now());
    work.end();
  }
  kernel::CpuWork& work;
  cost::NodeCpu& cpu;
  char name;
  std::string& order;
  kernel::Task task;
};
}  // namespace

TEST_CASE("run queue: a cluster node's processes that find their core busy take turns in the order they queued, a newcomer queues behind them, one that exits leaves") {
  Simulator sim;
  kernel::CpuWork work(sim);
  cost::Profile p;
  p.steps[std::size_t(cost::Step::AppWork)].per_packet_ns = 1000;
  work.profile = &p;
  cost::NodeCpu& node = work.add_node_cpu("node-1", 1);
  std::string order;
  Process a(work, node, 'a', order), b(work, node, 'b', order), c(work, node, 'c', order), d(work, node, 'd', order),
      e(work, node, 'e', order), gone(work, node, 'x', order);
  for (Process* w : {&a, &b, &c, &gone}) sim.at(0, w);  // a gets the core, the others queue in order
  sim.at(500, &d);    // the core is busy: d queues behind c
  sim.at(1000, &e);   // a's turn ends now, but three wait: e queues behind them, it does not jump in
  sim.run_until(1);
  work.leave_run_queues(&node, &gone);  // x exits while it waits
  const auto events = sim.run();
  CHECK(order == "a@0 b@1000 c@2000 d@3000 e@4000 ");
  // d's and e's wake-ups, then one pick for each queued turn: no process polls for the core.
  CHECK(events == 2 + 4);
  // On the lab's shared machine nothing queues: the scheduler may run a waiting task on
  // whichever core frees first, so the caller retries then.
  Simulator lab_sim;
  kernel::CpuWork lab(lab_sim);
  lab.shared_cores = 2;
  lab.profile = &p;
  cost::NodeCpu& machine = *lab.lab_cpu();
  machine.occupy(0, 0, 1000);
  machine.occupy(1, 0, 1000);
  kernel::Task t;
  CHECK(lab.begin_turn(&machine, t, true, &a, 0) == kernel::CpuWork::Turn::Retry);
}

TEST_CASE("a node's per-flow step totals read back by step, whatever order the steps were first charged in, and a flow that never ran there has none") {
  cost::NodeCpu node("node-1", 1);
  node.charge(cost::Step::UdpSendmsg, 300, 7);  // late in the step list, charged first: slot 0
  node.charge(cost::Step::IpRcv, 100, 7);
  node.charge(cost::Step::IpRcv, 50, 9);
  node.charge(cost::Step::UdpSendmsg, 30, 9);
  node.charge(cost::Step::FibLookup, 20, 7);
  const auto seven = node.flow_steps(7), nine = node.flow_steps(9);
  REQUIRE(seven);
  REQUIRE(nine);
  CHECK((*seven)[std::size_t(cost::Step::UdpSendmsg)].ns == 300);
  CHECK((*seven)[std::size_t(cost::Step::IpRcv)].ns == 100);
  CHECK((*seven)[std::size_t(cost::Step::FibLookup)].calls == 1);
  CHECK((*seven)[std::size_t(cost::Step::IpForward)].calls == 0);
  CHECK((*nine)[std::size_t(cost::Step::IpRcv)].ns == 50);
  CHECK((*nine)[std::size_t(cost::Step::UdpSendmsg)].ns == 30);
  CHECK((*nine)[std::size_t(cost::Step::FibLookup)].calls == 0);
  CHECK(node.steps[std::size_t(cost::Step::IpRcv)].ns == 150);  // the node's own totals stay by step
  CHECK_FALSE(node.flow_steps(8));
  CHECK_FALSE(node.flow_steps(0));  // flow 0: work for no flow, never kept per flow
}
