// ARP for IPv4 over Ethernet (RFC 826): 28 bytes after the Ethernet header.
#pragma once
#include <optional>

#include "models/wire/addr.h"
#include "models/wire/bytes.h"
#include "models/wire/field.h"

namespace ol::wire {

enum class ArpOp : std::uint16_t { Request = 1, Reply = 2 };

namespace arp {
constexpr Field kHtype{0, 2}, kPtype{2, 4}, kHlen{4, 5}, kPlen{5, 6}, kOper{6, 8}, kSha{8, 14}, kSpa{14, 18},
    kTha{18, 24}, kTpa{24, 28};
constexpr std::size_t kLen = 28;
}  // namespace arp

template <class T>
class ArpPacket : public View<T> {
 public:
  static std::optional<ArpPacket> new_checked(std::span<T> b) {
    if (b.size() < arp::kLen) return std::nullopt;
    return ArpPacket(b);
  }
  static ArpPacket new_unchecked(std::span<T> b) { return ArpPacket(b); }  // the caller guarantees kLen bytes
  std::uint16_t hardware_type() const { return this->u16(arp::kHtype); }
  std::uint16_t protocol_type() const { return this->u16(arp::kPtype); }
  std::uint8_t hardware_len() const { return this->u8(arp::kHlen); }
  std::uint8_t protocol_len() const { return this->u8(arp::kPlen); }
  std::uint16_t operation() const { return this->u16(arp::kOper); }
  MacAddr source_hardware_addr() const { return this->mac(arp::kSha); }
  Ipv4Addr source_protocol_addr() const { return {this->u32(arp::kSpa)}; }
  MacAddr target_hardware_addr() const { return this->mac(arp::kTha); }
  Ipv4Addr target_protocol_addr() const { return {this->u32(arp::kTpa)}; }
  void set_ethernet_ipv4() const requires View<T>::kMutable {
    this->set_u16(arp::kHtype, 1);
    this->set_u16(arp::kPtype, 0x0800);
    this->set_u8(arp::kHlen, 6);
    this->set_u8(arp::kPlen, 4);
  }
  void set_operation(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(arp::kOper, v); }
  void set_source(const MacAddr& m, Ipv4Addr a) const requires View<T>::kMutable {
    this->set_mac(arp::kSha, m);
    this->set_u32(arp::kSpa, a.v);
  }
  void set_target(const MacAddr& m, Ipv4Addr a) const requires View<T>::kMutable {
    this->set_mac(arp::kTha, m);
    this->set_u32(arp::kTpa, a.v);
  }

 private:
  explicit ArpPacket(std::span<T> b) : View<T>(b) {}
};
using ArpView = ArpPacket<const std::uint8_t>;
using ArpViewMut = ArpPacket<std::uint8_t>;

struct ArpRepr {
  static constexpr std::size_t kLen = arp::kLen;

  ArpOp op = ArpOp::Request;
  MacAddr sender_mac;
  Ipv4Addr sender_ip;
  MacAddr target_mac;
  Ipv4Addr target_ip;

  // Rejects anything but hardware type Ethernet (1), protocol IPv4, lengths 6 and 4, op 1 or 2.
  static std::optional<ArpRepr> parse(Bytes b);
  void emit(MutBytes b) const;
  bool operator==(const ArpRepr&) const = default;
};

}  // namespace ol::wire
