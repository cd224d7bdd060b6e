#include "models/kernel/gso.h"

#include <algorithm>
#include <cstring>

#include "models/kernel/world.h"
#include "models/wire/bytes.h"
#include "models/wire/checksum.h"
#include "models/wire/ipv4.h"

namespace ol::kernel {

void skb_gso_segment(World& w, PacketPtr p, const std::function<void(PacketPtr)>& out) {
  if (!p->gso_size) return out(std::move(p));
  const std::uint8_t* h = p->data();
  const std::size_t ihl = wire::ipv4_header_len(h);
  const std::size_t thl = std::size_t(h[ihl + 12] >> 4) * 4;
  const std::size_t hdrs = ihl + thl;
  const std::uint32_t payload = p->size() - std::uint32_t(hdrs);
  const std::uint32_t seq0 = wire::get32(h + ihl + 4);
  const std::uint16_t id0 = wire::get16(h + wire::Ipv4Repr::kId);
  std::uint32_t i = 0;
  for (std::uint32_t off = 0; off < payload; off += p->gso_size, ++i) {
    const std::uint32_t n = std::min<std::uint32_t>(p->gso_size, payload - off);
    w.charge(cost::Step::GsoSegment, n);
    PacketPtr s = w.pool.get();
    s->id = p->id;
    s->traced = p->traced;
    s->flow = p->flow;
    s->at_l3 = true;
    s->dev = p->dev;
    std::uint8_t* d = s->put(std::uint32_t(hdrs + n));
    std::memcpy(d, h, hdrs);
    std::memcpy(d + hdrs, h + hdrs + off, n);
    wire::put16(d + wire::Ipv4Repr::kTotLen, std::uint16_t(hdrs + n));
    wire::put16(d + wire::Ipv4Repr::kId, std::uint16_t(id0 + i));
    wire::put16(d + wire::Ipv4Repr::kCsum, 0);
    wire::put16(d + wire::Ipv4Repr::kCsum, wire::internet_checksum(wire::Bytes(d, ihl)));
    wire::put32(d + ihl + 4, seq0 + off);
    out(std::move(s));
  }
}

}  // namespace ol::kernel
