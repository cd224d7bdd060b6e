// The decisions of flanneld's UDP proxy (pkg/backend/udp/proxy_amd64.c), written once over plain
// bytes so that the simulated proxy (udp_proxy.cpp) and the real daemon (`overlaylab udpd`) make
// them alike, and validation compares the kernel with exactly what the model does:
//   - the route list: unsorted, first match wins, a hit is swapped to the front; a set updates in
//     place or appends; a delete moves the last entry into the hole;
//   - decrement_ttl: --ttl, and 0 means drop (a TTL of 0 wraps to 255 and goes on, as in C);
//   - send_net_unreachable: never about an ICMP packet, never for a non-first fragment, not for an
//     IP header of 60 bytes or more; the error has TTL 8, no DF, id 0, and quotes the offender's
//     header and the 8 bytes after it (zeros where the packet was shorter);
//   - the proxy's one buffer is the TUN's MTU: a longer packet or datagram is cut to it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/kernel/tables/key_index.h"
#include "models/wire/addr.h"
#include "models/wire/bytes.h"

namespace ol::flannel::proxy {

struct Route {
  wire::Ipv4Prefix subnet;
  wire::Ipv4Addr peer;
  std::uint16_t port;
};

class RouteList {
 public:
  void set(const wire::Ipv4Prefix& subnet, wire::Ipv4Addr peer, std::uint16_t port);  // CMD_SET_ROUTE
  bool del(const wire::Ipv4Prefix& subnet);                                             // CMD_DEL_ROUTE
  void reserve(std::size_t routes);  // room for this many without growing (the C proxy's array doubles too)
  // find_route: the first entry holding dst, which then moves to the front (bursts go to one peer).
  const Route* find(wire::Ipv4Addr dst);
  const std::vector<Route>& routes() const { return routes_; }

 private:
  // The C proxy scans its array for set and del; the model finds the entry through an index of
  // subnet → position instead (same order, same result), so a node with 5,000 peers programs
  // them in linear time. find() scans, as the proxy does, and keeps the index in step.
  static std::uint64_t key(const wire::Ipv4Prefix& s) { return std::uint64_t(s.len) << 32 | s.addr.v; }
  void swap_entries(std::size_t a, std::size_t b);
  std::vector<Route> routes_;
  kernel::KeyIndex at_;  // subnet → position in routes_
};

// True when the packet goes on (its TTL decremented and its checksum patched), false when the
// TTL reached 0. The first 20 bytes are taken for an IPv4 header, as flannel's C does.
bool decrement_ttl(wire::MutBytes ip_packet);

// The size of an ICMP net unreachable's IPv4 packet about an offender with this header length.
constexpr std::size_t net_unreachable_len(std::size_t offender_header_len) { return 20 + 8 + offender_header_len + 8; }
inline constexpr std::size_t kNetUnreachableMax = net_unreachable_len(60);

// Writes into `out` (at least kNetUnreachableMax bytes) the ICMP net unreachable the proxy sends
// back into the TUN about `offender` (a packet read from the TUN: at least 20 bytes), from
// `tun_addr`. Returns its length, or 0 when the proxy sends none.
std::size_t build_net_unreachable(wire::Bytes offender, wire::Ipv4Addr tun_addr, wire::MutBytes out);

}  // namespace ol::flannel::proxy
