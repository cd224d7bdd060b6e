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
#include <vector>

#include <fmt/format.h>

#include "models/userspace/udp_proxy_logic.h"
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

// The TUN's MTU (SIOCGIFMTU): the size of the proxy's one buffer, as flannel's run_proxy takes it.
int tun_mtu(const std::string& name) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  const int rc = fd < 0 ? -1 : ::ioctl(fd, SIOCGIFMTU, &ifr);
  if (fd >= 0) ::close(fd);
  return rc < 0 ? 1500 : ifr.ifr_mtu;
}

// The loop of flannel's proxy_amd64.c, with its decisions taken from the same code the simulator
// runs (models/userspace/udp_proxy_logic): each pass one TUN read, then one socket read.
class Udpd {
 public:
  Udpd(const UdpdOptions& o, int tun, int sock, UdpdStats& st, int mtu)
      : o_(o), tun_(tun), sock_(sock), st_(st), buf_(std::size_t(mtu)) {
    for (const auto& r : o.routes) routes_.set(r.subnet, r.peer, r.port);
  }

  // tun_to_udp: false when the read found no packet (EAGAIN, or fewer than 20 bytes).
  bool tun_to_udp() {
    const ssize_t n = ::read(tun_, buf_.data(), buf_.size());
    if (n < ssize_t(wire::Ipv4Repr::kLen)) return false;
    const wire::MutBytes pkt(buf_.data(), std::size_t(n));
    const flannel::proxy::Route* r = routes_.find(wire::Ipv4View::new_unchecked(pkt).dst_addr());
    if (!r) {
      std::array<std::uint8_t, flannel::proxy::kNetUnreachableMax> icmp{};
      const std::size_t len = flannel::proxy::build_net_unreachable(pkt, o_.tun_addr, icmp);
      if (len && ::write(tun_, icmp.data(), len) > 0) ++st_.net_unreachable;
      return true;
    }
    if (!flannel::proxy::decrement_ttl(pkt)) {
      ++st_.ttl_dropped;
      return true;
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(r->port);
    to.sin_addr.s_addr = htonl(r->peer.v);
    ::sendto(sock_, buf_.data(), std::size_t(n), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    ++st_.tun_to_udp;
    return true;
  }

  // udp_to_tun: false when nothing (or fewer than 20 bytes) was received. Like flannel's, it
  // writes what it got into the TUN whatever it is (the kernel drops what is not IPv4); what is
  // not a whole IPv4 packet is counted as garbage.
  bool udp_to_tun() {
    const ssize_t n = ::recv(sock_, buf_.data(), buf_.size(), MSG_DONTWAIT);
    if (n < ssize_t(wire::Ipv4Repr::kLen)) return false;
    const wire::MutBytes pkt(buf_.data(), std::size_t(n));
    auto ip = wire::Ipv4View::new_checked(pkt);
    if (!ip || ip->total_len() != std::size_t(n)) ++st_.garbage;
    if (!flannel::proxy::decrement_ttl(pkt)) {
      ++st_.ttl_dropped;
      return true;
    }
    if (::write(tun_, buf_.data(), std::size_t(n)) > 0) ++st_.udp_to_tun;
    return true;
  }

 private:
  const UdpdOptions& o_;
  int tun_, sock_;
  UdpdStats& st_;
  flannel::proxy::RouteList routes_;
  std::vector<std::uint8_t> buf_;
};

}  // namespace

int run_udpd(const UdpdOptions& o, UdpdStats* out_stats) {
  const int tun = open_tun(o.tun);
  if (tun < 0) {
    std::cerr << fmt::format("udpd: cannot open the TUN device {}: {}\n    fix: create it first (ip tuntap add dev {} mode tun), as root\n",
                             o.tun, std::strerror(errno), o.tun);
    return 2;
  }
  if (o.own_tun && ::ioctl(tun, TUNSETPERSIST, 0) < 0) {
    std::cerr << fmt::format("udpd: cannot make {} non-persistent: {}\n", o.tun, std::strerror(errno));
    ::close(tun);
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
  auto d = std::make_unique<Udpd>(o, tun, sock, st, tun_mtu(o.tun));
  std::array<pollfd, 2> fds{{{tun, POLLIN, 0}, {sock, POLLIN, 0}}};
  while (!g_stop) {
    if (::poll(fds.data(), fds.size(), 200) <= 0) continue;
    if ((fds[0].revents | fds[1].revents) & POLLIN)
      for (bool activity = true; activity && !g_stop;) {
        activity = d->tun_to_udp();
        activity = d->udp_to_tun() || activity;
      }
  }
  ::close(sock);
  ::close(tun);
  if (out_stats) *out_stats = st;
  std::cerr << fmt::format("udpd: {} tun->udp, {} udp->tun, {} net unreachable, {} TTL expired, {} garbage datagrams\n",
                           st.tun_to_udp, st.udp_to_tun, st.net_unreachable, st.ttl_dropped, st.garbage);
  return 0;
}

}  // namespace ol::validate
