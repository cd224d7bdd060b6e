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
constexpr int kWindowShift = 7;                   // the window scale Linux offers for a 6 MiB buffer

struct Seg {
  std::uint32_t seq, ack, len;
  std::uint16_t window;
  wire::Ipv4Addr src;
};

// A segment tcp_v4_rcv handed over: its IPv4 and TCP headers were checked on the way in.
Seg parse(const kernel::Packet& p) {
  const auto ip = kernel::ip_hdr(p);
  const auto tcp = wire::TcpView::new_unchecked(ip.payload());
  return {tcp.seq_number(), tcp.ack_number(), std::uint32_t(ip.payload().size() - tcp.header_len()), tcp.window_len(),
          ip.src_addr()};
}

}  // namespace

TcpFlow::TcpFlow(kernel::Netns& client, kernel::Netns& server, wire::Ipv4Addr server_ip, std::uint16_t port, Nanos duration,
                 bool gso)
    : client_(client), server_(server), server_ip_(server_ip), port_(port), sport_(std::uint16_t(33000 + port % 20000)),
      duration_(duration), gso_(gso) {
  server_.sockets.tcp_listen(port_, [this](kernel::Device&, kernel::PacketPtr p) { on_data(std::move(p)); });
  client_.sockets.tcp_listen(sport_, [this](kernel::Device&, kernel::PacketPtr p) { on_ack(std::move(p)); });
}

void TcpFlow::start(Nanos at) {
  start_ = at;
  stats_.timeline.bin = timeline_bin;
  stats_.timeline.reserve(at + duration_ + kNanosPerSecond);
  client_.work.sim.at(at, this, kAppStart);
}

void TcpFlow::on_event(std::uint64_t cookie) {
  if (cookie == kAppRead) return app_read();
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
  if (!begin_app_work(client_, 0, this, cookie)) return;
  client_.work.set_flow(flow);
  {
    auto rt = kernel::ip_route_output(client_, server_ip_);
    if (rt) {
      client_ip_ = rt->src;
      mss_ = std::uint32_t(rt->mtu) - 40;
      gso_ = gso_ && rt->dev->gso;  // sk_can_gso: the route's device takes bursts
      cwnd_ = 10 * mss_;  // TCP_INIT_CWND
      tcp_write_xmit();
    }
  }
  client_.work.end();
}

// tcp_write_xmit: fill the window (the smaller of cwnd and the receiver's), in bursts of up to
// 64 KiB when the device takes GSO, else one MSS at a time. New data only until the flow's end.
void TcpFlow::tcp_write_xmit() {
  const std::uint32_t window = std::min(cwnd_, rwnd_);
  const bool more_data = client_.work.now() < start_ + duration_;
  while (in_flight() < window) {
    if (!more_data && !before(snd_nxt_, snd_max_)) break;
    std::uint32_t len = std::min(window - in_flight(), gso_ ? (kGsoMax - 40) / mss_ * mss_ : mss_);
    if (!more_data) len = std::min(len, snd_max_ - snd_nxt_);
    if (len < mss_ && in_flight() > 0) break;  // no small segments while data is in flight
    if (len > mss_) len -= len % mss_;
    send_segment(snd_nxt_, len, before(snd_nxt_, snd_max_));
    snd_nxt_ += len;
    if (after(snd_nxt_, snd_max_)) snd_max_ = snd_nxt_;
  }
  if (in_flight() > 0 && !rto_armed_) arm_rto();
}

