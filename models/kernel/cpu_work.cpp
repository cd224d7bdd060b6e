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
