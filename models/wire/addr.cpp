#include "models/wire/addr.h"

#include <charconv>
#include <fmt/format.h>

namespace ol::wire {

namespace {
std::optional<unsigned> parse_uint(std::string_view s, int base, unsigned max) {
  if (s.empty()) return std::nullopt;
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc{} || p != s.data() + s.size() || v > max) return std::nullopt;
  return v;
}
}  // namespace

std::optional<MacAddr> MacAddr::parse(std::string_view s) {
  MacAddr m;
  for (int i = 0; i < 6; ++i) {
    if (s.size() < 2) return std::nullopt;
    auto byte = parse_uint(s.substr(0, 2), 16, 255);
    if (!byte) return std::nullopt;
    m.b[i] = std::uint8_t(*byte);
    s.remove_prefix(2);
    if (i < 5) {
      if (s.empty() || s[0] != ':') return std::nullopt;
      s.remove_prefix(1);
    }
  }
  if (!s.empty()) return std::nullopt;
  return m;
}

std::string MacAddr::str() const {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", b[0], b[1], b[2], b[3], b[4], b[5]);
}

std::optional<Ipv4Addr> Ipv4Addr::parse(std::string_view s) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    auto dot = s.find('.');
    auto part = i < 3 ? s.substr(0, dot) : s;
    if (i < 3 && dot == std::string_view::npos) return std::nullopt;
    if (part.size() > 3) return std::nullopt;
    auto octet = parse_uint(part, 10, 255);
    if (!octet) return std::nullopt;
    v = v << 8 | *octet;
    if (i < 3) s.remove_prefix(dot + 1);
  }
  return Ipv4Addr{v};
}

std::string Ipv4Addr::str() const {
  return fmt::format("{}.{}.{}.{}", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
}

std::optional<Ipv4Prefix> Ipv4Prefix::parse(std::string_view s) {
  auto slash = s.find('/');
  auto a = Ipv4Addr::parse(s.substr(0, slash));
  if (!a) return std::nullopt;
  if (slash == std::string_view::npos) return Ipv4Prefix{*a, 32};
  auto len = parse_uint(s.substr(slash + 1), 10, 32);
  if (!len) return std::nullopt;
  return Ipv4Prefix{*a, int(*len)};
}

std::string Ipv4Prefix::str() const { return fmt::format("{}/{}", addr.str(), len); }

}  // namespace ol::wire
