#include "models/userspace/tcp_flow.h"

#include <algorithm>
#include <cstring>

#include "models/kernel/device.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"
#include "models/kernel/sockets.h"
#include "models/kernel/world.h"
#include "models/userspace/app.h"
#include "models/wire/bytes.h"
#include "models/wire/ipv4.h"
#include "models/wire/tcp.h"
#include "models/kernel/packet.h"

namespace ol::traffic {

namespace {

bool before(std::uint32_t a, std::uint32_t b) { return std::int32_t(a - b) < 0; }
bool after(std::uint32_t a, std::uint32_t b) { return before(b, a); }

constexpr Nanos kRtoMin = 200 * kNanosPerMilli;  // TCP_RTO_MIN
constexpr Nanos kRtoMax = 120 * kNanosPerSecond;  // TCP_RTO_MAX
constexpr int kSynRetries = 6;                    // net.ipv4.tcp_syn_retries
constexpr int kWindowShift = 7;                   // the window scale Linux offers for a 6 MiB buffer
constexpr std::uint32_t kTsLen = 12;              // NOP NOP TS on every segment after the SYNs
constexpr std::uint32_t kHeader = wire::TcpRepr::kLen + kTsLen;
constexpr std::uint16_t kDefaultMss = 536;        // TCP_MSS_DEFAULT: a SYN without the option
constexpr Nanos kAtoMin = 40 * kNanosPerMilli;    // TCP_ATO_MIN = TCP_DELACK_MIN: HZ / 25
constexpr std::uint32_t kMaxQuickAcks = 16;       // TCP_MAX_QUICKACKS
// net.ipv4.tcp_limit_output_bytes: 4 MiB on the kernels this was checked against (6.x; Debian
// 12's 6.1 has 1 MiB).
constexpr std::uint64_t kLimitOutputBytes = 4 << 20;

// A TCP packet's truesize: its payload in page fragments plus the head tcp_stream_alloc_skb
// allocates (MAX_TCP_HEADER, skb_shared_info and the fclone pair of sk_buffs: about 1 KiB).
std::uint32_t tcp_truesize(std::uint32_t payload) { return payload + 1024; }

struct Seg {
  std::uint32_t seq, ack, len;
  std::uint16_t window;
  std::uint8_t flags;
  wire::Ipv4Addr src;
  wire::TcpOptions opts;
};

// A segment tcp_v4_rcv handed over: its IPv4 and TCP headers were checked on the way in.
Seg parse(const kernel::Packet& p) {
  const auto ip = kernel::ip_hdr(p);
  const auto tcp = wire::TcpView::new_unchecked(ip.payload());
  const std::size_t hl = tcp.header_len();
  return {tcp.seq_number(),
          tcp.ack_number(),
          std::uint32_t(ip.payload().size() - hl),
          tcp.window_len(),
          tcp.flags(),
          ip.src_addr(),
          wire::TcpOptions::parse(ip.payload().subspan(wire::tcp::kHeaderLen, hl - wire::tcp::kHeaderLen)).value_or(wire::TcpOptions{})};
}

// secure_tcp_seq and secure_tcp_ts_off stand-ins: the kernel hashes the addresses (and ports)
// with a boot-time secret; here a fixed mix, so that a scenario's packets are the same every run.
std::uint32_t mix32(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return std::uint32_t(x ^ (x >> 31));
}

std::uint32_t tcp_time_stamp(Nanos now, std::uint32_t offset) { return std::uint32_t(now / kNanosPerMilli) + offset; }

// tcp_select_initial_window: a SYN's window is the largest multiple of the MSS below 65,535.
std::uint16_t syn_window(std::uint32_t mss) { return std::uint16_t(65535 / mss * mss); }

}  // namespace

TcpFlow::TcpFlow(kernel::Netns& client, kernel::Netns& server, wire::Ipv4Addr server_ip, std::uint16_t port, Nanos duration,
                 bool gso)
    : client_(client), server_(server), server_ip_(server_ip), port_(port), sport_(std::uint16_t(33000 + port % 20000)),
      duration_(duration), gso_(gso) {
  server_.sockets.tcp_listen(port_, [this](kernel::Device&, kernel::PacketPtr p) { on_server_segment(std::move(p)); });
  client_.sockets.tcp_listen(sport_, [this](kernel::Device&, kernel::PacketPtr p) { on_client_segment(std::move(p)); });
  sk_ = client_.pool.wmem.open(this, kTsqWake);
}

TcpFlow::~TcpFlow() { client_.pool.wmem.close(sk_); }

void TcpFlow::start(Nanos at) {
  start_ = at;
  stats_.timeline.bin = timeline_bin;
  stats_.timeline.reserve(at + duration_ + kNanosPerSecond);
  client_.work.sim.at(at, this, kAppStart);
}

void TcpFlow::on_event(std::uint64_t cookie) {
  if (cookie == kAppRead) return app_read();
  if (cookie == kDelack) return tcp_delack_timer();
  if (cookie == kSynRetry) return on_syn_retry();
  if (cookie == kTsqWake) {  // tcp_wfree: called as a packet is freed; the handler runs after
    if (!tsq_scheduled_) client_.work.sim.at(client_.work.sim.now(), this, kTsqRun);
    tsq_scheduled_ = true;
    return;
  }
  if (cookie == kTsqRun) {  // tcp_tsq_handler: the sender goes on where TSQ stopped it
    if (!begin_app_work(client_, client_task_, true, this, kTsqRun)) return;
    tsq_scheduled_ = false;
    client_.work.set_flow(flow);
    tcp_write_xmit();
    client_.work.end();
    return;
  }
  if (cookie == kRto) {  // a timer in softirq context; its little work is not charged
    if (!rto_armed_) return;
    if (client_.work.sim.now() < rto_deadline_) {  // pushed back by ACKs since it was set
      client_.work.sim.at(rto_deadline_, this, kRto);
      return;
    }
    rto_armed_ = false;
    client_.work.begin(nullptr, 0);
    on_rto();
    client_.work.end();
    return;
  }
  if (!begin_app_work(client_, client_task_, true, this, cookie)) return;
  client_.work.set_flow(flow);
  tcp_connect();
  client_.work.end();
}

// connect(): the route gives the source address and the MSS to offer; the SYN goes out.
void TcpFlow::tcp_connect() {
  auto rt = kernel::ip_route_output(client_, server_ip_);
  if (!rt) return;  // ENETUNREACH: no connection, nothing sent
  client_ip_ = rt->src;
  advmss_ = std::uint32_t(rt->mtu) - 40;
  gso_ = gso_ && rt->dev->gso;  // sk_can_gso: the route's device takes bursts
  const std::uint64_t addrs = std::uint64_t(client_ip_.v) << 32 | server_ip_.v;
  iss_ = mix32(addrs ^ (std::uint64_t(sport_) << 16 | port_));
  ts_off_ = mix32(addrs);
  client_.work.charge(cost::Step::Syscall, 0);
  client_state_ = State::SynSent;
  send_syn();
}

void TcpFlow::send_syn() {
  const Nanos now = client_.work.now();
  wire::TcpOptions o;
  o.mss = std::uint16_t(advmss_);
  o.sack_permitted = true;
  o.timestamp = wire::TcpTimestamp{tcp_time_stamp(now, ts_off_), 0};
  o.wscale = kWindowShift;
  syn_sent_at_ = now;
  syn_traced_ = trace_first > 0;
  send_control(client_, server_ip_, sport_, port_, iss_, 0, wire::tcp::kSyn, syn_window(advmss_), o, syn_traced_);
  client_.work.sim.at(now + syn_rto_, this, kSynRetry);
}

// tcp_retransmit_timer in SYN_SENT: the SYN again, the timeout doubled, until tcp_syn_retries.
void TcpFlow::on_syn_retry() {
  if (client_state_ != State::SynSent || client_.work.sim.now() < syn_sent_at_ + syn_rto_) return;
  if (++syn_retries_ > kSynRetries) {  // connect() fails with ETIMEDOUT
    client_state_ = State::Closed;
    return;
  }
  syn_rto_ *= 2;
  client_.work.begin(nullptr, 0);
  send_syn();
  client_.work.end();
}

// tcp_update_pacing_rate: cwnd * mss / srtt, doubled in slow start, +20 % after (bytes/s; 0
// before the first RTT sample). Nothing is paced by it here: TSQ and HyStart read it.
std::uint64_t TcpFlow::pacing_rate() const {
  if (srtt_ <= 0) return 0;
  const std::uint64_t ratio = snd_cwnd_ < snd_ssthresh_ / 2 ? 200 : 120;  // tcp_pacing_ss_ratio, tcp_pacing_ca_ratio
  return std::uint64_t(mss_) * snd_cwnd_ * ratio * std::uint64_t(kNanosPerSecond) / 100 / std::uint64_t(srtt_);
}

// hystart_ack_delay: a cushion for TSO/GRO batching, 4 GSO bursts at the pacing rate, at most 1 ms.
std::uint32_t TcpFlow::hystart_ack_delay_us() const {
  const std::uint64_t rate = pacing_rate();
  if (!rate) return 0;
  return std::uint32_t(std::min<std::uint64_t>(1000, std::uint64_t(kGsoMax) * 4 * 1000000 / rate));
}

// tcp_small_queue_check: no more below the socket than about 1 ms at the pacing rate (at least two
// packets, at most tcp_limit_output_bytes; twice that for a retransmission), unless at most one
// packet is unacknowledged. A throttled flow goes on when a packet of its own is freed.
bool TcpFlow::tcp_small_queue_check(std::uint32_t len, int factor) {
  kernel::SockWmem& wm = client_.pool.wmem;
  std::uint64_t limit = std::max<std::uint64_t>(2ull * tcp_truesize(len), pacing_rate() >> 10);  // sk_pacing_shift 10
  limit = std::min<std::uint64_t>(limit, kLimitOutputBytes) << factor;
  if (wm.wmem_alloc(sk_) <= limit || sent_.size() <= 1) return false;
  wm.throttle(sk_);
  ++stats_.tsq_throttled;
  return true;
}

// A segment without data (SYN, SYN-ACK, an ACK) with its options; false when there is no route.
bool TcpFlow::send_control(kernel::Netns& from, wire::Ipv4Addr dst, std::uint16_t sport, std::uint16_t dport,
                           std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, std::uint16_t window,
                           const wire::TcpOptions& o, bool traced) {
  kernel::World& w = from.world;
  auto rt = kernel::ip_route_output(from, dst);
  if (!rt) return false;
  const std::uint32_t hl = std::uint32_t(wire::TcpRepr::kLen + o.len());
  kernel::PacketPtr p = w.pool.get(wire::Ipv4Repr::kLen + hl);
  p->id = w.pool.new_packet_id();
  p->traced = traced;
  p->flow = flow;
  std::uint8_t* d = p->put(hl);
  wire::TcpRepr{sport, dport, seq, ack, std::uint8_t(hl / 4), flags, window, 0, 0}.emit(wire::MutBytes(d, wire::TcpRepr::kLen));
  o.emit(wire::MutBytes(d + wire::TcpRepr::kLen, hl - wire::TcpRepr::kLen));
  kernel::ip_push_header(from, *p, rt->src, dst, std::uint8_t(wire::IpProto::Tcp), std::uint8_t(from.default_ttl), true);
  kernel::ip_local_out(from, std::move(p), *rt);
  return true;
}

// tcp_v4_conn_request: a SYN to the listening port is answered with a SYN-ACK carrying this end's
// own MSS, timestamp and window scale (SACK and scaling only where the SYN offered them). A SYN
// sent again is answered again (inet_rtx_syn_ack).
void TcpFlow::on_syn(kernel::PacketPtr p) {
  const Seg s = parse(*p);
  const bool traced = p->traced;
  p.reset();
  if (server_state_ == State::Established) return;  // an old duplicate
  auto rt = kernel::ip_route_output(server_, s.src);
  if (!rt) return;
  client_ip_ = s.src;
  rcv_base_ = s.seq + 1;
  rcv_off_ = 0;
  if (s.opts.timestamp) server_ts_recent_ = s.opts.timestamp->val;
  const std::uint32_t advmss = std::uint32_t(rt->mtu) - 40;
  const std::uint64_t addrs = std::uint64_t(server_ip_.v) << 32 | client_ip_.v;
  server_iss_ = mix32(addrs ^ (std::uint64_t(port_) << 16 | sport_));
  server_ts_off_ = mix32(addrs);
  server_state_ = State::SynRecv;
  wire::TcpOptions o;
  o.mss = std::uint16_t(advmss);
  o.sack_permitted = s.opts.sack_permitted;
  if (s.opts.timestamp) o.timestamp = wire::TcpTimestamp{tcp_time_stamp(server_.work.now(), server_ts_off_), server_ts_recent_};
  if (s.opts.wscale) o.wscale = kWindowShift;
  // tcp_openreq_init_rwin: the window's MSS is net of the timestamp the connection will carry.
  send_control(server_, client_ip_, port_, sport_, server_iss_, rcv_nxt(), wire::tcp::kSyn | wire::tcp::kAck,
               syn_window(advmss - (o.timestamp ? kTsLen : 0)), o, traced);
}

// tcp_rcv_synsent_state_process: the SYN-ACK for our SYN fixes the MSS, gives the first RTT
// sample (not from a SYN sent twice: Karn), and is acknowledged; then the data may flow.
void TcpFlow::on_synack(kernel::PacketPtr p) {
  const Seg s = parse(*p);
  const bool traced = p->traced;
  p.reset();
  const std::uint8_t synack = wire::tcp::kSyn | wire::tcp::kAck;
  if ((s.flags & synack) != synack || s.ack != iss_ + 1) return;
  const Nanos now = client_.work.now();
  client_rcv_nxt_ = s.seq + 1;
  if (s.opts.timestamp) ts_recent_ = s.opts.timestamp->val;
  mss_ = std::min<std::uint32_t>(advmss_, s.opts.mss.value_or(kDefaultMss)) - (s.opts.timestamp ? kTsLen : 0);
  rwnd_ = s.window;  // a SYN's window is never scaled
  if (syn_retries_ == 0) {
    srtt_ = now - syn_sent_at_;
    rttvar_ = srtt_ / 2;
    rto_ = std::clamp(srtt_ + 4 * rttvar_, kRtoMin, kRtoMax);
  }
  snd_una_ = snd_nxt_ = snd_max_ = iss_ + 1;
  una_off_ = 0;
  snd_cwnd_ = 10;  // TCP_INIT_CWND
  cc_.reset(now, snd_nxt_);
  client_state_ = State::Established;
  wire::TcpOptions o;
  o.timestamp = wire::TcpTimestamp{tcp_time_stamp(now, ts_off_), ts_recent_};
  send_control(client_, server_ip_, sport_, port_, snd_nxt_, client_rcv_nxt_, wire::tcp::kAck,
               kClientWindow, o, traced);
  tcp_write_xmit();
}

void TcpFlow::on_client_segment(kernel::PacketPtr p) {
  if (client_state_ == State::SynSent) return on_synack(std::move(p));
  if (client_state_ == State::Established) on_ack(std::move(p));
}

void TcpFlow::on_server_segment(kernel::PacketPtr p) {
  const auto tcp = wire::TcpView::new_unchecked(kernel::ip_hdr(*p).payload());
  if (tcp.flags() & wire::tcp::kSyn) return on_syn(std::move(p));
  if (server_state_ == State::SynRecv && (tcp.flags() & wire::tcp::kAck) && tcp.ack_number() == server_iss_ + 1)
    server_state_ = State::Established;  // the handshake's ACK, or the first data, completes it
  if (server_state_ == State::Established) on_data(std::move(p));
}

// tcp_write_xmit: fill the congestion window with what is not in flight, within the receiver's,
// in bursts of up to 64 KiB when the device takes GSO, else one MSS at a time. In loss recovery
// the lost holes go first, one MSS each (tcp_xmit_retransmit_queue); after a timeout the
// go-back-N resend skips what the receiver SACKed. New data only until the flow's end.
void TcpFlow::tcp_write_xmit() {
  const bool more_data = client_.work.now() < start_ + duration_;
  const std::uint32_t burst = gso_ ? (kGsoMax - wire::Ipv4Repr::kLen - kHeader) / mss_ * mss_ : mss_;
  const std::uint32_t cwnd = cwnd_bytes();
  std::uint32_t pipe = this->pipe();
  bool deferred_by_cwnd = false;
  for (; pipe < cwnd; pipe = this->pipe()) {
    if (in_recovery_ && cwnd - pipe < mss_) break;
    if (auto hole = next_lost()) {
      if (tcp_small_queue_check(std::uint32_t(hole->end - hole->start), 1)) break;
      retransmit_hole(*hole);
      continue;
    }
    const bool resend = before(snd_nxt_, snd_max_);
    if (resend) {  // after a timeout: skip what was SACKed
      if (auto held = sacked_.holding(offset(snd_nxt_))) {
        snd_nxt_ += std::uint32_t(held->end - offset(snd_nxt_));
        continue;
      }
    }
    if (!more_data && !resend) break;
    // The receiver's window ends rwnd past snd_una, whatever it holds out of order.
    const std::uint32_t room = rwnd_ > in_flight() ? rwnd_ - in_flight() : 0;
    std::uint32_t len = std::min({cwnd - pipe, burst, resend ? ~0u : room});
    if (resend) {
      const auto gap = sacked_.next_gap(offset(snd_nxt_), offset(snd_max_));
      len = std::min(len, gap ? std::uint32_t(gap->end - gap->start) : snd_max_ - snd_nxt_);
    }
    if (len == 0 || (len < mss_ && pipe > 0)) break;  // no small segments while data is in flight
    if (!resend && tso_should_defer(len, burst)) {
      deferred_by_cwnd = cwnd - pipe < room;  // the congestion window is what keeps the burst short
      break;
    }
    if (tcp_small_queue_check(len, 0)) break;
    if (len > mss_) len -= len % mss_;
    send_segment(snd_nxt_, len, resend);
    snd_nxt_ += len;
    if (after(snd_nxt_, snd_max_)) snd_max_ = snd_nxt_;
  }
  // tcp_cwnd_validate: the window, not the receiver or the data, held the sender back.
  cwnd_limited_ = deferred_by_cwnd || pipe + mss_ > cwnd;
  if (in_flight() > 0 && !rto_armed_) arm_rto();
}

// tcp_tso_should_defer: rather than a short burst now, wait for the ACK that is due to make it a
// full one; but not when a third of the window is free, nothing is in flight, or the oldest
// segment in flight left less than half an RTT ago (its ACK is not due yet).
bool TcpFlow::tso_should_defer(std::uint32_t len, std::uint32_t burst) const {
  if (!gso_ || len >= burst || sent_.empty()) return false;
  if (len >= std::min(rwnd_, cwnd_bytes()) / 3) return false;  // tcp_tso_win_divisor = 3
  return client_.work.now() - sent_.front().at >= srtt_ / 2;
}

// RFC 6675's pipe: the bytes still in the network: sent, neither SACKed nor taken for lost, plus
// what recovery has sent again (tcp_packets_in_flight: packets_out - sacked_out - lost_out + retrans_out).
std::uint32_t TcpFlow::pipe() const {
  const std::uint64_t una = una_off_, nxt = offset(snd_nxt_);
  std::uint64_t p = (nxt - una) - sacked_.bytes_in(una, nxt);
  if (in_recovery_) {
    const std::uint64_t lo = std::max(una, rexmit_off_), hi = std::min(nxt, lost_below());
    if (lo < hi) p -= (hi - lo) - sacked_.bytes_in(lo, hi);
  }
  return std::uint32_t(p);
}

// Below this offset every byte not SACKed is lost: more than two segments' worth were SACKed above
// it (IsLost with DupThresh 3).
std::uint64_t TcpFlow::lost_below() const { return sacked_.lost_below(2 * std::uint64_t(mss_) + 1, una_off_); }

// NextSeg's first rule: the lowest lost hole not yet sent again in this recovery, at most one MSS.
std::optional<SeqRanges::Range> TcpFlow::next_lost() const {
  if (!in_recovery_) return std::nullopt;
  auto gap = sacked_.next_gap(std::max(una_off_, rexmit_off_), lost_below());
  if (gap) gap->end = std::min(gap->end, gap->start + mss_);
  return gap;
}

void TcpFlow::retransmit_hole(const SeqRanges::Range& hole) {
  send_segment(snd_una_ + std::uint32_t(hole.start - una_off_), std::uint32_t(hole.end - hole.start), true);
  rexmit_off_ = hole.end;
}

void TcpFlow::send_segment(std::uint32_t seq, std::uint32_t len, bool retransmit) {
  kernel::World& w = client_.world;
  auto rt = kernel::ip_route_output(client_, server_ip_);
  if (!rt) return;
  w.work.charge(cost::Step::TcpSendmsg, len);
  if (!retransmit) w.work.charge(cost::Step::CopyFromUser, len);
  kernel::PacketPtr p = w.pool.get(wire::Ipv4Repr::kLen + kHeader + len);
  w.pool.wmem.set_owner_w(*p, sk_, tcp_truesize(len));  // skb_set_owner_w in tcp_transmit_skb
  p->id = w.pool.new_packet_id();
  p->traced = stats_.packets_sent < std::uint64_t(trace_first);
  traced_acks_ += p->traced;
  p->flow = flow;
  std::uint8_t* d = p->put(kHeader + len);
  std::memset(d + kHeader, 0, len);
  wire::TcpRepr{sport_, port_, seq, client_rcv_nxt_, kHeader / 4, wire::tcp::kAck | wire::tcp::kPsh, kClientWindow, 0, 0}.emit(
      wire::MutBytes(d, wire::TcpRepr::kLen));
  wire::TcpOptions o;
  o.timestamp = wire::TcpTimestamp{tcp_time_stamp(w.work.now(), ts_off_), ts_recent_};
  o.emit(wire::MutBytes(d + wire::TcpRepr::kLen, kTsLen));
  kernel::ip_push_header(client_, *p, rt->src, server_ip_, std::uint8_t(wire::IpProto::Tcp), std::uint8_t(client_.default_ttl),
                         true);
  if (len > mss_) {
    p->gso_size = std::uint16_t(mss_);
    p->gso_payload = len;
  }
  const std::uint32_t segs = p->gso_segs();
  stats_.packets_sent += segs;
  stats_.timeline.on_sent(w.work.now(), segs);
  if (stats_.first_sent < 0) stats_.first_sent = w.work.now();
  if (retransmit) {
    stats_.retransmits += segs;
    for (auto& s : sent_)  // Karn: no RTT sample from what was sent twice
      if (!after(s.end, seq + len)) s.retransmitted = true;
  } else {
    sent_.push_back({seq + len, w.work.now(), false});
  }
  kernel::ip_local_out(client_, std::move(p), *rt);
}

// mod_timer, lazily: one timer event stays scheduled; moving the deadline later only records it,
// and the event, when it fires early, sets itself again for the deadline.
void TcpFlow::arm_rto() {
  kernel::World& w = client_.world;
  const Nanos deadline = w.work.now() + rto_;
  if (!rto_armed_ || deadline < rto_deadline_) w.sim.at(deadline, this, kRto);
  rto_deadline_ = deadline;
  rto_armed_ = true;
}

// tcp_retransmit_timer: back to one segment, go back N (past what was SACKed), the timeout doubled.
void TcpFlow::on_rto() {
  if (in_flight() == 0) return;
  snd_ssthresh_ = cc_.recalc_ssthresh(snd_cwnd_);  // tcp_enter_loss
  snd_cwnd_ = 1;
  snd_cwnd_cnt_ = 0;
  cc_.reset(client_.work.now(), snd_nxt_);  // cubictcp_state(TCP_CA_Loss)
  in_recovery_ = false;
  dupacks_ = 0;
  rto_ = std::min(rto_ * 2, kRtoMax);
  snd_nxt_ = snd_una_;
  tcp_write_xmit();
}

// tcp_ack: new data acknowledged grows the window (CUBIC: slow start until HyStart or a loss,
// then the cubic curve) while the window is what limits the sender; the
// SACK blocks mark the scoreboard (tcp_sacktag_write_queue); three duplicate ACKs, or more than
// two segments SACKed above the first hole, start SACK-based recovery (RFC 6675): ssthresh and
// cwnd fall to 70 %, the first hole goes out at once, and the pipe paces the rest until `recover_`.
void TcpFlow::on_ack(kernel::PacketPtr p) {
  kernel::World& w = client_.world;
  const Seg s = parse(*p);
  p.reset();
  if (s.flags & wire::tcp::kSyn) return;  // a SYN-ACK sent again: already answered
  if (s.opts.timestamp) ts_recent_ = s.opts.timestamp->val;
  rwnd_ = std::uint32_t(s.window) << kWindowShift;
  const std::uint32_t flight_before = in_flight();
  if (after(s.ack, snd_una_)) {
    const std::uint32_t acked = s.ack - snd_una_;
    snd_una_ = s.ack;
    una_off_ += acked;
    sacked_.erase_below(una_off_);
    kernel::dst_confirm(client_, server_ip_);  // FLAG_FORWARD_PROGRESS
    if (before(snd_nxt_, snd_una_)) snd_nxt_ = snd_una_;
    dupacks_ = 0;
    Nanos sample = -1;
    while (!sent_.empty() && !after(sent_.front().end, s.ack)) {
      if (!sent_.front().retransmitted) sample = w.work.now() - sent_.front().at;
      sent_.pop_front();
    }
    if (sample >= 0) {  // RFC 6298
      if (srtt_ == 0) srtt_ = sample, rttvar_ = sample / 2;
      else rttvar_ = (3 * rttvar_ + std::abs(srtt_ - sample)) / 4, srtt_ = (7 * srtt_ + sample) / 8;
      rto_ = std::clamp(srtt_ + 4 * rttvar_, kRtoMin, kRtoMax);
      stats_.rtt.record(sample);
    }
    if (sample >= 0)
      cc_.acked(w.work.now(), std::uint32_t(sample / 1000), snd_una_, snd_nxt_, snd_cwnd_, snd_ssthresh_, hystart_ack_delay_us());
    if (in_recovery_) {
      if (!before(s.ack, recover_)) {  // tcp_end_cwnd_reduction
        in_recovery_ = false;
        snd_cwnd_ = snd_ssthresh_;
      }
    } else if (cwnd_limited_ || (snd_cwnd_ < snd_ssthresh_ && snd_cwnd_ < 2 * (flight_before / mss_))) {  // tcp_is_cwnd_limited
      cc_.cong_avoid(w.work.now(), snd_cwnd_, snd_cwnd_cnt_, snd_ssthresh_, (acked + mss_ - 1) / mss_);
      snd_cwnd_ = std::min(snd_cwnd_, 4 * kRcvBuf / mss_);
    }
    if (in_flight() > 0) arm_rto();
    else rto_armed_ = false;
  } else if (s.ack == snd_una_ && in_flight() > 0) {
    ++dupacks_;
  }
  sack_tag(s.opts);
  if (!in_recovery_ && in_flight() > 0 && (dupacks_ >= 3 || lost_below() > una_off_)) enter_recovery();
  tcp_write_xmit();
}

// The ACK's SACK blocks, clipped to what is outstanding, onto the scoreboard.
void TcpFlow::sack_tag(const wire::TcpOptions& o) {
  const std::uint64_t max = offset(snd_max_);
  for (std::size_t i = 0; i < o.sack_blocks; ++i) {
    const std::uint64_t start = std::max(offset(o.sack[i].start), una_off_), end = std::min(offset(o.sack[i].end), max);
    if (start < end) sacked_.insert(start, end);
  }
}

// tcp_init_cwnd_reduction: CUBIC's ssthresh (70 % of cwnd); the window is that from here on (the
// kernel's PRR reaches it by the end of recovery).
void TcpFlow::enter_recovery() {
  snd_ssthresh_ = cc_.recalc_ssthresh(snd_cwnd_);
  snd_cwnd_ = snd_ssthresh_;
  snd_cwnd_cnt_ = 0;
  recover_ = snd_max_;
  rexmit_off_ = una_off_;
  in_recovery_ = true;
  if (auto hole = next_lost()) retransmit_hole(*hole);  // the first one regardless of the pipe
  else retransmit_hole({una_off_, una_off_ + std::min<std::uint64_t>(mss_, snd_max_ - snd_una_)});
}

// The receiver, in softirq: in-order data is queued for the application, a hole is remembered,
// and an ACK goes out every second segment (at once in quick-ACK mode or when something is out
// of order; a lone segment waits for the delayed-ACK timer).
void TcpFlow::on_data(kernel::PacketPtr p) {
  kernel::World& w = server_.world;
  const Seg s = parse(*p);
  const std::uint32_t segs = p->gso_segs();
  p.reset();
  if (s.opts.timestamp && !after(s.seq, rcv_nxt())) server_ts_recent_ = s.opts.timestamp->val;  // tcp_store_ts_recent
  if (s.len == 0) return;
  client_ip_ = s.src;
  bool in_order = false;
  auto deliver = [&](std::uint32_t bytes, std::uint32_t n) {
    stats_.packets_delivered += n;
    stats_.timeline.on_delivered(w.work.now(), n);
    stats_.payload_delivered += bytes;
    stats_.l3_delivered += bytes + std::uint64_t(wire::Ipv4Repr::kLen + kHeader) * n;
    stats_.last_delivered = w.work.now();
    unread_ += bytes;
  };
  const std::int64_t start = rcv_off_ + std::int32_t(s.seq - rcv_nxt()), end = start + s.len;
  if (start == rcv_off_) {
    in_order = true;
    rcv_off_ = end;
    deliver(s.len, segs);
    for (auto r = ooo_.holding(std::uint64_t(rcv_off_)); r; r = ooo_.holding(std::uint64_t(rcv_off_))) {
      const auto add = std::uint32_t(r->end - std::uint64_t(rcv_off_));
      deliver(add, (add + mss_ - 1) / mss_);
      rcv_off_ = std::int64_t(r->end);
    }
    ooo_.erase_below(std::uint64_t(rcv_off_));
  } else if (start > rcv_off_) {
    last_ooo_ = ooo_.insert(std::uint64_t(start), std::uint64_t(end)).start;
  }
  if (in_order) tcp_event_data_recv(w.work.now());
  unacked_segs_ += segs;
  // __tcp_ack_snd_check: more than one full segment unacknowledged, quick-ACK mode, or something
  // out of order: now; else the delayed-ACK timer.
  if (!in_order || !ooo_.empty() || unacked_segs_ >= 2 || quick_ > 0) send_ack();
  else tcp_send_delayed_ack(w.work.now());
  if (unread_ && !read_scheduled_) {
    read_scheduled_ = true;
    w.sim.at(w.work.wake_up(server_task_, server_.cpu), this, kAppRead);
  }
}

void TcpFlow::send_ack() {
  wire::TcpOptions o;
  o.timestamp = wire::TcpTimestamp{tcp_time_stamp(server_.work.now(), server_ts_off_), server_ts_recent_};
  sack_blocks(o);
  const std::uint32_t window = free_window();
  const bool traced = traced_acks_ > 0;  // the ACKs answering the traced segments are traced too
  if (!send_control(server_, client_ip_, port_, sport_, server_iss_ + 1, rcv_nxt(), wire::tcp::kAck,
                    std::uint16_t(window >> kWindowShift), o, traced))
    return;
  rcv_wup_off_ = rcv_off_;
  rcv_wnd_ = window;
  traced_acks_ -= traced;
  unacked_segs_ = 0;
  if (quick_) --quick_;  // tcp_dec_quickack_mode
  delack_armed_ = false;
}

// __tcp_select_window, reduced: the buffer's free payload space, in the window scale's units.
std::uint32_t TcpFlow::free_window() const {
  const std::uint32_t free_space = rcv_window_space() > unread_ ? rcv_window_space() - unread_ : 0;
  return std::min<std::uint32_t>(0xffff, free_space >> kWindowShift) << kWindowShift;
}

// tcp_cleanup_rbuf: a read that lets the window at least double from what the sender was last
// told sends the update at once. Without it a sender whose window closed would wait for its
// zero-window probe, as the reader's next read would find nothing to free.
void TcpFlow::tcp_cleanup_rbuf(std::uint32_t copied) {
  const std::uint32_t now_wnd = tcp_receive_window();
  if (copied == 0 || 2ull * now_wnd > kRcvBuf / 2) return;  // window_clamp: the largest window
  const std::uint32_t new_window = free_window();
  if (new_window && new_window >= 2ull * now_wnd) send_ack();
}

// tcp_sack_new_ofo_skb's order: first the block holding the segment that arrived last, then the
// others, here from the highest down; three fit beside the timestamp.
void TcpFlow::sack_blocks(wire::TcpOptions& o) const {
  if (ooo_.empty()) return;
  auto put = [&](const SeqRanges::Range& r) {
    o.sack[o.sack_blocks++] = {rcv_base_ + std::uint32_t(r.start), rcv_base_ + std::uint32_t(r.end)};
  };
  const auto first = ooo_.holding(last_ooo_);
  if (first) put(*first);
  ooo_.for_each_descending([&](const SeqRanges::Range& r) {
    if (o.sack_blocks < 3 && (!first || r.start != first->start)) put(r);
  });
}

// tcp_event_data_recv: the first data starts quick-ACK mode (an ACK for every segment, 16 of them:
// tcp_incr_quickack with the initial 64 KiB window); after that the delayed-ACK timeout (ato)
// follows the gaps between arrivals, and a gap longer than the RTO starts quick-ACK mode again.
void TcpFlow::tcp_event_data_recv(Nanos now) {
  if (ato_ == 0) {
    quick_ = kMaxQuickAcks;
    ato_ = kAtoMin;
  } else if (const Nanos m = now - lrcvtime_; m <= kAtoMin / 2) {
    ato_ = ato_ / 2 + kAtoMin / 2;
  } else if (m < ato_) {
    ato_ = std::min(ato_ / 2 + m, kRtoMin);
  } else if (m > kRtoMin) {
    quick_ = kMaxQuickAcks;
  }
  lrcvtime_ = now;
}

// tcp_send_delayed_ack: one lone segment waits for another, or for ato, at most the RTT (40 ms
// at least, 500 ms at most: the sender's SRTT stands in for the receiver's own).
void TcpFlow::tcp_send_delayed_ack(Nanos now) {
  if (delack_armed_) return;  // the earlier deadline stands
  Nanos ato = ato_;
  if (ato > kAtoMin) ato = std::min(ato, std::clamp(srtt_, kAtoMin, kNanosPerSecond / 2));
  delack_armed_ = true;
  delack_at_ = now + ato;
  server_.work.sim.at(delack_at_, this, kDelack);
}

// tcp_delack_timer_handler: the ACK goes now; ato had been too short, so it doubles (up to the RTO).
void TcpFlow::tcp_delack_timer() {
  if (!delack_armed_ || server_.work.sim.now() < delack_at_) return;  // sent meanwhile, or re-armed later
  delack_armed_ = false;
  if (unacked_segs_ == 0) return;
  ato_ = std::min(ato_ * 2, kRtoMin);
  server_.work.begin(nullptr, 0);  // a timer in softirq context; its little work is not charged
  send_ack();
  server_.work.end();
}

// The receiving application: woken, one read() takes everything queued.
void TcpFlow::app_read() {
  kernel::World& w = server_.world;
  if (!begin_app_work(server_, server_task_, true, this, kAppRead)) return;
  read_scheduled_ = false;
  w.work.set_flow(flow);
  w.work.charge(cost::Step::Wakeup, 0);
  w.work.charge(cost::Step::Syscall, 0);
  w.work.charge(cost::Step::CopyToUser, unread_);
  w.work.charge(cost::Step::AppWork, unread_);
  const std::uint32_t copied = unread_;
  copied_ += unread_;
  unread_ = 0;
  tcp_rcv_space_adjust(w.work.now());
  tcp_cleanup_rbuf(copied);
  w.work.end();
}

// tcp_select_initial_window: the first window is TCP_DEFAULT_INIT_RCVWND (10) segments, but an MSS
// above 1460 gets only 14,600 bytes' worth (at least 2 segments), within what the buffer allows.
// With a 9000-byte MTU that is 2 segments of 8,948: taking the whole 64 KiB as the first measure
// instead, the buffer would never grow, as no round trip could bring more than the window.
std::uint32_t TcpFlow::initial_rcv_wnd() const {
  const std::uint32_t mss = advmss_ - kTsLen;  // tcp_openreq_init_rwin: less the timestamp option
  const std::uint32_t segments = mss > 1460 ? std::max<std::uint32_t>(1460 * 10 / mss, 2) : 10;
  const std::uint32_t space = rcv_window_space() / mss * mss;  // rounddown(space, mss)
  return std::min(space, segments * mss);
}

// tcp_rcv_space_adjust, once a round trip after a read: if the reader took more than in the last
// round trip, the buffer grows to twice that (plus 16 segments of cushion, plus twice the growth
// for a sender still speeding up), up to tcp_rmem's maximum. The round trip is the receiver's
// timestamp estimate (tcp_rcv_rtt_measure_ts), which sees what the sender's SRTT sees.
void TcpFlow::tcp_rcv_space_adjust(Nanos now) {
  if (rcvq_space_.time < 0) {  // tcp_init_buffer_space: the first measure is the first window
    rcvq_space_ = {initial_rcv_wnd(), copied_, now};
    return;
  }
  if (srtt_ == 0 || now - rcvq_space_.time < srtt_) return;
  const std::uint64_t copied = copied_ - rcvq_space_.seq;
  if (copied > rcvq_space_.space) {
    std::uint64_t rcvwin = 2 * copied + 16ull * advmss_;
    rcvwin += 2 * (rcvwin * (copied - rcvq_space_.space) / rcvq_space_.space);
    rcvbuf_ = std::uint32_t(std::max<std::uint64_t>(rcvbuf_, std::min<std::uint64_t>(2 * rcvwin, kRcvBuf)));  // tcp_space_from_win
    rcvq_space_.space = copied;
  }
  rcvq_space_.seq = copied_;
  rcvq_space_.time = now;
}

}  // namespace ol::traffic
