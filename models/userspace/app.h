// An application thread on a node's core: each turn of its work (a system call and what the
// kernel does inside it) runs when the core is free, as World::begin_work arranges.
#pragma once
#include "models/kernel/cpu_work.h"
#include "models/kernel/netns.h"
#include "models/kernel/world.h"
#include "sim/event_queue.h"

namespace ol::traffic {

// Starts a piece of work for `target` on `core` of `ns`'s node; when the core is busy, schedules
// `target` again for when it is free and returns false.
inline bool begin_app_work(kernel::Netns& ns, int core, EventTarget* target, std::uint64_t cookie) {
  if (ns.work.begin_process(ns.cpu, core)) return true;
  ns.work.sim.at(kernel::CpuWork::process_ready_at(*ns.cpu, core), target, cookie);
  return false;
}

}  // namespace ol::traffic
