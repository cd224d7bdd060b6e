#include "models/wire/ipv4.h"

namespace ol::wire {

std::optional<Ipv4Repr> Ipv4Repr::parse(Bytes b) {
  auto p = Ipv4View::new_checked(b);
  if (!p) return std::nullopt;
  Ipv4Repr r;
  r.ihl = std::uint8_t(p->header_len() / 4);
  r.tos = p->tos();
  r.total_len = p->total_len();
  r.id = p->ident();
  r.df = p->dont_frag();
  r.mf = p->more_frags();
  r.frag_offset = p->frag_offset_units();
  r.ttl = p->ttl();
  r.protocol = p->protocol();
  r.checksum = p->checksum();
  r.src = p->src_addr();
  r.dst = p->dst_addr();
  return r;
}

void Ipv4Repr::emit(MutBytes b) const {
  auto p = Ipv4ViewMut::new_unchecked(b.first(kLen));
  p.set_ver_ihl(5);  // emit() never writes options
  p.set_tos(tos);
  p.set_total_len(total_len);
  p.set_ident(id);
  p.set_frag(df, mf, frag_offset);
  p.set_ttl(ttl);
  p.set_protocol(protocol);
  p.set_src_addr(src);
  p.set_dst_addr(dst);
  p.fill_checksum();
}

}  // namespace ol::wire
