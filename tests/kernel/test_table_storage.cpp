// The storage under the kernel tables: an entry keeps its address while the table grows around it
// (a Neighbour& is held across a transmit), freed slots are reused, and the index agrees with a
// std::map through random inserts and deletes (backward-shift deletion leaves no holes in a probe run).
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "models/kernel/tables/key_index.h"
#include "models/kernel/tables/slot_index.h"
#include "models/kernel/tables/slot_store.h"

using namespace ol::kernel;

TEST_CASE("slot store: entries stay put while 10,000 more are added, and a freed slot is taken next") {
  SlotStore<int> s;
  std::vector<int*> where;
  for (int i = 0; i < 10'000; ++i) {
    const std::uint32_t k = s.take();
    REQUIRE(k == std::uint32_t(i));
    s[k] = i;
    where.push_back(&s[k]);
  }
  for (int i = 0; i < 10'000; ++i) REQUIRE(where[std::size_t(i)] == &s[std::uint32_t(i)]);
  for (int i = 0; i < 10'000; ++i) REQUIRE(s[std::uint32_t(i)] == i);
  s.give_back(77);
  CHECK(s[77] == 0);  // what it held is gone
  CHECK(s.take() == 77);
  CHECK(s.take() == 10'000);
}

TEST_CASE("key index: 50,000 random inserts and erases, with room reserved on the way, agree with std::map") {
  KeyIndex idx;
  std::map<std::uint64_t, std::uint32_t> ref;
  std::mt19937_64 rng(7);
  for (std::uint32_t step = 0; step < 50'000; ++step) {
    const std::uint64_t key = rng() % 3000;  // few keys: many collisions, many erases
    if (step % 10'000 == 5'000) idx.reserve(ref.size() + 2'000 * (step / 10'000));  // rehashed mid-stream
    if (rng() % 3 == 0) {
      CHECK(idx.erase(key) == (ref.erase(key) == 1));
    } else if (!ref.count(key)) {
      idx.insert(key, step);
      ref[key] = step;
    }
  }
  REQUIRE(idx.size() == ref.size());
  for (std::uint64_t key = 0; key < 3000; ++key) {
    const std::uint32_t* v = idx.find(key);
    auto it = ref.find(key);
    REQUIRE((v != nullptr) == (it != ref.end()));
    if (v) CHECK(*v == it->second);
  }
  std::size_t seen = 0;
  idx.for_each([&](std::uint64_t k, std::uint32_t v) {
    ++seen;
    CHECK(ref.at(k) == v);
  });
  CHECK(seen == ref.size());
}

TEST_CASE("slot index: entries keep their address through inserts and erases, and lookups agree with std::map") {
  SlotIndex<std::uint64_t> idx;
  std::map<std::uint64_t, const std::uint64_t*> ref;  // key → where its entry was put
  std::mt19937_64 rng(11);
  for (std::uint32_t step = 0; step < 20'000; ++step) {
    const std::uint64_t key = rng() % 2000;
    if (rng() % 3 == 0) {
      CHECK(idx.erase(key) == (ref.erase(key) == 1));
    } else if (!ref.count(key)) {
      std::uint64_t& e = idx.insert(key);
      CHECK(e == 0);  // a fresh entry, even in a slot given back
      e = key * 3;
      ref[key] = &e;
    }
  }
  REQUIRE(idx.size() == ref.size());
  for (std::uint64_t key = 0; key < 2000; ++key) {
    const std::uint64_t* e = idx.find(key);
    auto it = ref.find(key);
    REQUIRE((e != nullptr) == (it != ref.end()));
    if (e) {
      CHECK(e == it->second);  // the same address it was given when inserted
      CHECK(*e == key * 3);
    }
  }
  std::size_t seen = 0;
  idx.for_each([&](std::uint64_t k, const std::uint64_t& e) {
    ++seen;
    CHECK(&e == ref.at(k));
  });
  CHECK(seen == ref.size());
}
