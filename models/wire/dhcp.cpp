#include "models/wire/dhcp.h"

#include <algorithm>
#include <bit>

#include <fmt/format.h>

namespace ol::wire {

namespace {
constexpr std::uint8_t kCookie[4] = {99, 130, 83, 99};
constexpr std::size_t kCookieAt = dhcp::kFixedLen, kOptionsAt = dhcp::kFixedLen + 4;
}  // namespace

const char* dhcp_type_name(dhcp::MsgType t) {
  static const char* const names[] = {"DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE", "INFORM"};
  const auto i = std::size_t(t) - 1;
  return i < 8 ? names[i] : "?";
}

std::optional<DhcpMessage> DhcpMessage::parse(Bytes b) {
  if (b.size() < kOptionsAt || !std::equal(kCookie, kCookie + 4, b.data() + kCookieAt)) return std::nullopt;
  DhcpMessage m;
  m.op = b[0];
  m.xid = get32(&b[4]);
  m.secs = get16(&b[8]);
  m.broadcast = b[10] & 0x80;
  m.ciaddr = {get32(&b[12])};
  m.yiaddr = {get32(&b[16])};
  m.siaddr = {get32(&b[20])};
  m.giaddr = {get32(&b[24])};
  std::copy_n(&b[28], 6, m.chaddr.b.begin());
  for (std::size_t i = kOptionsAt; i < b.size();) {
    const std::uint8_t code = b[i++];
    if (code == dhcp::kPad) continue;
    if (code == dhcp::kEnd) break;
    if (i >= b.size() || i + 1 + b[i] > b.size()) return std::nullopt;
    const std::size_t n = b[i++];
    m.options.push_back({code, std::vector<std::uint8_t>(&b[i], &b[i] + n)});
    i += n;
  }
  m.pad_to = b.size();
  return m;
}

std::size_t DhcpMessage::len() const {
  std::size_t n = kOptionsAt + 1;  // … End
  for (const auto& o : options) n += 2 + o.data.size();
  return std::max(n, pad_to);
}

void DhcpMessage::emit(MutBytes b) const {
  std::fill(b.begin(), b.begin() + std::ptrdiff_t(len()), std::uint8_t(0));
  b[0] = op;
  b[1] = 1;  // htype: Ethernet
  b[2] = 6;  // hlen
  put32(&b[4], xid);
  put16(&b[8], secs);
  b[10] = broadcast ? 0x80 : 0;
  put32(&b[12], ciaddr.v);
  put32(&b[16], yiaddr.v);
  put32(&b[20], siaddr.v);
  put32(&b[24], giaddr.v);
  std::copy(chaddr.b.begin(), chaddr.b.end(), &b[28]);
  std::copy(kCookie, kCookie + 4, &b[kCookieAt]);
  std::size_t i = kOptionsAt;
  for (const auto& o : options) {
    b[i++] = o.code;
    b[i++] = std::uint8_t(o.data.size());
    std::copy(o.data.begin(), o.data.end(), &b[i]);
    i += o.data.size();
  }
  b[i] = dhcp::kEnd;
}

std::vector<std::uint8_t> DhcpMessage::bytes() const {
  std::vector<std::uint8_t> out(len());
  emit(out);
  return out;
}

const DhcpOption* DhcpMessage::option(std::uint8_t code) const {
  auto it = std::find_if(options.begin(), options.end(), [code](const DhcpOption& o) { return o.code == code; });
  return it == options.end() ? nullptr : &*it;
}

void DhcpMessage::set(std::uint8_t code, std::vector<std::uint8_t> data) {
  for (auto& o : options)
    if (o.code == code) {
      o.data = std::move(data);
      return;
    }
  options.push_back({code, std::move(data)});
}

void DhcpMessage::set_u32(std::uint8_t code, std::uint32_t v) {
  std::vector<std::uint8_t> d(4);
  put32(d.data(), v);
  set(code, std::move(d));
}

void DhcpMessage::set_addr(std::uint8_t code, Ipv4Addr a) { set_u32(code, a.v); }

std::optional<dhcp::MsgType> DhcpMessage::type() const {
  const DhcpOption* o = option(dhcp::kMsgType);
  if (!o || o->data.size() != 1 || o->data[0] < 1 || o->data[0] > 8) return std::nullopt;
  return dhcp::MsgType(o->data[0]);
}

std::optional<std::uint32_t> DhcpMessage::u32(std::uint8_t code) const {
  const DhcpOption* o = option(code);
  if (!o || o->data.size() < 4) return std::nullopt;
  return get32(o->data.data());
}

std::optional<Ipv4Addr> DhcpMessage::addr(std::uint8_t code) const {
  if (auto v = u32(code)) return Ipv4Addr{*v};
  return std::nullopt;
}

std::optional<int> DhcpMessage::mask_len() const {
  const auto m = u32(dhcp::kSubnetMask);
  if (!m) return std::nullopt;
  const int len = std::countl_one(*m);
  if (prefix_mask(len) != *m) return std::nullopt;
  return len;
}

// RFC 3442: a width byte, the significant octets of the destination, then the router.
std::vector<DhcpRoute> DhcpMessage::classless_routes() const {
  std::vector<DhcpRoute> out;
  const DhcpOption* o = option(dhcp::kClasslessRoutes);
  if (!o) return out;
  const auto& d = o->data;
  for (std::size_t i = 0; i < d.size();) {
    const int width = d[i++];
    const std::size_t octets = std::size_t(width + 7) / 8;
    if (width > 32 || i + octets + 4 > d.size()) return {};  // malformed: ignored whole, as the plugin does
    std::uint32_t dst = 0;
    for (std::size_t k = 0; k < 4; ++k) dst = dst << 8 | (k < octets ? d[i + k] : 0);
    i += octets;
    out.push_back({{{dst}, width}, {get32(&d[i])}});
    i += 4;
  }
  return out;
}

std::vector<DhcpRoute> DhcpMessage::static_routes() const {
  std::vector<DhcpRoute> out;
  const DhcpOption* o = option(dhcp::kStaticRoutes);
  if (!o) return out;
  for (std::size_t i = 0; i + 8 <= o->data.size(); i += 8)
    out.push_back({{{get32(&o->data[i])}, 32}, {get32(&o->data[i + 4])}});
  return out;
}

std::vector<std::uint8_t> encode_classless_routes(const std::vector<DhcpRoute>& routes) {
  std::vector<std::uint8_t> d;
  for (const auto& r : routes) {
    d.push_back(std::uint8_t(r.dst.len));
    const std::uint32_t net = r.dst.network().v;
    for (int k = 0; k < (r.dst.len + 7) / 8; ++k) d.push_back(std::uint8_t(net >> (24 - 8 * k)));
    for (int k = 0; k < 4; ++k) d.push_back(std::uint8_t(r.gw.v >> (24 - 8 * k)));
  }
  return d;
}

std::string DhcpMessage::summary() const {
  const auto t = type();
  std::string s = fmt::format("DHCP {} xid 0x{:08x}", t ? dhcp_type_name(*t) : (op == dhcp::kBootRequest ? "BOOTREQUEST" : "BOOTREPLY"), xid);
  if (!ciaddr.is_zero()) s += " ciaddr " + ciaddr.str();
  if (!yiaddr.is_zero()) s += " yiaddr " + yiaddr.str();
  if (auto r = addr(dhcp::kRequestedIp)) s += " requested " + r->str();
  if (auto id = addr(dhcp::kServerId)) s += " server " + id->str();
  if (broadcast) s += " [broadcast]";
  return s + " chaddr " + chaddr.str();
}

}  // namespace ol::wire
