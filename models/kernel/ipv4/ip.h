// The IPv4 stack (net/ipv4/): each function is named after the kernel function it models and
// takes the namespace it runs in. Packets arrive here with data() at the IPv4 header.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "models/kernel/packet.h"
#include "models/kernel/tables/fib.h"
#include "models/wire/addr.h"

namespace ol::kernel {

class Device;
class Netns;
struct Neighbour;
struct UdpSocket;

// struct rtable, reduced: where a packet goes next and with which source address.
struct RouteResult {
  const Route* route = nullptr;
  RouteType type = RouteType::Unicast;
  Device* dev = nullptr;
  wire::Ipv4Addr nexthop;  // the gateway, or the destination itself
  wire::Ipv4Addr src;      // the preferred source (fib_result_prefsrc / inet_select_addr)
  int mtu = 1500;          // the device MTU, or a smaller learnt path MTU
};

// The errors a socket call can return here, with strerror's words; one list makes both.
#define OL_ERRNOS(X)                                                                         \
  X(Ok, "Success") X(NetUnreach, "Network is unreachable") X(HostUnreach, "No route to host") \
  X(MsgSize, "Message too long") X(NoBufs, "No buffer space available")                      \
  X(AddrInUse, "Address already in use") X(NetDown, "Network is down")

enum class Errno {
#define OL_ERRNO_ENUM(name, text) name,
  OL_ERRNOS(OL_ERRNO_ENUM)
#undef OL_ERRNO_ENUM
};
const char* strerror_text(Errno e);  // "Network is unreachable", …

// IP_MTU_DISCOVER of the sending socket: WANT (the Linux default) sets DF but fragments locally
// what does not fit; DO refuses (EMSGSIZE); DONT never sets DF.
enum class PmtuDisc { Want, Do, Dont };

// fib_lookup: the local table, then main (the default rules).
const Route* fib_lookup(Netns& ns, wire::Ipv4Addr dst, Scope min_scope = Scope::Universe);
// ip_route_output_key: the route for a locally generated packet to `dst`.
std::optional<RouteResult> ip_route_output(Netns& ns, wire::Ipv4Addr dst, wire::Ipv4Addr saddr = {});
// inet_select_addr: an address of `dev` (one whose subnet holds dst, else the first); with none on
// the device, Linux borrows the first address of another device in the namespace.
std::optional<wire::Ipv4Addr> inet_select_addr(const Device& dev, wire::Ipv4Addr dst);
// The RouteResult for forwarding or sending along `r` to `dst` (device MTU, no source chosen).
RouteResult route_result(const Route& r, wire::Ipv4Addr dst);

// ip_input.c
void ip_rcv(Netns& ns, Device& dev, PacketPtr p);
void ip_local_deliver(Netns& ns, Device& dev, PacketPtr p);
// ip_forward.c
void ip_forward(Netns& ns, Device& in, PacketPtr p, const RouteResult& rt);
// ip_output.c: `p` holds a complete IPv4 packet.
void ip_local_out(Netns& ns, PacketPtr p, const RouteResult& rt);
void ip_output(Netns& ns, PacketPtr p, const RouteResult& rt);
// Writes a 20-byte IPv4 header in front of the payload already in `p`.
void ip_push_header(Netns& ns, Packet& p, wire::Ipv4Addr src, wire::Ipv4Addr dst, std::uint8_t proto,
                    std::uint8_t ttl, bool df);
// The MTU a new packet to rt's destination must fit, and whether DF is set on it.
bool ip_dont_fragment(PmtuDisc pmtudisc, std::uint32_t size, const RouteResult& rt);
// neigh_resolve_output and friends: Ethernet header, then the device.
void ip_finish_output2(Netns& ns, PacketPtr p, const RouteResult& rt);

// icmp.c
void icmp_rcv(Netns& ns, Device& dev, PacketPtr p);
void icmp_send(Netns& ns, const Packet& orig, std::uint8_t type, std::uint8_t code, std::uint16_t info);
// arp.c
void arp_rcv(Netns& ns, Device& dev, PacketPtr p);
void arp_solicit(Netns& ns, Neighbour& n, bool unicast);
// udp.c
void udp_rcv(Netns& ns, Device& dev, PacketPtr p);
// sk_dst_confirm, then sock_confirm_neigh on the next transmit: a TCP ACK for new data proves the
// next hop toward `dst` answers, so its neighbour entry stays REACHABLE without ARP probes.
void dst_confirm(Netns& ns, wire::Ipv4Addr dst);

// tcp_ipv4.c: hands the segment to the endpoint listening on its port (no endpoint: dropped;
// Linux would answer with a RST, which overlaylab leaves out).
void tcp_v4_rcv(Netns& ns, Device& dev, PacketPtr p);
// udp_recvmsg: the oldest queued datagram (IPv4 header first), or null (EAGAIN).
PacketPtr udp_recvmsg(Netns& ns, UdpSocket& s);
// udp_sendmsg: sends `payload_len` bytes (zeros unless `payload` is given). Returns the errno.
Errno udp_sendmsg(Netns& ns, std::uint16_t sport, wire::Ipv4Addr dst, std::uint16_t dport,
                  std::uint32_t payload_len, const std::uint8_t* payload = nullptr, bool traced = false,
                  PmtuDisc pmtudisc = PmtuDisc::Want, std::uint64_t* packet_id = nullptr);
// (`*packet_id`, when given and non-zero, is kept: a program forwarding a packet it read keeps its id.)
// ping_v4_sendmsg: an ICMP echo request of `payload_len` data bytes.
Errno ping_sendmsg(Netns& ns, std::uint16_t id, std::uint16_t seq, wire::Ipv4Addr dst, std::uint32_t payload_len,
                   bool traced, PmtuDisc pmtudisc = PmtuDisc::Want, std::uint8_t ttl = 0,
                   std::uint64_t* packet_id = nullptr);

}  // namespace ol::kernel
