// flanneld: lease allocation inside SubnetMin..SubnetMax from the seed, what it writes to the store
// and to subnet.env, watch delivery after the delay, and each backend's commands in flannel's order.
#include <catch2/catch.hpp>

#include <map>

#include "models/flannel/backend.h"
#include "models/flannel/lease_store.h"
#include "models/flannel/subnet.h"
#include "models/netconfig/render.h"

using namespace ol;
using namespace ol::flannel;

namespace {

NetConf conf(Backend b) {
  NetConf c;
  c.network = *wire::Ipv4Prefix::parse("10.244.0.0/16");
  c.subnet_len = 24;
  c.subnet_min = *wire::Ipv4Addr::parse("10.244.1.0");
  c.subnet_max = *wire::Ipv4Addr::parse("10.244.255.0");
  c.backend = b;
  return c;
}

std::vector<std::string> rendered(const netconfig::NetConfig& cfg) {
  std::vector<std::string> out;
  for (const auto& c : cfg.commands) out.push_back(netconfig::render(c.op));
  return out;
}

Lease peer(const char* subnet, const char* ip, nlohmann::json data = nullptr) {
  return Lease{*wire::Ipv4Prefix::parse(subnet), {*wire::Ipv4Addr::parse(ip), "vxlan", std::move(data)}, 0};
}

}  // namespace

TEST_CASE("leases are picked among the first 100 free subnets, the same for the same seed") {
  Simulator sim;
  LeaseStore store(sim, 0);
  const NetConf c = conf(Backend::Vxlan);
  RandomStream r1(42, "flanneld:node-1"), r2(42, "flanneld:node-1");
  auto a = allocate_subnet(c, store, r1);
  REQUIRE(a);
  CHECK(a == allocate_subnet(c, store, r2));
  CHECK(a->len == 24);
  CHECK(a->addr >= c.subnet_min);
  CHECK(a->addr.v < c.subnet_min.v + (100u << 8));
  store.create(*a, {});
  for (int i = 0; i < 50; ++i) {
    auto next = allocate_subnet(c, store, r1);
    REQUIRE(next);
    CHECK_FALSE(store.taken(*next));
    store.create(*next, {});
  }
}

TEST_CASE("a full pool is flanneld's \"out of subnets\"") {
  Simulator sim;
  LeaseStore store(sim, 0);
  NetConf c = conf(Backend::Vxlan);
  c.subnet_max = *wire::Ipv4Addr::parse("10.244.2.0");
  RandomStream r(1, "x");
  store.create(*allocate_subnet(c, store, r), {});
  store.create(*allocate_subnet(c, store, r), {});
  CHECK_FALSE(allocate_subnet(c, store, r));
}

TEST_CASE("the store holds flannel's keys and JSON - watchers hear of changes after the delay, once") {
  Simulator sim;
  LeaseStore store(sim, 100 * kNanosPerMilli);
  store.set_config(nlohmann::json::parse(R"({"Network":"10.244.0.0/16","Backend":{"Type":"vxlan"}})"));
  const auto sn = *wire::Ipv4Prefix::parse("10.244.1.0/24");
  store.create(sn, {*wire::Ipv4Addr::parse("192.168.100.11"), "vxlan",
                    nlohmann::json::parse(R"({"VNI":1,"VtepMAC":"0a:aa:aa:aa:aa:01"})")});
  CHECK(subnet_key(sn) == "/coreos.com/network/subnets/10.244.1.0-24");
  CHECK(store.dump() ==
        "/coreos.com/network/config\n{\"Backend\":{\"Type\":\"vxlan\"},\"Network\":\"10.244.0.0/16\"}\n"
        "/coreos.com/network/subnets/10.244.1.0-24\n"
        "{\"PublicIP\":\"192.168.100.11\",\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"0a:aa:aa:aa:aa:01\"}}\n");
  std::vector<std::pair<Nanos, std::string>> early, late;
  store.watch(0, [&](std::span<const LeaseEvent> b) {
    for (const auto& e : b) early.push_back({sim.now(), e.lease.subnet.str()});
  });
  store.watch(store.revision(), [&](std::span<const LeaseEvent> b) {
    for (const auto& e : b) late.push_back({sim.now(), e.lease.subnet.str()});
  });
  store.remove(sn);
  sim.run();
  CHECK(early == std::vector<std::pair<Nanos, std::string>>{{100 * kNanosPerMilli, "10.244.1.0/24"},
                                                            {100 * kNanosPerMilli, "10.244.1.0/24"}});
  CHECK(late == std::vector<std::pair<Nanos, std::string>>{{100 * kNanosPerMilli, "10.244.1.0/24"}});  // only the removal
}

