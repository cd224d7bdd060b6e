// DHCP (RFC 2131) messages and the options (RFC 2132, RFC 3442) the CNI dhcp plugin and a DHCP
// server exchange: a BOOTP header of 236 bytes, the magic cookie, then type-length-value options.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/wire/addr.h"
#include "models/wire/bytes.h"

namespace ol::wire {

namespace dhcp {
constexpr std::uint16_t kServerPort = 67, kClientPort = 68;
constexpr std::size_t kFixedLen = 236;   // op … file
constexpr std::size_t kMinLen = 272;     // d2g's PadToMinSize: 300 bytes with the UDP header
constexpr std::uint8_t kBootRequest = 1, kBootReply = 2;
enum class MsgType : std::uint8_t { Discover = 1, Offer, Request, Decline, Ack, Nak, Release, Inform };
// Option codes.
constexpr std::uint8_t kPad = 0, kSubnetMask = 1, kRouter = 3, kDns = 6, kBroadcastAddr = 28, kStaticRoutes = 33,
                       kRequestedIp = 50, kLeaseTime = 51, kMsgType = 53, kServerId = 54, kParamList = 55,
                       kMessage = 56, kRenewalTime = 58, kRebindingTime = 59, kClientId = 61, kClasslessRoutes = 121,
                       kEnd = 255;
}  // namespace dhcp

const char* dhcp_type_name(dhcp::MsgType t);  // "DISCOVER", "OFFER", …

struct DhcpOption {
  std::uint8_t code = 0;
  std::vector<std::uint8_t> data;
  bool operator==(const DhcpOption&) const = default;
};

struct DhcpRoute {  // option 121 or 33
  Ipv4Prefix dst;
  Ipv4Addr gw;
  bool operator==(const DhcpRoute&) const = default;
};

struct DhcpMessage {
  std::uint8_t op = dhcp::kBootRequest;
  std::uint32_t xid = 0;
  std::uint16_t secs = 0;
  bool broadcast = false;  // the flags field's B bit: the client asks for broadcast replies
  Ipv4Addr ciaddr, yiaddr, siaddr, giaddr;
  MacAddr chaddr;
  std::vector<DhcpOption> options;  // in the order they are on the wire
  std::size_t pad_to = dhcp::kMinLen;

  // Rejects a message shorter than the fixed part plus cookie, a wrong cookie, or an option that
  // runs past the end.
  static std::optional<DhcpMessage> parse(Bytes b);
  std::size_t len() const;  // what emit writes
  void emit(MutBytes b) const;
  std::vector<std::uint8_t> bytes() const;

  const DhcpOption* option(std::uint8_t code) const;
  void set(std::uint8_t code, std::vector<std::uint8_t> data);  // replaces or appends
  void set_addr(std::uint8_t code, Ipv4Addr a);
  void set_u32(std::uint8_t code, std::uint32_t v);
  std::optional<dhcp::MsgType> type() const;
  std::optional<Ipv4Addr> addr(std::uint8_t code) const;
  std::optional<std::uint32_t> u32(std::uint8_t code) const;
  std::optional<int> mask_len() const;  // option 1 as a prefix length (a non-contiguous mask: none)
  std::vector<DhcpRoute> classless_routes() const;  // option 121
  std::vector<DhcpRoute> static_routes() const;     // option 33 (host routes)
  // "DHCP DISCOVER xid 0x1a2b3c4d chaddr 02:…", with yiaddr/ciaddr where set: one line for traces.
  std::string summary() const;
};

std::vector<std::uint8_t> encode_classless_routes(const std::vector<DhcpRoute>& routes);

}  // namespace ol::wire
