#include "models/kernel/cpu_work.h"

namespace ol::kernel {

cost::NodeCpu& CpuWork::add_node_cpu(const std::string& node, int cores) {
  if (shared_cores > 0) return *lab_cpu();
  auto& c = cpus_[node];
  if (!c) {
    c = std::make_unique<cost::NodeCpu>(node, cores);
    c->index = std::uint32_t(cpus_.size() - 1);
  }
  return *c;
}

cost::NodeCpu* CpuWork::lab_cpu() {
  if (shared_cores <= 0) return nullptr;
  auto& c = cpus_["this machine"];
  if (!c) {
    c = std::make_unique<cost::NodeCpu>("this machine", shared_cores);
    c->shared = true;
    c->index = std::uint32_t(cpus_.size() - 1);
  }
  return c.get();
}

cost::NodeCpu* CpuWork::node_cpu(std::string_view node) const {
  if (shared_cores > 0) node = "this machine";
  auto it = cpus_.find(std::string(node));
  return it == cpus_.end() ? nullptr : it->second.get();
}

CpuWork::Turn CpuWork::begin_turn(cost::NodeCpu* c, Task& t, bool woken, EventTarget* target, std::uint64_t cookie) {
  if (!c || c->shared) return begin_process(c, t, woken) ? Turn::Started : Turn::Retry;
  RunQueue& rq = run_queue(*c, c->process_core(t.core, t.waker, woken, sim.now()));
  if (rq.may_start(target) && begin_process(c, t, woken)) return Turn::Started;
  rq.enqueue(target, cookie);
  return Turn::Queued;
}

void CpuWork::leave_run_queues(const cost::NodeCpu* c, const EventTarget* target) {
  if (!c || c->index >= run_queues_.size()) return;
  for (auto& rq : run_queues_[c->index]) rq->forget(target);
}

RunQueue& CpuWork::run_queue(cost::NodeCpu& c, int core) {
  if (c.index >= run_queues_.size()) run_queues_.resize(c.index + 1);
  auto& v = run_queues_[c.index];
  if (v.empty())
    for (int i = 0; i < c.cores(); ++i) v.push_back(std::make_unique<RunQueue>(*this, c, i));
  return *v[std::size_t(core)];
}

bool CpuWork::begin(cost::NodeCpu* c, int core) {
  if (c && c->free_at(core) > sim.now()) return false;
  cur_ = {true, c, core, sim.now(), 0, 0};
  // A core that idled (free since free_at) starts cold: a VM's vCPU that halted got its physical
  // core back with other guests' lines in its caches. ColdStart says how much slower it runs, and
  // for how much work: the path's code and data are fetched again as it goes.
  if (c && profile && !profile->cold_start.points.empty()) {
    const double f = profile->cold_start.factor(sim.now() - c->free_at(core));
    if (f > 1.0) c->go_cold(core, f, profile->cold_start.budget);
  }
  return true;
}

void CpuWork::end() {
  if (cur_.cpu) cur_.cpu->occupy(cur_.core, cur_.start, cur_.cost);
  if (cur_.task) cur_.task->ran_until = cur_.start + cur_.cost;
  cur_ = {};
}

}  // namespace ol::kernel
