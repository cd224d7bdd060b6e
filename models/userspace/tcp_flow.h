// A TCP bulk transfer as Linux runs one, in part (CUBIC with HyStart, RFC 6675 SACK-based loss
// recovery), with Linux's defaults on the wire:
// - the three-way handshake (tcp_connect, tcp_v4_conn_request, tcp_rcv_synsent_state_process):
//   the SYN offers MSS, SACK-permitted, a timestamp and window scale 7, in tcp_options_write's
//   order; its window is the largest multiple of the MSS below 65,535; a lost SYN is sent again
//   after 1 s, then 2, 4, … (TCP_TIMEOUT_INIT, tcp_syn_retries = 6); the SYN's round trip seeds
//   SRTT; data begins with the handshake's last ACK;
// - timestamps on every segment (RFC 7323: TSval a 1 ms clock plus a per-connection offset,
//   TSecr the peer's latest), so a segment carries 1448 bytes on a 1500-byte MTU, not 1460;
// - the MSS the smaller of the two ends' offers, less the timestamp's 12 bytes; the window
//   counted in segments; slow start from 10 segments, CUBIC's growth while the window (not the
//   receiver's, not the data) is what limits the sender; ACK clocking; the receiver's window ends
//   rwnd past snd_una;
// - SACK: the receiver's duplicate ACKs carry up to three blocks of what it holds past a hole
//   (the newest first); the sender keeps a scoreboard, and three duplicate ACKs or more than two
//   segments SACKed above a hole start recovery: ssthresh = cwnd = 70 % of cwnd, the lost holes
//   (and only they) are sent again one MSS each, paced by the pipe (what is still in the network),
//   until everything sent before recovery is acknowledged;
// - a retransmission timer (RTO from SRTT/RTTVAR, at least 200 ms, doubling on each expiry) that
//   goes back to snd_una and resends what was not SACKed; a retransmission that is itself lost
//   waits for it (Linux's RACK would notice sooner);
// - the receiver ACKs every second segment, every one in quick-ACK mode (its first 16 ACKs, and
//   after a long silence), at once when something is out of order, and a lone segment after the
//   delayed-ACK timeout (40 ms, adapting to the arrivals); it advertises its free receive buffer,
//   and its application reads whenever woken; the buffer autotunes (tcp_rcv_space_adjust) from
//   tcp_rmem's default to about twice what the reader took per round trip, at most tcp_rmem's max,
//   its first measure the first window Linux would offer (10 segments; 2 at a 9000-byte MTU);
// - with GSO on the first-hop device the sender hands bursts of up to 64 KiB to the stack, and
//   holds back a short one while an ACK is due to make it whole (tcp_tso_should_defer).
// - TCP small queues: a packet is charged to the socket until it is orphaned (the next namespace's
//   ip_rcv, a TUN, or freed); the sender stops while more than about 1 ms at its pacing rate
//   (at least two packets, at most tcp_limit_output_bytes) is charged, and goes on when one of its
//   packets is freed.
// Left out: teardown, Nagle, RACK-TLP, PRR, pacing itself, tcp_grow_window's rcv_ssthresh and ECN.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>

