// net/ipv4/ip_fragment.c: reassembly of fragments addressed to this host.
#pragma once
#include <map>
#include <tuple>
#include <vector>

#include "models/kernel/packet.h"
#include "sim/time.h"

namespace ol::kernel {

class Netns;

struct FragQueue {
  Nanos started = 0;
  std::vector<PacketPtr> frags;
  std::size_t total = 0;  // payload length, known once the last fragment (MF clear) arrives
};

// The namespace's reassembly queues, keyed by (source, destination, id, protocol).
struct IpFragQueues {
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint16_t, std::uint8_t>, FragQueue> queues;
};

// Takes one fragment; returns the whole datagram once every piece is in, else null.
// Incomplete datagrams older than ipfrag_time (30 s) are discarded.
PacketPtr ip_defrag(Netns& ns, PacketPtr fragment);

}  // namespace ol::kernel
