// overlaylab udpd: a real UDP-backend daemon, doing what flanneld's proxy does, for the validation
// mode (and usable on its own). One thread, one poll() loop over the TUN device (IFF_TUN |
// IFF_NO_PI: bare IP packets) and a UDP socket: tun_to_udp reads a packet, finds the peer by a
// linear first-match search of its routes, decrements the TTL and sends it; udp_to_tun receives,
// checks that it is an IPv4 packet, decrements the TTL and writes it. A destination no route
// covers gets an ICMP net unreachable written back into the TUN, from the TUN's address.
// Garbage on the UDP port is counted and dropped. SIGTERM or SIGINT ends it cleanly.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "models/wire/addr.h"

namespace ol::validate {

struct UdpdRoute {
  wire::Ipv4Prefix subnet;
  wire::Ipv4Addr peer;
  std::uint16_t port = 8285;
};

struct UdpdOptions {
  std::string tun = "flannel0";
  wire::Ipv4Addr bind;
  std::uint16_t port = 8285;
  wire::Ipv4Addr tun_addr;  // source of the ICMP errors it writes back
  std::vector<UdpdRoute> routes;
};

struct UdpdStats {
  std::uint64_t tun_to_udp = 0, udp_to_tun = 0, net_unreachable = 0, ttl_dropped = 0, garbage = 0;
};

// Runs until SIGTERM/SIGINT. Returns 0, or 2 with the reason printed when it cannot start.
int run_udpd(const UdpdOptions& o, UdpdStats* stats = nullptr);

}  // namespace ol::validate
