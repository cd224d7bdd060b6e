#include "models/wire/ipv4.h"

#include "models/wire/checksum.h"

namespace ol::wire {

std::optional<Ipv4Repr> Ipv4Repr::parse(Bytes b) {
  if (b.size() < kLen) return std::nullopt;
  const auto* p = b.data();
  if ((p[kVerIhl] >> 4) != 4) return std::nullopt;
  Ipv4Repr r;
  r.ihl = p[kVerIhl] & 0x0f;
  if (r.ihl < 5 || b.size() < r.header_len()) return std::nullopt;
  r.tos = p[kTos];
  r.total_len = get16(p + kTotLen);
  r.id = get16(p + kId);
  auto frag = get16(p + kFrag);
  r.df = frag & kFlagDF;
  r.mf = frag & kFlagMF;
  r.frag_offset = frag & kOffsetMask;
  r.ttl = p[kTtl];
  r.protocol = p[kProto];
  r.checksum = get16(p + kCsum);
  r.src = Ipv4Addr{get32(p + kSrc)};
  r.dst = Ipv4Addr{get32(p + kDst)};
  return r;
}

void Ipv4Repr::emit(MutBytes b) const {
  auto* p = b.data();
  p[kVerIhl] = std::uint8_t(0x45);
  p[kTos] = tos;
  put16(p + kTotLen, total_len);
  put16(p + kId, id);
  put16(p + kFrag, std::uint16_t((df ? kFlagDF : 0) | (mf ? kFlagMF : 0) | (frag_offset & kOffsetMask)));
  p[kTtl] = ttl;
  p[kProto] = protocol;
  put16(p + kCsum, 0);
  put32(p + kSrc, src.v);
  put32(p + kDst, dst.v);
  put16(p + kCsum, internet_checksum(Bytes(p, kLen)));
}

bool ipv4_checksum_ok(Bytes header) { return internet_checksum(header) == 0; }

}  // namespace ol::wire
