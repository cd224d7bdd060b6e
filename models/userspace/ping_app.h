// ping: echo requests every `interval`, RTT per echo from the reply's arrival at the socket.
#pragma once
#include <vector>

#include "models/kernel/task.h"
#include "models/userspace/flow_stats.h"
#include "models/wire/addr.h"
#include "sim/event_queue.h"

namespace ol::kernel {
class Netns;
struct PingSocket;
}  // namespace ol::kernel

namespace ol::traffic {

class PingApp final : public EventTarget {
 public:
  PingApp(kernel::Netns& ns, wire::Ipv4Addr dst, std::uint16_t id, int count, Nanos interval, int size);
  void start(Nanos at);
  void on_event(std::uint64_t cookie) override;
  std::uint16_t flow = 0;  // booked to this flow in the CPU accounting
  int trace_first = 0;     // trace the first this many packets it sends (and their answers)
  Nanos timeline_bin = 100 * kNanosPerMilli;  // the width of FlowStats::timeline's bins
  // Matches replies to requests; call once the run is over.
  const FlowStats& finish();
  Nanos end_time() const;  // when the last reply can still count (last send + 1 s)

 private:
  kernel::Netns& ns_;
  wire::Ipv4Addr dst_;
  std::uint16_t id_;
  int count_;
  Nanos interval_;
  int size_;
  Nanos start_ = 0;
  int sent_ = 0;
  std::vector<Nanos> sent_at_;
  kernel::PingSocket* sock_ = nullptr;
  kernel::Task task_;
  FlowStats stats_;
};

}  // namespace ol::traffic
