// kernel/sched: a core's run queue (struct rq), for processes pinned to their core, as each of a
// cluster node's processes is (NodeCpu::process_core). A process that finds its core busy joins
// the queue instead of polling for it; when the core frees up, the task at the head gets its turn
// (pick_next_task), and one queued behind it waits for the turn after. Tasks of equal weight that
// wait on one core take turns in the order they queued, as CFS's smallest-vruntime pick gives
// them. Without a queue, every waiting process would retry at each free instant and all but one
// would lose: a node with 20 busy processes paid 14 lost retries per turn.
#pragma once
#include <cstdint>

#include "sim/event_queue.h"
#include "sim/fifo.h"

namespace ol::cost {
class NodeCpu;
}

namespace ol::kernel {

class CpuWork;

class RunQueue final : public EventTarget {
 public:
  RunQueue(CpuWork& work, cost::NodeCpu& cpu, int core) : work_(work), cpu_(cpu), core_(core) {}

  // enqueue_task: `target` gets `cookie` when the task is at the head and the core is free. The
  // task being picked that still cannot start (the core's softirq runs first) keeps its place.
  void enqueue(EventTarget* target, std::uint64_t cookie);
  // Whether `target` may start now: nobody queues, or it is the task being picked.
  bool may_start(const EventTarget* target) const { return tasks_.empty() || picked_ == target; }
  // A process that exits leaves the queue (its turn would reach a deleted object).
  void forget(const EventTarget* target);
  void on_event(std::uint64_t) override;  // the core may be free: pick the next task

 private:
  struct Waiting {
    EventTarget* target;
    std::uint64_t cookie;
  };
  void schedule();

  CpuWork& work_;
  cost::NodeCpu& cpu_;
  int core_;
  Fifo<Waiting> tasks_;
  bool scheduled_ = false;
  const EventTarget* picked_ = nullptr;  // the task whose turn on_event is running
};

}  // namespace ol::kernel
