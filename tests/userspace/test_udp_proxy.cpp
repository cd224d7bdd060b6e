// flanneld's UDP proxy, as proxy_amd64.c has it: its decisions (shared with `overlaylab udpd`) and
// its loop: one TUN read then one socket read per pass.
#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "models/cost/profile.h"
#include "models/kernel/apply.h"
#include "models/kernel/devices/tun.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/world.h"
#include "models/netconfig/parse.h"
#include "models/userspace/udp_proxy.h"
#include "models/userspace/udp_proxy_logic.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"

using namespace ol;
namespace proxy = ol::flannel::proxy;

namespace {

std::vector<std::uint8_t> ip_packet(std::uint8_t proto, std::uint8_t ttl, std::uint16_t frag_units = 0) {
  std::vector<std::uint8_t> b(20 + 12, 0xab);
  wire::Ipv4Repr r;
  r.total_len = std::uint16_t(b.size());
  r.id = 77;
  r.ttl = ttl;
  r.protocol = proto;
  r.frag_offset = frag_units;
  r.src = *wire::Ipv4Addr::parse("10.244.1.2");
  r.dst = *wire::Ipv4Addr::parse("10.244.9.9");
  r.emit(b);
  return b;
}

wire::Ipv4Prefix net(const char* s) { return *wire::Ipv4Prefix::parse(s); }

// [n] lo 127.0.0.1 ; flannel0 10.244.1.0/32 (TUN), route 10.244.0.0/16 dev flannel0
kernel::Netns& proxy_netns(kernel::World& world) {
  kernel::apply(world, netconfig::parse_script("ip netns add n\n"
                                               "ip -n n link set dev lo up\n"
                                               "ip -n n tuntap add dev flannel0 mode tun\n"
                                               "ip -n n addr add 10.244.1.0/32 dev flannel0\n"
                                               "ip -n n link set dev flannel0 up\n"
                                               "ip -n n route add 10.244.0.0/16 dev flannel0\n"));
  return *world.netns("n");
}

}  // namespace

TEST_CASE("net unreachable: only about a first fragment that is not ICMP - TTL 8, from flannel0, quoting header + 8") {
  const auto tun_addr = *wire::Ipv4Addr::parse("10.244.1.0");
  std::array<std::uint8_t, proxy::kNetUnreachableMax> out{};
  CHECK(proxy::build_net_unreachable(ip_packet(1, 64), tun_addr, out) == 0);      // an ICMP echo: nothing
  CHECK(proxy::build_net_unreachable(ip_packet(17, 64, 185), tun_addr, out) == 0);  // a later fragment: nothing
  const auto udp = ip_packet(17, 64);
  const std::size_t n = proxy::build_net_unreachable(udp, tun_addr, out);
  REQUIRE(n == 20 + 8 + 20 + 8);
  auto ip = wire::Ipv4View::new_checked(wire::Bytes(out.data(), n));
  REQUIRE(ip);
  CHECK(ip->verify_checksum());
  CHECK(ip->ttl() == 8);
  CHECK_FALSE(ip->dont_frag());
  CHECK(ip->src_addr().str() == "10.244.1.0");
  CHECK(ip->dst_addr().str() == "10.244.1.2");
  auto icmp = wire::IcmpRepr::parse(ip->payload());
  REQUIRE(icmp);
  CHECK(icmp->type == wire::icmp::kDestUnreach);
  CHECK(icmp->code == wire::icmp::kNetUnreach);
  CHECK(wire::icmp_checksum_ok(ip->payload()));
  CHECK(std::equal(udp.begin(), udp.begin() + 28, ip->payload().begin() + 8));  // the offender's header and 8 bytes
}

TEST_CASE("decrement_ttl: 1 is dropped, 0 wraps to 255 and goes on, as flannel's C does") {
  auto two = ip_packet(17, 2), one = ip_packet(17, 1), zero = ip_packet(17, 0);
  CHECK(proxy::decrement_ttl(two));
  CHECK(wire::Ipv4View::new_checked(two)->ttl() == 1);
  CHECK(wire::Ipv4View::new_checked(two)->verify_checksum());
  CHECK_FALSE(proxy::decrement_ttl(one));
  CHECK(proxy::decrement_ttl(zero));
  CHECK(wire::Ipv4View::new_checked(zero)->ttl() == 255);
}

