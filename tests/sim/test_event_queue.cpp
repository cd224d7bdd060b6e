#include <catch2/catch.hpp>
#include <set>
#include <tuple>
#include <vector>

#include "sim/simulator.h"
#include "sim/timer.h"

using namespace ol;

namespace {
struct Recorder final : EventTarget {
  std::vector<std::pair<Nanos, std::uint64_t>> seen;
  Simulator* sim = nullptr;
  void on_event(std::uint64_t c) override { seen.emplace_back(sim->now(), c); }
};
}  // namespace

TEST_CASE("events run in time order, and equal times in scheduling order") {
  Simulator sim;
  Recorder r;
  r.sim = &sim;
  sim.at(30, &r, 1);
  sim.at(10, &r, 2);
  sim.at(30, &r, 3);
  sim.at(10, &r, 4);
  sim.at(20, &r, 5);
  CHECK(sim.run() == 5);
  CHECK(r.seen == std::vector<std::pair<Nanos, std::uint64_t>>{{10, 2}, {10, 4}, {20, 5}, {30, 1}, {30, 3}});
}

TEST_CASE("a cancelled event does not run, and cancelling twice is refused") {
  Simulator sim;
  Recorder r;
  r.sim = &sim;
  auto a = sim.timer_at(5, &r, 1);
  sim.at(6, &r, 2);
  CHECK(sim.cancel(a));
  CHECK_FALSE(sim.cancel(a));
  CHECK(sim.pending() == 1);
  sim.run();
  CHECK(r.seen == std::vector<std::pair<Nanos, std::uint64_t>>{{6, 2}});
  CHECK_FALSE(sim.cancel(a));  // its slot was reused or freed: the old id stays dead
}

TEST_CASE("run_until stops at the horizon and moves the clock there") {
  Simulator sim;
  Recorder r;
  r.sim = &sim;
  sim.at(100, &r, 1);
  sim.at(300, &r, 2);
  CHECK(sim.run_until(200) == 1);
  CHECK(sim.now() == 200);
  CHECK(sim.pending() == 1);
  sim.after(50, &r, 3);  // relative to the new clock
  sim.run();
  CHECK(r.seen.back() == std::pair<Nanos, std::uint64_t>{300, 2});
  CHECK(r.seen[1] == std::pair<Nanos, std::uint64_t>{250, 3});
}

TEST_CASE("an old EventId cannot cancel the event that reuses its slot") {
  Simulator sim;
  Recorder r;
  r.sim = &sim;
  auto first = sim.timer_at(1, &r, 1);
  sim.run();
  sim.timer_at(2, &r, 2);  // reuses the freed slot
  CHECK_FALSE(sim.cancel(first));
  sim.run();
  CHECK(r.seen.size() == 2);
}

TEST_CASE("run_foreground stops when only daemons' timers are left - they still fire when time is run on") {
  Simulator sim;
  int ticks = 0;
  DaemonTimer tick(sim, [&] {
    ++ticks;
    tick.arm(sim.now() + 10);  // periodic, like flanneld's route check
  });
  tick.arm(10);
  struct Once final : EventTarget {
    int fired = 0;
    void on_event(std::uint64_t) override { ++fired; }
  } once;
  sim.at(25, &once);
  sim.run_foreground();
  CHECK(once.fired == 1);
  CHECK(sim.now() == 25);
  CHECK(ticks == 2);  // at 10 and 20; the one at 30 waits
  sim.run_until(100);
  CHECK(ticks == 10);
  tick.disarm();
  CHECK(sim.pending() == 0);
  CHECK(sim.run_foreground() == 0);
}

// The reference: every pending event in a sorted set by (time, sequence), the order the queue
// promises. Random schedules (near, far and in the clock's past), cancels and horizons, with delays
// from nanoseconds to hours, so every level of the wheel and the early heap are exercised.
TEST_CASE("the queue runs any mix of schedules, cancels and horizons in exact (time, sequence) order") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Simulator sim;
    Recorder r;
    r.sim = &sim;
    std::set<std::tuple<Nanos, std::uint64_t>> expected_pending;
    std::vector<std::pair<EventId, std::tuple<Nanos, std::uint64_t>>> ids;
    std::vector<std::pair<Nanos, std::uint64_t>> expected;
    std::uint64_t state = seed, seq = 0;
    auto next = [&] { return state = state * 6364136223846793005ull + 1442695040888963407ull; };
    auto run_reference_until = [&](Nanos until) {
      while (!expected_pending.empty() && std::get<0>(*expected_pending.begin()) <= until) {
        auto [t, c] = *expected_pending.begin();
        expected.emplace_back(t, c);
        expected_pending.erase(expected_pending.begin());
      }
    };
    for (int op = 0; op < 3000; ++op) {
      const std::uint64_t x = next() >> 33;
      const int scale = int(x % 7);  // 1 ns .. ~1 h
      Nanos delay = Nanos(next() >> 40) % (Nanos(1) << (scale * 6 + 2));
      if (x % 11 == 0) delay = 0;
      if (x % 5 == 0 && !ids.empty()) {
        auto& [id, key] = ids[(next() >> 20) % ids.size()];
        const bool was = expected_pending.erase(key) == 1;
        CHECK(sim.cancel(id) == was);
      } else if (x % 7 == 0) {
        const Nanos until = sim.now() + delay;
        run_reference_until(until);
        sim.run_until(until);
      } else {
        const Nanos when = sim.now() + delay;
        const std::uint64_t c = seq++;
        // Every third event cannot be cancelled: the two kinds share the buckets and the order.
        if (c % 3 == 0) {
          sim.at(when, &r, c);
        } else {
          ids.emplace_back(sim.timer_at(when, &r, c), std::tuple<Nanos, std::uint64_t>{when, c});
        }
        expected_pending.emplace(when, c);
      }
      CHECK(sim.pending() == expected_pending.size());
    }
    run_reference_until(INT64_MAX);
    sim.run();
    REQUIRE(r.seen == expected);
  }
}
