// UDP header (RFC 768) and its checksum over the IPv4 pseudo-header.
#pragma once
#include <optional>

#include "models/wire/addr.h"
#include "models/wire/bytes.h"
#include "models/wire/field.h"

namespace ol::wire {

namespace udp {
constexpr Field kSrcPort{0, 2}, kDstPort{2, 4}, kLength{4, 6}, kChecksum{6, 8};
constexpr std::size_t kHeaderLen = 8;
}  // namespace udp

template <class T>
class UdpPacket : public View<T> {
 public:
  // A whole header, and a length field between 8 and the buffer's size.
  static std::optional<UdpPacket> new_checked(std::span<T> b) {
    if (b.size() < udp::kHeaderLen) return std::nullopt;
    const std::uint16_t len = get16(b.data() + udp::kLength.start);
    if (len < udp::kHeaderLen || len > b.size()) return std::nullopt;
    return UdpPacket(b);
  }
  // For building a header in place: the caller guarantees kHeaderLen bytes.
  static UdpPacket new_unchecked(std::span<T> b) { return UdpPacket(b); }
  std::uint16_t src_port() const { return this->u16(udp::kSrcPort); }
  std::uint16_t dst_port() const { return this->u16(udp::kDstPort); }
  std::uint16_t len() const { return this->u16(udp::kLength); }
  std::uint16_t checksum() const { return this->u16(udp::kChecksum); }
  std::span<T> datagram() const { return this->b_.first(len()); }  // header and payload
  std::span<T> payload() const { return this->b_.subspan(udp::kHeaderLen, len() - udp::kHeaderLen); }
  void set_src_port(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(udp::kSrcPort, v); }
  void set_dst_port(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(udp::kDstPort, v); }
  void set_len(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(udp::kLength, v); }
  void set_checksum(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(udp::kChecksum, v); }

 private:
  explicit UdpPacket(std::span<T> b) : View<T>(b) {}
};
using UdpView = UdpPacket<const std::uint8_t>;
using UdpViewMut = UdpPacket<std::uint8_t>;

struct UdpRepr {
  static constexpr std::size_t kLen = udp::kHeaderLen;

  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint16_t length = 0;    // header + payload
  std::uint16_t checksum = 0;  // 0 = not computed (allowed for IPv4)

  static std::optional<UdpRepr> parse(Bytes b);  // rejects length < 8 or longer than the buffer
  void emit(MutBytes b) const;
  bool operator==(const UdpRepr&) const = default;
};

// The checksum of a whole datagram (header + payload) whose checksum field is zero; 0 is sent as 0xffff.
std::uint16_t udp_checksum(Ipv4Addr src, Ipv4Addr dst, Bytes datagram);
// Verifies a received datagram whose checksum field is non-zero.
bool udp_checksum_ok(Ipv4Addr src, Ipv4Addr dst, Bytes datagram);

}  // namespace ol::wire
