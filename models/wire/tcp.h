// TCP header (RFC 793/9293); its options are read and written by tcp_options.h.
#pragma once
#include <optional>
#include <string>

#include "models/wire/bytes.h"
#include "models/wire/field.h"

namespace ol::wire {

namespace tcp {
constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10;
}
std::string tcp_flags_str(std::uint8_t flags);  // "SYN,ACK", as a trace shows them

namespace tcp {
constexpr Field kSrcPort{0, 2}, kDstPort{2, 4}, kSeqNum{4, 8}, kAckNum{8, 12}, kDataOff{12, 13}, kFlags{13, 14},
    kWindow{14, 16}, kChecksum{16, 18}, kUrgent{18, 20};
constexpr std::size_t kHeaderLen = 20;  // without options
}  // namespace tcp

template <class T>
class TcpPacket : public View<T> {
 public:
  // Data offset >= 5 words and the whole header in the buffer.
  static std::optional<TcpPacket> new_checked(std::span<T> b) {
    if (b.size() < tcp::kHeaderLen) return std::nullopt;
    const std::size_t hl = std::size_t(b[tcp::kDataOff.start] >> 4) * 4;
    if (hl < tcp::kHeaderLen || hl > b.size()) return std::nullopt;
    return TcpPacket(b);
  }
  static TcpPacket new_unchecked(std::span<T> b) { return TcpPacket(b); }  // the caller guarantees kHeaderLen bytes
  std::uint16_t src_port() const { return this->u16(tcp::kSrcPort); }
  std::uint16_t dst_port() const { return this->u16(tcp::kDstPort); }
  std::uint32_t seq_number() const { return this->u32(tcp::kSeqNum); }
  std::uint32_t ack_number() const { return this->u32(tcp::kAckNum); }
  std::size_t header_len() const { return std::size_t(this->u8(tcp::kDataOff) >> 4) * 4; }
  std::uint8_t flags() const { return this->u8(tcp::kFlags); }
  std::uint16_t window_len() const { return this->u16(tcp::kWindow); }
  std::uint16_t checksum() const { return this->u16(tcp::kChecksum); }
  std::uint16_t urgent_at() const { return this->u16(tcp::kUrgent); }
  void set_src_port(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(tcp::kSrcPort, v); }
  void set_dst_port(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(tcp::kDstPort, v); }
  void set_seq_number(std::uint32_t v) const requires View<T>::kMutable { this->set_u32(tcp::kSeqNum, v); }
  void set_ack_number(std::uint32_t v) const requires View<T>::kMutable { this->set_u32(tcp::kAckNum, v); }
  void set_header_len_words(std::uint8_t w) const requires View<T>::kMutable { this->set_u8(tcp::kDataOff, std::uint8_t(w << 4)); }
  void set_flags(std::uint8_t v) const requires View<T>::kMutable { this->set_u8(tcp::kFlags, v); }
  void set_window_len(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(tcp::kWindow, v); }
  void set_checksum(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(tcp::kChecksum, v); }
  void set_urgent_at(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(tcp::kUrgent, v); }

 private:
  explicit TcpPacket(std::span<T> b) : View<T>(b) {}
};
using TcpView = TcpPacket<const std::uint8_t>;
using TcpViewMut = TcpPacket<std::uint8_t>;

struct TcpRepr {
  static constexpr std::size_t kLen = tcp::kHeaderLen;

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
