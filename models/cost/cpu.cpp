#include "models/cost/cpu.h"

namespace ol::cost {

Nanos NodeCpu::busy_total() const {
  Nanos t = 0;
  for (Nanos b : busy_) t += b;
  return t;
}

namespace {
std::size_t flow_home(std::uint16_t flow, std::size_t slots) { return (std::size_t(flow) * 40503u) & (slots - 1); }

// Linear probing from the flow's home to the first free slot (flow id 0).
void put_flow(std::vector<std::pair<std::uint16_t, std::uint32_t>>& slots, std::uint16_t flow, std::uint32_t index) {
  std::size_t j = flow_home(flow, slots.size());
  while (slots[j].first) j = (j + 1) & (slots.size() - 1);
  slots[j] = {flow, index};
}
}  // namespace

std::uint32_t NodeCpu::find_flow(std::uint16_t flow) const {
  if (flow_slots_.empty()) return kNoFlow;
  for (std::size_t i = flow_home(flow, flow_slots_.size());; i = (i + 1) & (flow_slots_.size() - 1)) {
    if (flow_slots_[i].first == flow) return flow_slots_[i].second;
    if (flow_slots_[i].first == 0) return kNoFlow;
  }
}

std::array<StepStats, kSteps>& NodeCpu::flow_stats(std::uint16_t flow) {
  if (const std::uint32_t i = find_flow(flow); i != kNoFlow) return by_flow_[i];
  if ((by_flow_.size() + 1) * 4 > flow_slots_.size() * 3) {  // keep the index at most 3/4 full
    std::vector<std::pair<std::uint16_t, std::uint32_t>> old(flow_slots_.empty() ? 16 : flow_slots_.size() * 2);
    old.swap(flow_slots_);
    for (auto [f, i] : old)
      if (f) put_flow(flow_slots_, f, i);
  }
  put_flow(flow_slots_, flow, std::uint32_t(by_flow_.size()));
  return by_flow_.emplace_back();  // may move the others: charge() re-points last_ at this one
}

}  // namespace ol::cost
