#include <catch2/catch.hpp>

#include "sim/random.h"

using namespace ol;

TEST_CASE("random streams: same seed and name give the same numbers - names are independent") {
  RandomStream a(42, "neigh:node-a"), b(42, "neigh:node-a"), c(42, "neigh:node-b"), d(43, "neigh:node-a");
  bool all_same = true, differ_name = false, differ_seed = false;
  for (int i = 0; i < 100; ++i) {
    auto x = a.next(), y = b.next(), z = c.next(), w = d.next();
    all_same &= x == y;
    differ_name |= x != z;
    differ_seed |= x != w;
  }
  CHECK(all_same);
  CHECK(differ_name);
  CHECK(differ_seed);
  RandomStream e(7, "x");
  for (int i = 0; i < 1000; ++i) CHECK(e.below(10) < 10);
}
