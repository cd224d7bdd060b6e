#include "models/userspace/udp_proxy.h"

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

UdpProxy::UdpProxy(kn::Netns& ns, wire::Ipv4Addr bind_ip, std::uint16_t port)
    : ns_(ns), bind_ip_(bind_ip), port_(port), buf_(kn::Packet::kMaxData) {}

bool UdpProxy::open(kn::TunDevice& tun, wire::Ipv4Addr tun_addr) {
  tun_ = &tun;
  tun_addr_ = tun_addr;
  tun_->attach([this] { wake(); });
  sock_ = ns_.sockets.udp_bind(bind_ip_, port_);
  if (sock_) sock_->on_readable = [this] { wake(); };
  return sock_ != nullptr;
}

UdpProxy::~UdpProxy() {
  if (tun_ && !tun_->dead) tun_->detach();
  if (sock_) sock_->on_readable = nullptr;
}

void UdpProxy::set_route(const Ipv4Prefix& subnet, wire::Ipv4Addr peer, std::uint16_t port) {
  if (on_command) on_command(fmt::format("CMD_SET_ROUTE {} -> {}:{}", subnet.str(), peer.str(), port));
  const std::uint64_t key = std::uint64_t(subnet.len) << 32 | subnet.network().v;
  if (auto it = index_.find(key); it != index_.end()) {  // an update keeps the entry's place in the list
    routes_[it->second].peer = peer;
    routes_[it->second].port = port;
    return;
  }
  index_.emplace(key, routes_.size());
  routes_.push_back({subnet, peer, port});
}

void UdpProxy::del_route(const Ipv4Prefix& subnet) {
  if (on_command) on_command(fmt::format("CMD_DEL_ROUTE {}", subnet.str()));
  std::erase_if(routes_, [&](const Route& r) { return r.subnet == subnet; });
  index_.clear();
  for (std::size_t i = 0; i < routes_.size(); ++i)
    index_.emplace(std::uint64_t(routes_[i].subnet.len) << 32 | routes_[i].subnet.network().v, i);
}

// The thread sleeps in poll(); a readable TUN or socket wakes it once for whatever is queued.
void UdpProxy::wake() {
  if (scheduled_) return;
  scheduled_ = true;
  ns_.work.sim.at(ns_.work.now(), this);
}

// One turn of the thread: woken from poll() on its core (it waits while the core is busy), then
// it drains the socket and the TUN.
void UdpProxy::on_event(std::uint64_t) {
  if (!tun_ || tun_->dead) {
    scheduled_ = false;
    return;
  }
  kn::World& w = ns_.world;
  if (!w.work.begin(ns_.cpu, core)) {
    w.sim.at(ns_.cpu->free_at(core), this);
    return;
  }
  scheduled_ = false;
  bool woken = true;  // the wakeup and poll()'s return are booked to the first packet's flow
  auto woke = [&] {
    if (!woken) return;
    woken = false;
    w.work.charge(cost::Step::Wakeup, 0);
    w.work.charge(cost::Step::Syscall, 0);
  };
  while (sock_) {
    kn::PacketPtr p = kn::udp_recvmsg(ns_, *sock_);
    if (!p) break;
    woke();
    udp_to_tun(std::move(p));
  }
  while (kn::PacketPtr p = tun_->read()) {
    woke();
    tun_to_udp(std::move(p));
  }
  woke();
  w.work.end();
}

const UdpProxy::Route* UdpProxy::find_route(wire::Ipv4Addr dst) const {
  for (const auto& r : routes_)
    if (r.subnet.contains(dst)) return &r;
  return nullptr;
}

namespace {

// decrement_ttl: false when the TTL reaches zero (the packet is then dropped without a word).
// Like flannel's C proxy it trusts the bytes: any 20 of them are taken for an IPv4 header.
bool decrement_ttl(wire::MutBytes packet) {
  const auto ip = wire::Ipv4ViewMut::new_unchecked(packet);
  if (ip.ttl() <= 1) return false;
  ip.decrease_ttl();
  return true;
}

}  // namespace

