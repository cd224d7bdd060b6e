#include "validate/udpd.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstring>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "models/wire/bytes.h"
#include "models/wire/checksum.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"

namespace ol::validate {

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_stop(int) { g_stop = 1; }

int open_tun(const std::string& name) {
  const int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK);
  if (fd < 0) return -1;
  ifreq ifr{};
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  if (::ioctl(fd, TUNSETIFF, &ifr) < 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool decrement_ttl(const wire::Ipv4ViewMut& ip) {
  if (ip.ttl() <= 1) return false;
  ip.decrease_ttl();
  return true;
}

// A well-formed IPv4 packet: version 4, a sane header, and no longer than what was received.
std::optional<wire::Ipv4ViewMut> ipv4_packet(std::span<std::uint8_t> b) {
  auto ip = wire::Ipv4ViewMut::new_checked(b);
  if (!ip || ip->total_len() < ip->header_len() || ip->total_len() > b.size()) return std::nullopt;
  return ip;
}

class Udpd {
 public:
  Udpd(const UdpdOptions& o, int tun, int sock, UdpdStats& st) : o_(o), tun_(tun), sock_(sock), st_(st) {}

  void tun_to_udp() {
    for (;;) {
      const ssize_t n = ::read(tun_, buf_.data(), buf_.size());
      if (n <= 0) return;
      auto ip = ipv4_packet(std::span(buf_.data(), std::size_t(n)));
      if (!ip) continue;
      const UdpdRoute* r = find_route(ip->dst_addr());
      if (!r) {
        send_net_unreachable(*ip);
        continue;
      }
      if (!decrement_ttl(*ip)) {
        ++st_.ttl_dropped;
        continue;
      }
      sockaddr_in to{};
      to.sin_family = AF_INET;
      to.sin_port = htons(r->port);
      to.sin_addr.s_addr = htonl(r->peer.v);
      ::sendto(sock_, buf_.data(), std::size_t(n), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
      ++st_.tun_to_udp;
    }
  }

  void udp_to_tun() {
    for (;;) {
      const ssize_t n = ::recv(sock_, buf_.data(), buf_.size(), MSG_DONTWAIT);
      if (n < 0) return;
      auto ip = ipv4_packet(std::span(buf_.data(), std::size_t(n)));
      if (!ip) {
        ++st_.garbage;
        continue;
      }
      if (!decrement_ttl(*ip)) {
        ++st_.ttl_dropped;
        continue;
      }
      if (::write(tun_, buf_.data(), ip->total_len()) > 0) ++st_.udp_to_tun;
    }
  }

 private:
  const UdpdRoute* find_route(wire::Ipv4Addr dst) const {
    for (const auto& r : o_.routes)
      if (r.subnet.contains(dst)) return &r;
    return nullptr;
  }

  // ICMP destination (net) unreachable from the TUN's address to the sender, quoting its header.
  void send_net_unreachable(const wire::Ipv4ViewMut& offender) {
    const std::size_t quoted = std::min(offender.bytes().size(), offender.header_len() + 8);
    std::array<std::uint8_t, 20 + 8 + 60 + 8> pkt{};
    const std::size_t icmp_len = wire::IcmpRepr::kLen + quoted;
    std::memcpy(pkt.data() + 20 + 8, buf_.data(), quoted);
    wire::IcmpRepr{wire::icmp::kDestUnreach, wire::icmp::kNetUnreach, 0, 0, 0}.emit_message(wire::MutBytes(pkt.data() + 20, icmp_len));
    wire::Ipv4Repr ip;
    ip.total_len = std::uint16_t(20 + icmp_len);
    ip.ttl = 64;
    ip.protocol = std::uint8_t(wire::IpProto::Icmp);
    ip.src = o_.tun_addr;
    ip.dst = offender.src_addr();
    ip.emit(wire::MutBytes(pkt.data(), 20));
    if (::write(tun_, pkt.data(), 20 + icmp_len) > 0) ++st_.net_unreachable;
  }

  const UdpdOptions& o_;
  int tun_, sock_;
  UdpdStats& st_;
  std::array<std::uint8_t, 65536> buf_{};
};

}  // namespace

int run_udpd(const UdpdOptions& o, UdpdStats* out_stats) {
  const int tun = open_tun(o.tun);
  if (tun < 0) {
    std::cerr << fmt::format("udpd: cannot open the TUN device {}: {}\n    fix: create it first (ip tuntap add dev {} mode tun), as root\n",
                             o.tun, std::strerror(errno), o.tun);
    return 2;
  }
  const int sock = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  sockaddr_in me{};
  me.sin_family = AF_INET;
  me.sin_port = htons(o.port);
  me.sin_addr.s_addr = htonl(o.bind.v);
  if (sock < 0 || ::bind(sock, reinterpret_cast<sockaddr*>(&me), sizeof me) < 0) {
    std::cerr << fmt::format("udpd: cannot bind UDP {}:{}: {}\n", o.bind.str(), o.port, std::strerror(errno));
    ::close(tun);
    if (sock >= 0) ::close(sock);
    return 2;
  }
  std::signal(SIGTERM, on_stop);
  std::signal(SIGINT, on_stop);
  UdpdStats st;
  auto d = std::make_unique<Udpd>(o, tun, sock, st);
  std::array<pollfd, 2> fds{{{sock, POLLIN, 0}, {tun, POLLIN, 0}}};
  while (!g_stop) {
    if (::poll(fds.data(), fds.size(), 200) <= 0) continue;
    if (fds[0].revents & POLLIN) d->udp_to_tun();
    if (fds[1].revents & POLLIN) d->tun_to_udp();
  }
  ::close(sock);
  ::close(tun);
  if (out_stats) *out_stats = st;
  std::cerr << fmt::format("udpd: {} tun->udp, {} udp->tun, {} net unreachable, {} TTL expired, {} garbage datagrams\n",
                           st.tun_to_udp, st.udp_to_tun, st.net_unreachable, st.ttl_dropped, st.garbage);
  return 0;
}

}  // namespace ol::validate
