#include "models/wire/arp.h"

#include <algorithm>

namespace ol::wire {

namespace {
constexpr std::size_t kHtype = 0, kPtype = 2, kHlen = 4, kPlen = 5, kOp = 6, kSha = 8, kSpa = 14,
                      kTha = 18, kTpa = 24;

MacAddr mac_at(const std::uint8_t* p) {
  MacAddr m;
  std::copy(p, p + 6, m.b.begin());
  return m;
}
}  // namespace

std::optional<ArpRepr> ArpRepr::parse(Bytes b) {
  if (b.size() < kLen) return std::nullopt;
  const auto* p = b.data();
  if (get16(p + kHtype) != 1 || get16(p + kPtype) != 0x0800 || p[kHlen] != 6 || p[kPlen] != 4)
    return std::nullopt;
  auto op = get16(p + kOp);
  if (op != 1 && op != 2) return std::nullopt;
  return ArpRepr{ArpOp(op), mac_at(p + kSha), Ipv4Addr{get32(p + kSpa)}, mac_at(p + kTha),
                 Ipv4Addr{get32(p + kTpa)}};
}

void ArpRepr::emit(MutBytes b) const {
  auto* p = b.data();
  put16(p + kHtype, 1);
  put16(p + kPtype, 0x0800);
  p[kHlen] = 6;
  p[kPlen] = 4;
  put16(p + kOp, std::uint16_t(op));
  std::copy(sender_mac.b.begin(), sender_mac.b.end(), p + kSha);
  put32(p + kSpa, sender_ip.v);
  std::copy(target_mac.b.begin(), target_mac.b.end(), p + kTha);
  put32(p + kTpa, target_ip.v);
}

}  // namespace ol::wire