#include "models/kernel/packet.h"
#include "models/kernel/task.h"
#include "models/userspace/flow_stats.h"
#include "models/userspace/seq_ranges.h"
#include "models/userspace/tcp_cubic.h"
#include "models/wire/addr.h"
#include "models/wire/tcp_options.h"
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
  ~TcpFlow();
  TcpFlow(const TcpFlow&) = delete;
  TcpFlow& operator=(const TcpFlow&) = delete;
  void start(Nanos at);
  void on_event(std::uint64_t cookie) override;
  std::uint16_t flow = 0;  // booked to this flow in the CPU accounting
  int trace_first = 0;     // trace the first this many packets it sends (and their answers)
  Nanos timeline_bin = 100 * kNanosPerMilli;  // the width of FlowStats::timeline's bins
  Nanos end_time() const { return start_ + duration_ + kNanosPerSecond / 2; }
  const FlowStats& stats() const { return stats_; }
  std::uint32_t mss() const { return mss_; }

  static constexpr std::uint32_t kRcvBuf = 6 * 1024 * 1024;  // tcp_rmem's maximum
  static constexpr std::uint32_t kRcvBufDefault = 131072;    // tcp_rmem's default: a socket's first buffer
  // The client receives nothing but ACKs, so its buffer never grows: it advertises the first
  // window, tcp_win_from_space(tcp_rmem[1]), scaled by 2^7.
  static constexpr std::uint16_t kClientWindow = (kRcvBufDefault / 2) >> 7;
  static constexpr std::uint32_t kGsoMax = 65536;

 private:
  enum Cookie : std::uint64_t { kAppStart, kRto, kAppRead, kSynRetry, kTsqWake, kTsqRun, kDelack };
  enum class State : std::uint8_t { Closed, SynSent, SynRecv, Established };
  // handshake
  void tcp_connect();
  void send_syn();
  void on_syn_retry();
  void on_synack(kernel::PacketPtr p);
  void on_syn(kernel::PacketPtr p);
  bool send_control(kernel::Netns& from, wire::Ipv4Addr dst, std::uint16_t sport, std::uint16_t dport,
                    std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, std::uint16_t window, const wire::TcpOptions& o,
                    bool traced);
  // sender
  void tcp_write_xmit();
  void send_segment(std::uint32_t seq, std::uint32_t len, bool retransmit);
  void on_client_segment(kernel::PacketPtr p);
  void on_ack(kernel::PacketPtr p);
  void arm_rto();
  void on_rto();
  std::uint32_t in_flight() const { return snd_nxt_ - snd_una_; }
  // SACK (the sender's side)
  std::uint64_t offset(std::uint32_t seq) const { return una_off_ + std::int64_t(std::int32_t(seq - snd_una_)); }
  std::uint32_t pipe() const;
  std::uint64_t lost_below() const;
  std::optional<SeqRanges::Range> next_lost() const;
  void retransmit_hole(const SeqRanges::Range& hole);
  void sack_tag(const wire::TcpOptions& o);
  void enter_recovery();
  // receiver
  void on_server_segment(kernel::PacketPtr p);
  void on_data(kernel::PacketPtr p);
  void send_ack();
  void tcp_event_data_recv(Nanos now);
  void tcp_send_delayed_ack(Nanos now);
  void tcp_delack_timer();
  void sack_blocks(wire::TcpOptions& o) const;
  std::uint32_t rcv_nxt() const { return rcv_base_ + std::uint32_t(rcv_off_); }
  void app_read();

  kernel::Netns& client_;
  kernel::Netns& server_;
  wire::Ipv4Addr server_ip_, client_ip_;
  std::uint16_t port_, sport_;
  Nanos duration_;
  bool gso_;
  Nanos start_ = 0;
  kernel::Task client_task_, server_task_;  // the sending and the reading application's threads
  std::uint32_t mss_ = 1448;  // payload per segment, after the timestamp option
  std::uint32_t advmss_ = 1460;  // what this end's route allows (MTU - 40), offered in its SYN

  // The handshake. Timestamps count milliseconds from each end's own offset.
  State client_state_ = State::Closed, server_state_ = State::Closed;
  std::uint32_t iss_ = 0, server_iss_ = 0;  // initial sequence numbers (secure_tcp_seq)
  std::uint32_t client_rcv_nxt_ = 0;        // the server's ISN + 1: what the client's segments ACK
  std::uint32_t ts_off_ = 0, server_ts_off_ = 0;
  std::uint32_t ts_recent_ = 0, server_ts_recent_ = 0;  // the peer's latest TSval, echoed as TSecr
  Nanos syn_sent_at_ = 0, syn_rto_ = kNanosPerSecond;  // TCP_TIMEOUT_INIT: the SYN's first timeout
  int syn_retries_ = 0;
  bool syn_traced_ = false;

  std::uint32_t snd_una_ = 0, snd_nxt_ = 0, snd_max_ = 0, rwnd_ = kRcvBuf;
  // Congestion control, in segments as the kernel counts it.
  std::uint32_t snd_cwnd_ = 0, snd_ssthresh_ = 0x7fffffff, snd_cwnd_cnt_ = 0;
  bool cwnd_limited_ = false;
  Cubic cc_;
  std::uint32_t cwnd_bytes() const { return snd_cwnd_ * mss_; }
  std::uint32_t hystart_ack_delay_us() const;
  std::uint64_t pacing_rate() const;
  bool tcp_small_queue_check(std::uint32_t len, int factor);
  std::uint32_t sk_ = 0;  // the client socket's write-memory account (TCP small queues)
  bool tsq_scheduled_ = false;
  bool tso_should_defer(std::uint32_t len, std::uint32_t burst) const;
  std::uint32_t recover_ = 0;
  std::uint64_t una_off_ = 0;     // snd_una as an offset from the first data byte
  SeqRanges sacked_;              // the scoreboard: offsets the receiver SACKed above snd_una
  std::uint64_t rexmit_off_ = 0;  // recovery has sent the lost holes below this again
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

  std::uint32_t rcv_base_ = 0;  // the client's ISN + 1: offset 0 of the stream
  std::int64_t rcv_off_ = 0;    // rcv_nxt, as an offset from rcv_base_
  SeqRanges ooo_;               // out-of-order data held (offsets): what the SACK blocks report
  std::uint64_t last_ooo_ = 0;  // the start of the range the latest out-of-order segment joined
  std::uint32_t unacked_segs_ = 0;
  std::uint32_t quick_ = 0;  // quick-ACK mode: ACKs still to send at once
  Nanos ato_ = 0, lrcvtime_ = 0, delack_at_ = 0;
  bool delack_armed_ = false;
  std::uint32_t unread_ = 0;
  bool read_scheduled_ = false;
  // Receive-buffer autotuning (tcp_rcv_space_adjust): the buffer starts at tcp_rmem's default and
  // grows, once a round trip, to about twice what the reader took in the last one, so a bulk flow
  // is offered about two round trips' worth of window, not the whole 6 MiB.
  struct RcvqSpace {
    std::uint64_t space = 0, seq = 0;  // bytes read in the last measured round trip; copied_ then
    Nanos time = -1;                    // when that measurement began (-1: not yet)
  };
  std::uint32_t rcvbuf_ = kRcvBufDefault;
  RcvqSpace rcvq_space_;
  std::uint64_t copied_ = 0;  // bytes the reader has taken (copied_seq)
  void tcp_rcv_space_adjust(Nanos now);
  std::uint32_t rcv_window_space() const { return rcvbuf_ / 2; }  // tcp_win_from_space: about half is payload
  std::uint32_t initial_rcv_wnd() const;
  // The window last advertised: from rcv_wup (rcv_nxt then, as an offset) for rcv_wnd bytes.
  std::int64_t rcv_wup_off_ = 0;
  std::uint32_t rcv_wnd_ = 0;
  std::uint32_t tcp_receive_window() const {
    const std::int64_t w = rcv_wup_off_ + std::int64_t(rcv_wnd_) - rcv_off_;
    return w > 0 ? std::uint32_t(w) : 0;
  }
  std::uint32_t free_window() const;
  void tcp_cleanup_rbuf(std::uint32_t copied);
  int traced_acks_ = 0;
  FlowStats stats_;
};

}  // namespace ol::traffic