void TcpFlow::send_segment(std::uint32_t seq, std::uint32_t len, bool retransmit) {
  kernel::World& w = client_.world;
  auto rt = kernel::ip_route_output(client_, server_ip_);
  if (!rt) return;
  w.work.charge(cost::Step::TcpSendmsg, len);
  if (!retransmit) w.work.charge(cost::Step::CopyFromUser, len);
  kernel::PacketPtr p = w.pool.get(wire::Ipv4Repr::kLen + wire::TcpRepr::kLen + len);
  p->id = w.pool.new_packet_id();
  p->traced = stats_.packets_sent < std::uint64_t(trace_first);
  traced_acks_ += p->traced;
  p->flow = flow;
  std::uint8_t* d = p->put(wire::TcpRepr::kLen + len);
  std::memset(d + wire::TcpRepr::kLen, 0, len);
  wire::TcpRepr{sport_, port_, seq, rcv_nxt_, 5, wire::tcp::kAck | wire::tcp::kPsh, 0xffff, 0, 0}.emit(
      wire::MutBytes(d, wire::TcpRepr::kLen));
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

// tcp_retransmit_timer: back to one segment, go back N, the timeout doubled.
void TcpFlow::on_rto() {
  if (in_flight() == 0) return;
  ssthresh_ = std::max(in_flight() / 2, 2 * mss_);
  cwnd_ = mss_;
  in_recovery_ = false;
  dupacks_ = 0;
  rto_ = std::min(rto_ * 2, kRtoMax);
  snd_nxt_ = snd_una_;
  tcp_write_xmit();
}

// tcp_ack: new data acknowledged grows the window (slow start, then about one MSS per RTT);
// three duplicates start fast retransmit and NewReno recovery.
void TcpFlow::on_ack(kernel::PacketPtr p) {
  kernel::World& w = client_.world;
  const Seg s = parse(*p);
  p.reset();
  rwnd_ = std::uint32_t(s.window) << kWindowShift;
  if (after(s.ack, snd_una_)) {
    const std::uint32_t acked = s.ack - snd_una_;
    snd_una_ = s.ack;
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
    if (in_recovery_) {
      if (!before(s.ack, recover_)) {
        in_recovery_ = false;
        cwnd_ = ssthresh_;
      } else {  // a partial ACK: the next hole, at once
        send_segment(snd_una_, std::min(mss_, snd_max_ - snd_una_), true);
        cwnd_ = cwnd_ > acked ? cwnd_ - acked + mss_ : mss_;
      }
    } else if (cwnd_ < ssthresh_) {
      cwnd_ += acked;
    } else {
      cwnd_ += std::max<std::uint32_t>(1, std::uint32_t(std::uint64_t(mss_) * acked / cwnd_));
    }
    cwnd_ = std::min(cwnd_, 4 * kRcvBuf);
    if (in_flight() > 0) arm_rto();
    else rto_armed_ = false;
  } else if (s.ack == snd_una_ && in_flight() > 0) {
    ++dupacks_;
    if (dupacks_ == 3 && !in_recovery_) {
      ssthresh_ = std::max(in_flight() / 2, 2 * mss_);
      recover_ = snd_max_;
      in_recovery_ = true;
      send_segment(snd_una_, std::min(mss_, snd_max_ - snd_una_), true);
      cwnd_ = ssthresh_ + 3 * mss_;
    } else if (in_recovery_) {
      cwnd_ += mss_;
    }
  }
  tcp_write_xmit();
}

// The receiver, in softirq: in-order data is queued for the application, a hole is remembered,
// and an ACK goes out every second segment (at once when something is out of order).
void TcpFlow::on_data(kernel::PacketPtr p) {
  kernel::World& w = server_.world;
  const Seg s = parse(*p);
  const std::uint32_t segs = p->gso_segs();
  p.reset();
  if (s.len == 0) return;
  client_ip_ = s.src;
  bool in_order = false;
  auto deliver = [&](std::uint32_t bytes, std::uint32_t n) {
    stats_.packets_delivered += n;
    stats_.timeline.on_delivered(w.work.now(), n);
    stats_.payload_delivered += bytes;
    stats_.l3_delivered += bytes + 40ull * n;
    stats_.last_delivered = w.work.now();
    unread_ += bytes;
  };
  if (s.seq == rcv_nxt_) {
    in_order = true;
    rcv_nxt_ += s.len;
    deliver(s.len, segs);
    for (auto it = ooo_.begin(); it != ooo_.end() && !after(it->first, rcv_nxt_);) {
      if (after(it->second, rcv_nxt_)) {
        const std::uint32_t add = it->second - rcv_nxt_;
        deliver(add, (add + mss_ - 1) / mss_);
        rcv_nxt_ = it->second;
      }
      it = ooo_.erase(it);
    }
  } else if (after(s.seq, rcv_nxt_)) {
    auto& end = ooo_[s.seq];
    end = std::max(end, s.seq + s.len);
  }
  unacked_segs_ += segs;
  if (!in_order || !ooo_.empty() || unacked_segs_ >= 2) send_ack();
  if (unread_ && !read_scheduled_) {
    read_scheduled_ = true;
    w.sim.at(w.work.now(), this, kAppRead);
  }
}

void TcpFlow::send_ack() {
  kernel::World& w = server_.world;
  auto rt = kernel::ip_route_output(server_, client_ip_);
  if (!rt) return;
  kernel::PacketPtr p = w.pool.get();
  p->id = w.pool.new_packet_id();
  p->traced = false;
  p->flow = flow;
  std::uint8_t* d = p->put(wire::TcpRepr::kLen);
  if (traced_acks_ > 0) {  // the ACKs answering the traced segments are traced too
    p->traced = true;
    --traced_acks_;
  }
  const std::uint32_t free_space = kRcvBuf > unread_ ? kRcvBuf - unread_ : 0;
  wire::TcpRepr{port_, sport_, 0, rcv_nxt_, 5, wire::tcp::kAck,
                std::uint16_t(std::min<std::uint32_t>(0xffff, free_space >> kWindowShift)), 0, 0}
      .emit(wire::MutBytes(d, wire::TcpRepr::kLen));
  kernel::ip_push_header(server_, *p, rt->src, client_ip_, std::uint8_t(wire::IpProto::Tcp), std::uint8_t(server_.default_ttl),
                         true);
  unacked_segs_ = 0;
  kernel::ip_local_out(server_, std::move(p), *rt);
}

// The receiving application: woken, one read() takes everything queued.
void TcpFlow::app_read() {
  kernel::World& w = server_.world;
  if (!begin_app_work(server_, 0, this, kAppRead)) return;
  read_scheduled_ = false;
  w.work.set_flow(flow);
  w.work.charge(cost::Step::Wakeup, 0);
  w.work.charge(cost::Step::Syscall, 0);
  w.work.charge(cost::Step::CopyToUser, unread_);
  w.work.charge(cost::Step::AppWork, unread_);
  unread_ = 0;
  w.work.end();
}

}  // namespace ol::traffic
