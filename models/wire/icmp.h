// ICMP for IPv4 (RFC 792; fragmentation-needed's next-hop MTU from RFC 1191).
#pragma once
#include <optional>

#include "models/wire/bytes.h"
#include "models/wire/field.h"

namespace ol::wire {

namespace icmp {
constexpr std::uint8_t kEchoReply = 0, kDestUnreach = 3, kEchoRequest = 8, kTimeExceeded = 11;
// Destination-unreachable codes.
constexpr std::uint8_t kNetUnreach = 0, kHostUnreach = 1, kPortUnreach = 3, kFragNeeded = 4;
// Time-exceeded codes.
constexpr std::uint8_t kTtlExceeded = 0;
}  // namespace icmp

namespace icmp {
constexpr Field kType{0, 1}, kCode{1, 2}, kChecksum{2, 4}, kEchoIdent{4, 6}, kEchoSeqNo{6, 8}, kMtu{6, 8};
constexpr std::size_t kHeaderLen = 8;
}  // namespace icmp

template <class T>
class IcmpPacket : public View<T> {
 public:
  static std::optional<IcmpPacket> new_checked(std::span<T> b) {
    if (b.size() < icmp::kHeaderLen) return std::nullopt;
    return IcmpPacket(b);
  }
  // Over bytes already checked, or for building a header in place (the caller guarantees its length).
  static IcmpPacket new_unchecked(std::span<T> b) { return IcmpPacket(b); }
  std::uint8_t msg_type() const { return this->u8(icmp::kType); }
  std::uint8_t msg_code() const { return this->u8(icmp::kCode); }
  std::uint16_t checksum() const { return this->u16(icmp::kChecksum); }
  std::uint16_t echo_ident() const { return this->u16(icmp::kEchoIdent); }
  std::uint16_t echo_seq_no() const { return this->u16(icmp::kEchoSeqNo); }
  std::uint16_t next_hop_mtu() const { return this->u16(icmp::kMtu); }  // fragmentation needed (RFC 1191)
  std::span<T> data() const { return this->b_.subspan(icmp::kHeaderLen); }  // after the 8-byte header
  void set_msg_type(std::uint8_t v) const requires View<T>::kMutable { this->set_u8(icmp::kType, v); }
  void set_msg_code(std::uint8_t v) const requires View<T>::kMutable { this->set_u8(icmp::kCode, v); }
  void set_checksum(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(icmp::kChecksum, v); }
  void set_echo_ident(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(icmp::kEchoIdent, v); }
  void set_echo_seq_no(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(icmp::kEchoSeqNo, v); }

 private:
  explicit IcmpPacket(std::span<T> b) : View<T>(b) {}
};
using IcmpView = IcmpPacket<const std::uint8_t>;
using IcmpViewMut = IcmpPacket<std::uint8_t>;

struct IcmpRepr {
  static constexpr std::size_t kLen = icmp::kHeaderLen;

  std::uint8_t type = 0;
  std::uint8_t code = 0;
  std::uint16_t checksum = 0;  // as parsed; emit_message() computes it
  // The second word: echo identifier and sequence, or (fragmentation needed) the next-hop MTU.
  std::uint16_t id = 0;
  std::uint16_t seq = 0;

  std::uint16_t next_hop_mtu() const { return seq; }
  static IcmpRepr echo(std::uint8_t type, std::uint16_t id, std::uint16_t seq) { return {type, 0, 0, id, seq}; }
  static IcmpRepr frag_needed(std::uint16_t mtu) { return {icmp::kDestUnreach, icmp::kFragNeeded, 0, 0, mtu}; }

  static std::optional<IcmpRepr> parse(Bytes b);
  // Writes the header at the front of `message` (header + body already in place) and its checksum.
  void emit_message(MutBytes message) const;
  bool operator==(const IcmpRepr&) const = default;
};

bool icmp_checksum_ok(Bytes message);
const char* icmp_type_name(std::uint8_t type, std::uint8_t code);

}  // namespace ol::wire
