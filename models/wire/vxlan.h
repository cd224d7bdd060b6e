// VXLAN header (RFC 7348 section 5): flags (I bit 0x08), 24 reserved bits, 24-bit VNI, 8 reserved.
#pragma once
#include <optional>

#include "models/wire/bytes.h"

namespace ol::wire {

struct VxlanRepr {
  static constexpr std::size_t kLen = 8;
  static constexpr std::uint8_t kFlagI = 0x08;  // "valid VNI"

  std::uint32_t vni = 0;

  // Rejects a header without the I flag (vxlan_rcv drops those as invalid).
  static std::optional<VxlanRepr> parse(Bytes b);
  void emit(MutBytes b) const;
  bool operator==(const VxlanRepr&) const = default;
};

// Bytes VXLAN adds around an inner IPv4 packet: outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14.
constexpr std::size_t kVxlanOverhead = 20 + 8 + 8 + 14;

}  // namespace ol::wire
