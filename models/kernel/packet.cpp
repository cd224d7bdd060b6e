#include "models/kernel/packet.h"

#include <cstring>

#include <fmt/format.h>

#include "models/wire/ethernet.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"
#include "models/wire/udp.h"
#include "models/wire/vxlan.h"

namespace ol::kernel {

void PacketReturn::operator()(Packet* p) const { pool->release(p); }

PacketPtr PacketPool::get() {
  Packet* p;
  if (!free_.empty()) {
    p = free_.back().release();
    free_.pop_back();
  } else {
    p = new Packet;
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
  PacketPtr p = get();
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
  auto eth = wire::EthernetRepr::parse(b);
  if (!eth) {
    out += fmt::format("data {}", b.size());
    return;
  }
  out += "eth 14";
  b = b.subspan(14);
  if (eth->ethertype == std::uint16_t(wire::EtherType::Arp)) out += fmt::format(" | arp {}", b.size());
  else if (eth->ethertype == std::uint16_t(wire::EtherType::Ipv4)) describe_ip(b, out.append(" | "), depth);
  else out += fmt::format(" | data {}", b.size());
}

void describe_ip(wire::Bytes b, std::string& out, int depth) {
  auto ip = wire::Ipv4Repr::parse(b);
  if (!ip) {
    out += fmt::format("data {}", b.size());
    return;
  }
  out += fmt::format("ipv4 {}", ip->header_len());
  auto rest = b.subspan(ip->header_len(), std::min<std::size_t>(b.size(), ip->total_len) - ip->header_len());
  if (ip->frag_offset != 0) {
    out += fmt::format(" | fragment {}", rest.size());
    return;
  }
  if (ip->protocol == std::uint8_t(wire::IpProto::Icmp) && rest.size() >= 8) {
    out += fmt::format(" | icmp 8 | data {}", rest.size() - 8);
  } else if (ip->protocol == std::uint8_t(wire::IpProto::Udp) && rest.size() >= 8) {
    auto udp = wire::UdpRepr::parse(rest);
    out += " | udp 8";
    auto payload = rest.subspan(8);
    // Encapsulations on their well-known ports: VXLAN (Linux 8472, IANA 4789) and flannel's UDP (8285).
    auto port_is = [&](std::uint16_t port) { return udp && (udp->dst_port == port || udp->src_port == port); };
    if (depth == 0 && (port_is(8472) || port_is(4789)) && payload.size() >= 8 + 14 &&
        wire::VxlanRepr::parse(payload)) {
      out += " | vxlan 8 | ";
      describe_eth(payload.subspan(8), out, depth + 1);
    } else if (depth == 0 && port_is(8285) && wire::Ipv4Repr::parse(payload)) {
      describe_ip(payload, out.append(" | "), depth + 1);
    } else {
      out += fmt::format(" | data {}", payload.size());
    }
  } else if (ip->protocol == std::uint8_t(wire::IpProto::Tcp) && rest.size() >= 20) {
    out += fmt::format(" | tcp 20 | data {}", rest.size() - 20);
  } else {
    out += fmt::format(" | data {}", rest.size());
  }
}

}  // namespace

std::string describe_headers(const Packet& p) {
  std::string out;
  wire::Bytes b(p.data(), p.size());
  if (p.at_l3 && b.size() >= 4 && wire::get16(b.data()) == 1 && wire::get16(b.data() + 2) == 0x0800)
    out = fmt::format("arp {}", b.size());  // an ARP packet after eth_type_trans
  else if (p.at_l3) describe_ip(b, out, 0);
  else describe_eth(b, out, 0);
  return out;
}

}  // namespace ol::kernel
