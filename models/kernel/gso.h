// skb_gso_segment for TCP over IPv4 (net/ipv4/tcp_offload.c): a GSO packet (IPv4 + TCP headers and
// up to 64 KiB of payload) becomes one packet per gso_size of payload, each with its own headers:
// IP total length, id and checksum, TCP sequence number. Done where a device cannot take the
// burst whole (validate_xmit_skb), e.g. flannel's TUN.
#pragma once
#include <functional>

#include "models/kernel/packet.h"

namespace ol::kernel {

class World;

// `p` starts at its IPv4 header. Each segment is handed to `out` in order.
void skb_gso_segment(World& w, PacketPtr p, const std::function<void(PacketPtr)>& out);

}  // namespace ol::kernel
