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

// Written by hand rather than with fmt: tables of a thousand-node cluster print millions of these.
void MacAddr::append_to(std::string& out) const {
  static constexpr char kHex[] = "0123456789abcdef";
  char s[17];
  for (std::size_t i = 0; i < 6; ++i) {
    s[3 * i] = kHex[b[i] >> 4];
    s[3 * i + 1] = kHex[b[i] & 15];
    if (i < 5) s[3 * i + 2] = ':';
  }
  out.append(s, 17);
}

std::string MacAddr::str() const {
  std::string s;
  append_to(s);
  return s;
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

void Ipv4Addr::append_to(std::string& out) const {
  char buf[16];
  char* p = buf;
  for (int shift = 24; shift >= 0; shift -= 8) {
    unsigned octet = (v >> shift) & 255;
    if (octet >= 100) *p++ = char('0' + octet / 100);
    if (octet >= 10) *p++ = char('0' + octet / 10 % 10);
    *p++ = char('0' + octet % 10);
    if (shift) *p++ = '.';
  }
  out.append(buf, std::size_t(p - buf));
}

std::string Ipv4Addr::str() const {
  std::string s;
  append_to(s);
  return s;
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

std::string Ipv4Prefix::str() const { return addr.str() + "/" + std::to_string(len); }

}  // namespace ol::wire
