// A node's cores. Work runs on one core at a time: a step cannot start before its core is free,
// so contention, queueing and saturation emerge from the costs the steps charge. Per-step totals
// answer "where did the time go?".
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/cost/profile.h"

namespace ol::cost {

struct StepStats {
  std::uint64_t calls = 0;
  Nanos ns = 0;
};

class NodeCpu {
 public:
  NodeCpu(std::string node, int cores)
      : node(std::move(node)),
        free_at_(std::size_t(cores), 0),
        busy_(std::size_t(cores), 0),
        cold_(std::size_t(cores)),
        softirq_(std::size_t(cores)) {}

  int cores() const { return int(free_at_.size()); }
  Nanos free_at(int core) const { return free_at_[std::size_t(core)]; }
  // The core a process runs its next turn on, given the one it last ran on and the one that woke
  // it (-1: none). A node's own cores (the cluster) pin each process to its core. On a shared
  // machine (the lab, every namespace on the same cores) a process that never slept stays where
  // it runs: the softirq work its system calls raised ran inside them, on that core. One woken
  // from sleep goes where select_task_rq_fair puts it: its last core if idle, else an idle one
  // (the waker's core is not: the waker runs there), else the core free first.
  int process_core(int last, int waker, bool woken, Nanos now) const {
    if (!shared) return last;
    if (last < 0 || last >= cores()) last = 0;  // a node's own core number, past the machine's
    if (!woken) return last;
    const auto idle = [&](int c) { return c != waker && free_at_[std::size_t(c)] <= now && !softirq_[std::size_t(c)].pending; };
    if (idle(last)) return last;
    int best = 0;
    for (int c = 0; c < cores(); ++c) {
      if (idle(c)) return c;
      if (free_at_[std::size_t(c)] < free_at_[std::size_t(best)]) best = c;
    }
    return best;
  }
  // NET_RX raised on a core: its backlog holds a packet (enqueue_to_backlog), and done when
  // process_backlog took it.
  void softirq_raise(int core) { ++softirq_[std::size_t(core)].pending; }
  void softirq_done(int core) {
    Softirq& s = softirq_[std::size_t(core)];
    if (s.pending && --s.pending == 0) s.task_waits_since = -1;
  }
  // Whether a process's turn on `core` waits for the softirq first. A system call's
  // local_bh_enable and an interrupt's irq_exit run the pending softirqs (do_softirq) before the
  // task goes on, so the packets a sender's system call put in its core's backlog reach their
  // socket before its next call. __do_softirq stops after MAX_SOFTIRQ_TIME (2 ms) and hands the
  // rest to ksoftirqd: a task that waited that long gets its turn.
  bool softirq_first(int core, Nanos now) {
    Softirq& s = softirq_[std::size_t(core)];
    if (!s.pending) return false;
    if (s.task_waits_since < 0) s.task_waits_since = now;
    if (now - s.task_waits_since < kMaxSoftirqTime) return true;
    s.task_waits_since = -1;
    return false;
  }
  static constexpr Nanos kMaxSoftirqTime = 2'000'000;
  // The core ran `cost` of work starting at `start`.
  void occupy(int core, Nanos start, Nanos cost) {
    free_at_[std::size_t(core)] = start + cost;
    busy_[std::size_t(core)] += cost;
  }
  Nanos busy(int core) const { return busy_[std::size_t(core)]; }
  // The core idled before its next work: it runs `factor` slower for its next `budget` of (warm)
  // work, unless it is still colder from an earlier idle (a short gap does not warm it).
  void go_cold(int core, double factor, Nanos budget) {
    Cold& c = cold_[std::size_t(core)];
    if (c.left == 0 || factor >= c.factor) c = {factor, budget};
  }
  // What `warm` ns of work take on the core, the cold part of it at the cold factor.
  Nanos cold_cost(int core, Nanos warm) {
    Cold& c = cold_[std::size_t(core)];
    if (c.left == 0) return warm;
    const Nanos slow = std::min(warm, c.left);
    c.left -= slow;
    return warm - slow + Nanos(double(slow) * c.factor + 0.5);
  }
  Nanos busy_total() const;
  void charge(Step s, Nanos ns, std::uint16_t flow) {
    auto& st = steps[std::size_t(s)];
    ++st.calls;
    st.ns += ns;
    if (!flow) return;
    if (flow != last_flow_) {  // a packet's steps come in runs: one lookup per run
      last_flow_ = flow;
      last_ = &flow_stats(flow);  // allocates once per flow seen on this node
    }
    std::uint8_t& k = slot_of_[std::size_t(s)];
    if (k == kNoSlot) k = next_slot_++;
    auto& f = (*last_)[k];
    ++f.calls;
    f.ns += ns;
  }
  // One flow's steps, by step (nothing when it never ran here).
  std::optional<std::array<StepStats, kSteps>> flow_steps(std::uint16_t flow) const {
    const std::uint32_t i = flow ? find_flow(flow) : kNoFlow;
    if (i == kNoFlow) return std::nullopt;
    std::array<StepStats, kSteps> out{};
    for (std::size_t s = 0; s < kSteps; ++s)
      if (slot_of_[s] != kNoSlot) out[s] = by_flow_[i][slot_of_[s]];
    return out;
  }

  std::string node;
  bool shared = false;      // the lab's one machine: every namespace's work, processes on any free core
  std::uint32_t index = 0;  // its place among its world's node CPUs: per-CPU state is a vector slot
  std::array<StepStats, kSteps> steps{};

 private:
  struct Cold {
    double factor = 1;
    Nanos left = 0;  // warm ns still to run at `factor`
  };
  std::vector<Nanos> free_at_;
  std::vector<Nanos> busy_;
  std::vector<Cold> cold_;
  struct Softirq {
    std::uint32_t pending = 0;   // packets in the core's backlog
    Nanos task_waits_since = -1;  // since when a task waits for them (-1: none waits)
  };
  std::vector<Softirq> softirq_;
  static constexpr std::uint32_t kNoFlow = UINT32_MAX;
  std::uint32_t find_flow(std::uint16_t flow) const;
  std::array<StepStats, kSteps>& flow_stats(std::uint16_t flow);
  // Per flow that ran here: what its work cost. Only the flows a node carried take room (10,000
  // flows across 1,000 nodes would otherwise need 10,000 entries on every node): `by_flow_` is
  // dense, `flow_slots_` an open-addressing index into it (flow id 0 marks a free slot).
  std::vector<std::array<StepStats, kSteps>> by_flow_;
  std::vector<std::pair<std::uint16_t, std::uint32_t>> flow_slots_;
  std::uint16_t last_flow_ = 0;
  std::array<StepStats, kSteps>* last_ = nullptr;
  // A flow's totals are kept by slot, not by step: slots in the order the node first charged each
  // step, so the dozen steps a packet takes through a node sit on a few adjacent cache lines of
  // its flow's array, not scattered over all of them (10,000 flows' arrays do not stay cached).
  static constexpr std::uint8_t kNoSlot = 0xff;
  static_assert(kSteps < kNoSlot);
  std::array<std::uint8_t, kSteps> slot_of_ = [] {
    std::array<std::uint8_t, kSteps> a{};
    a.fill(kNoSlot);
    return a;
  }();
  std::uint8_t next_slot_ = 0;
};

}  // namespace ol::cost
