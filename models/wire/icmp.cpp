#include "models/wire/icmp.h"

#include "models/wire/checksum.h"

namespace ol::wire {

std::optional<IcmpRepr> IcmpRepr::parse(Bytes b) {
  auto p = IcmpView::new_checked(b);
  if (!p) return std::nullopt;
  return IcmpRepr{p->msg_type(), p->msg_code(), p->checksum(), p->echo_ident(), p->echo_seq_no()};
}

void IcmpRepr::emit_message(MutBytes m) const {
  auto p = *IcmpViewMut::new_checked(m);
  p.set_msg_type(type);
  p.set_msg_code(code);
  p.set_checksum(0);
  p.set_echo_ident(id);
  p.set_echo_seq_no(seq);
  p.set_checksum(internet_checksum(m));
}

bool icmp_checksum_ok(Bytes message) { return internet_checksum(message) == 0; }

const char* icmp_type_name(std::uint8_t type, std::uint8_t code) {
  switch (type) {
    case icmp::kEchoReply: return "echo reply";
    case icmp::kEchoRequest: return "echo request";
    case icmp::kTimeExceeded: return "time exceeded";
    case icmp::kDestUnreach:
      switch (code) {
        case icmp::kNetUnreach: return "net unreachable";
        case icmp::kHostUnreach: return "host unreachable";
        case icmp::kPortUnreach: return "port unreachable";
        case icmp::kFragNeeded: return "fragmentation needed";
        default: return "destination unreachable";
      }
    default: return "icmp";
  }
}

}  // namespace ol::wire
