// skb_gso_segment for TCP over IPv4, also inside VXLAN (net/ipv4/tcp_offload.c, udp_offload.c):
// a GSO packet (headers and up to 64 KiB of payload) becomes one packet per gso_size of payload,
// each with its own headers: every IPv4 header's length, id and checksum, the tunnel's UDP length
// and checksum, the TCP sequence number. Done where a device cannot take the burst whole
// (validate_xmit_skb), e.g. flannel's TUN or a device whose GSO is switched off.
#pragma once
#include <functional>

#include "models/kernel/packet.h"

namespace ol::kernel {

class Netns;

// `p` starts at its Ethernet or IPv4 header. Each segment is handed to `out` in order; a packet
// that is not TCP (or not GSO) is handed on whole.
void skb_gso_segment(Netns& ns, PacketPtr p, const std::function<void(PacketPtr)>& out);

}  // namespace ol::kernel
