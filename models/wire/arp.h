// ARP for IPv4 over Ethernet (RFC 826): 28 bytes after the Ethernet header.
#pragma once
#include <optional>

#include "models/wire/addr.h"
#include "models/wire/bytes.h"

namespace ol::wire {

enum class ArpOp : std::uint16_t { Request = 1, Reply = 2 };

struct ArpRepr {
  static constexpr std::size_t kLen = 28;

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
