#include "models/userspace/dhcp_server.h"

#include <algorithm>

#include <fmt/format.h>

#include "models/kernel/cpu_work.h"
#include "models/kernel/device.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"
#include "models/kernel/sockets.h"
#include "models/kernel/world.h"
#include "models/cost/cpu.h"
#include "models/wire/ipv4.h"
#include "models/wire/udp.h"

namespace ol::traffic {

namespace dh = wire::dhcp;
using wire::DhcpMessage;
using wire::Ipv4Addr;

DhcpServer::DhcpServer(kernel::Netns& ns, DhcpServerConf conf) : ns_(ns), conf_(std::move(conf)) {
  sock_ = ns_.sockets.udp_bind({}, dh::kServerPort);
  if (sock_) sock_->on_readable = [this] { wake(ns_.work.now()); };
}

DhcpServer::~DhcpServer() {
  stop();
  ns_.work.sim.cancel(wake_);
}

void DhcpServer::wake(Nanos at) {
  ns_.work.sim.cancel(wake_);
  wake_ = ns_.work.sim.timer_at(at, this, 0);
}

void DhcpServer::stop() {
  if (!sock_) return;
  ns_.sockets.udp_close(dh::kServerPort);
  sock_ = nullptr;
}

// The server's loop: one recvmsg per wake-up, then the reply.
void DhcpServer::on_event(std::uint64_t) {
  wake_ = {};
  if (!sock_) return;
  while (!sock_->rx.empty()) {
    if (!ns_.work.begin_process(ns_.cpu, thread_, true)) return wake(ns_.work.process_ready_at(*ns_.cpu, thread_, true));
    kernel::PacketPtr p = kernel::udp_recvmsg(ns_, *sock_);
    const auto ip = wire::Ipv4View::new_checked(p->bytes());
    std::optional<DhcpMessage> m;
    if (ip)
      if (auto udp = wire::UdpView::new_checked(ip->payload())) m = DhcpMessage::parse(udp->payload());
    p.reset();
    if (m && m->op == dh::kBootRequest) handle(*m);
    ns_.work.end();
  }
}

void DhcpServer::handle(const DhcpMessage& m) {
  const Nanos now = ns_.work.now();  // lease_prune: expired leases free their addresses
  std::erase_if(leases_, [now](const DhcpServerLease& l) { return l.expires <= now; });
  const auto t = m.type();
  if (!t) return;
  if (*t == dh::MsgType::Discover) return discover(m);
  if (*t == dh::MsgType::Request) return request(m);
  if (*t == dh::MsgType::Release) return release(m);
}

DhcpServerLease* DhcpServer::find_lease(const DhcpMessage& m) {
  const wire::DhcpOption* id = m.option(dh::kClientId);
  for (auto& l : leases_)
    if (id ? l.client_id == id->data : l.mac == m.chaddr) return &l;
  return nullptr;
}

// address_allocate with --dhcp-sequential-ip: from the highest address leased (or the range's
// start), the first that no lease holds and that is not the server's own.
std::optional<Ipv4Addr> DhcpServer::address_allocate(const DhcpMessage&) {
  Ipv4Addr start = conf_.range_start;
  for (const auto& l : leases_)
    if (l.ip.v > start.v && in_range(l.ip)) start = l.ip;
  Ipv4Addr a = start;
  do {
    const bool taken = a == conf_.address.addr ||
                       std::any_of(leases_.begin(), leases_.end(), [a](const DhcpServerLease& l) { return l.ip == a; });
    if (!taken) return a;
    a.v = a.v == conf_.range_end.v ? conf_.range_start.v : a.v + 1;
  } while (a != start);
  return std::nullopt;
}

void DhcpServer::discover(const DhcpMessage& m) {
  note(fmt::format("DHCPDISCOVER({}) {}", conf_.dev, m.chaddr.str()));
  std::optional<Ipv4Addr> a;
  if (const DhcpServerLease* l = find_lease(m)) a = l->ip;
  else a = address_allocate(m);
  if (!a) return note(fmt::format("DHCPDISCOVER({}) {} no address available", conf_.dev, m.chaddr.str()));
  send(dh::MsgType::Offer, m, *a);
}

void DhcpServer::request(const DhcpMessage& m) {
  const auto server_id = m.addr(dh::kServerId);
  if (server_id && *server_id != conf_.address.addr) return;  // the client chose another server
  const auto requested = m.addr(dh::kRequestedIp);
  const Ipv4Addr a = requested ? *requested : m.ciaddr;  // SELECTING / INIT-REBOOT, else RENEWING or REBINDING
  note(fmt::format("DHCPREQUEST({}) {} {}", conf_.dev, a.str(), m.chaddr.str()));
  DhcpServerLease* mine = find_lease(m);
  const bool other = std::any_of(leases_.begin(), leases_.end(),
                                 [&](const DhcpServerLease& l) { return l.ip == a && &l != mine; });
  if (!in_range(a) || other || a == conf_.address.addr)
    return send(dh::MsgType::Nak, m, {}, other ? "address in use" : "address not available");
  if (!mine) {
    leases_.push_back({m.chaddr, a, {}, 0});
    mine = &leases_.back();
    if (const wire::DhcpOption* id = m.option(dh::kClientId)) mine->client_id = id->data;
  }
  mine->ip = a;
  mine->mac = m.chaddr;
  mine->expires = ns_.work.now() + conf_.lease_time;
  send(dh::MsgType::Ack, m, a);
}

void DhcpServer::release(const DhcpMessage& m) {
  const auto server_id = m.addr(dh::kServerId);
  if (server_id && *server_id != conf_.address.addr) return;
  note(fmt::format("DHCPRELEASE({}) {} {}", conf_.dev, m.ciaddr.str(), m.chaddr.str()));
  DhcpServerLease* l = find_lease(m);
  if (l && l->ip == m.ciaddr) leases_.erase(leases_.begin() + (l - leases_.data()));
}

void DhcpServer::send(dh::MsgType type, const DhcpMessage& req, Ipv4Addr yiaddr, const char* why) {
  DhcpMessage r;
  r.op = dh::kBootReply;
  r.xid = req.xid;
  r.broadcast = req.broadcast;
  r.ciaddr = req.ciaddr;
  r.giaddr = req.giaddr;
  r.chaddr = req.chaddr;
  r.pad_to = 0;
  r.set(dh::kMsgType, {std::uint8_t(type)});
  r.set_addr(dh::kServerId, conf_.address.addr);
  if (type == dh::MsgType::Nak) {
    r.set(dh::kMessage, std::vector<std::uint8_t>(why, why + std::char_traits<char>::length(why)));
    r.broadcast = true;  // RFC 2131 4.3.2: a NAK is broadcast
  } else {
    r.yiaddr = yiaddr;
    r.siaddr = conf_.address.addr;  // dnsmasq: next server defaults to itself
    const auto secs = std::uint32_t(conf_.lease_time / kNanosPerSecond);
    r.set_u32(dh::kLeaseTime, secs);
    r.set_u32(dh::kRenewalTime, secs / 2);
    r.set_u32(dh::kRebindingTime, secs / 8 * 7);
    r.set_u32(dh::kSubnetMask, conf_.address.mask());
    r.set_addr(dh::kBroadcastAddr, conf_.address.broadcast());
    if (!conf_.routes.empty()) r.set(dh::kClasslessRoutes, wire::encode_classless_routes(conf_.routes));
    r.set_addr(dh::kRouter, conf_.router.value_or(conf_.address.addr));
  }
  note(fmt::format("DHCP{}({}) {}{}", wire::dhcp_type_name(type), conf_.dev,
                   type == dh::MsgType::Nak ? "" : yiaddr.str() + " ", req.chaddr.str()));
  buf_ = r.bytes();
  kernel::Device* dev = ns_.dev_by_name(conf_.dev);
  Ipv4Addr dst = r.broadcast ? Ipv4Addr{0xffffffffu} : !req.ciaddr.is_zero() ? req.ciaddr : yiaddr;
  if (dev && !r.broadcast && req.ciaddr.is_zero())  // SIOCSARP for a client that cannot answer ARP yet
    ns_.neigh.add(dev, dst, req.chaddr, kernel::Nud::Stale, true);
  // dnsmasq sends a broadcast reply to 255.255.255.255 out of the interface; the model's output
  // routing has no limited broadcast, so it goes to the subnet's broadcast: the same frame (to
  // ff:ff:ff:ff:ff:ff), another IP destination.
  if (r.broadcast) dst = conf_.address.broadcast();
  kernel::udp_sendmsg(ns_, dh::kServerPort, dst, dh::kClientPort, std::uint32_t(buf_.size()), buf_.data(), traced,
                      kernel::PmtuDisc::Want, nullptr);
}

}  // namespace ol::traffic
