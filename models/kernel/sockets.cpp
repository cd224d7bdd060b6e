#include "models/kernel/sockets.h"

namespace ol::kernel {

UdpSocket* SocketTable::udp_bind(wire::Ipv4Addr addr, std::uint16_t port) {
  if (udp_.find(port)) return nullptr;
  UdpSocket& s = udp_.insert(port);
  s.bound = addr;
  s.port = port;
  return &s;
}

void SocketTable::udp_close(std::uint16_t port) { udp_.erase(port); }

UdpSocket* SocketTable::udp_lookup(wire::Ipv4Addr daddr, std::uint16_t port) {
  UdpSocket* s = udp_.find(port);
  if (!s) return nullptr;
  if (!s->bound.is_zero() && s->bound != daddr) return nullptr;
  return s;
}

PingSocket* SocketTable::ping_open(std::uint16_t id) {
  auto [it, inserted] = ping_.try_emplace(id);
  if (!inserted) return nullptr;
  it->second.id = id;
  return &it->second;
}

PingSocket* SocketTable::ping_lookup(std::uint16_t id) {
  auto it = ping_.find(id);
  return it == ping_.end() ? nullptr : &it->second;
}

bool SocketTable::tcp_listen(std::uint16_t port, TcpHandler h) {
  return tcp_.emplace(port, std::move(h)).second;
}

SocketTable::TcpHandler* SocketTable::tcp_lookup(std::uint16_t port) {
  auto it = tcp_.find(port);
  return it == tcp_.end() ? nullptr : &it->second;
}

}  // namespace ol::kernel
