// Link-layer and IPv4 addresses as values, with the text forms iproute2 prints and parses.
#pragma once
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ol::wire {

struct MacAddr {
  std::array<std::uint8_t, 6> b{};

  static constexpr MacAddr broadcast() { return {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
  static constexpr MacAddr zero() { return {}; }
  static std::optional<MacAddr> parse(std::string_view s);
  std::string str() const;
  void append_to(std::string& out) const;  // str() without a temporary, for long tables
  bool is_broadcast() const { return *this == broadcast(); }
  bool is_multicast() const { return b[0] & 1; }
  bool is_zero() const { return *this == zero(); }
  std::uint64_t key() const {
    std::uint64_t k = 0;
    for (auto x : b) k = k << 8 | x;
    return k;
  }
  auto operator<=>(const MacAddr&) const = default;
};

// An IPv4 address held in host order so that masks and comparisons read naturally.
struct Ipv4Addr {
  std::uint32_t v = 0;

  static std::optional<Ipv4Addr> parse(std::string_view s);
  std::string str() const;
  void append_to(std::string& out) const;
  bool is_zero() const { return v == 0; }
  bool is_limited_broadcast() const { return v == 0xffffffffu; }
  bool is_multicast() const { return (v >> 28) == 0xe; }
  bool is_loopback() const { return (v >> 24) == 127; }
  auto operator<=>(const Ipv4Addr&) const = default;
};

constexpr std::uint32_t prefix_mask(int len) { return len == 0 ? 0u : ~0u << (32 - len); }

struct Ipv4Prefix {
  Ipv4Addr addr;  // may have host bits set (an interface address such as 10.244.1.1/24)
  int len = 32;

  static std::optional<Ipv4Prefix> parse(std::string_view s);  // "a.b.c.d/n" or "a.b.c.d" (= /32)
  std::string str() const;
  std::uint32_t mask() const { return prefix_mask(len); }
  Ipv4Addr network() const { return {addr.v & mask()}; }
  Ipv4Addr broadcast() const { return {addr.v | ~mask()}; }
  bool contains(Ipv4Addr a) const { return (a.v & mask()) == (addr.v & mask()); }
  bool is_network() const { return (addr.v & ~mask()) == 0; }
  auto operator<=>(const Ipv4Prefix&) const = default;
};

}  // namespace ol::wire
