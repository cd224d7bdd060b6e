// A UDP flow: the sender sends `size`-byte datagrams at a constant rate, or as fast as its core
// allows (flood); each carries its send time, so the receiving application measures one-way delay.
#pragma once
#include <cstdint>

#include "models/kernel/task.h"
#include "models/userspace/flow_stats.h"
#include "models/wire/addr.h"
#include "sim/event_queue.h"

namespace ol::kernel {
class Netns;
struct UdpSocket;
}  // namespace ol::kernel

namespace ol::traffic {

class UdpFlow final : public EventTarget {
 public:
  // rate_pps 0: flood.
  UdpFlow(kernel::Netns& src, kernel::Netns& dst, wire::Ipv4Addr dst_ip, std::uint16_t port, int size, double rate_pps,
          Nanos duration);
  void start(Nanos at);
  void on_event(std::uint64_t cookie) override;
  std::uint16_t flow = 0;  // booked to this flow in the CPU accounting
  int trace_first = 0;     // trace the first this many packets it sends (and their answers)
  Nanos timeline_bin = 100 * kNanosPerMilli;  // the width of FlowStats::timeline's bins
  Nanos end_time() const { return start_ + duration_ + kNanosPerSecond / 10; }
  const FlowStats& stats() const { return stats_; }

 private:
  enum Cookie : std::uint64_t { kSend, kRead };
  void send();
  void read();

  // What send() reads, then what read() reads: a packet of a flow at scale finds the flow cold,
  // so the fields it needs share as few cache lines as they can.
  kernel::Netns& src_;
  Nanos start_ = 0;
  Nanos duration_;
  std::uint64_t seq_ = 0;
  double rate_pps_;
  int size_;
  wire::Ipv4Addr dst_ip_;
  std::uint16_t port_;
  kernel::Task sender_;    // the sending application's thread
  kernel::Netns& dst_;
  kernel::UdpSocket* sock_ = nullptr;
  bool read_scheduled_ = false;
  kernel::Task receiver_;  // the receiving application's thread
  FlowStats stats_;
};

}  // namespace ol::traffic
