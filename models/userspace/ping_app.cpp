#include "models/userspace/ping_app.h"

#include "models/kernel/cpu_work.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/sockets.h"
#include "models/userspace/app.h"
#include "models/wire/icmp.h"

namespace ol::traffic {

PingApp::PingApp(kernel::Netns& ns, wire::Ipv4Addr dst, std::uint16_t id, int count, Nanos interval, int size)
    : ns_(ns), dst_(dst), id_(id), count_(count), interval_(interval), size_(size) {
  sock_ = ns_.sockets.ping_open(id_);
}

void PingApp::start(Nanos at) {
  start_ = at;
  ns_.work.sim.at(at, this, 0);
}

void PingApp::on_event(std::uint64_t) {
  if (sent_ >= count_) return;
  if (!begin_app_work(ns_, task_, true, this, 0)) return;  // asleep until its next echo is due
  ns_.work.set_flow(flow);
  const Nanos t = ns_.work.now();
  ++sent_;
  sent_at_.push_back(t);
  ++stats_.packets_sent;
  if (stats_.first_sent < 0) stats_.first_sent = t;
  kernel::ping_sendmsg(ns_, id_, std::uint16_t(sent_), dst_, std::uint32_t(size_), sent_ <= trace_first);
  ns_.work.end();
  if (sent_ < count_) ns_.work.sim.at(start_ + Nanos(sent_) * interval_, this, 0);
}

Nanos PingApp::end_time() const { return start_ + Nanos(count_ - 1) * interval_ + kNanosPerSecond; }

const FlowStats& PingApp::finish() {
  stats_.timeline = Timeline{timeline_bin, {}, {}};
  for (Nanos t : sent_at_) stats_.timeline.on_sent(t);
  for (const auto& r : sock_->replies) {
    if (r.type != wire::icmp::kEchoReply || r.seq == 0 || r.seq > sent_at_.size()) continue;
    ++stats_.packets_delivered;
    stats_.timeline.on_delivered(r.time);
    stats_.payload_delivered += std::uint64_t(size_);
    stats_.l3_delivered += std::uint64_t(size_) + 28;
    stats_.rtt.record(r.time - sent_at_[r.seq - 1]);
    stats_.last_delivered = std::max(stats_.last_delivered, r.time);
  }
  return stats_;
}

}  // namespace ol::traffic
