#include "models/userspace/udp_proxy.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include "models/kernel/devices/tun.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"
#include "models/kernel/world.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"
#include "models/wire/udp.h"

namespace ol::flannel {

namespace kn = kernel;

UdpProxy::UdpProxy(kn::Netns& ns, wire::Ipv4Addr bind_ip, std::uint16_t port) : ns_(ns), bind_ip_(bind_ip), port_(port) {}

bool UdpProxy::open(kn::TunDevice& tun, wire::Ipv4Addr tun_addr) {
  tun_ = &tun;
  tun_addr_ = tun_addr;
  buf_.assign(std::size_t(tun.mtu), 0);  // run_proxy: buf = malloc(tun_mtu)
  tun_->attach([this] { wake(); });
  sock_ = ns_.sockets.udp_bind(bind_ip_, port_);
  if (sock_) sock_->on_readable = [this] { wake(); };
  return sock_ != nullptr;
}

UdpProxy::~UdpProxy() {
  ns_.work.sim.cancel(next_turn_);
  ns_.work.leave_run_queues(ns_.cpu, this);
  if (tun_ && !tun_->dead) tun_->detach();
  if (sock_) {  // the process exits: its socket is closed and the port free again
    sock_->on_readable = nullptr;
    ns_.sockets.udp_close(port_);
  }
}

void UdpProxy::set_route(const Ipv4Prefix& subnet, wire::Ipv4Addr peer, std::uint16_t port) {
  ctl_.push_back({true, subnet, peer, port});
  wake();
}

void UdpProxy::del_route(const Ipv4Prefix& subnet) {
  ctl_.push_back({false, subnet, {}, 0});
  wake();
}

// process_cmd: one recv() on the control socket.
void UdpProxy::process_cmd() {
  const Command c = ctl_.front();
  ctl_.pop_front();
  ns_.work.charge(cost::Step::Syscall, 0);
  if (c.set) routes_.set(c.subnet, c.peer, c.port);
  else routes_.del(c.subnet);
  if (on_command)
    on_command(c.set ? fmt::format("CMD_SET_ROUTE {} -> {}:{}", c.subnet.str(), c.peer.str(), c.port)
                     : fmt::format("CMD_DEL_ROUTE {}", c.subnet.str()));
}

// The thread sleeps in poll(); a readable TUN, socket or control socket wakes it. While the data
// loop runs it is not asleep: what arrives meanwhile is read by the loop's next pass.
void UdpProxy::wake() {
  if (scheduled_) return;
  scheduled_ = true;
  schedule(ns_.work.wake_up(thread, ns_.cpu), kPollReturn);
}

void UdpProxy::schedule(Nanos at, std::uint64_t cookie) { next_turn_ = ns_.work.sim.timer_at(at, this, cookie); }

// poll() returned, on the thread's core (it waits while the core is busy): the control message
// first, then the data loop for as long as either side yields a packet. Each pass is a turn of
// its own: its read, sendto and write are system calls, and the softirq each raised on this core
// (the datagram sent, the packet written to the TUN going up the stack) runs when the call
// returns, before the next pass (CpuWork::begin_process).
void UdpProxy::on_event(std::uint64_t cookie) {
  kn::World& w = ns_.world;
  const bool woken = cookie == kPollReturn;  // else the thread kept running
  using Turn = kn::CpuWork::Turn;
  const Turn turn = w.work.begin_turn(ns_.cpu, thread, woken, this, cookie);
  if (turn == Turn::Retry) schedule(w.work.process_ready_at(*ns_.cpu, thread, woken), cookie);
  if (turn != Turn::Started) return;
  if (cookie != kLoop) {  // poll() returned
    const Nanos began = w.work.now();
    if (!ctl_.empty()) process_cmd();
    const bool data = tun_ && !tun_->dead && (tun_->queued() || (sock_ && !sock_->rx.empty()));
    // The wakeup and poll()'s return are booked to the flow of the first packet the loop reads.
    if (data) w.work.set_flow(tun_->queued() ? tun_->front_flow() : sock_->rx.front()->flow);
    if (woken) w.work.charge(cost::Step::Wakeup, 0);
    w.work.charge(cost::Step::Syscall, 0);  // poll()
    if (!data) {
      routes_.reserve(routes_.routes().size() + ctl_.size());  // at most one route more per message
      while (!ctl_.empty() && w.work.now() - began < kControlRun) {  // poll() returns at once again
        process_cmd();
        w.work.charge(cost::Step::Syscall, 0);
      }
      return back_to_poll();
    }
  }
  if (!data_pass()) return back_to_poll();
  w.work.end();
  schedule(thread.ran_until, kLoop);
}

void UdpProxy::back_to_poll() {
  ns_.work.end();
  scheduled_ = false;
  if (ctl_.empty()) return;  // it sleeps until the TUN, the socket or the control socket wakes it
  scheduled_ = true;  // the control socket is still readable: poll() returns at once
  schedule(thread.ran_until, kPollAgain);
}

bool UdpProxy::data_pass() {
  if (!tun_ || tun_->dead) return false;
  const bool from_tun = tun_to_udp();
  return udp_to_tun() || from_tun;
}

bool UdpProxy::tun_to_udp() {
  kn::PacketPtr p = tun_->read();
  if (!p) {
    ns_.work.charge(cost::Step::Syscall, 0);  // read() → EAGAIN
    return false;
  }
  ns_.work.set_flow(p->flow);
  // tun_recv_packet: read(tun, buf, tun_mtu) takes at most the buffer; fewer than 20 bytes counts
  // as nothing read.
  const auto len = std::uint32_t(std::min<std::size_t>(p->size(), buf_.size()));
  if (len < wire::Ipv4Repr::kLen) return false;
  std::memcpy(buf_.data(), p->data(), len);
  const auto dst = wire::Ipv4View::new_unchecked(wire::Bytes(buf_.data(), len)).dst_addr();
  const proxy::Route* r = routes_.find(dst);
  if (!r) {
    send_net_unreachable(*p);
    return true;
  }
  if (p->traced)
    ns_.tracing.trace(*p, ns_, tun_, "find_route", "peer found", "flannel udp routes",
                      fmt::format("{} -> {}:{}", r->subnet.str(), r->peer.str(), r->port));
  if (!proxy::decrement_ttl(wire::MutBytes(buf_.data(), len))) {
    ++stats.ttl_dropped;
    if (p->traced) ns_.tracing.trace(*p, ns_, tun_, "decrement_ttl", "drop: TTL reached 0");
    return true;
  }
  ++stats.tun_to_udp;
  std::uint64_t id = p->id;
  const bool traced = p->traced;
  p.reset();
  // sock_send_packet: sendto(sock, buf, len, 0, peer:port)
  auto err = kn::udp_sendmsg(ns_, port_, r->peer, r->port, len, buf_.data(), traced, kn::PmtuDisc::Want, &id);
  (void)err;  // flannel logs a failed send and carries on
  return true;
}

bool UdpProxy::udp_to_tun() {
  kn::PacketPtr p = sock_ ? kn::udp_recvmsg(ns_, *sock_) : kn::PacketPtr(nullptr, kn::PacketReturn{&ns_.pool});
  if (!p) {
    ns_.work.charge(cost::Step::Syscall, 0);  // recv(MSG_DONTWAIT) → EAGAIN
    return false;
  }
  // sock_recv_packet: recv(sock, buf, tun_mtu) cuts a longer datagram to the buffer.
  const wire::Bytes inner = kn::ip_hdr(*p).payload().subspan(wire::UdpRepr::kLen);  // checked by udp_rcv
  const auto len = std::uint32_t(std::min<std::size_t>(inner.size(), buf_.size()));
  if (len < wire::Ipv4Repr::kLen) return false;
  std::memcpy(buf_.data(), inner.data(), len);
  if (!proxy::decrement_ttl(wire::MutBytes(buf_.data(), len))) {
    ++stats.ttl_dropped;
    if (p->traced) ns_.tracing.trace(*p, ns_, tun_, "decrement_ttl", "drop: TTL reached 0");
    return true;
  }
  ++stats.udp_to_tun;
  // tun_send_packet: write(tun, buf, len)
  tun_->write(wire::Bytes(buf_.data(), len), p->id, p->traced);
  return true;
}

// No lease holds the destination: an ICMP net unreachable from flannel0's address back to the
// sender, written into the TUN; or, about an ICMP packet or a later fragment, nothing at all (so a
// ping to an unknown subnet simply goes unanswered).
void UdpProxy::send_net_unreachable(const kn::Packet& offender) {
  std::array<std::uint8_t, proxy::kNetUnreachableMax> pkt{};
  const std::size_t len = proxy::build_net_unreachable(wire::Bytes(buf_.data(), std::min<std::size_t>(offender.size(), buf_.size())),
                                                       tun_addr_, pkt);
  if (offender.traced)
    ns_.tracing.trace(offender, ns_, tun_, "find_route",
                      len ? "no lease holds the destination" : "drop: no lease holds the destination, and no ICMP error about ICMP",
                      "flannel udp routes", "");
  if (!len) return;
  ++stats.net_unreachable;
  if (offender.traced)
    ns_.tracing.trace(offender, ns_, tun_, "send_net_unreachable", fmt::format("to {} (ttl 8)", kn::ip_hdr(offender).src_addr().str()));
  tun_->write(wire::Bytes(pkt.data(), len), offender.id, offender.traced);
}

}  // namespace ol::flannel
