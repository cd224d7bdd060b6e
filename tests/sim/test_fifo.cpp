#include <catch2/catch.hpp>
#include <memory>
#include <vector>

#include "sim/fifo.h"

using namespace ol;

namespace {
template <typename T>
std::vector<T> drain(Fifo<T>& q) {
  std::vector<T> out;
  while (!q.empty()) {
    out.push_back(q.front());
    q.pop_front();
  }
  return out;
}
}  // namespace

TEST_CASE("a fifo keeps arrival order while its ring wraps and grows") {
  Fifo<int> q;
  int next = 0, expect = 0;
  // Interleave pushes and pops so the head wraps around the ring before each growth.
  for (int round = 1; round <= 6; ++round) {
    for (int i = 0; i < 3 * round; ++i) q.push_back(next++);
    for (int i = 0; i < round; ++i, ++expect) {
      REQUIRE(q.front() == expect);
      q.pop_front();
    }
  }
  CHECK(q.size() == std::size_t(next - expect));
  std::vector<int> rest;
  for (int i = expect; i < next; ++i) rest.push_back(i);
  CHECK(drain(q) == rest);
}

TEST_CASE("a fifo puts a pushed-front element out next and removes by predicate in order") {
  Fifo<int> q;
  for (int i = 1; i <= 5; ++i) q.push_back(i);
  q.pop_front();
  q.push_front(9);
  q.remove_if([](int v) { return v % 2 == 0; });
  CHECK(q.size() == 3);
  CHECK(drain(q) == std::vector<int>{9, 3, 5});
}

TEST_CASE("a fifo releases what it held when it is popped") {
  auto held = std::make_shared<int>(7);
  Fifo<std::shared_ptr<int>> q;
  q.push_back(held);
  CHECK(held.use_count() == 2);
  q.pop_front();
  CHECK(held.use_count() == 1);
}