void UdpProxy::tun_to_udp(kn::PacketPtr p) {
  const std::uint32_t len = p->size();
  std::memcpy(buf_.data(), p->data(), len);
  const auto dst = kn::ip_hdr(*p).dst_addr();
  const Route* r = find_route(dst);
  if (p->traced)
    ns_.tracing.trace(*p, ns_, tun_, "find_route", r ? "peer found" : "no lease holds the destination", "flannel udp routes",
                    r ? fmt::format("{} -> {}:{}", r->subnet.str(), r->peer.str(), r->port) : "");
  if (!r) return send_net_unreachable(*p);
  if (!decrement_ttl(wire::MutBytes(buf_.data(), len))) {
    ++stats.ttl_dropped;
    if (p->traced) ns_.tracing.trace(*p, ns_, tun_, "decrement_ttl", "drop: TTL reached 0");
    return;
  }
  ++stats.tun_to_udp;
  std::uint64_t id = p->id;
  const bool traced = p->traced;
  p.reset();
  // sock_send_packet: sendto(sock, buf, len, 0, peer:port)
  auto err = kn::udp_sendmsg(ns_, port_, r->peer, r->port, len, buf_.data(), traced, kn::PmtuDisc::Want, &id);
  (void)err;  // flannel logs a failed send and carries on
}

void UdpProxy::udp_to_tun(kn::PacketPtr p) {
  const wire::Bytes inner = kn::ip_hdr(*p).payload().subspan(wire::UdpRepr::kLen);  // checked by udp_rcv
  if (inner.size() < wire::Ipv4Repr::kLen) return;
  const auto len = std::uint32_t(inner.size());
  std::memcpy(buf_.data(), inner.data(), len);
  if (!decrement_ttl(wire::MutBytes(buf_.data(), len))) {
    ++stats.ttl_dropped;
    if (p->traced) ns_.tracing.trace(*p, ns_, tun_, "decrement_ttl", "drop: TTL reached 0");
    return;
  }
  ++stats.udp_to_tun;
  // tun_send_packet: write(tun, buf, len)
  tun_->write(wire::Bytes(buf_.data(), len), p->id, p->traced);
}

// An ICMP net unreachable from flannel0's address back to the sender, written into the TUN.
void UdpProxy::send_net_unreachable(const kn::Packet& offender) {
  ++stats.net_unreachable;
  const auto oh = kn::ip_hdr(offender);
  const std::size_t quoted = std::min<std::size_t>(offender.size(), oh.header_len() + 8);
  const std::size_t icmp_len = wire::IcmpRepr::kLen + quoted;
  std::uint8_t* b = buf_.data();
  std::memcpy(b + wire::Ipv4Repr::kLen + wire::IcmpRepr::kLen, offender.data(), quoted);
  wire::IcmpRepr{wire::icmp::kDestUnreach, wire::icmp::kNetUnreach, 0, 0, 0}.emit_message(
      wire::MutBytes(b + wire::Ipv4Repr::kLen, icmp_len));
  wire::Ipv4Repr ip;
  ip.total_len = std::uint16_t(wire::Ipv4Repr::kLen + icmp_len);
  ip.ttl = 64;
  ip.protocol = std::uint8_t(wire::IpProto::Icmp);
  ip.src = tun_addr_;
  ip.dst = oh.src_addr();
  ip.emit(wire::MutBytes(b, wire::Ipv4Repr::kLen));
  if (offender.traced) ns_.tracing.trace(offender, ns_, tun_, "send_net_unreachable", fmt::format("to {}", ip.dst.str()));
  tun_->write(wire::Bytes(b, wire::Ipv4Repr::kLen + icmp_len), offender.id, offender.traced);
}

}  // namespace ol::flannel
