// A socket's write memory: skb->sk with sock_wfree/tcp_wfree as the packet's destructor. A packet
// a socket sends is charged its truesize (skb_set_owner_w) until it is orphaned: ip_rcv_core drops
// the owner when the packet enters the next namespace's IP layer (a veth keeps it: since 2019
// skb_scrub_packet no longer orphans a packet that changes namespace), tun_net_xmit drops it, and
// freeing it (a drop, or consumed) does. TCP small queues reads the charge to keep a flow from filling the queues below it; when it
// throttled the flow, the freeing wakes it (tcp_wfree → tcp_tsq_handler).
#pragma once
#include <cstdint>
#include <vector>

#include "sim/event_queue.h"

namespace ol::kernel {

struct Packet;

class SockWmem {
 public:
  // A socket's account; `owner->on_event(cookie)` is called when a throttled socket's charge falls.
  std::uint32_t open(EventTarget* owner, std::uint64_t cookie);
  void close(std::uint32_t sk);  // the socket goes: packets still charged to it free into nothing
  std::uint32_t wmem_alloc(std::uint32_t sk) const { return socks_[sk - 1].wmem_alloc; }
  void throttle(std::uint32_t sk) { socks_[sk - 1].throttled = true; }  // TSQ_THROTTLED
  void set_owner_w(Packet& p, std::uint32_t sk, std::uint32_t truesize);
  void orphan(Packet& p);

 private:
  struct Sock {
    std::uint32_t wmem_alloc = 0;
    EventTarget* owner = nullptr;
    std::uint64_t cookie = 0;
    bool throttled = false;
  };
  std::vector<Sock> socks_;
};

}  // namespace ol::kernel
