#include "models/userspace/dhcp_lease.h"

#include <utility>

#include <fmt/format.h>

#include "models/kernel/af_packet.h"
#include "models/kernel/device.h"
#include "models/kernel/netns.h"
#include "models/kernel/cpu_work.h"
#include "models/cost/cpu.h"
#include "models/wire/ethernet.h"
#include "models/wire/ipv4.h"
#include "models/wire/udp.h"
#include "sim/timer.h"

namespace ol::traffic {

namespace dh = wire::dhcp;
using wire::DhcpMessage;

namespace {
constexpr Nanos kSecond = kNanosPerSecond;
constexpr Nanos kResendDelay0 = 4 * kSecond, kResendFastDelay = 2 * kSecond;
constexpr int kResendFastMax = 4;
// Event cookies: what is due.
enum : std::uint64_t { kRx = 0, kTimeout = 1, kRetry = 2 };
// getOptionsWithClientId: option 61 is a type byte 0 and "containerID/netName/ifName".
std::vector<std::uint8_t> client_id_option(const std::string& id) {
  std::vector<std::uint8_t> v(id.size() + 1, 0);
  std::copy(id.begin(), id.end(), v.begin() + 1);
  return v;
}
std::string seconds(Nanos t) { return fmt::format("{:.6f}", double(t) / 1e9); }
// Go's time.Duration.String, as the daemon prints its -timeout: "10s", "1.5s", "1m30s", "500ms".
std::string go_duration(Nanos t) {
  if (t < kSecond) return t % kNanosPerMilli ? fmt::format("{}µs", double(t) / 1e3) : fmt::format("{}ms", t / kNanosPerMilli);
  std::string out;
  if (t >= 3600 * kSecond) out += fmt::format("{}h", t / (3600 * kSecond));
  if (t >= 60 * kSecond) out += fmt::format("{}m", t / (60 * kSecond) % 60);
  return out + fmt::format("{}s", double(t % (60 * kSecond)) / 1e9);
}
}  // namespace

const char* lease_state_name(LeaseState s) {
  static const char* const names[] = {"acquiring", "bound", "renewing", "rebinding", "failed", "expired", "released"};
  return names[std::size_t(s)];
}

DhcpLease::DhcpLease(kernel::Netns& ns, std::string ifname, std::string client_id, DhcpClientConf conf, RandomStream rand)
    : ns_(ns), ifname_(std::move(ifname)), client_id_(std::move(client_id)), conf_(conf), rand_(rand) {
  maintain_timer_ = std::make_unique<DaemonTimer>(ns_.work.sim, [this] { maintain(); });
}

DhcpLease::~DhcpLease() {
  close_socket();
  for (EventId id : ids_) ns_.work.sim.cancel(id);
}

// One pending event of each kind at most, so that a lease can go away with nothing left pending.
void DhcpLease::schedule(std::uint64_t kind, Nanos at) {
  ns_.work.sim.cancel(ids_[kind]);
  ids_[kind] = ns_.work.sim.timer_at(at, this, kind);
}

Nanos DhcpLease::now() const { return ns_.work.now(); }

void DhcpLease::acquire() {
  note(client_id_ + ": acquiring lease");
  state_ = LeaseState::Acquiring;
  start_op(Op::Acquire);
}

// newDHCPClient: the packet socket on the link (by name in the container's namespace), then the
// first try of backoffRetry.
void DhcpLease::start_op(Op op) {
  op_ = op;
  base_delay_ = kResendDelay0;
  fast_left_ = kResendFastMax;
  if (!open_socket()) return op_done(false, fmt::format("error looking up \"{}\": Link not found", ifname_));
  if (op == Op::Acquire && !sock_->dev->admin_up && set_link) {
    note(fmt::format("Link \"{}\" down. Attempting to set up", ifname_));
    set_link(ifname_, true);
  }
  attempt();
}

bool DhcpLease::open_socket() {
  kernel::Device* dev = ns_.dev_by_name(ifname_);
  if (!dev) return false;
  sock_ = kernel::packet_bind(ns_, *dev, std::uint16_t(wire::EtherType::Ipv4), [this](const kernel::Packet& p) {
    // packet_rcv: a copy of every IPv4 frame; the program keeps DHCP replies to port 68.
    const auto ip = wire::Ipv4View::new_checked(p.bytes());
    if (!ip || ip->protocol() != std::uint8_t(wire::IpProto::Udp)) return;
    const auto udp = wire::UdpView::new_checked(ip->payload());
    if (!udp || udp->dst_port() != dh::kClientPort) return;
    auto m = DhcpMessage::parse(udp->payload());
    if (!m || m->op != dh::kBootReply) return;
    rx_.push_back(std::move(*m));
    schedule(kRx, ns_.work.now());
  });
  return true;
}

void DhcpLease::close_socket() {
  if (sock_) kernel::packet_close(ns_, sock_);
  sock_ = nullptr;
  rx_.clear();
}

DhcpMessage DhcpLease::request_base(dh::MsgType type) const {
  DhcpMessage m;
  m.chaddr = sock_->dev->mac;
  m.set(dh::kMsgType, {std::uint8_t(type)});
  m.set(dh::kClientId, client_id_option(client_id_));
  return m;
}

// One try of the function backoffRetry repeats: DhcpRequest (acquire) or DhcpRenew.
void DhcpLease::attempt() {
  xid_ = std::uint32_t(rand_.next());
  DhcpMessage m;
  if (op_ == Op::Acquire) {
    m = request_base(dh::MsgType::Discover);
    m.set(dh::kParamList, {dh::kSubnetMask, dh::kRouter});  // requestOptionsDefault
    wait_ = Wait::Offer;
  } else {  // RenewalRequestPacket: ciaddr, the address and the server it had
    m = request_base(dh::MsgType::Request);
    m.ciaddr = ack_->yiaddr;
    m.siaddr = ack_->siaddr;
    m.set_addr(dh::kRequestedIp, ack_->yiaddr);
    if (auto id = ack_->addr(dh::kServerId)) m.set_addr(dh::kServerId, *id);
    wait_ = Wait::Ack;
  }
  m.xid = xid_;
  if (!send(std::move(m))) return attempt_failed("network is down");
  schedule(kTimeout, now() + conf_.timeout);
}

bool DhcpLease::send(DhcpMessage m) {
  // pktsock Write: IPv4 (0.0.0.0 → 255.255.255.255, TTL 16) and UDP 68 → 67 without a checksum.
  const auto body = m.bytes();
  std::vector<std::uint8_t> pkt(wire::Ipv4Repr::kLen + wire::UdpRepr::kLen + body.size());
  wire::Ipv4Repr ip;
  ip.total_len = std::uint16_t(pkt.size());
  ip.id = std::uint16_t(rand_.below(256) << 8);  // rand.Read fills only the first byte of the id
  ip.ttl = 16;
  ip.protocol = std::uint8_t(wire::IpProto::Udp);
  ip.dst = {0xffffffffu};
  ip.emit(wire::MutBytes(pkt.data(), wire::Ipv4Repr::kLen));
  wire::UdpRepr{dh::kClientPort, dh::kServerPort, std::uint16_t(wire::UdpRepr::kLen + body.size()), 0}.emit(
      wire::MutBytes(pkt.data() + wire::Ipv4Repr::kLen, wire::UdpRepr::kLen));
  std::copy(body.begin(), body.end(), pkt.begin() + std::ptrdiff_t(wire::Ipv4Repr::kLen + wire::UdpRepr::kLen));
  if (!kernel::packet_sendmsg(ns_, *sock_, wire::MacAddr::broadcast(), pkt, traced)) return false;
  exchanges_.push_back({now(), true, std::move(m)});
  return true;
}

void DhcpLease::on_event(std::uint64_t cookie) {
  ids_[cookie] = {};
  if (op_ == Op::None || (cookie == kTimeout && wait_ == Wait::None)) return;  // stopped, or answered meanwhile
  if (!ns_.work.begin_process(ns_.cpu, thread_, true))  // the daemon's thread waits for its core
    return schedule(cookie, ns_.work.process_ready_at(*ns_.cpu, thread_, true));
  switch (cookie) {
    case kRx:
      while (!rx_.empty()) {
        DhcpMessage m = std::move(rx_.front());
        rx_.pop_front();
        received(std::move(m));
      }
      break;
    case kTimeout:
      wait_ = Wait::None;
      attempt_failed("no DHCP packet received within " + go_duration(conf_.timeout));
      break;
    case kRetry:
      // After the sleep: the delay doubles in the normal stage; past resendMax the loop ends.
      if (base_delay_ < conf_.resend_max && fast_left_ == 0) base_delay_ *= 2;
      else if (fast_left_ == 0) {
        op_done(false, "no more tries");
        break;
      }
      attempt();
      break;
  }
  ns_.work.end();
}

void DhcpLease::received(DhcpMessage m) {
  const auto t = m.type();
  if (!t || m.xid != xid_ || wait_ == Wait::None) return;  // not the reply it waits for
  if (wait_ == Wait::Offer) {
    if (*t != dh::MsgType::Offer) return;
    exchanges_.push_back({now(), false, m});
    offer_ = m;
    DhcpMessage r = request_base(dh::MsgType::Request);  // RequestPacket: the same xid
    r.xid = xid_;
    r.ciaddr = m.ciaddr;
    r.siaddr = m.siaddr;
    r.set_addr(dh::kRequestedIp, m.yiaddr);
    if (auto id = m.addr(dh::kServerId)) r.set_addr(dh::kServerId, *id);
    r.set(dh::kParamList, {dh::kSubnetMask, dh::kRouter});
    wait_ = Wait::Ack;
    if (!send(std::move(r))) return attempt_failed("network is down");
    schedule(kTimeout, now() + conf_.timeout);
    return;
  }
  if (*t != dh::MsgType::Ack && *t != dh::MsgType::Nak) return;
  exchanges_.push_back({now(), false, m});
  ns_.work.sim.cancel(ids_[kTimeout]);
  wait_ = Wait::None;
  if (*t == dh::MsgType::Nak)
    return attempt_failed(op_ == Op::Acquire ? "DHCP server NACK'd own offer" : "DHCP server did not renew lease");
  if (!m.u32(dh::kLeaseTime)) return attempt_failed("LeaseTime option not found");
  commit(m);
  op_done(true, "");
}

void DhcpLease::attempt_failed(const std::string& why) {
  note(why);
  Nanos sleep;
  const Nanos jitter = Nanos((2.0 * rand_.uniform01() - 1.0) * double(kSecond));  // [-1 s, 1 s)
  if (fast_left_ == 0) {
    sleep = base_delay_ + jitter;
  } else {
    sleep = kResendFastDelay + jitter;
    --fast_left_;
  }
  note("retrying in " + seconds(sleep) + " seconds");
  schedule(kRetry, now() + sleep);
}

// commit: T2 defaults to 85 % and T1 to 50 % of the lease when absent or out of order.
void DhcpLease::commit(const DhcpMessage& ack) {
  const Nanos lease = Nanos(*ack.u32(dh::kLeaseTime)) * kSecond;
  Nanos t2 = ack.u32(dh::kRebindingTime) ? Nanos(*ack.u32(dh::kRebindingTime)) * kSecond : lease + 1;
  if (t2 > lease) t2 = lease * 85 / 100;
  Nanos t1 = ack.u32(dh::kRenewalTime) ? Nanos(*ack.u32(dh::kRenewalTime)) * kSecond : t2 + 1;
  if (t1 > t2) t1 = lease / 2;
  const Nanos t = now();
  expire_ = t + lease;
  renewal_ = t + t1;
  rebinding_ = t + t2;
  ack_ = ack;
}

void DhcpLease::op_done(bool ok, const std::string& why) {
  const Op op = op_;
  close_socket();
  op_ = Op::None;
  wait_ = Wait::None;
  ns_.work.sim.cancel(ids_[kTimeout]);
  const std::string expiry = "expiration is " + seconds(expire_) + " s";
  if (state_ == LeaseState::Acquiring) {
    if (!ok) {
      state_ = LeaseState::Failed;
      error_ = why;
      return;
    }
    note(client_id_ + ": lease acquired, " + expiry);
  } else if (op == Op::Renew) {
    if (!ok) {
      note(client_id_ + ": " + why);
      if (now() > rebinding_) {
        note(client_id_ + ": renawal time expired, rebinding");  // sic, as the daemon logs it
        state_ = LeaseState::Rebinding;
        return start_op(Op::Acquire);
      }
      return start_op(Op::Renew);
    }
    note(client_id_ + ": lease renewed, " + expiry);
  } else {  // rebinding: a whole new acquisition
    if (!ok) {
      note(client_id_ + ": " + why);
      if (now() > expire_) {
        note(client_id_ + ": lease expired, bringing interface DOWN");
        state_ = LeaseState::Expired;
        if (set_link) set_link(ifname_, false);  // downIface
        return;
      }
      return start_op(Op::Acquire);
    }
    note(client_id_ + ": lease rebound, " + expiry);
  }
  state_ = LeaseState::Bound;
  maintain();
}

void DhcpLease::maintain() {
  if (state_ != LeaseState::Bound) return;
  if (renewal_ > now()) return maintain_timer_->arm(renewal_);
  note(client_id_ + ": renewing lease");
  state_ = LeaseState::Renewing;
  start_op(Op::Renew);
}

void DhcpLease::stop() {
  maintain_timer_->disarm();
  for (EventId& id : ids_) ns_.work.sim.cancel(std::exchange(id, {}));
  const bool held = ack_ && (state_ == LeaseState::Bound || state_ == LeaseState::Renewing || state_ == LeaseState::Rebinding);
  close_socket();
  op_ = Op::None;
  wait_ = Wait::None;
  if (held) {
    note(client_id_ + ": releasing lease");
    // The bridge plugin deletes the veth before it calls IPAM DEL: then there is no link to bind.
    if (!open_socket()) note(client_id_ + ": failed to release DHCP lease: no such device");
    else {  // ReleasePacket: ciaddr and the server, broadcast like the rest
      DhcpMessage m;  // ReleasePacket: 53 and 54, then the client id
      m.chaddr = sock_->dev->mac;
      m.xid = std::uint32_t(rand_.next());
      m.ciaddr = ack_->yiaddr;
      m.set(dh::kMsgType, {std::uint8_t(dh::MsgType::Release)});
      if (auto id = ack_->addr(dh::kServerId)) m.set_addr(dh::kServerId, *id);
      m.set(dh::kClientId, client_id_option(client_id_));
      send(std::move(m));
      close_socket();
    }
  }
  state_ = LeaseState::Released;
}

}  // namespace ol::traffic
