#include "models/kernel/packet.h"

#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "models/wire/arp.h"
#include "models/wire/dhcp.h"
#include "models/wire/ethernet.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"
#include "models/wire/tcp.h"
#include "models/wire/udp.h"
#include "models/wire/vxlan.h"

namespace ol::kernel {

void PacketReturn::operator()(Packet* p) const { pool->release(p); }

void Packet::grow(std::uint32_t needed) {
  if (needed > kLargeCap) throw std::length_error("packet larger than 64 KiB plus headroom");
  std::unique_ptr<std::uint8_t[]> bigger(new std::uint8_t[kLargeCap]);
  std::memcpy(bigger.get(), buf, head + len);
  storage_ = std::move(bigger);
  buf = storage_.get();
  cap = kLargeCap;
}

PacketPtr PacketPool::get(std::uint32_t data) {
  const bool small = Packet::kHeadroom + data <= Packet::kSmallCap;
  auto& free = small ? free_small_ : free_large_;
  Packet* p;
  if (!free.empty()) {
    p = free.back().release();
    free.pop_back();
  } else {
    p = new Packet(small ? Packet::kSmallCap : Packet::kLargeCap);
    ++allocated_;
  }
  p->head = Packet::kHeadroom;
  p->len = 0;
  p->id = 0;
  p->traced = false;
  p->flow = 0;
  p->gso_size = 0;
  p->gso_payload = 0;
  p->at_l3 = false;
  p->pkt_type = PktType::Host;
  p->dev = nullptr;
  return PacketPtr(p, PacketReturn{this});
}

PacketPtr PacketPool::clone(const Packet& src) {
  PacketPtr p = get(src.head + src.len > Packet::kHeadroom ? src.head + src.len - Packet::kHeadroom : 0);
  p->head = src.head;
  p->len = src.len;
  p->id = src.id;
  p->traced = src.traced;
  p->flow = src.flow;
  p->gso_size = src.gso_size;
  p->gso_payload = src.gso_payload;
  p->at_l3 = src.at_l3;
  p->pkt_type = src.pkt_type;
  p->dev = src.dev;
  std::memcpy(p->data(), src.data(), src.len);
  return p;
}

namespace {

void describe_ip(wire::Bytes b, std::string& out, int depth);

void describe_eth(wire::Bytes b, std::string& out, int depth) {
  auto eth = wire::EthernetView::new_checked(b);
  if (!eth) {
    out += fmt::format("data {}", b.size());
    return;
  }
  out += "eth 14";
  b = eth->payload();
  if (eth->ethertype() == std::uint16_t(wire::EtherType::Arp)) out += fmt::format(" | arp {}", b.size());
  else if (eth->is_ipv4()) describe_ip(b, out.append(" | "), depth);
  else out += fmt::format(" | data {}", b.size());
}

void describe_ip(wire::Bytes b, std::string& out, int depth) {
  auto ip = wire::Ipv4View::new_checked(b);
  if (!ip) {
    out += fmt::format("data {}", b.size());
    return;
  }
  out += fmt::format("ipv4 {}", ip->header_len());
  const wire::Bytes rest = ip->payload();
  if (ip->frag_offset_units() != 0) {
    out += fmt::format(" | fragment {}", rest.size());
    return;
  }
  auto udp = ip->protocol() == std::uint8_t(wire::IpProto::Udp) ? wire::UdpView::new_checked(rest) : std::nullopt;
  if (ip->protocol() == std::uint8_t(wire::IpProto::Icmp) && rest.size() >= wire::icmp::kHeaderLen) {
    out += fmt::format(" | icmp 8 | data {}", rest.size() - wire::icmp::kHeaderLen);
  } else if (udp) {
    out += " | udp 8";
    const wire::Bytes payload = rest.subspan(wire::udp::kHeaderLen);
    // Encapsulations on their well-known ports: VXLAN (Linux 8472, IANA 4789) and flannel's UDP (8285).
    auto port_is = [&](std::uint16_t port) { return udp->dst_port() == port || udp->src_port() == port; };
    auto vx = wire::VxlanView::new_checked(payload);
    if (depth == 0 && (port_is(8472) || port_is(4789)) && vx && vx->flag_i() && vx->payload().size() >= 14) {
      out += " | vxlan 8 | ";
      describe_eth(vx->payload(), out, depth + 1);
    } else if (depth == 0 && port_is(8285) && wire::Ipv4View::new_checked(payload)) {
      describe_ip(payload, out.append(" | "), depth + 1);
    } else if (port_is(wire::dhcp::kServerPort) || port_is(wire::dhcp::kClientPort)) {
      auto m = wire::DhcpMessage::parse(payload);
      const auto t = m ? m->type() : std::nullopt;
      out += t ? fmt::format(" | dhcp {} {}", wire::dhcp_type_name(*t), payload.size()) : fmt::format(" | data {}", payload.size());
    } else {
      out += fmt::format(" | data {}", payload.size());
    }
  } else if (auto tcp = ip->protocol() == std::uint8_t(wire::IpProto::Tcp) ? wire::TcpView::new_checked(rest) : std::nullopt) {
    out += fmt::format(" | tcp {}", tcp->header_len());
    if (tcp->flags() & (wire::tcp::kSyn | wire::tcp::kFin | wire::tcp::kRst)) out += " " + wire::tcp_flags_str(tcp->flags());
    if (rest.size() > tcp->header_len()) out += fmt::format(" | data {}", rest.size() - tcp->header_len());
  } else {
    out += fmt::format(" | data {}", rest.size());
  }
}

}  // namespace

std::string describe_headers(const Packet& p) {
  std::string out;
  const wire::Bytes b = p.bytes();
  auto arp = wire::ArpView::new_checked(b);
  if (p.at_l3 && arp && arp->hardware_type() == 1 && arp->protocol_type() == 0x0800)
    out = fmt::format("arp {}", b.size());  // an ARP packet after eth_type_trans
  else if (p.at_l3) describe_ip(b, out, 0);
  else describe_eth(b, out, 0);
  return out;
}

}  // namespace ol::kernel
