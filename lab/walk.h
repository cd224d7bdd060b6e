// One packet's walk from a pod to another: an ICMP echo request, traced through every step, with
// what a student asks afterwards: how many times did it cross between kernel and user space on
// the nodes, how many bytes did encapsulation add on the wire, and did it arrive (if not, where
// and why it stopped).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lab/session.h"
#include "models/kernel/trace_event.h"

namespace ol::cluster {

struct WalkOptions {
  std::string from, to;       // pod names
  std::optional<Nanos> at;    // when to send; absent: once the control plane has settled
  int size = 56;              // ICMP data bytes
  Nanos patience = 4 * kNanosPerSecond;  // how long to wait for the answer (ARP gives up after 3 probes a second apart)
  // What if: iproute2/bridge commands ("ip -n node-1 neigh del 10.244.2.0 dev flannel.1") applied
  // once the control plane has settled, just before the send; the packet then stops where the
  // kernel would stop it, with its drop reason.
  std::vector<std::string> edits;
  bool frames = false;  // each step keeps the packet's bytes (TraceEvent::frame) for a frame view
  // Called at each step as it happens, with the world in the state that step saw (the GUI takes
  // the consulted table's snapshot here).
  std::function<void(const TraceEvent&, const kernel::World&)> on_step;
};

struct WalkResult {
  std::string from_pod, to_pod, from_node, to_node;
  Nanos sent_at = 0;
  wire::Ipv4Addr src, dst;
  std::vector<TraceEvent> steps;   // the request, then the reply or the error that came back
  std::size_t request_steps = 0;   // steps[0, request_steps) are the one-way request
  int crossings = 0;               // kernel/user crossings of the request on the nodes
  std::vector<std::string> crossing_functions;
  int inner_bytes = 0;             // the request's IP packet as the pod sent it
  int wire_bytes = 0;              // its IP packet on the sending node's underlay NIC (0: never got there)
  bool delivered = false;          // the echo reply came back
  std::string outcome;             // "echo reply from …" or where and why it stopped
  int overhead() const { return wire_bytes ? wire_bytes - inner_bytes : 0; }
};

// Step i builds or strips a header: its stack differs from that of its packet's previous step, or
// it is the packet's first step. `event(steps[j])` gives a step's TraceEvent.
template <class Steps, class Event>
bool stack_changes_at(const Steps& steps, std::size_t i, Event event) {
  const TraceEvent& e = event(steps[i]);
  for (std::size_t j = i; j-- > 0;)
    if (event(steps[j]).packet == e.packet) return event(steps[j]).headers != e.headers;
  return true;
}

// Applies what-if edits to a session now (throws std::invalid_argument as walk() does for them).
void apply_edits(Session& s, const std::vector<std::string>& edits);

// Throws std::invalid_argument naming the unknown pod, a pod without an address, or an edit that
// does not parse or that the kernel refuses (deleting an entry that is not there).
WalkResult walk(Session& s, const WalkOptions& o);

}  // namespace ol::cluster
