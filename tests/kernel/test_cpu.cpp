// Where a process's next turn runs (NodeCpu::process_core): pinned on a cluster node's own cores;
// on the lab's shared machine, as select_task_rq_fair places a waking task.
#include <catch2/catch.hpp>

#include "models/cost/cpu.h"

using namespace ol;

TEST_CASE("lab machine: a process that never slept keeps its core, a woken one takes its last core if idle, else an idle one but not the waker's") {
  cost::NodeCpu lab("this machine", 3);
  lab.shared = true;
  lab.occupy(0, 0, 1000);  // core 0 busy until t = 1000 ns
  const Nanos now = 500;
  CHECK(lab.process_core(0, -1, false, now) == 0);  // a flood's sender: waits for its own core
  CHECK(lab.process_core(0, -1, true, now) == 1);   // woken, its core busy: the first idle one
  CHECK(lab.process_core(2, -1, true, now) == 2);   // woken, its core idle: stays
  CHECK(lab.process_core(1, 1, true, now) == 2);    // core 1 runs the waker: not idle for it
  CHECK(lab.process_core(7, -1, true, now) == 1);   // a node's own core number past the machine's
  lab.occupy(1, 0, 800);
  lab.occupy(2, 0, 900);
  CHECK(lab.process_core(2, -1, true, now) == 1);  // none idle: the core free first
}

TEST_CASE("cluster node: each process runs on its own core, busy or not") {
  cost::NodeCpu node("node-1", 4);
  node.occupy(3, 0, 1000);
  CHECK(node.process_core(3, -1, true, 500) == 3);
  CHECK(node.process_core(3, 0, false, 500) == 3);
}
