#include "models/kernel/run_queue.h"

#include "models/cost/cpu.h"
#include "models/kernel/cpu_work.h"

namespace ol::kernel {

void RunQueue::enqueue(EventTarget* target, std::uint64_t cookie) {
  if (target == picked_) return tasks_.push_front({target, cookie});  // on_event schedules the next pick
  tasks_.push_back({target, cookie});
  if (!picked_) schedule();
}

void RunQueue::forget(const EventTarget* target) {
  tasks_.remove_if([target](const Waiting& w) { return w.target == target; });
}

// The pick runs when the core is free; the softirq pending on the core, whose process_backlog
// event is due at the same instant and queued earlier, runs before it.
void RunQueue::schedule() {
  if (scheduled_ || tasks_.empty()) return;
  scheduled_ = true;
  work_.sim.at(cpu_.free_at(core_), this);
}

// pick_next_task: the head of the queue runs its turn (it calls CpuWork::begin_process, which
// lets the picked task start). One that still cannot start queues again at the head.
void RunQueue::on_event(std::uint64_t) {
  scheduled_ = false;
  if (tasks_.empty()) return;
  if (cpu_.free_at(core_) > work_.sim.now()) return schedule();  // a softirq took the core meanwhile
  const Waiting next = tasks_.front();
  tasks_.pop_front();
  picked_ = next.target;
  next.target->on_event(next.cookie);
  picked_ = nullptr;
  schedule();
}

}  // namespace ol::kernel
