#include "models/wire/vxlan.h"

namespace ol::wire {

std::optional<VxlanRepr> VxlanRepr::parse(Bytes b) {
  auto v = VxlanView::new_checked(b);
  if (!v || !v->flag_i()) return std::nullopt;
  return VxlanRepr{v->vni()};
}

void VxlanRepr::emit(MutBytes b) const { VxlanViewMut::new_checked(b)->set_header(vni); }

}  // namespace ol::wire
