// VXLAN header (RFC 7348 section 5): flags (I bit 0x08), 24 reserved bits, 24-bit VNI, 8 reserved.
#pragma once
#include <optional>

#include "models/wire/bytes.h"
#include "models/wire/field.h"

namespace ol::wire {

namespace vxlan {
constexpr Field kFlags{0, 1}, kVni{4, 7};  // and 24 reserved bits after the flags, 8 after the VNI
constexpr std::size_t kHeaderLen = 8;
constexpr std::uint8_t kFlagI = 0x08;  // "valid VNI"
}  // namespace vxlan

template <class T>
class VxlanPacket : public View<T> {
 public:
  // A whole header (the I flag is the receiver's check: vxlan_rcv drops a header without it).
  static std::optional<VxlanPacket> new_checked(std::span<T> b) {
    if (b.size() < vxlan::kHeaderLen) return std::nullopt;
    return VxlanPacket(b);
  }
  // Over bytes already checked, or for building a header in place (the caller guarantees its length).
  static VxlanPacket new_unchecked(std::span<T> b) { return VxlanPacket(b); }
  bool flag_i() const { return this->u8(vxlan::kFlags) & vxlan::kFlagI; }
  std::uint32_t vni() const { return this->u32(vxlan::kVni) >> 8; }  // the 24 bits, read as a word with the reserved byte
  std::span<T> payload() const { return this->b_.subspan(vxlan::kHeaderLen); }  // the inner Ethernet frame
  void set_header(std::uint32_t vni) const requires View<T>::kMutable {
    this->set_u32({0, 4}, std::uint32_t(vxlan::kFlagI) << 24);
    this->set_u32({4, 8}, (vni & 0xffffff) << 8);
  }

 private:
  explicit VxlanPacket(std::span<T> b) : View<T>(b) {}
};
using VxlanView = VxlanPacket<const std::uint8_t>;
using VxlanViewMut = VxlanPacket<std::uint8_t>;

struct VxlanRepr {
  static constexpr std::size_t kLen = vxlan::kHeaderLen;
  static constexpr std::uint8_t kFlagI = vxlan::kFlagI;

  std::uint32_t vni = 0;

  // Rejects a header without the I flag (vxlan_rcv drops those as invalid).
  static std::optional<VxlanRepr> parse(Bytes b);
  void emit(MutBytes b) const;
  bool operator==(const VxlanRepr&) const = default;
};

// Bytes VXLAN adds around an inner IPv4 packet: outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14.
constexpr std::size_t kVxlanOverhead = 20 + 8 + 8 + 14;

}  // namespace ol::wire
