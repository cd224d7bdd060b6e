// UDP header (RFC 768) and its checksum over the IPv4 pseudo-header.
#pragma once
#include <optional>

#include "models/wire/addr.h"
#include "models/wire/bytes.h"

namespace ol::wire {

struct UdpRepr {
  static constexpr std::size_t kLen = 8;

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
