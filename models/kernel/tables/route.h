// One IPv4 route as `ip route` shows it (struct fib_alias + fib_info, flattened).
#pragma once
#include <cstdint>
#include <optional>

#include "models/wire/addr.h"

namespace ol::kernel {

class Device;

enum class RouteType : std::uint8_t { Unicast, Local, Broadcast };
// rtm_scope values: a larger number is a narrower scope.
enum class Scope : std::uint8_t { Universe = 0, Link = 253, Host = 254 };
enum class RouteProto : std::uint8_t { Kernel = 2, Boot = 3 };

// The fields are ordered by size, so a route takes 40 bytes: a 5,000-node cluster holds 25 million.
struct Route {
  Device* dev = nullptr;
  wire::Ipv4Prefix dst;  // network address, host bits clear
  std::optional<wire::Ipv4Addr> gw;
  std::optional<wire::Ipv4Addr> prefsrc;
  std::uint32_t metric = 0;
  RouteType type = RouteType::Unicast;
  Scope scope = Scope::Universe;
  RouteProto proto = RouteProto::Boot;
  bool onlink = false;

  bool same_key(const Route& o) const { return dst == o.dst && metric == o.metric; }
  bool operator==(const Route&) const = default;
};

}  // namespace ol::kernel
