// Ethernet II header (IEEE 802.3 framing as Linux's eth_type_trans reads it): dst, src, ethertype.
#pragma once
#include <optional>

#include "models/wire/addr.h"
#include "models/wire/bytes.h"

namespace ol::wire {

enum class EtherType : std::uint16_t { Ipv4 = 0x0800, Arp = 0x0806 };

struct EthernetRepr {
  static constexpr std::size_t kLen = 14;
  static constexpr std::size_t kDst = 0, kSrc = 6, kType = 12;  // field offsets

  MacAddr dst;
  MacAddr src;
  std::uint16_t ethertype = 0;

  static std::optional<EthernetRepr> parse(Bytes b);
  void emit(MutBytes b) const;
  bool operator==(const EthernetRepr&) const = default;
};

inline MacAddr eth_dst(const std::uint8_t* frame) {
  MacAddr m;
  for (int i = 0; i < 6; ++i) m.b[i] = frame[EthernetRepr::kDst + i];
  return m;
}
inline MacAddr eth_src(const std::uint8_t* frame) {
  MacAddr m;
  for (int i = 0; i < 6; ++i) m.b[i] = frame[EthernetRepr::kSrc + i];
  return m;
}
inline std::uint16_t eth_type(const std::uint8_t* frame) { return get16(frame + EthernetRepr::kType); }

}  // namespace ol::wire
