// An application thread on a node's core: each turn of its work (a system call and what the
// kernel does inside it) runs when the core is free, as World::begin_work arranges.
#pragma once
#include "models/kernel/cpu_work.h"
#include "models/kernel/netns.h"
#include "models/kernel/world.h"
#include "sim/event_queue.h"

namespace ol::traffic {

// Starts a turn of `task`'s work for `target` on `ns`'s node (`woken`: the task slept before it);
// when its core is busy, `target` gets `cookie` again when its turn comes (CpuWork::begin_turn)
// and this returns false.
inline bool begin_app_work(kernel::Netns& ns, kernel::Task& task, bool woken, EventTarget* target, std::uint64_t cookie) {
  using Turn = kernel::CpuWork::Turn;
  const Turn turn = ns.work.begin_turn(ns.cpu, task, woken, target, cookie);
  if (turn == Turn::Retry) ns.work.sim.at(ns.work.process_ready_at(*ns.cpu, task, woken), target, cookie);
  return turn == Turn::Started;
}

}  // namespace ol::traffic
