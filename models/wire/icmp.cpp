#include "models/wire/icmp.h"

#include "models/wire/checksum.h"

namespace ol::wire {

std::optional<IcmpRepr> IcmpRepr::parse(Bytes b) {
  if (b.size() < kLen) return std::nullopt;
  const auto* p = b.data();
  return IcmpRepr{p[0], p[1], get16(p + 2), get16(p + 4), get16(p + 6)};
}

void IcmpRepr::emit_message(MutBytes m) const {
  auto* p = m.data();
  p[0] = type;
  p[1] = code;
  put16(p + 2, 0);
  put16(p + 4, id);
  put16(p + 6, seq);
  put16(p + 2, internet_checksum(m));
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
