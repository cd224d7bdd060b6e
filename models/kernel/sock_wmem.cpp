#include "models/kernel/sock_wmem.h"

#include "models/kernel/packet.h"

namespace ol::kernel {

std::uint32_t SockWmem::open(EventTarget* owner, std::uint64_t cookie) {
  socks_.push_back(Sock{0, owner, cookie, false});
  return std::uint32_t(socks_.size());
}

void SockWmem::close(std::uint32_t sk) {
  socks_[sk - 1].owner = nullptr;
  socks_[sk - 1].throttled = false;
}

void SockWmem::set_owner_w(Packet& p, std::uint32_t sk, std::uint32_t truesize) {
  orphan(p);
  p.sk = sk;
  p.sk_truesize = truesize;
  socks_[sk - 1].wmem_alloc += p.sk_truesize;
}

void SockWmem::orphan(Packet& p) {
  if (!p.sk) return;
  Sock& s = socks_[p.sk - 1];
  s.wmem_alloc -= p.sk_truesize;
  p.sk = 0;
  p.sk_truesize = 0;
  if (s.throttled && s.owner) {
    s.throttled = false;
    s.owner->on_event(s.cookie);
  }
}

}  // namespace ol::kernel
