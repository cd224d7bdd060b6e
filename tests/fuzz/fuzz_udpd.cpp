// libFuzzer: what `overlaylab udpd` (and the simulated proxy) does with a datagram or a TUN packet
// of any bytes: the route lookup, the TTL, and the ICMP net unreachable it may build.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/userspace/udp_proxy_logic.h"
#include "models/wire/ipv4.h"

namespace proxy = ol::flannel::proxy;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 20 || size > 65535) return 0;  // the proxy takes fewer than 20 bytes for nothing read
  std::vector<std::uint8_t> buf(data, data + size);
  static proxy::RouteList routes = [] {
    proxy::RouteList r;
    r.set(*ol::wire::Ipv4Prefix::parse("10.244.2.0/24"), *ol::wire::Ipv4Addr::parse("192.168.100.12"), 8285);
    r.set(*ol::wire::Ipv4Prefix::parse("10.244.0.0/16"), *ol::wire::Ipv4Addr::parse("192.168.100.13"), 8285);
    return r;
  }();
  const auto dst = ol::wire::Ipv4View::new_unchecked(ol::wire::Bytes(buf)).dst_addr();
  if (!routes.find(dst)) {
    std::array<std::uint8_t, proxy::kNetUnreachableMax> out{};
    const std::size_t n = proxy::build_net_unreachable(buf, *ol::wire::Ipv4Addr::parse("10.244.1.0"), out);
    if (n && !ol::wire::Ipv4View::new_checked(ol::wire::Bytes(out.data(), n))) __builtin_trap();  // it builds valid IPv4
  }
  (void)proxy::decrement_ttl(buf);
  return 0;
}
