// The DHCP client (the CNI dhcp daemon's lease) and server (dnsmasq's behaviour) on their own: a
// client namespace and a server namespace joined by a veth pair.
#include <catch2/catch.hpp>

#include "models/kernel/apply.h"
#include "models/kernel/device.h"
#include "models/kernel/world.h"
#include "models/netconfig/parse.h"
#include "models/userspace/dhcp_lease.h"
#include "models/userspace/dhcp_server.h"

namespace ol {

namespace {

using wire::dhcp::MsgType;

struct Lan {
  Simulator sim;
  kernel::World world{sim};
  std::unique_ptr<traffic::DhcpServer> server;
  std::vector<std::string> server_log;
  Lan(const std::string& range_first = "10.0.0.10", const std::string& range_last = "10.0.0.20") {
    kernel::apply(world, netconfig::parse_script("ip netns add c\n"
                                                 "ip netns add s\n"
                                                 "ip -n c link add eth0 type veth peer name eth0 netns s\n"
                                                 "ip -n s addr add 10.0.0.2/24 dev eth0\n"
                                                 "ip -n s link set dev eth0 up\n"));
    traffic::DhcpServerConf c;
    c.range_start = *wire::Ipv4Addr::parse(range_first);
    c.range_end = *wire::Ipv4Addr::parse(range_last);
    c.address = *wire::Ipv4Prefix::parse("10.0.0.2/24");
    c.router = wire::Ipv4Addr::parse("10.0.0.1");
    c.lease_time = 120 * kNanosPerSecond;
    c.routes = {{*wire::Ipv4Prefix::parse("10.96.0.0/12"), *wire::Ipv4Addr::parse("10.0.0.1")}};
    server = std::make_unique<traffic::DhcpServer>(*world.netns("s"), c);
    server->log = [this](const std::string& m) { server_log.push_back(m); };
  }
  std::unique_ptr<traffic::DhcpLease> client(const std::string& id) {
    auto l = std::make_unique<traffic::DhcpLease>(*world.netns("c"), "eth0", id, traffic::DhcpClientConf{}, sim.stream(id));
    l->set_link = [this](const std::string& dev, bool up) {
      kernel::apply(world, netconfig::LinkSet{.netns = "c", .dev = dev, .up = up});
    };
    return l;
  }
  void run_while(const traffic::DhcpLease& l) {
    while (l.acquiring() && sim.step()) {
    }
  }
};

}  // namespace

TEST_CASE("dhcp client and server: option 121 routes, the ARP entry for the offer, a RELEASE that frees the address") {
  Lan lan;
  auto l = lan.client("abc/net/eth0");
  l->acquire();
  lan.run_while(*l);
  REQUIRE(l->state() == traffic::LeaseState::Bound);
  const auto& ack = *l->ack();
  CHECK(ack.yiaddr.str() == "10.0.0.10");
  CHECK(ack.mask_len() == 24);
  REQUIRE(ack.classless_routes().size() == 1);
  CHECK(ack.classless_routes()[0].dst.str() == "10.96.0.0/12");
  CHECK(ack.classless_routes()[0].gw.str() == "10.0.0.1");
  // dnsmasq's SIOCSARP: the server could send the OFFER to an address nobody answers ARP for.
  const kernel::Netns& s = *lan.world.netns("s");
  const auto* n = const_cast<kernel::Netns&>(s).neigh.lookup(s.dev_by_name("eth0"), ack.yiaddr);
  REQUIRE(n);
  CHECK(n->lladdr == lan.world.netns("c")->dev_by_name("eth0")->mac);
  REQUIRE(lan.server->leases().size() == 1);
  // With the link still there (as with plugins that call IPAM DEL first), stop sends a RELEASE.
  l->stop();
  lan.sim.run_until(lan.sim.now() + kNanosPerMilli);
  CHECK(l->state() == traffic::LeaseState::Released);
  CHECK(l->exchanges().back().sent);
  CHECK(*l->exchanges().back().msg.type() == MsgType::Release);
  CHECK(l->exchanges().back().msg.ciaddr.str() == "10.0.0.10");
  CHECK(lan.server->leases().empty());
  CHECK(lan.server_log.back() == "DHCPRELEASE(eth0) 10.0.0.10 " + lan.world.netns("c")->dev_by_name("eth0")->mac.str());
}

TEST_CASE("dhcp server: the next address after the highest leased one, the same address for the same client id, none left") {
  Lan lan("10.0.0.10", "10.0.0.11");
  auto a = lan.client("a/net/eth0");
  a->acquire();
  lan.run_while(*a);
  auto b = lan.client("b/net/eth0");
  b->acquire();
  lan.run_while(*b);
  CHECK(a->ack()->yiaddr.str() == "10.0.0.10");
  CHECK(b->ack()->yiaddr.str() == "10.0.0.11");
  // A client whose id holds a lease is offered that address again (CHECK's second Allocate).
  auto again = lan.client("a/net/eth0");
  again->acquire();
  lan.run_while(*again);
  CHECK(again->ack()->yiaddr.str() == "10.0.0.10");
  // The range is spent: the DISCOVER gets no OFFER, the try times out.
  auto c = lan.client("c/net/eth0");
  c->acquire();
  lan.sim.run_until(lan.sim.now() + 30 * kNanosPerSecond);
  CHECK(c->acquiring());
  CHECK(lan.server_log.back().ends_with("no address available"));
}

}  // namespace ol
