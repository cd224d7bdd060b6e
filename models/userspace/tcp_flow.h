// A TCP bulk transfer, simplified but honest (RFC 5681 Reno with NewReno recovery):
// - MSS from the route MTU (MTU − 40); the window counted in bytes; slow start from 10 segments,
//   congestion avoidance above ssthresh; ACK clocking;
// - loss detection by three duplicate ACKs (fast retransmit, fast recovery) and a retransmission
//   timer (RTO from SRTT/RTTVAR, at least 200 ms, doubling on each expiry);
// - the receiver ACKs every second segment (or at once when out of order), advertises its free
//   receive buffer, and its application reads whenever woken;
// - with GSO on the first-hop device the sender hands bursts of up to 64 KiB to the stack.
// Left out: the handshake and teardown, SACK, timestamps, window scaling negotiation, Nagle,
// delayed-ACK timers, pacing, CUBIC (Linux's default) and ECN.
#pragma once
#include <cstdint>
#include <deque>
#include <map>

#include "models/kernel/packet.h"
#include "models/userspace/flow_stats.h"
#include "models/wire/addr.h"
#include "sim/event_queue.h"

namespace ol::kernel {
class Netns;
class Device;
}  // namespace ol::kernel

namespace ol::traffic {

class TcpFlow final : public EventTarget {
 public:
  TcpFlow(kernel::Netns& client, kernel::Netns& server, wire::Ipv4Addr server_ip, std::uint16_t port, Nanos duration,
          bool gso);
  void start(Nanos at);
  void on_event(std::uint64_t cookie) override;
  std::uint16_t flow = 0;  // booked to this flow in the CPU accounting
  int trace_first = 0;     // trace the first this many packets it sends (and their answers)
  Nanos timeline_bin = 100 * kNanosPerMilli;  // the width of FlowStats::timeline's bins
  Nanos end_time() const { return start_ + duration_ + kNanosPerSecond / 2; }
  const FlowStats& stats() const { return stats_; }
  std::uint32_t mss() const { return mss_; }

  static constexpr std::uint32_t kRcvBuf = 6 * 1024 * 1024;  // tcp_rmem's maximum
  static constexpr std::uint32_t kGsoMax = 65536;

 private:
  enum Cookie : std::uint64_t { kAppStart, kRto, kAppRead };
  // sender
  void tcp_write_xmit();
  void send_segment(std::uint32_t seq, std::uint32_t len, bool retransmit);
  void on_ack(kernel::PacketPtr p);
  void arm_rto();
  void on_rto();
  std::uint32_t in_flight() const { return snd_nxt_ - snd_una_; }
  // receiver
  void on_data(kernel::PacketPtr p);
  void send_ack();
  void app_read();

  kernel::Netns& client_;
  kernel::Netns& server_;
  wire::Ipv4Addr server_ip_, client_ip_;
  std::uint16_t port_, sport_;
  Nanos duration_;
  bool gso_;
  Nanos start_ = 0;
  std::uint32_t mss_ = 1460;

  std::uint32_t snd_una_ = 0, snd_nxt_ = 0, snd_max_ = 0, cwnd_ = 0, ssthresh_ = 0x7fffffff, rwnd_ = kRcvBuf;
  std::uint32_t recover_ = 0;
  bool in_recovery_ = false;
  int dupacks_ = 0;
  Nanos srtt_ = 0, rttvar_ = 0, rto_ = kNanosPerSecond;
  Nanos rto_deadline_ = 0;
  bool rto_armed_ = false;
  struct Sent {
    std::uint32_t end;
    Nanos at;
    bool retransmitted;
  };
  std::deque<Sent> sent_;

  std::uint32_t rcv_nxt_ = 0;
  std::map<std::uint32_t, std::uint32_t> ooo_;  // out-of-order segments: seq → end
  std::uint32_t unacked_segs_ = 0;
  std::uint32_t unread_ = 0;
  bool read_scheduled_ = false;
  int traced_acks_ = 0;
  FlowStats stats_;
};

}  // namespace ol::traffic
