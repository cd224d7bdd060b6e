#include "models/wire/ethernet.h"

namespace ol::wire {

std::optional<EthernetRepr> EthernetRepr::parse(Bytes b) {
  auto f = EthernetView::new_checked(b);
  if (!f) return std::nullopt;
  return EthernetRepr{f->dst_addr(), f->src_addr(), f->ethertype()};
}

void EthernetRepr::emit(MutBytes b) const {
  auto f = *EthernetViewMut::new_checked(b);
  f.set_dst_addr(dst);
  f.set_src_addr(src);
  f.set_ethertype(ethertype);
}

}  // namespace ol::wire