TEST_CASE("subnet.env names the lease's first address and the backend's MTU") {
  CHECK(subnet_env(conf(Backend::Vxlan), *wire::Ipv4Prefix::parse("10.244.1.0/24"), 1450, true) ==
        "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
}

TEST_CASE("vxlan: device, address, up - per peer neighbour, FDB, route - removal in the same order") {
  const NetConf c = conf(Backend::Vxlan);
  BackendContext ctx;
  ctx.netns = "node-1";
  ctx.public_ip = *wire::Ipv4Addr::parse("192.168.100.11");
  ctx.conf = &c;
  ctx.vtep_mac = *wire::MacAddr::parse("0a:aa:aa:aa:aa:01");
  auto b = make_backend(Backend::Vxlan, ctx);
  CHECK(b->mtu() == 1450);
  CHECK(b->backend_data().dump() == R"({"VNI":1,"VtepMAC":"0a:aa:aa:aa:aa:01"})");
  netconfig::NetConfig setup, add, del;
  b->setup(*wire::Ipv4Prefix::parse("10.244.1.0/24"), setup);
  CHECK(rendered(setup) == std::vector<std::string>{
                               "ip -n node-1 link add flannel.1 address 0a:aa:aa:aa:aa:01 type vxlan id 1 local 192.168.100.11 dev eth0 nolearning",
                               "ip -n node-1 addr add 10.244.1.0/32 dev flannel.1",
                               "ip -n node-1 link set dev flannel.1 up"});
  const Lease p = peer("10.244.2.0/24", "192.168.100.12", nlohmann::json::parse(R"({"VNI":1,"VtepMAC":"0a:bb:bb:bb:bb:02"})"));
  b->add_peer(p, add);
  CHECK(rendered(add) == std::vector<std::string>{
                             "ip -n node-1 neigh replace 10.244.2.0 lladdr 0a:bb:bb:bb:bb:02 dev flannel.1 nud permanent",
                             "bridge -n node-1 fdb replace 0a:bb:bb:bb:bb:02 dev flannel.1 dst 192.168.100.12 self permanent",
                             "ip -n node-1 route replace 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink"});
  b->remove_peer(p, del);
  CHECK(rendered(del) == std::vector<std::string>{
                             "ip -n node-1 neigh del 10.244.2.0 lladdr 0a:bb:bb:bb:bb:02 dev flannel.1",
                             "bridge -n node-1 fdb del 0a:bb:bb:bb:bb:02 dev flannel.1 dst 192.168.100.12 self",
                             "ip -n node-1 route del 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink"});
}

TEST_CASE("vxlan with DirectRouting routes on-link peers like host-gw") {
  NetConf c = conf(Backend::Vxlan);
  c.direct_routing = true;
  BackendContext ctx;
  ctx.netns = "node-1";
  ctx.conf = &c;
  ctx.on_link = [](wire::Ipv4Addr a) { return a.str() == "192.168.100.12"; };
  auto b = make_backend(Backend::Vxlan, ctx);
  netconfig::NetConfig near, far;
  b->add_peer(peer("10.244.2.0/24", "192.168.100.12", nlohmann::json::parse(R"({"VtepMAC":"0a:bb:bb:bb:bb:02"})")), near);
  b->add_peer(peer("10.244.3.0/24", "192.168.2.13", nlohmann::json::parse(R"({"VtepMAC":"0a:cc:cc:cc:cc:03"})")), far);
  CHECK(rendered(near) == std::vector<std::string>{"ip -n node-1 route replace 10.244.2.0/24 via 192.168.100.12 dev eth0"});
  CHECK(far.commands.size() == 3);
}

TEST_CASE("host-gw: one route per peer via its underlay address - udp: TUN, /32, one route, peers in the proxy") {
  NetConf c = conf(Backend::HostGw);
  BackendContext ctx;
  ctx.netns = "node-1";
  ctx.conf = &c;
  auto hg = make_backend(Backend::HostGw, ctx);
  CHECK(hg->mtu() == 1500);
  netconfig::NetConfig add;
  hg->add_peer(peer("10.244.2.0/24", "192.168.100.12"), add);
  CHECK(rendered(add) == std::vector<std::string>{"ip -n node-1 route add 10.244.2.0/24 via 192.168.100.12 dev eth0"});

  struct Proxy final : UdpProxyControl {
    void set_route(const wire::Ipv4Prefix& s, wire::Ipv4Addr p, std::uint16_t port) override {
      log.push_back(s.str() + " " + p.str() + ":" + std::to_string(port));
    }
    void del_route(const wire::Ipv4Prefix& s) override { log.push_back("del " + s.str()); }
    std::vector<std::string> log;
  } proxy;
  NetConf cu = conf(Backend::Udp);
  ctx.conf = &cu;
  ctx.proxy = &proxy;
  auto udp = make_backend(Backend::Udp, ctx);
  CHECK(udp->mtu() == 1472);
  netconfig::NetConfig setup, none;
  udp->setup(*wire::Ipv4Prefix::parse("10.244.1.0/24"), setup);
  CHECK(rendered(setup) == std::vector<std::string>{"ip -n node-1 tuntap add dev flannel0 mode tun",
                                                    "ip -n node-1 addr add 10.244.1.0/32 dev flannel0",
                                                    "ip -n node-1 link set dev flannel0 mtu 1472",
                                                    "ip -n node-1 link set dev flannel0 up",
                                                    "ip -n node-1 route add 10.244.0.0/16 dev flannel0 scope global"});
  udp->add_peer(peer("10.244.2.0/24", "192.168.100.12"), none);
  udp->remove_peer(peer("10.244.2.0/24", "192.168.100.12"), none);
  CHECK(none.commands.empty());
  CHECK(proxy.log == std::vector<std::string>{"10.244.2.0/24 192.168.100.12:8285", "del 10.244.2.0/24"});
}

TEST_CASE("Backend.MTU: vxlan's device gets it minus 50 - udp and host-gw ignore it") {
  NetConf c = conf(Backend::Vxlan);
  c.mtu = 9000;  // the underlay MTU to assume (jumbo frames)
  BackendContext ctx{.netns = "node-1", .public_ip = *wire::Ipv4Addr::parse("192.168.100.11"), .ext_mtu = 1500, .conf = &c};
  ctx.vtep_mac = *wire::MacAddr::parse("0a:aa:aa:aa:aa:01");
  auto vx = make_backend(Backend::Vxlan, ctx);
  CHECK(vx->mtu() == 8950);  // FLANNEL_MTU
  netconfig::NetConfig setup;
  vx->setup(*wire::Ipv4Prefix::parse("10.244.1.0/24"), setup);
  CHECK(rendered(setup).front() ==
        "ip -n node-1 link add flannel.1 address 0a:aa:aa:aa:aa:01 mtu 8950 type vxlan id 1 local 192.168.100.11 dev eth0 nolearning");
  c.backend = Backend::Udp;
  CHECK(make_backend(Backend::Udp, ctx)->mtu() == 1472);
  c.backend = Backend::HostGw;
  CHECK(make_backend(Backend::HostGw, ctx)->mtu() == 1500);
}

TEST_CASE("host-gw routeAdd: an identical route is skipped, one through another gateway is deleted then added") {
  NetConf c = conf(Backend::HostGw);
  BackendContext ctx;
  ctx.netns = "node-1";
  ctx.conf = &c;
  std::map<std::string, KernelRoute> kernel;  // what RouteListFiltered would find
  ctx.kernel.route = [&](const wire::Ipv4Prefix& dst) -> std::optional<KernelRoute> {
    auto it = kernel.find(dst.str());
    return it == kernel.end() ? std::nullopt : std::optional<KernelRoute>(it->second);
  };
  auto hg = make_backend(Backend::HostGw, ctx);
  kernel["10.244.2.0/24"] = {wire::Ipv4Addr::parse("192.168.100.12"), "eth0"};
  kernel["10.244.3.0/24"] = {wire::Ipv4Addr::parse("192.168.100.99"), "eth0"};
  netconfig::NetConfig same, moved, check;
  hg->add_peer(peer("10.244.2.0/24", "192.168.100.12"), same);
  CHECK(same.commands.empty());  // "Route to … already exists, skipping."
  hg->add_peer(peer("10.244.3.0/24", "192.168.100.13"), moved);
  CHECK(rendered(moved) == std::vector<std::string>{"ip -n node-1 route del 10.244.3.0/24 via 192.168.100.99 dev eth0",
                                                    "ip -n node-1 route add 10.244.3.0/24 via 192.168.100.13 dev eth0"});
  // routeCheck: the kernel lost 10.244.2.0/24 and still has the old 10.244.3.0/24: both are added again.
  kernel.erase("10.244.2.0/24");
  hg->check_routes(check);
  CHECK(rendered(check) == std::vector<std::string>{"ip -n node-1 route add 10.244.2.0/24 via 192.168.100.12 dev eth0",
                                                    "ip -n node-1 route add 10.244.3.0/24 via 192.168.100.13 dev eth0"});
  // A removed peer is forgotten: the check no longer restores it.
  netconfig::NetConfig del, after;
  hg->remove_peer(peer("10.244.2.0/24", "192.168.100.12"), del);
  kernel["10.244.3.0/24"] = {wire::Ipv4Addr::parse("192.168.100.13"), "eth0"};
  hg->check_routes(after);
  CHECK(after.commands.empty());
}

TEST_CASE("host-gw's route list: hundreds of peers heard in key order, repeated, moved and removed, are checked in address order") {
  NetConf c = conf(Backend::HostGw);
  BackendContext ctx;
  ctx.netns = "node-1";
  ctx.conf = &c;
  ctx.kernel.route = [](const wire::Ipv4Prefix&) -> std::optional<KernelRoute> { return std::nullopt; };  // the kernel lost them all
  auto hg = make_backend(Backend::HostGw, ctx);
  // etcd lists keys as strings: 10.244.1.0-24, 10.244.10.0-24, 10.244.100.0-24, 10.244.101.0-24, …
  std::vector<std::string> keys;
  for (int i = 1; i <= 250; ++i) keys.push_back(std::to_string(i));
  std::sort(keys.begin(), keys.end());
  const auto gw = [](const std::string& k) { return "192.168.100." + k; };
  netconfig::NetConfig out;
  for (int pass = 0; pass < 2; ++pass)  // every lease heard twice (a renewal), across several compactions
    for (const auto& k : keys) hg->add_peer(peer(("10.244." + k + ".0/24").c_str(), gw(k).c_str()), out);
  hg->add_peer(peer("10.244.7.0/24", "192.168.100.207"), out);  // 7 moved to another gateway
  hg->remove_peer(peer("10.244.9.0/24", "192.168.100.9"), out);
  netconfig::NetConfig check;
  hg->check_routes(check);
  std::vector<std::string> want;
  for (int i = 1; i <= 250; ++i) {
    if (i == 9) continue;
    const std::string k = std::to_string(i);
    want.push_back("ip -n node-1 route add 10.244." + k + ".0/24 via " + (i == 7 ? std::string("192.168.100.207") : gw(k)) +
                   " dev eth0");
    if (i == 7) want.insert(want.end() - 1, "ip -n node-1 route add 10.244.7.0/24 via 192.168.100.7 dev eth0");
  }
  CHECK(rendered(check) == want);
}

TEST_CASE("the lease store: update renews and re-announces, keys expire after the TTL, unreachable etcd holds the watch") {
  Simulator sim;
  LeaseStore store(sim, 100 * kNanosPerMilli, 60 * kNanosPerSecond);
  std::vector<std::pair<Nanos, std::string>> heard;
  store.watch(0, [&](std::span<const LeaseEvent> b) {
    for (const auto& e : b) heard.emplace_back(sim.now(), (e.type == LeaseEventType::Added ? "+" : "-") + e.lease.subnet.str());
  });
  const auto a = *wire::Ipv4Prefix::parse("10.244.1.0/24"), b = *wire::Ipv4Prefix::parse("10.244.2.0/24");
  REQUIRE(store.create(a, {*wire::Ipv4Addr::parse("192.168.100.11"), "host-gw", nullptr}));
  REQUIRE(store.create(b, {*wire::Ipv4Addr::parse("192.168.100.12"), "host-gw", nullptr}));
  sim.run_until(30 * kNanosPerSecond);
  CHECK(store.update(a, store.find(a)->attrs));  // renewed at 30 s: lives until 90 s
  CHECK(store.find_by_ip(*wire::Ipv4Addr::parse("192.168.100.12"))->subnet == b);
  sim.run_until(61 * kNanosPerSecond);
  CHECK_FALSE(store.find(b));
  CHECK(store.find(a));
  store.set_reachable(false);
  CHECK_FALSE(store.create(b, {*wire::Ipv4Addr::parse("192.168.100.12"), "host-gw", nullptr}));
  sim.run_until(95 * kNanosPerSecond);  // a expires while etcd is unreachable; nobody hears of it yet
  CHECK_FALSE(store.find(a));
  const std::size_t before = heard.size();
  store.set_reachable(true);
  sim.run_until(96 * kNanosPerSecond);
  CHECK(sim.pending() == 0);
  using H = std::vector<std::pair<Nanos, std::string>>;
  CHECK(H(heard.begin(), heard.begin() + long(before)) ==
        H{{100 * kNanosPerMilli, "+10.244.1.0/24"}, {100 * kNanosPerMilli, "+10.244.2.0/24"},
          {30 * kNanosPerSecond + 100 * kNanosPerMilli, "+10.244.1.0/24"}, {60 * kNanosPerSecond + 100 * kNanosPerMilli, "-10.244.2.0/24"}});
  CHECK(H(heard.begin() + long(before), heard.end()) == H{{95 * kNanosPerSecond + 100 * kNanosPerMilli, "-10.244.1.0/24"}});
}
