// TCP header (RFC 793/9293), without options.
#pragma once
#include <optional>

#include "models/wire/bytes.h"

namespace ol::wire {

namespace tcp {
constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10;
}

struct TcpRepr {
  static constexpr std::size_t kLen = 20;

  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint8_t data_offset = 5;  // in 32-bit words
  std::uint8_t flags = 0;
  std::uint16_t window = 0;
  std::uint16_t checksum = 0;
  std::uint16_t urgent = 0;

  static std::optional<TcpRepr> parse(Bytes b);  // rejects data offset < 5 or past the buffer
  void emit(MutBytes b) const;
  bool operator==(const TcpRepr&) const = default;
};

}  // namespace ol::wire