TEST_CASE("the route list: first match wins, a hit moves to the front, a delete moves the last entry into the hole") {
  proxy::RouteList l;
  const auto peer = *wire::Ipv4Addr::parse("192.168.100.12");
  l.set(net("10.244.0.0/16"), peer, 1);  // a wide entry first: it shadows the ones after it
  l.set(net("10.244.2.0/24"), peer, 2);
  l.set(net("10.244.3.0/24"), peer, 3);
  l.set(net("10.244.4.0/24"), peer, 4);
  CHECK(l.find(*wire::Ipv4Addr::parse("10.244.3.7"))->port == 1);
  CHECK(l.del(net("10.244.0.0/16")));
  REQUIRE(l.routes().size() == 3);
  CHECK(l.routes()[0].port == 4);  // the last entry took the deleted one's place
  CHECK(l.find(*wire::Ipv4Addr::parse("10.244.3.7"))->port == 3);
  CHECK(l.routes()[0].port == 3);  // swapped to the front
  CHECK(l.routes()[2].port == 4);
  l.set(net("10.244.2.0/24"), peer, 22);  // an update stays in place
  CHECK(l.routes()[1].port == 22);
  CHECK_FALSE(l.find(*wire::Ipv4Addr::parse("10.245.0.1")));
}

TEST_CASE("the proxy's loop: one TUN read, then one socket read, per pass") {
  //   [n] lo 127.0.0.1 ; flannel0 10.244.1.0/32 (TUN), route 10.244.0.0/16 dev flannel0
  //   the proxy reads flannel0 and a UDP socket on 127.0.0.1:8285; its core is busy until 1 ms,
  //   so two packets wait on the TUN and a datagram in the socket when it first runs.
  Simulator sim;
  kernel::World world(sim);
  kernel::Netns& ns = proxy_netns(world);
  ns.cpu = &world.work.add_node_cpu("n", 1);
  ns.cpu->occupy(0, 0, kNanosPerMilli);
  auto& tun = static_cast<kernel::TunDevice&>(*ns.dev_by_name("flannel0"));
  flannel::UdpProxy p(ns, *wire::Ipv4Addr::parse("127.0.0.1"), 8285);
  REQUIRE(p.open(tun, *wire::Ipv4Addr::parse("10.244.1.0")));
  TraceLog log;
  world.tracing.sink = &log;
  const auto inner = ip_packet(17, 64);  // what a peer's proxy would have sent us
  kernel::udp_sendmsg(ns, 7000, *wire::Ipv4Addr::parse("127.0.0.1"), 8285, std::uint32_t(inner.size()), inner.data(), true);
  kernel::udp_sendmsg(ns, 7000, *wire::Ipv4Addr::parse("10.244.2.5"), 7001, 10, nullptr, true);
  kernel::udp_sendmsg(ns, 7000, *wire::Ipv4Addr::parse("10.244.2.6"), 7001, 10, nullptr, true);
  p.set_route(net("10.244.2.0/24"), *wire::Ipv4Addr::parse("127.0.0.1"), 9999);  // flanneld, meanwhile
  sim.run_until(2 * kNanosPerMilli);
  std::vector<std::string> reads;
  for (const auto& e : log.events)
    if (e.function == "tun_do_read" || (e.function == "udp_recvmsg" && e.device.empty() && e.verdict == "copied to user space" &&
                                        e.size == 20 + 8 + inner.size()))
      reads.push_back(e.function);
  CHECK(reads == std::vector<std::string>{"tun_do_read", "udp_recvmsg", "tun_do_read"});
  CHECK(p.stats.tun_to_udp == 2);
  CHECK(p.stats.udp_to_tun == 1);
  CHECK(p.routes().size() == 1);  // the control message was read when poll() returned, before the data
}

