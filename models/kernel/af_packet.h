// net/packet/af_packet.c: a SOCK_DGRAM packet socket bound to one device and one ethertype, as the
// CNI dhcp daemon's client opens on a container's eth0 before it has an address. It sees every
// frame of that type the device receives (a clone, before ip_rcv), whatever its IP destination,
// and sends IP packets the program built itself behind an Ethernet header to a given MAC.
#pragma once
#include <cstdint>
#include <functional>
#include <span>

#include "models/kernel/sockets.h"
#include "models/wire/addr.h"

namespace ol::kernel {

class Device;
class Netns;

// socket(AF_PACKET, SOCK_DGRAM, htons(proto)) + bind to the device: registered until closed.
PacketSocket* packet_bind(Netns& ns, Device& dev, std::uint16_t protocol, std::function<void(const Packet&)> on_packet);
void packet_close(Netns& ns, PacketSocket* s);
// packet_rcv for each socket bound to `dev` and the frame's type (called from netif_receive_skb).
void packet_deliver(Netns& ns, Device& dev, std::uint16_t protocol, const Packet& p);
// packet_sendmsg: `ip_packet` (an IPv4 packet the program built) behind dev_hard_header to `dst`.
// False when the device is down, or was when the socket was bound and this is the first send
// since (ENETDOWN).
bool packet_sendmsg(Netns& ns, PacketSocket& s, const wire::MacAddr& dst, std::span<const std::uint8_t> ip_packet,
                    bool traced);

}  // namespace ol::kernel
