#include "models/wire/udp.h"

#include "models/wire/checksum.h"

namespace ol::wire {

std::optional<UdpRepr> UdpRepr::parse(Bytes b) {
  auto p = UdpView::new_checked(b);
  if (!p) return std::nullopt;
  return UdpRepr{p->src_port(), p->dst_port(), p->len(), p->checksum()};
}

void UdpRepr::emit(MutBytes b) const {
  auto p = UdpViewMut::new_unchecked(b.first(kLen));
  p.set_src_port(src_port);
  p.set_dst_port(dst_port);
  p.set_len(length);
  p.set_checksum(checksum);
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
