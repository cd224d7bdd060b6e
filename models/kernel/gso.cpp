#include "models/kernel/gso.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "models/kernel/cpu_work.h"
#include "models/kernel/netns.h"
#include "models/wire/bytes.h"
#include "models/wire/checksum.h"
#include "models/wire/ipv4.h"
#include "models/wire/udp.h"

namespace ol::kernel {

namespace {

// Where the headers are: every IPv4 header on the way in (an encapsulated packet has two), the
// UDP header of a VXLAN encapsulation, and the TCP header whose payload is cut.
struct Layout {
  std::array<std::size_t, 2> ip{};
  std::size_t ips = 0;
  std::size_t udp = 0;  // 0: none
  std::size_t tcp = 0;
  std::size_t hdrs = 0;
};

bool layout(const Packet& p, Layout& l) {
  const std::uint8_t* d = p.data();
  std::size_t off = p.at_l3 ? 0 : 14;
  while (l.ips < l.ip.size() && off + 20 <= p.size()) {
    l.ip[l.ips++] = off;
    const std::size_t ihl = wire::ipv4_header_len(d + off);
    const std::uint8_t proto = wire::ipv4_proto(d + off);
    if (proto == std::uint8_t(wire::IpProto::Tcp)) {
      l.tcp = off + ihl;
      l.hdrs = l.tcp + std::size_t(d[l.tcp + 12] >> 4) * 4;
      return true;
    }
    if (proto != std::uint8_t(wire::IpProto::Udp)) return false;
    l.udp = off + ihl;
    off = l.udp + wire::UdpRepr::kLen + 8 + 14;  // VXLAN header, inner Ethernet
  }
  return false;
}

}  // namespace

void skb_gso_segment(Netns& ns, PacketPtr p, const std::function<void(PacketPtr)>& out) {
  Layout l;
  if (!p->gso_size || !layout(*p, l)) return out(std::move(p));
  const std::uint8_t* h = p->data();
  const std::uint32_t payload = p->size() - std::uint32_t(l.hdrs);
  const std::uint32_t seq0 = wire::get32(h + l.tcp + 4);
  std::array<std::uint16_t, 2> id0{};
  for (std::size_t k = 0; k < l.ips; ++k) id0[k] = wire::get16(h + l.ip[k] + wire::Ipv4Repr::kId);
  std::uint32_t i = 0;
  for (std::uint32_t off = 0; off < payload; off += p->gso_size, ++i) {
    const std::uint32_t n = std::min<std::uint32_t>(p->gso_size, payload - off);
    ns.work.charge(cost::Step::GsoSegment, n);
    PacketPtr s = ns.pool.get();
    s->id = p->id;
    s->traced = p->traced;
    s->flow = p->flow;
    s->at_l3 = p->at_l3;
    s->pkt_type = p->pkt_type;
    s->dev = p->dev;
    const std::uint32_t len = std::uint32_t(l.hdrs) + n;
    std::uint8_t* d = s->put(len);
    std::memcpy(d, h, l.hdrs);
    std::memcpy(d + l.hdrs, h + l.hdrs + off, n);
    wire::put32(d + l.tcp + 4, seq0 + off);
    for (std::size_t k = 0; k < l.ips; ++k) {  // each IPv4 header: its length, id and checksum
      std::uint8_t* ip = d + l.ip[k];
      wire::put16(ip + wire::Ipv4Repr::kTotLen, std::uint16_t(len - l.ip[k]));
      wire::put16(ip + wire::Ipv4Repr::kId, std::uint16_t(id0[k] + i));
      wire::put16(ip + wire::Ipv4Repr::kCsum, 0);
      wire::put16(ip + wire::Ipv4Repr::kCsum, wire::internet_checksum(wire::Bytes(ip, wire::ipv4_header_len(ip))));
    }
    if (l.udp) {  // the tunnel's UDP length, and its checksum over this segment
      const std::uint16_t udp_len = std::uint16_t(len - l.udp);
      wire::put16(d + l.udp + 4, udp_len);
      wire::put16(d + l.udp + 6, 0);
      const std::uint8_t* outer = d + l.ip[0];
      wire::put16(d + l.udp + 6, wire::udp_checksum(wire::ipv4_src(outer), wire::ipv4_dst(outer), wire::Bytes(d + l.udp, udp_len)));
    }
    out(std::move(s));
  }
}

}  // namespace ol::kernel
