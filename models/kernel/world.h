// One simulation's kernels: the registry of its network namespaces and the packet pool they
// share, beside the contexts every namespace reaches through its Netns: CPU time (cpu_work.h),
// the per-CPU receive backlogs (dev.h) and the tracepoints (tracing.h). No globals: a GUI holds many.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/kernel/cpu_work.h"
#include "models/kernel/dev.h"
#include "models/kernel/netns.h"
#include "models/kernel/packet.h"
#include "models/kernel/tables/neigh.h"
#include "models/kernel/tables/vxlan_fdb.h"
#include "models/kernel/tracing.h"
#include "sim/simulator.h"

namespace ol::kernel {

class World {
 public:
  explicit World(Simulator& sim);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  Netns& add_netns(const std::string& name);  // throws ConfigError when it exists
  Netns* netns(std::string_view name) const;
  // cleanup_net: the namespace leaves the list; the object is kept until the end (like bury()).
  void remove_netns(Netns& ns);
  const std::vector<std::unique_ptr<Netns>>& namespaces() const { return namespaces_; }
  // A device removed from its namespace is kept until the end so in-flight packets can see it died.
  void bury(std::unique_ptr<Device> dev);

  PacketPool pool;  // first member: destroyed last, after every queue that holds its packets
  // Entries many namespaces hold alike (shared_entries.h), before the namespaces that point into them.
  RoutePool shared_routes;
  NeighPool shared_neigh;
  VxlanFdbPool shared_vxlan_fdb;
  Simulator& sim;
  CpuWork work;
  Tracing tracing;
  Softnet softnet;

 private:
  std::vector<std::unique_ptr<Netns>> namespaces_;
  std::unordered_map<std::string_view, Netns*> by_name_;  // keys view Netns::name
  // The namespace found last: a flanneld's batch names its own node's thousands of times in a row.
  mutable Netns* last_found_ = nullptr;
  std::vector<std::unique_ptr<Netns>> dead_namespaces_;
  std::vector<std::unique_ptr<Device>> graveyard_;
};

}  // namespace ol::kernel
