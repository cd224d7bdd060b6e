// TCP options (RFC 9293 3.1; MSS, window scale and timestamps from RFC 7323; SACK from RFC 2018),
// written in the order and with the padding Linux's tcp_options_write uses, so that a SYN from the
// model is byte for byte a SYN from the kernel: MSS; SACK-permitted and timestamps together (or
// NOP NOP before whichever comes alone); NOP and the window scale; NOP NOP and the SACK blocks.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "models/wire/bytes.h"

namespace ol::wire {

namespace tcpopt {
constexpr std::uint8_t kEol = 0, kNop = 1, kMss = 2, kWscale = 3, kSackPerm = 4, kSack = 5, kTimestamp = 8;
constexpr std::size_t kMaxLen = 40;  // a data offset of 15 words
}  // namespace tcpopt

struct TcpSackBlock {
  std::uint32_t start = 0, end = 0;  // [start, end): bytes the receiver holds past a hole
  bool operator==(const TcpSackBlock&) const = default;
};

struct TcpTimestamp {
  std::uint32_t val = 0, ecr = 0;  // TSval, TSecr
  bool operator==(const TcpTimestamp&) const = default;
};

struct TcpOptions {
  std::optional<std::uint16_t> mss;
  std::optional<std::uint8_t> wscale;
  bool sack_permitted = false;
  std::optional<TcpTimestamp> timestamp;
  std::array<TcpSackBlock, 4> sack{};
  std::uint8_t sack_blocks = 0;  // how many of `sack` are used

  // The bytes emit() writes: a multiple of 4, at most 40 (the caller keeps SACK blocks within it:
  // 4 alone, 3 beside a timestamp).
  std::size_t len() const;
  void emit(MutBytes b) const;  // b holds at least len() bytes
  // The options area of a header (its bytes past the first 20). Unknown kinds are skipped by their
  // length; nullopt when a length is below 2 or runs past the end, or a known kind has the wrong one.
  static std::optional<TcpOptions> parse(Bytes b);
  // "MSS 1460, SACK permitted, TS 1000:0, WS 7": as a trace or dissector shows them.
  std::string str() const;
  bool operator==(const TcpOptions&) const = default;
};

}  // namespace ol::wire
