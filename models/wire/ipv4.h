// IPv4 header (RFC 791). Options are carried over (ihl > 5) but never built.
#pragma once
#include <optional>

#include "models/wire/addr.h"
#include "models/wire/bytes.h"

namespace ol::wire {

enum class IpProto : std::uint8_t { Icmp = 1, Tcp = 6, Udp = 17 };

struct Ipv4Repr {
  static constexpr std::size_t kLen = 20;  // without options
  static constexpr std::size_t kVerIhl = 0, kTos = 1, kTotLen = 2, kId = 4, kFrag = 6, kTtl = 8,
                               kProto = 9, kCsum = 10, kSrc = 12, kDst = 16;
  static constexpr std::uint16_t kFlagDF = 0x4000, kFlagMF = 0x2000, kOffsetMask = 0x1fff;

  std::uint8_t ihl = 5;  // header length in 32-bit words
  std::uint8_t tos = 0;
  std::uint16_t total_len = 0;
  std::uint16_t id = 0;
  bool df = false;
  bool mf = false;
  std::uint16_t frag_offset = 0;  // in 8-byte units
  std::uint8_t ttl = 64;
  std::uint8_t protocol = 0;
  std::uint16_t checksum = 0;  // as parsed; emit() computes it
  Ipv4Addr src;
  Ipv4Addr dst;

  std::size_t header_len() const { return std::size_t(ihl) * 4; }
  // Rejects version != 4, ihl < 5, and a buffer shorter than the header.
  static std::optional<Ipv4Repr> parse(Bytes b);
  void emit(MutBytes b) const;  // writes kLen bytes with a correct header checksum
  bool operator==(const Ipv4Repr&) const = default;
};

// True when the header checksum over ihl*4 bytes verifies.
bool ipv4_checksum_ok(Bytes header);

// Hot-path accessors over a checked header.
inline Ipv4Addr ipv4_src(const std::uint8_t* h) { return {get32(h + Ipv4Repr::kSrc)}; }
inline Ipv4Addr ipv4_dst(const std::uint8_t* h) { return {get32(h + Ipv4Repr::kDst)}; }
inline std::uint16_t ipv4_total_len(const std::uint8_t* h) { return get16(h + Ipv4Repr::kTotLen); }
inline std::size_t ipv4_header_len(const std::uint8_t* h) { return std::size_t(h[0] & 0x0f) * 4; }
inline bool ipv4_df(const std::uint8_t* h) { return get16(h + Ipv4Repr::kFrag) & Ipv4Repr::kFlagDF; }
inline std::uint8_t ipv4_proto(const std::uint8_t* h) { return h[Ipv4Repr::kProto]; }

// ip_decrease_ttl(): TTL - 1 with the incremental checksum update of RFC 1624.
inline void ipv4_decrease_ttl(std::uint8_t* h) {
  std::uint32_t check = get16(h + Ipv4Repr::kCsum);
  check += 0x0100;
  put16(h + Ipv4Repr::kCsum, std::uint16_t(check + (check >= 0xffff)));
  --h[Ipv4Repr::kTtl];
}

}  // namespace ol::wire
