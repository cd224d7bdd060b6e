// Ethernet II header (IEEE 802.3 framing as Linux's eth_type_trans reads it): dst, src, ethertype.
#pragma once
#include <optional>

#include "models/wire/addr.h"
#include "models/wire/bytes.h"
#include "models/wire/field.h"

namespace ol::wire {

enum class EtherType : std::uint16_t { Ipv4 = 0x0800, Arp = 0x0806 };

namespace ethernet {
constexpr Field kDestination{0, 6}, kSource{6, 12}, kEthertype{12, 14};
constexpr std::size_t kHeaderLen = 14;
}  // namespace ethernet

template <class T>
class EthernetFrame : public View<T> {
 public:
  // At least a whole header.
  static std::optional<EthernetFrame> new_checked(std::span<T> b) {
    if (b.size() < ethernet::kHeaderLen) return std::nullopt;
    return EthernetFrame(b);
  }
  // Over bytes already checked, or for building a header in place (the caller guarantees its length).
  static EthernetFrame new_unchecked(std::span<T> b) { return EthernetFrame(b); }
  MacAddr dst_addr() const { return this->mac(ethernet::kDestination); }
  MacAddr src_addr() const { return this->mac(ethernet::kSource); }
  std::uint16_t ethertype() const { return this->u16(ethernet::kEthertype); }
  bool is_ipv4() const { return ethertype() == std::uint16_t(EtherType::Ipv4); }
  std::span<T> payload() const { return this->b_.subspan(ethernet::kHeaderLen); }
  void set_dst_addr(const MacAddr& m) const requires View<T>::kMutable { this->set_mac(ethernet::kDestination, m); }
  void set_src_addr(const MacAddr& m) const requires View<T>::kMutable { this->set_mac(ethernet::kSource, m); }
  void set_ethertype(std::uint16_t v) const requires View<T>::kMutable { this->set_u16(ethernet::kEthertype, v); }

 private:
  explicit EthernetFrame(std::span<T> b) : View<T>(b) {}
};
using EthernetView = EthernetFrame<const std::uint8_t>;
using EthernetViewMut = EthernetFrame<std::uint8_t>;

struct EthernetRepr {
  static constexpr std::size_t kLen = ethernet::kHeaderLen;

  MacAddr dst;
  MacAddr src;
  std::uint16_t ethertype = 0;

  static std::optional<EthernetRepr> parse(Bytes b);
  void emit(MutBytes b) const;
  bool operator==(const EthernetRepr&) const = default;
};

}  // namespace ol::wire
