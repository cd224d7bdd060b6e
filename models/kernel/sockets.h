// The sockets the model needs: UDP (net/ipv4/udp.c), including encapsulation sockets such as
// VXLAN's, and ICMP echo "ping" sockets (net/ipv4/ping.c) for the ping program.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/kernel/packet.h"
#include "models/kernel/tables/slot_index.h"
#include "models/wire/addr.h"
#include "sim/fifo.h"
#include "sim/time.h"

namespace ol::kernel {

class Device;
struct UdpSocket;

// setup_udp_tunnel_sock: a tunnel's socket hands every datagram to the tunnel's receive function
// (the kernel's udp_sk(sk)->encap_rcv), with data() at the UDP header and the outer source address.
// udp.c calls it and knows nothing of the tunnel behind it.
using EncapRcv = void (*)(UdpSocket& sk, PacketPtr p, wire::Ipv4Addr saddr);

struct UdpSocket {
  wire::Ipv4Addr bound;  // 0.0.0.0 = any
  std::uint16_t port = 0;
  EncapRcv encap_rcv = nullptr;        // set on a tunnel's socket
  std::shared_ptr<void> sk_user_data;  // the tunnel's own state (vxlan: the devices on the port)
  Fifo<PacketPtr> rx;               // datagrams at L3 (IPv4 header first), for recvfrom
  std::uint32_t rmem_alloc = 0;     // sk_rmem_alloc: the truesize of the datagrams in rx
  std::uint32_t rcvbuf = 212992;    // sk_rcvbuf: net.core.rmem_default
  std::uint64_t drops = 0;
  std::function<void()> on_readable;  // wakes the owning program (poll)
};

struct PingReply {
  Nanos time = 0;
  wire::Ipv4Addr from;
  std::uint16_t seq = 0;
  std::uint8_t ttl = 0;
  std::uint8_t type = 0;  // echo reply, or the ICMP error that came back
  std::uint8_t code = 0;
  std::uint16_t mtu = 0;  // for fragmentation needed
  std::uint32_t bytes = 0;
};

struct PingSocket {
  std::uint16_t id = 0;
  std::vector<PingReply> replies;
};

// An AF_PACKET socket bound to one device and one ethertype (net/packet/af_packet.c; see af_packet.h).
struct PacketSocket {
  Device* dev = nullptr;
  std::uint16_t protocol = 0;                    // ETH_P_IP
  std::function<void(const Packet&)> on_packet;  // packet_rcv: data() at the network header
  bool sk_err_netdown = false;  // bound while its device was down: the next send fails (ENETDOWN)
};

class alignas(64) SocketTable {
  // What every received packet reads comes first, on the object's one aligned cache line: whether
  // packet sockets listen, and the UDP sockets by port.
 public:
  std::vector<std::unique_ptr<PacketSocket>> packet;  // open packet sockets, in the order opened

 private:
  SlotIndex<UdpSocket> udp_;  // by port; a socket stays where it is until closed

 public:
  // bind(); false when the port is taken (EADDRINUSE).
  UdpSocket* udp_bind(wire::Ipv4Addr addr, std::uint16_t port);
  void udp_close(std::uint16_t port);
  UdpSocket* udp_lookup(wire::Ipv4Addr daddr, std::uint16_t port);
  PingSocket* ping_open(std::uint16_t id);  // nullptr when the id is taken
  void ping_close(std::uint16_t id) { ping_.erase(id); }
  PingSocket* ping_lookup(std::uint16_t id);
  // A TCP endpoint (models/traffic/ keeps the connection state): segments to `port` go to it.
  using TcpHandler = std::function<void(Device&, PacketPtr)>;
  bool tcp_listen(std::uint16_t port, TcpHandler h);
  void tcp_close(std::uint16_t port) { tcp_.erase(port); }
  TcpHandler* tcp_lookup(std::uint16_t port);

 private:
  std::unordered_map<std::uint16_t, TcpHandler> tcp_;
  std::unordered_map<std::uint16_t, PingSocket> ping_;
};

}  // namespace ol::kernel
