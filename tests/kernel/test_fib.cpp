#include <catch2/catch.hpp>
#include <algorithm>
#include <map>
#include <vector>

#include "models/kernel/netns.h"
#include "models/kernel/tables/fib.h"
#include "models/kernel/world.h"
#include "sim/simulator.h"

using namespace ol;
using namespace ol::kernel;

namespace {
Route route(std::uint32_t net, int len, Device* dev = nullptr) {
  Route r;
  r.dev = dev;
  r.dst = wire::Ipv4Prefix{wire::Ipv4Addr{net}, len};
  r.type = RouteType::Local;  // usable while its device is down
  return r;
}
}  // namespace

// The reference: a std::map of the same prefixes. Thousands of adds and deletes in a random order
// make long probe runs in the open-addressing map, so deletions shift entries back across them.
TEST_CASE("a routing table holds exactly the routes added and not removed, through growth and deletion") {
  Simulator sim;
  World world(sim);
  Device* lo = &world.add_netns("n").loopback();
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    FibTable t(254);
    std::map<std::pair<int, std::uint32_t>, std::uint32_t> ref;  // (len, net) -> metric
    std::uint64_t state = seed;
    auto next = [&] { return state = state * 6364136223846793005ull + 1442695040888963407ull; };
    for (int op = 0; op < 20000; ++op) {
      const int len = 16 + int(next() >> 61) * 2;  // a few lengths: 16..30
      const std::uint32_t net = (std::uint32_t(next() >> 52) << (32 - len)) & wire::prefix_mask(len);
      const auto key = std::pair{len, net};
      if (next() >> 62 == 0) {
        const bool had = ref.erase(key) == 1;
        CHECK(t.remove(route(net, len).dst, std::nullopt, nullptr) == had);
      } else if (!ref.count(key)) {
        ref[key] = 0;
        CHECK(t.add(route(net, len, lo)) == FibTable::AddResult::Added);
      }
    }
    REQUIRE(t.size() == ref.size());
    std::vector<std::pair<int, std::uint32_t>> dumped;
    for (const Route& r : t.dump()) dumped.emplace_back(r.dst.len, r.dst.addr.v);
    std::vector<std::pair<int, std::uint32_t>> expected;
    for (auto& [k, m] : ref) expected.push_back(k);
    std::sort(expected.begin(), expected.end(), [](auto& a, auto& b) { return a.second != b.second ? a.second < b.second : a.first < b.first; });
    CHECK(dumped == expected);
    // Every prefix still present answers for its own network; the longest one wins.
    for (auto& [k, m] : ref) {
      const Route* r = t.lookup(wire::Ipv4Addr{k.second});
      REQUIRE(r);
      CHECK(r->dst.len >= k.first);
      CHECK(t.find(route(k.second, k.first).dst).has_value());
    }
  }
}
