#include "models/wire/udp.h"

#include "models/wire/checksum.h"

namespace ol::wire {

std::optional<UdpRepr> UdpRepr::parse(Bytes b) {
  if (b.size() < kLen) return std::nullopt;
  const auto* p = b.data();
  UdpRepr r{get16(p), get16(p + 2), get16(p + 4), get16(p + 6)};
  if (r.length < kLen || r.length > b.size()) return std::nullopt;
  return r;
}

void UdpRepr::emit(MutBytes b) const {
  auto* p = b.data();
  put16(p, src_port);
  put16(p + 2, dst_port);
  put16(p + 4, length);
  put16(p + 6, checksum);
}

namespace {
std::uint32_t pseudo_header_sum(Ipv4Addr src, Ipv4Addr dst, std::size_t len) {
  return (src.v >> 16) + (src.v & 0xffff) + (dst.v >> 16) + (dst.v & 0xffff) + 17 + std::uint32_t(len);
}
}  // namespace

std::uint16_t udp_checksum(Ipv4Addr src, Ipv4Addr dst, Bytes datagram) {
  auto c = checksum_fold(checksum_add(pseudo_header_sum(src, dst, datagram.size()), datagram));
  return c == 0 ? 0xffff : c;
}

bool udp_checksum_ok(Ipv4Addr src, Ipv4Addr dst, Bytes datagram) {
  return checksum_fold(checksum_add(pseudo_header_sum(src, dst, datagram.size()), datagram)) == 0;
}

}  // namespace ol::wire
