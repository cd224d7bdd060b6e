// A packet buffer in the manner of an sk_buff: bytes with headroom so that encapsulation pushes
// headers in front without copying, plus the metadata the stack keeps beside the bytes.
// Buffers come from a PacketPool and go back to it, so the datapath allocates nothing per packet.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "models/wire/ethernet.h"
#include "models/wire/ipv4.h"
#include "models/kernel/sock_wmem.h"

namespace ol::kernel {

class Device;
class PacketPool;

enum class PktType : std::uint8_t { Host, Broadcast, Multicast, Otherhost };  // eth_type_trans()

// The buffer comes in two sizes, as the kernel's kmalloc buckets do: room for a frame of a 1500-byte
// MTU plus encapsulation, or for a 64 KiB GSO packet. A packet that outgrows the small one moves to
// a large one (skb_put never fails here); the pool recycles each size separately, so a queue of
// 1,000 ordinary frames holds 2 MiB, not 65 MiB.
struct Packet {
  static constexpr std::uint32_t kHeadroom = 192;
  static constexpr std::uint32_t kMaxData = 65536 + 512;  // a 64 KiB GSO packet plus encapsulation
  static constexpr std::uint32_t kSmallCap = kHeadroom + 2048;
  static constexpr std::uint32_t kLargeCap = kHeadroom + kMaxData;

  explicit Packet(std::uint32_t capacity) : storage_(new std::uint8_t[capacity]), buf(storage_.get()), cap(capacity) {}

  std::uint8_t* data() { return buf + head; }
  const std::uint8_t* data() const { return buf + head; }
  std::uint32_t size() const { return len; }
  std::span<std::uint8_t> bytes() { return {data(), len}; }
  std::span<const std::uint8_t> bytes() const { return {data(), len}; }
  std::uint8_t* push(std::uint32_t n) { head -= n; len += n; return data(); }  // skb_push
  void pull(std::uint32_t n) { head += n; len -= n; }                          // skb_pull
  std::uint8_t* put(std::uint32_t n) {  // skb_put
    if (head + len + n > cap) grow(head + len + n);
    auto* t = data() + len;
    len += n;
    return t;
  }
  void trim(std::uint32_t n) { len = n; }                                       // pskb_trim

  std::uint32_t head = kHeadroom;
  std::uint32_t len = 0;
  std::uint64_t id = 0;     // one id per packet a program sent; clones and replies get their own
  bool traced = false;      // record every step of this packet
  bool at_l3 = false;       // data() starts at the IPv4 header (else at the Ethernet header)
  PktType pkt_type = PktType::Host;
  Device* dev = nullptr;    // the device it was received on
  // GSO (a TCP burst carried as one buffer): each segment's payload size, 0 when not GSO, and the
  // payload bytes in all; the packet becomes ceil(gso_payload / gso_size) packets on the wire.
  std::uint16_t flow = 0;   // the workload it belongs to (1-based; 0 none): CPU time is booked to it
  std::uint16_t gso_size = 0;
  std::uint32_t gso_payload = 0;
  std::uint32_t gso_segs() const { return gso_size ? (gso_payload + gso_size - 1) / gso_size : 1; }
  // skb->sk: the socket (SockWmem's id, 0 none) whose write memory holds this packet's truesize.
  std::uint32_t sk = 0;
  std::uint32_t sk_truesize = 0;
  // skb_gso_network_seglen: the size of its largest segment (what an MTU check must compare).
  std::uint32_t seglen() const { return gso_size ? len - gso_payload + gso_size : len; }
  // The bytes its segments put on a wire: every segment repeats the headers.
  std::uint32_t wire_len() const { return len + (gso_segs() - 1) * (len - gso_payload); }

 private:
  void grow(std::uint32_t needed);
  std::unique_ptr<std::uint8_t[]> storage_;

 public:
  std::uint8_t* buf;
  std::uint32_t cap;  // kSmallCap or kLargeCap
};

// skb->truesize: what the buffer costs the memory accounting, more than its bytes. The sender's
// __ip_append_data asks __alloc_skb for the IP packet plus LL_RESERVED_SPACE (16 B) plus 15; the
// head and skb_shared_info (320 B) are each rounded to a cache line. A head that fits 576 B comes
// from skb_small_head_cache (Linux 6.3 on, x86-64), a larger one from the kmalloc bucket that fits
// (a power of two), and SKB_TRUESIZE adds struct sk_buff (256 B). Measured on Linux 6.18 (the
// rmem a UDP socket's queue shows per datagram): an 84-byte ping or a 92-byte datagram is 832, a
// 540-byte one 1280, a full 1500-byte packet 2304.
inline std::uint32_t skb_truesize(const Packet& p) {
  constexpr std::uint32_t kReserve = 16 + 15, kSharedInfo = 320, kSmallHead = 576, kSkBuff = 256;
  constexpr auto kEth = std::uint32_t(wire::EthernetRepr::kLen);
  const std::uint32_t ip_len = p.at_l3 || p.len < kEth ? p.len : p.len - kEth;
  const std::uint32_t want = ((ip_len + kReserve + 63) & ~63u) + kSharedInfo;
  if (want <= kSmallHead) return kSmallHead + kSkBuff;
  std::uint32_t bucket = 1024;
  while (bucket < want) bucket <<= 1;
  return bucket + kSkBuff;
}

struct PacketReturn {
  PacketPool* pool = nullptr;
  void operator()(Packet* p) const;
};
using PacketPtr = std::unique_ptr<Packet, PacketReturn>;

class PacketPool {
 public:
  // A packet with room for `data` bytes after the headroom (more can still be put).
  PacketPtr get(std::uint32_t data = 0);
  PacketPtr clone(const Packet& p);  // skb_clone, as a copy of the bytes in use
  void release(Packet* p) {  // kfree_skb / consume_skb: the destructor first
    wmem.orphan(*p);
    (p->cap == Packet::kSmallCap ? free_small_ : free_large_).emplace_back(p);
  }
  SockWmem wmem;  // the sockets' write memory its packets are charged to
  std::size_t allocated() const { return allocated_; }
  std::uint64_t new_packet_id() { return ++last_packet_id_; }  // one per packet a program sends

 private:
  std::vector<std::unique_ptr<Packet>> free_small_, free_large_;
  std::size_t allocated_ = 0;
  std::uint64_t last_packet_id_ = 0;
};

// eth_hdr / ip_hdr: views of a packet's outermost header, for a packet whose header the stack has
// already checked (eth_type_trans, ip_rcv) or built itself; data() must be at that header.
inline wire::EthernetViewMut eth_hdr(Packet& p) { return wire::EthernetViewMut::new_unchecked(p.bytes()); }
inline wire::EthernetView eth_hdr(const Packet& p) { return wire::EthernetView::new_unchecked(p.bytes()); }
inline wire::Ipv4ViewMut ip_hdr(Packet& p) { return wire::Ipv4ViewMut::new_unchecked(p.bytes()); }
inline wire::Ipv4View ip_hdr(const Packet& p) { return wire::Ipv4View::new_unchecked(p.bytes()); }

// "eth 14 | ipv4 20 | udp 8 | vxlan 8 | eth 14 | ipv4 20 | icmp 8 | data 56": for traces only.
std::string describe_headers(const Packet& p);

}  // namespace ol::kernel
