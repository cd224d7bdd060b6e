// A node's cores. Work runs on one core at a time: a step cannot start before its core is free,
// so contention, queueing and saturation emerge from the costs the steps charge. Per-step totals
// answer "where did the time go?".
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/cost/profile.h"

namespace ol::cost {

struct StepStats {
  std::uint64_t calls = 0;
  Nanos ns = 0;
};

class NodeCpu {
 public:
  NodeCpu(std::string node, int cores) : node(std::move(node)), free_at_(std::size_t(cores), 0), busy_(std::size_t(cores), 0) {}

  int cores() const { return int(free_at_.size()); }
  Nanos free_at(int core) const { return free_at_[std::size_t(core)]; }
  // The core ran `cost` of work starting at `start`.
  void occupy(int core, Nanos start, Nanos cost) {
    free_at_[std::size_t(core)] = start + cost;
    busy_[std::size_t(core)] += cost;
  }
  Nanos busy(int core) const { return busy_[std::size_t(core)]; }
  Nanos busy_total() const;
  void charge(Step s, Nanos ns, std::uint16_t flow) {
    auto& st = steps[std::size_t(s)];
    ++st.calls;
    st.ns += ns;
    if (!flow) return;
    if (flow != last_flow_) {  // a packet's steps come in runs: one lookup per run
      last_flow_ = flow;
      last_ = &by_flow_[flow];  // allocates once per flow seen on this node
    }
    auto& f = (*last_)[std::size_t(s)];
    ++f.calls;
    f.ns += ns;
  }
  // One flow's steps (nullptr when it never ran here).
  const std::array<StepStats, kSteps>* flow_steps(std::uint16_t flow) const {
    auto it = by_flow_.find(flow);
    return it == by_flow_.end() ? nullptr : &it->second;
  }

  std::string node;
  std::array<StepStats, kSteps> steps{};

 private:
  std::vector<Nanos> free_at_;
  std::vector<Nanos> busy_;
  // Per flow that ran here: what its work cost. Only the flows a node carried take room (10,000
  // flows across 1,000 nodes would otherwise need 10,000 entries on every node).
  std::unordered_map<std::uint16_t, std::array<StepStats, kSteps>> by_flow_;
  std::uint16_t last_flow_ = 0;
  std::array<StepStats, kSteps>* last_ = nullptr;
};

}  // namespace ol::cost
