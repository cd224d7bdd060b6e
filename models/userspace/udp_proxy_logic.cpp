#include "models/userspace/udp_proxy_logic.h"

#include <algorithm>
#include <cstring>

#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"

namespace ol::flannel::proxy {

void RouteList::swap_entries(std::size_t a, std::size_t b) {
  std::swap(routes_[a], routes_[b]);
  *at_.find(key(routes_[a].subnet)) = std::uint32_t(a);
  *at_.find(key(routes_[b].subnet)) = std::uint32_t(b);
}

void RouteList::set(const wire::Ipv4Prefix& subnet, wire::Ipv4Addr peer, std::uint16_t port) {
  if (const std::uint32_t* i = at_.find(key(subnet))) {
    routes_[*i].peer = peer;
    routes_[*i].port = port;
    return;
  }
  at_.insert(key(subnet), std::uint32_t(routes_.size()));
  routes_.push_back({subnet, peer, port});
}

void RouteList::reserve(std::size_t routes) {
  // Never less than doubling: messages that come one at a time must not reallocate every time.
  if (routes > routes_.capacity()) routes_.reserve(std::max(routes, 2 * routes_.capacity()));
  at_.reserve(routes);
}

bool RouteList::del(const wire::Ipv4Prefix& subnet) {
  const std::uint32_t* at = at_.find(key(subnet));
  if (!at) return false;
  const std::size_t i = *at;
  at_.erase(key(subnet));
  if (i + 1 != routes_.size()) {  // routes[i] = routes[routes_cnt-1]
    routes_[i] = routes_.back();
    *at_.find(key(routes_[i].subnet)) = std::uint32_t(i);
  }
  routes_.pop_back();
  return true;
}

const Route* RouteList::find(wire::Ipv4Addr dst) {
  for (std::size_t i = 0; i < routes_.size(); ++i)
    if (routes_[i].subnet.contains(dst)) {
      if (i != 0) swap_entries(i, 0);
      return &routes_[0];
    }
  return nullptr;
}

bool decrement_ttl(wire::MutBytes ip_packet) {
  // Only the TTL and the checksum are touched (RFC 1624's patch), never the header length: the
  // bytes may be anything (recomputing the sum over ihl*4 bytes read past a short datagram, which
  // fuzzing found). A TTL of 0 becomes 255 and goes on, with flannel's same +0x100 patch.
  const auto ip = wire::Ipv4ViewMut::new_unchecked(ip_packet);
  if (ip.ttl() == 1) return false;
  ip.decrease_ttl();
  return true;
}

std::size_t build_net_unreachable(wire::Bytes offender, wire::Ipv4Addr tun_addr, wire::MutBytes out) {
  const auto off = wire::Ipv4View::new_unchecked(offender);
  const std::size_t hl = off.header_len();
  if (hl >= 60) return 0;                                           // "mulformed ip pkt"
  if (off.protocol() == std::uint8_t(wire::IpProto::Icmp)) return 0;  // RFC 792: no ICMP about ICMP
  if (off.frag_offset_units() != 0) return 0;                       // only for the first fragment
  const std::size_t len = net_unreachable_len(hl);
  std::fill(out.begin(), out.begin() + std::ptrdiff_t(len), 0);
  std::memcpy(out.data() + 28, offender.data(), std::min(offender.size(), hl + 8));
  wire::IcmpRepr{wire::icmp::kDestUnreach, wire::icmp::kNetUnreach, 0, 0, 0}.emit_message(out.subspan(20, len - 20));
  wire::Ipv4Repr ip;
  ip.total_len = std::uint16_t(len);
  ip.ttl = 8;
  ip.protocol = std::uint8_t(wire::IpProto::Icmp);
  ip.src = tun_addr;
  ip.dst = off.src_addr();
  ip.emit(out.first(20));
  return len;
}

}  // namespace ol::flannel::proxy
