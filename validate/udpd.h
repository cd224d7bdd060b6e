// overlaylab udpd: a real UDP-backend daemon, doing what flanneld's proxy (proxy_amd64.c) does,
// for the validation mode (and usable on its own). One thread, one poll() loop over the TUN device
// (IFF_TUN | IFF_NO_PI: bare IP packets) and a UDP socket; each pass of its loop does one TUN read
// (route lookup, TTL, sendto) then one socket read (TTL, write into the TUN), with a buffer of the
// TUN's MTU. The decisions are the simulator's own (models/userspace/udp_proxy_logic): the route
// list with its swap to the front, the TTL, and the ICMP net unreachable it writes back (TTL 8,
// never about ICMP or a later fragment). Datagrams that are no IPv4 packet are counted as garbage
// and, as flannel does, written on for the kernel to drop. SIGTERM or SIGINT ends it cleanly.
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
  // Make the TUN flanneld's own: no longer persistent (TUNSETPERSIST 0), so the kernel deletes it,
  // with its address and routes, when this daemon exits — as flannel0 goes with flanneld.
  bool own_tun = false;
};

struct UdpdStats {
  std::uint64_t tun_to_udp = 0, udp_to_tun = 0, net_unreachable = 0, ttl_dropped = 0, garbage = 0;
};

// Runs until SIGTERM/SIGINT. Returns 0, or 2 with the reason printed when it cannot start.
int run_udpd(const UdpdOptions& o, UdpdStats* stats = nullptr);

}  // namespace ol::validate
