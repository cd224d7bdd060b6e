#include "models/kernel/gso.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "models/kernel/cpu_work.h"
#include "models/kernel/netns.h"
#include "models/wire/bytes.h"
#include "models/wire/checksum.h"
#include "models/wire/ethernet.h"
#include "models/wire/ipv4.h"
#include "models/wire/tcp.h"
#include "models/wire/udp.h"
#include "models/wire/vxlan.h"

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
  const wire::Bytes b = p.bytes();
  std::size_t off = p.at_l3 ? 0 : wire::ethernet::kHeaderLen;
  while (l.ips < l.ip.size() && off < b.size()) {
    auto ip = wire::Ipv4View::new_checked(b.subspan(off));
    if (!ip) return false;
    l.ip[l.ips++] = off;
    if (ip->protocol() == std::uint8_t(wire::IpProto::Tcp)) {
      l.tcp = off + ip->header_len();
      auto tcp = wire::TcpView::new_checked(b.subspan(l.tcp));
      if (!tcp) return false;
      l.hdrs = l.tcp + tcp->header_len();
      return true;
    }
    if (ip->protocol() != std::uint8_t(wire::IpProto::Udp)) return false;
    l.udp = off + ip->header_len();
    off = l.udp + wire::udp::kHeaderLen + wire::vxlan::kHeaderLen + wire::ethernet::kHeaderLen;  // to the inner IPv4
  }
  return false;
}

}  // namespace

void skb_gso_segment(Netns& ns, PacketPtr p, const std::function<void(PacketPtr)>& out) {
  Layout l;
  if (!p->gso_size || !layout(*p, l)) return out(std::move(p));
  const wire::Bytes h = p->bytes();
  const std::uint32_t payload = p->size() - std::uint32_t(l.hdrs);
  const std::uint32_t seq0 = wire::TcpView::new_unchecked(h.subspan(l.tcp)).seq_number();
  std::array<std::uint16_t, 2> id0{};
  for (std::size_t k = 0; k < l.ips; ++k) id0[k] = wire::Ipv4View::new_unchecked(h.subspan(l.ip[k])).ident();
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
    std::memcpy(d, h.data(), l.hdrs);
    std::memcpy(d + l.hdrs, h.data() + l.hdrs + off, n);
    const wire::MutBytes seg = s->bytes();
    wire::TcpViewMut::new_unchecked(seg.subspan(l.tcp)).set_seq_number(seq0 + off);
    for (std::size_t k = 0; k < l.ips; ++k) {  // each IPv4 header: its length, id and checksum
      auto ip = wire::Ipv4ViewMut::new_unchecked(seg.subspan(l.ip[k]));
      ip.set_total_len(std::uint16_t(len - l.ip[k]));
      ip.set_ident(std::uint16_t(id0[k] + i));
      ip.fill_checksum();
    }
    if (l.udp) {  // the tunnel's UDP length, and its checksum over this segment
      auto udp = wire::UdpViewMut::new_unchecked(seg.subspan(l.udp));
      udp.set_len(std::uint16_t(len - l.udp));
      udp.set_checksum(0);
      const auto outer = wire::Ipv4View::new_unchecked(seg.subspan(l.ip[0]));
      udp.set_checksum(wire::udp_checksum(outer.src_addr(), outer.dst_addr(), udp.datagram()));
    }
    if (p->sk) {  // tcp_gso_segment: each segment carries the socket and its share of the charge
      const std::uint32_t segs = p->gso_segs(), share = p->sk_truesize / segs;
      ns.pool.wmem.set_owner_w(*s, p->sk, i + 1 == segs ? p->sk_truesize - share * (segs - 1) : share);
    }
    out(std::move(s));
  }
}

}  // namespace ol::kernel
