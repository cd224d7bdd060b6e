#include "models/userspace/udp_flow.h"

#include <array>
#include <cstring>

#include "models/kernel/ipv4/ip.h"
#include "models/kernel/sockets.h"
#include "models/userspace/app.h"
#include "models/wire/bytes.h"
#include "models/wire/ipv4.h"
#include "models/wire/udp.h"

namespace ol::traffic {

UdpFlow::UdpFlow(kernel::Netns& src, kernel::Netns& dst, wire::Ipv4Addr dst_ip, std::uint16_t port, int size, double rate_pps,
                 Nanos duration)
    : src_(src), duration_(duration), rate_pps_(rate_pps), size_(std::max(size, 16)), dst_ip_(dst_ip), port_(port), dst_(dst) {
  sock_ = dst_.sockets.udp_bind({}, port_);
  if (sock_) sock_->on_readable = [this] {
    if (read_scheduled_) return;
    read_scheduled_ = true;
    dst_.work.sim.at(dst_.work.wake_up(receiver_, dst_.cpu), this, kRead);
  };
}

void UdpFlow::start(Nanos at) {
  start_ = at;
  stats_.timeline.bin = timeline_bin;
  stats_.timeline.reserve(at + duration_ + kNanosPerSecond);
  src_.work.sim.at(at, this, kSend);
}

void UdpFlow::on_event(std::uint64_t cookie) {
  if (cookie == kRead) return read();
  send();
}

void UdpFlow::send() {
  kernel::World& w = src_.world;
  if (w.sim.now() >= start_ + duration_) return;
  // A flood's sender never sleeps between datagrams; a paced one sleeps until its next slot.
  if (!begin_app_work(src_, sender_, rate_pps_ > 0 || seq_ == 0, this, kSend)) return;
  w.work.set_flow(flow);
  std::array<std::uint8_t, 16> stamp{};  // the send time and a sequence number, ahead of zeros
  const Nanos t = w.work.now();
  wire::put32(stamp.data(), std::uint32_t(std::uint64_t(t) >> 32));
  wire::put32(stamp.data() + 4, std::uint32_t(t));
  wire::put32(stamp.data() + 8, std::uint32_t(++seq_));
  static thread_local std::array<std::uint8_t, 65536> payload{};
  std::memcpy(payload.data(), stamp.data(), stamp.size());
  ++stats_.packets_sent;
  stats_.timeline.on_sent(t);
  if (stats_.first_sent < 0) stats_.first_sent = t;
  w.work.charge(cost::Step::AppWork, std::uint32_t(size_));
  kernel::udp_sendmsg(src_, std::uint16_t(40000 + port_ % 20000), dst_ip_, port_, std::uint32_t(size_), payload.data(),
                      seq_ <= std::uint64_t(trace_first));
  w.work.end();
  // Constant rate: the next slot; flood: as soon as the core is free again.
  const Nanos next = rate_pps_ > 0 ? start_ + Nanos(double(seq_) * 1e9 / rate_pps_) : w.sim.now();
  w.sim.at(std::max(next, w.sim.now()), this, kSend);
}

// The receiving application: woken, it drains the socket on core 0 of its node.
void UdpFlow::read() {
  kernel::World& w = dst_.world;
  if (!begin_app_work(dst_, receiver_, true, this, kRead)) return;
  read_scheduled_ = false;
  w.work.set_flow(flow);
  w.work.charge(cost::Step::Wakeup, 0);
  while (kernel::PacketPtr p = kernel::udp_recvmsg(dst_, *sock_)) {
    // The payload starts with the send time (8 bytes, network order), as the sender wrote it.
    const auto ip = kernel::ip_hdr(*p);
    const std::size_t off = ip.header_len() + wire::UdpRepr::kLen;
    const wire::Bytes payload = ip.payload().subspan(wire::UdpRepr::kLen);
    if (payload.size() < 16) continue;
    const Nanos sent = Nanos(std::uint64_t(wire::get32(payload.data())) << 32 | wire::get32(payload.data() + 4));
    w.work.charge(cost::Step::AppWork, std::uint32_t(p->size() - off));
    const Nanos now = w.work.now();
    ++stats_.packets_delivered;
    stats_.timeline.on_delivered(now);
    stats_.payload_delivered += p->size() - off;
    stats_.l3_delivered += p->size();
    stats_.one_way.record(now - sent);
    stats_.last_delivered = now;
  }
  w.work.end();
}

}  // namespace ol::traffic
