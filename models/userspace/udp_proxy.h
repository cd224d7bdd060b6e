// flanneld's UDP proxy (backend/udp/proxy_amd64.c) as a simulated process: one thread that poll()s
// the TUN device and the UDP socket and drains each; tun_to_udp reads one bare IP packet, finds
// the peer by a linear first-match search of its route list, decrements the TTL and sendto()s it
// to <peer>:8285; udp_to_tun recv()s one, decrements the TTL and write()s it into the TUN. Every
// packet crosses kernel↔user twice on each node.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/flannel/backend.h"
#include "models/kernel/packet.h"
#include "sim/event_queue.h"

namespace ol::kernel {
class Netns;
class TunDevice;
struct UdpSocket;
}  // namespace ol::kernel

namespace ol::flannel {

class UdpProxy final : public UdpProxyControl, public EventTarget {
 public:
  UdpProxy(kernel::Netns& ns, wire::Ipv4Addr bind_ip, std::uint16_t port);
  ~UdpProxy() override;
  // Once flanneld has made the TUN: open it (attach as its reader) and bind the UDP socket.
  // `tun_addr` (flannel0's address) is the source of the ICMP errors the proxy writes back.
  // Returns false when the port is taken.
  bool open(kernel::TunDevice& tun, wire::Ipv4Addr tun_addr);

  void set_route(const Ipv4Prefix& subnet, wire::Ipv4Addr peer, std::uint16_t port) override;  // CMD_SET_ROUTE
  void del_route(const Ipv4Prefix& subnet) override;                                           // CMD_DEL_ROUTE
  void on_event(std::uint64_t cookie) override;  // poll() returned: drain both

  std::function<void(const std::string&)> on_command;  // sees each control message, for the log
  int core = 0;  // the core its thread runs on

  struct Route {
    Ipv4Prefix subnet;
    wire::Ipv4Addr peer;
    std::uint16_t port;
  };
  const std::vector<Route>& routes() const { return routes_; }
  struct Stats {
    std::uint64_t tun_to_udp = 0, udp_to_tun = 0, net_unreachable = 0, ttl_dropped = 0;
  } stats;

 private:
  void wake();
  void tun_to_udp(kernel::PacketPtr p);
  void udp_to_tun(kernel::PacketPtr p);
  const Route* find_route(wire::Ipv4Addr dst) const;
  void send_net_unreachable(const kernel::Packet& offender);

  kernel::Netns& ns_;
  kernel::TunDevice* tun_ = nullptr;
  kernel::UdpSocket* sock_ = nullptr;
  wire::Ipv4Addr bind_ip_;
  std::uint16_t port_;
  wire::Ipv4Addr tun_addr_;
  std::vector<Route> routes_;  // unsorted, first match wins, as flannel's
  std::unordered_map<std::uint64_t, std::size_t> index_;  // subnet → position, so a set finds its entry at once
  std::vector<std::uint8_t> buf_;  // the proxy's one packet buffer
  bool scheduled_ = false;
};

}  // namespace ol::flannel
