// One step of one packet, as the walk prints it and the GUI shows it. Recording is off unless a
// packet is sampled (Packet::traced), so untraced packets never build these strings.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/time.h"

namespace ol {

struct TraceEvent {
  Nanos time = 0;
  std::uint64_t packet = 0;  // packet id; a clone keeps its parent's id
  std::string node;
  std::string netns;
  std::string device;
  std::string function;  // the kernel function this step models, e.g. "fib_lookup"
  std::string table;     // the table consulted ("route", "neigh", "fdb", "vxlan fdb"), or empty
  std::string entry;     // the matched entry as ip/bridge print it, or empty
  std::string verdict;   // "forward", "deliver", "drop SKB_DROP_REASON_…", …
  std::string headers;   // the header stack at this point, outermost first
  std::uint32_t size = 0;  // bytes at this point
  std::string crossing;    // "kernel->user" or "user->kernel" for crossings, else empty
  std::vector<std::uint8_t> frame;  // the packet's bytes here, when the tracer captures frames (walks)
  bool frame_at_l3 = false;         // they start at the IP header (no Ethernet header at this point)
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void record(TraceEvent&& e) = 0;
};

class TraceLog final : public TraceSink {
 public:
  void record(TraceEvent&& e) override { events.push_back(std::move(e)); }
  std::vector<TraceEvent> events;
};

// One line of the walk: time, node/netns, device, function, table → entry, verdict, headers, size.
std::string format_trace_line(const TraceEvent& e);

}  // namespace ol
