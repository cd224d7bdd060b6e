// CPU time: which core the current piece of work runs on, and what its steps cost it. A softirq
// run, a system call or a daemon's loop is one piece of work; a core does one at a time, so queues
// and saturation emerge from the profile's per-step costs. Off unless a profile is set and a node
// has cores: namespaces without cores (switches, routers, plain scripts) work for free.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/cost/cpu.h"
#include "models/cost/profile.h"
#include "models/kernel/run_queue.h"
#include "models/kernel/task.h"
#include "sim/simulator.h"

namespace ol::kernel {

class CpuWork {
 public:
  explicit CpuWork(Simulator& s) : sim(s) {}

  // A node's cores; in lab mode (shared_cores > 0) every node gets the one machine's.
  cost::NodeCpu& add_node_cpu(const std::string& node, int cores);
  cost::NodeCpu* node_cpu(std::string_view node) const;
  // The lab's machine (null unless shared_cores > 0): switches and routers work on it too.
  cost::NodeCpu* lab_cpu();

  // Starts a piece of work on `core`: false, and nothing starts, while the core is still busy;
  // then the caller retries at cpu->free_at(core).
  bool begin(cost::NodeCpu* cpu, int core);
  // A process's turn (an application, a daemon's loop): as begin, on the core the scheduler picks
  // (NodeCpu::process_core): `woken` when the process slept before it, not when it kept running
  // (a flood's sender). Retry at process_ready_at.
  bool begin_process(cost::NodeCpu* c, Task& t, bool woken) {
    const int core = c ? c->process_core(t.core, t.waker, slept(t, woken), sim.now()) : t.core;
    if (c && c->softirq_first(core, sim.now())) return false;  // the backlog runs first: retried
    if (!begin(c, core)) return false;
    t.core = core;
    t.waker = -1;
    cur_.task = &t;
    if (t.ipi) charge(cost::Step::SchedTtwuPending, 0);
    t.ipi = false;
    return true;
  }
  // A process's turn, as begin_process, or else its place in the queue for its core. A cluster
  // node's processes are pinned (NodeCpu::process_core): one that finds its core busy, or others
  // already waiting for it, joins the core's RunQueue, and `target` gets `cookie` when its turn
  // comes. In the lab (shared cores) the scheduler may run it on whichever core frees first, so
  // nothing queues: the caller retries at process_ready_at.
  enum class Turn { Started, Queued, Retry };
  Turn begin_turn(cost::NodeCpu* c, Task& t, bool woken, EventTarget* target, std::uint64_t cookie);
  // A process that exits leaves its node's run queues.
  void leave_run_queues(const cost::NodeCpu* c, const EventTarget* target);
  Nanos process_ready_at(const cost::NodeCpu& c, const Task& t, bool woken) const {
    return c.free_at(c.process_core(t.core, t.waker, slept(t, woken), sim.now()));  // at() takes a past time as now
  }
  // The current work (sk_data_ready, a timer) wakes `t`, a task of `c`'s: try_to_wake_up notes
  // where it ran. Returns when `t` can run. A sleeping task placed on another core that idles is
  // queued on that core's wake list and sent an IPI (ttwu_queue_wakelist): the waker pays
  // send_call_function_single_ipi, the woken core sched_ttwu_pending as it leaves its idle loop
  // (in a VM both are exits to the hypervisor), and the task waits for that core to take the IPI
  // (the profile's wakeup_latency). On the waker's own core or on a busy one it is ready at once,
  // with no IPI; still running, it is ready when its turn ends.
  Nanos wake_up(Task& t, const cost::NodeCpu* c) {
    t.waker = cur_.active ? cur_.core : -1;
    const Nanos at = now();
    if (!c || !profile) return at;
    // Still running (its turn ends at ran_until, on the core it keeps): it goes on from there.
    if (at < t.ran_until) return t.ran_until;
    const int core = c->process_core(t.core, t.waker, true, at);
    if (core == t.waker || c->free_at(core) > at) return at;
    if (cur_.active && cur_.cpu == c) charge(cost::Step::SendIpi, 0);
    t.ipi = true;
    return at + profile->wakeup_latency.after(at - c->free_at(core));
  }
  void end();
  // A step of the current work costs its core this much (per the profile), more on a cold core.
  void charge(cost::Step s, std::uint32_t bytes) {
    if (!cur_.cpu || !profile) return;
    const Nanos c = cur_.cpu->cold_cost(cur_.core, profile->cost(s, bytes));
    cur_.cost += c;
    cur_.cpu->charge(s, c, cur_.flow);
  }
  // The flow the current work is for (a loop serving several packets switches as it goes).
  void set_flow(std::uint16_t flow) { cur_.flow = flow; }
  std::uint16_t flow() const { return cur_.flow; }
  // The time inside the current work (its start plus what it has cost so far), else the clock.
  Nanos now() const { return cur_.active ? cur_.start + cur_.cost : sim.now(); }
  bool running_on(const cost::NodeCpu* cpu) const { return cur_.active && cur_.cpu == cpu; }
  int running_core() const { return cur_.core; }

  Simulator& sim;
  const cost::Profile* profile = nullptr;
  // Lab mode: all namespaces share one machine of this many cores, as validate's and calibrate's
  // real namespaces do (0: each node has its own, as in a cluster).
  int shared_cores = 0;

 private:
  struct Current {
    bool active = false;
    cost::NodeCpu* cpu = nullptr;
    int core = 0;
    Nanos start = 0;
    Nanos cost = 0;
    std::uint16_t flow = 0;
    Task* task = nullptr;  // the process whose turn this is, if it is one
  };
  bool slept(const Task& t, bool woken) const { return woken && sim.now() >= t.ran_until; }
  RunQueue& run_queue(cost::NodeCpu& c, int core);
  Current cur_;
  std::vector<std::vector<std::unique_ptr<RunQueue>>> run_queues_;  // by NodeCpu::index, then core
  std::unordered_map<std::string, std::unique_ptr<cost::NodeCpu>> cpus_;
};

}  // namespace ol::kernel
