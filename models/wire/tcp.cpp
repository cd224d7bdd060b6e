#include "models/wire/tcp.h"

namespace ol::wire {

std::optional<TcpRepr> TcpRepr::parse(Bytes b) {
  if (b.size() < kLen) return std::nullopt;
  const auto* p = b.data();
  TcpRepr r{get16(p), get16(p + 2), get32(p + 4), get32(p + 8), std::uint8_t(p[12] >> 4), p[13],
            get16(p + 14), get16(p + 16), get16(p + 18)};
  if (r.data_offset < 5 || std::size_t(r.data_offset) * 4 > b.size()) return std::nullopt;
  return r;
}

void TcpRepr::emit(MutBytes b) const {
  auto* p = b.data();
  put16(p, src_port);
  put16(p + 2, dst_port);
  put32(p + 4, seq);
  put32(p + 8, ack);
  p[12] = std::uint8_t(data_offset << 4);
  p[13] = flags;
  put16(p + 14, window);
  put16(p + 16, checksum);
  put16(p + 18, urgent);
}

}  // namespace ol::wire