TEST_CASE("decrement_ttl touches only the TTL and checksum: a short datagram claiming a 60-byte header is safe") {
  // Found by fuzzing: recomputing the checksum over ihl*4 bytes read past a 38-byte datagram.
  std::vector<std::uint8_t> b = {0xff, 0xff, 0x5f, 0x40, 0x00, 0x00, 0x42, 0x9a, 0x00, 0x07, 0x40, 0x00, 0x40,
                                 0x11, 0x1a, 0xcd, 0x0a, 0xf4, 0x01, 0x02, 0x0a, 0xf5, 0x09, 0x09, 0x9c, 0x40,
                                 0x1b, 0x59, 0x00, 0x00, 0x40, 0x11, 0x1a, 0xcd, 0x0a, 0xf4, 0x01, 0x02};
  CHECK(proxy::decrement_ttl(b));
  CHECK(b[8] == 0xff);  // its TTL of 0 wrapped, as in flannel's C; only the TTL and checksum changed
}

TEST_CASE("the proxy's control socket: poll() returns at once while messages wait, in runs of passes a packet can come between") {
  //   [n] flannel0 (TUN) and the proxy's socket on 127.0.0.1:8285, one core; flanneld writes 100
  //   CMD_SET_ROUTE while the proxy sleeps; 10 us into the first run a peer's datagram arrives.
  Simulator sim;
  kernel::World world(sim);
  world.work.profile = &cost::Profile::builtin();
  kernel::Netns& ns = proxy_netns(world);
  cost::NodeCpu& cpu = world.work.add_node_cpu("n", 1);
  ns.cpu = &cpu;
  auto& tun = static_cast<kernel::TunDevice&>(*ns.dev_by_name("flannel0"));
  flannel::UdpProxy p(ns, *wire::Ipv4Addr::parse("127.0.0.1"), 8285);
  REQUIRE(p.open(tun, *wire::Ipv4Addr::parse("10.244.1.0")));
  TraceLog log;
  world.tracing.sink = &log;
  const auto inner = ip_packet(17, 64);
  struct Send final : EventTarget {
    kernel::Netns* ns;
    const std::vector<std::uint8_t>* inner;
    void on_event(std::uint64_t) override {
      kernel::udp_sendmsg(*ns, 7000, *wire::Ipv4Addr::parse("127.0.0.1"), 8285, std::uint32_t(inner->size()), inner->data(), true);
    }
  } send;
  send.ns = &ns, send.inner = &inner;
  std::vector<Nanos> read_at;  // when each message was read: its run's start
  p.on_command = [&](const std::string&) {
    if (read_at.empty()) sim.at(sim.now() + 10 * kNanosPerMicro, &send, 0);
    read_at.push_back(sim.now());
  };
  for (int i = 0; i < 100; ++i) p.set_route(net(fmt::format("10.245.{}.0/24", i).c_str()), *wire::Ipv4Addr::parse("192.168.0.2"), 8285);
  sim.run_until(10 * kNanosPerMilli);

  CHECK(p.routes().size() == 100);
  CHECK(p.stats.udp_to_tun == 1);
  // One wake-up: poll() slept once. Each message then costs its recv() and the next poll().
  CHECK(cpu.steps[std::size_t(cost::Step::Wakeup)].calls == 1);
  const Nanos pass = 2 * world.work.profile->cost(cost::Step::Syscall, 0);
  // The messages were read in runs: each run took messages until kControlRun had gone.
  std::vector<Nanos> runs;
  for (Nanos t : read_at)
    if (runs.empty() || t != runs.back()) runs.push_back(t);
  const auto expected_runs = std::size_t((100 * pass + flannel::UdpProxy::kControlRun - 1) / flannel::UdpProxy::kControlRun);
  CHECK(runs.size() >= expected_runs);
  CHECK(runs.size() <= expected_runs + 2);
  // The datagram came 10 us into the first run and was read when that run ended, between two passes.
  Nanos read = -1;
  for (const auto& e : log.events)
    if (e.function == "udp_recvmsg" && e.verdict == "copied to user space") read = e.time;
  REQUIRE(runs.size() >= 3);
  CHECK(read >= runs[0] + flannel::UdpProxy::kControlRun);
  CHECK(read < runs[2]);  // in the second run's first pass, not after the last message
}
