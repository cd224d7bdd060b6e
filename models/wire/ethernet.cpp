#include "models/wire/ethernet.h"

#include <algorithm>

namespace ol::wire {

std::optional<EthernetRepr> EthernetRepr::parse(Bytes b) {
  if (b.size() < kLen) return std::nullopt;
  return EthernetRepr{eth_dst(b.data()), eth_src(b.data()), eth_type(b.data())};
}

void EthernetRepr::emit(MutBytes b) const {
  std::copy(dst.b.begin(), dst.b.end(), b.data() + kDst);
  std::copy(src.b.begin(), src.b.end(), b.data() + kSrc);
  put16(b.data() + kType, ethertype);
}

}  // namespace ol::wire
