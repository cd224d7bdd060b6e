#include "models/wire/vxlan.h"

namespace ol::wire {

std::optional<VxlanRepr> VxlanRepr::parse(Bytes b) {
  if (b.size() < kLen || !(b[0] & kFlagI)) return std::nullopt;
  return VxlanRepr{get32(b.data() + 4) >> 8};
}

void VxlanRepr::emit(MutBytes b) const {
  auto* p = b.data();
  put32(p, std::uint32_t(kFlagI) << 24);
  put32(p + 4, (vni & 0xffffff) << 8);
}

}  // namespace ol::wire
