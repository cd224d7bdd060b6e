// ICMP for IPv4 (RFC 792; fragmentation-needed's next-hop MTU from RFC 1191).
#pragma once
#include <optional>

#include "models/wire/bytes.h"

namespace ol::wire {

namespace icmp {
constexpr std::uint8_t kEchoReply = 0, kDestUnreach = 3, kEchoRequest = 8, kTimeExceeded = 11;
// Destination-unreachable codes.
constexpr std::uint8_t kNetUnreach = 0, kHostUnreach = 1, kPortUnreach = 3, kFragNeeded = 4;
// Time-exceeded codes.
constexpr std::uint8_t kTtlExceeded = 0;
}  // namespace icmp

struct IcmpRepr {
  static constexpr std::size_t kLen = 8;

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
