// IPv4 header (RFC 791). Options are carried over (ihl > 5) but never built.
#pragma once
#include <optional>

#include "models/wire/addr.h"
#include "models/wire/bytes.h"
#include "models/wire/checksum.h"
#include "models/wire/field.h"

namespace ol::wire {

enum class IpProto : std::uint8_t { Icmp = 1, Tcp = 6, Udp = 17 };

namespace ipv4 {
constexpr Field kVerIhl{0, 1}, kTos{1, 2}, kLength{2, 4}, kIdent{4, 6}, kFlgOff{6, 8}, kTtl{8, 9}, kProtocol{9, 10},
    kChecksum{10, 12}, kSrcAddr{12, 16}, kDstAddr{16, 20};
constexpr std::size_t kHeaderLen = 20;  // without options
constexpr std::uint16_t kFlagDF = 0x4000, kFlagMF = 0x2000, kOffsetMask = 0x1fff;
}  // namespace ipv4

template <class T>
class Ipv4Packet : public View<T> {
 public:
  // Version 4, ihl >= 5, and the whole header (options included) in the buffer. The total length
  // is not checked against the buffer (ip_rcv does that, with its own drop reason).
  static std::optional<Ipv4Packet> new_checked(std::span<T> b) {
    if (b.size() < ipv4::kHeaderLen || (b[0] >> 4) != 4) return std::nullopt;
    const std::size_t hl = std::size_t(b[0] & 0x0f) * 4;
    if (hl < ipv4::kHeaderLen || b.size() < hl) return std::nullopt;
    return Ipv4Packet(b);
  }
  // For building a header in place: the caller guarantees kHeaderLen bytes and sets ver/ihl first.
  static Ipv4Packet new_unchecked(std::span<T> b) { return Ipv4Packet(b); }
  std::size_t header_len() const { return std::size_t(this->u8(ipv4::kVerIhl) & 0x0f) * 4; }
  std::uint8_t tos() const { return this->u8(ipv4::kTos); }
  std::uint16_t total_len() const { return this->u16(ipv4::kLength); }
  std::uint16_t ident() const { return this->u16(ipv4::kIdent); }
  bool dont_frag() const { return this->u16(ipv4::kFlgOff) & ipv4::kFlagDF; }
  bool more_frags() const { return this->u16(ipv4::kFlgOff) & ipv4::kFlagMF; }
  std::uint16_t frag_offset_units() const { return this->u16(ipv4::kFlgOff) & ipv4::kOffsetMask; }  // of 8 bytes
  std::uint32_t frag_offset() const { return std::uint32_t(frag_offset_units()) * 8; }                // bytes
  bool is_fragment() const { return more_frags() || frag_offset_units(); }
  std::uint8_t ttl() const { return this->u8(ipv4::kTtl); }
  std::uint8_t protocol() const { return this->u8(ipv4::kProtocol); }
  std::uint16_t checksum() const { return this->u16(ipv4::kChecksum); }
  Ipv4Addr src_addr() const { return {this->u32(ipv4::kSrcAddr)}; }
  Ipv4Addr dst_addr() const { return {this->u32(ipv4::kDstAddr)}; }
  bool verify_checksum() const { return internet_checksum(this->b_.first(header_len())) == 0; }
  std::span<T> header() const { return this->b_.first(header_len()); }
  // After the header, up to the total length (or the buffer's end, if shorter).
  std::span<T> payload() const {
    const std::size_t end = std::min<std::size_t>(std::max<std::size_t>(total_len(), header_len()), this->b_.size());
    return this->b_.subspan(header_len(), end - header_len());
  }

  void set_ver_ihl(std::uint8_t ihl_words) const requires View<T>::kMutable { this->set_u8(ipv4::kVerIhl, std::uint8_t(0x40 | ihl_words)); }
  void set_tos(std::uint8_t v) const requires View<T>::kMutable { this->set_u8(ipv4::kTos, v); }
  void set_total_len(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(ipv4::kLength, v); }
  void set_ident(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(ipv4::kIdent, v); }
  void set_frag(bool df, bool mf, std::uint16_t offset_units) const requires View<T>::kMutable {
    this->set_u16(ipv4::kFlgOff, std::uint16_t((df ? ipv4::kFlagDF : 0) | (mf ? ipv4::kFlagMF : 0) | (offset_units & ipv4::kOffsetMask)));
  }
  void set_ttl(std::uint8_t v) const requires View<T>::kMutable { this->set_u8(ipv4::kTtl, v); }
  void set_protocol(std::uint8_t v) const requires View<T>::kMutable { this->set_u8(ipv4::kProtocol, v); }
  void set_src_addr(Ipv4Addr a) const requires View<T>::kMutable { this->set_u32(ipv4::kSrcAddr, a.v); }
  void set_dst_addr(Ipv4Addr a) const requires View<T>::kMutable { this->set_u32(ipv4::kDstAddr, a.v); }
  void fill_checksum() const requires View<T>::kMutable {
    this->set_u16(ipv4::kChecksum, 0);
    this->set_u16(ipv4::kChecksum, internet_checksum(header()));
  }
  // ip_decrease_ttl(): TTL - 1 with the incremental checksum update of RFC 1624.
  void decrease_ttl() const requires View<T>::kMutable {
    std::uint32_t check = checksum();
    check += 0x0100;
    this->set_u16(ipv4::kChecksum, std::uint16_t(check + (check >= 0xffff)));
    this->set_u8(ipv4::kTtl, std::uint8_t(ttl() - 1));
  }

 private:
  explicit Ipv4Packet(std::span<T> b) : View<T>(b) {}
};
using Ipv4View = Ipv4Packet<const std::uint8_t>;
using Ipv4ViewMut = Ipv4Packet<std::uint8_t>;

struct Ipv4Repr {
  static constexpr std::size_t kLen = ipv4::kHeaderLen;

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

}  // namespace ol::wire
