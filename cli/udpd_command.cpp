// overlaylab udpd: the real UDP-backend daemon (validate/udpd.h), from the command line.
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/validate_command.h"
#include "validate/udpd.h"

namespace ol::cli {

namespace {

// "IP" or "IP:PORT"
bool parse_endpoint(const std::string& s, wire::Ipv4Addr& ip, std::uint16_t& port) {
  const auto colon = s.find(':');
  auto a = wire::Ipv4Addr::parse(s.substr(0, colon));
  if (!a) return false;
  ip = *a;
  if (colon != std::string::npos) {
    const int p = std::atoi(s.c_str() + colon + 1);
    if (p < 1 || p > 65535) return false;
    port = std::uint16_t(p);
  }
  return true;
}

}  // namespace

int cmd_udpd(const UdpdCliOptions& o) {
  validate::UdpdOptions u;
  u.tun = o.tun;
  u.own_tun = o.own_tun;
  if (!parse_endpoint(o.bind, u.bind, u.port)) {
    std::cerr << fmt::format("--bind: \"{}\" is not IP or IP:PORT\n", o.bind);
    return 2;
  }
  auto ta = wire::Ipv4Addr::parse(o.tun_addr);
  if (!ta) {
    std::cerr << fmt::format("--tun-addr: \"{}\" is not an IPv4 address\n", o.tun_addr);
    return 2;
  }
  u.tun_addr = *ta;
  for (const auto& r : o.routes) {  // CIDR=IP[:PORT]
    const auto eq = r.find('=');
    auto sn = wire::Ipv4Prefix::parse(r.substr(0, eq));
    validate::UdpdRoute route;
    if (eq == std::string::npos || !sn || !parse_endpoint(r.substr(eq + 1), route.peer, route.port)) {
      std::cerr << fmt::format("--route: \"{}\" is not SUBNET=IP[:PORT]\n    fix: e.g. 10.244.2.0/24=192.168.100.12:8285\n", r);
      return 2;
    }
    route.subnet = *sn;
    u.routes.push_back(route);
  }
  return validate::run_udpd(u);
}

}  // namespace ol::cli
