// A process's thread as the scheduler sees it: the core it last ran on (task_cpu), when its last
// turn ended, and, while a wake-up is pending, the core that woke it (CpuWork::wake_up). Where its
// next turn runs is NodeCpu::process_core's choice.
#pragma once

#include "sim/time.h"

namespace ol::kernel {

struct Task {
  int core = 0;
  int waker = -1;      // the waker's core: busy running the waker, so no idle choice (wake_affine)
  Nanos ran_until = 0;  // woken before this, it had not slept yet: it goes on where it runs
  bool ipi = false;     // woken onto another, idle core by an IPI: its next turn starts with sched_ttwu_pending
};

}  // namespace ol::kernel
