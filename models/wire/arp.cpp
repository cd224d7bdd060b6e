#include "models/wire/arp.h"

namespace ol::wire {

std::optional<ArpRepr> ArpRepr::parse(Bytes b) {
  auto p = ArpView::new_checked(b);
  if (!p || p->hardware_type() != 1 || p->protocol_type() != 0x0800 || p->hardware_len() != 6 || p->protocol_len() != 4)
    return std::nullopt;
  const auto op = p->operation();
  if (op != 1 && op != 2) return std::nullopt;
  return ArpRepr{ArpOp(op), p->source_hardware_addr(), p->source_protocol_addr(), p->target_hardware_addr(),
                 p->target_protocol_addr()};
}

void ArpRepr::emit(MutBytes b) const {
  auto p = ArpViewMut::new_unchecked(b.first(kLen));
  p.set_ethernet_ipv4();
  p.set_operation(std::uint16_t(op));
  p.set_source(sender_mac, sender_ip);
  p.set_target(target_mac, target_ip);
}

}  // namespace ol::wire
