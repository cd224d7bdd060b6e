// host-local as the reference plugin behaves: .1 is the gateway, allocation continues after the
// last reserved address and wraps, the store is files in the real layout, exhaustion has the
// plugin's own words, DEL is idempotent.
#include <catch2/catch.hpp>

#include "models/cni/host_local.h"

using namespace ol;
using namespace ol::cni;

namespace {

HostLocalConf range(const char* subnet) {
  HostLocalConf c;
  c.subnet = *wire::Ipv4Prefix::parse(subnet);
  c.routes.push_back({*wire::Ipv4Prefix::parse("10.244.0.0/16"), std::nullopt});
  return c;
}

constexpr const char* kDir = "/var/lib/cni/networks/cbr0";

}  // namespace

TEST_CASE("host-local hands out .2 first, fills in the gateway and writes its store") {
  netconfig::Files files;
  HostLocal ipam(files);
  IpamResult r = ipam.add(range("10.244.1.0/24"), "cbr0", "c0ffee", "eth0");
  CHECK(r.address.str() == "10.244.1.2/24");
  CHECK(r.gateway.str() == "10.244.1.1");
  REQUIRE(r.routes.size() == 1);
  CHECK(r.routes[0].gw->str() == "10.244.1.1");
  CHECK(*files.read(std::string(kDir) + "/10.244.1.2") == "c0ffee\r\neth0");
  CHECK(*files.read(std::string(kDir) + "/last_reserved_ip.0") == "10.244.1.2");
  CHECK(files.exists(std::string(kDir) + "/lock"));
}

TEST_CASE("host-local does not reuse a released address until the range wraps") {
  netconfig::Files files;
  HostLocal ipam(files);
  const auto c = range("10.244.1.0/29");  // .1 gateway, .2 – .6 for pods
  for (const char* id : {"a", "b", "c"}) ipam.add(c, "cbr0", id, "eth0");
  ipam.del(c, "cbr0", "b", "eth0");  // frees .3
  CHECK_FALSE(files.exists(std::string(kDir) + "/10.244.1.3"));
  CHECK(ipam.add(c, "cbr0", "d", "eth0").address.str() == "10.244.1.5/29");
  CHECK(ipam.add(c, "cbr0", "e", "eth0").address.str() == "10.244.1.6/29");
  CHECK(ipam.add(c, "cbr0", "f", "eth0").address.str() == "10.244.1.3/29");  // wrapped around
}

TEST_CASE("host-local's exhaustion error is the plugin's own") {
  netconfig::Files files;
  HostLocal ipam(files);
  const auto c = range("10.244.1.0/30");  // only .2 is left for a pod
  ipam.add(c, "cbr0", "a", "eth0");
  try {
    ipam.add(c, "cbr0", "b", "eth0");
    FAIL("a /30 gave out two pod addresses");
  } catch (const CniError& e) {
    CHECK(std::string(e.what()) == "no IP addresses available in range set: 10.244.1.1-10.244.1.2");
  }
  const auto full = range("10.244.1.0/24");
  for (int i = 0; i < 253; ++i) ipam.add(full, "big", std::to_string(i), "eth0");
  CHECK_THROWS_WITH(ipam.add(full, "big", "one-more", "eth0"),
                    "no IP addresses available in range set: 10.244.1.1-10.244.1.254");
}

TEST_CASE("host-local DEL releases only the container's address and can be repeated") {
  netconfig::Files files;
  HostLocal ipam(files);
  const auto c = range("10.244.1.0/24");
  ipam.add(c, "cbr0", "a", "eth0");
  ipam.add(c, "cbr0", "b", "eth0");
  ipam.del(c, "cbr0", "a", "eth0");
  ipam.del(c, "cbr0", "a", "eth0");
  CHECK(files.list(kDir) == std::vector<std::string>{std::string(kDir) + "/10.244.1.3", std::string(kDir) + "/last_reserved_ip.0",
                                                     std::string(kDir) + "/lock"});
}
