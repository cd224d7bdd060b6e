// Events per wall-second of the engine alone: `timers` targets each reschedule themselves at a
// pseudo-random delay, so the queue holds `timers` events throughout (a realistic pending set).
#include <chrono>
#include <cstdio>
#include <vector>

#include "bench/parse_args.h"

#include "sim/simulator.h"

namespace {
struct Ticker final : ol::EventTarget {
  ol::Simulator* sim = nullptr;
  std::uint64_t state = 1;
  void on_event(std::uint64_t) override {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    sim->after(ol::Nanos(1 + (state >> 54)), this);
  }
};
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"overlaylab-bench-engine: events per wall-second of the event queue alone, at several pending-set sizes"};
  std::uint64_t events = 50'000'000;
  std::vector<int> pending = {16, 1024, 65536};
  app.add_option("EVENTS", events, "events to run at each size (default 50000000)")->check(CLI::Range(std::uint64_t(1), std::uint64_t(1) << 40));
  app.add_option("--pending", pending, "pending-set sizes (default 16 1024 65536)")->check(CLI::Range(1, 1 << 24));
  if (auto rc = ol::bench::parse_args(app, argc, argv)) return *rc;
  for (int timers : pending) {
    ol::Simulator sim;
    std::vector<Ticker> t(timers);
    for (int i = 0; i < timers; ++i) {
      t[i].sim = &sim;
      t[i].state = std::uint64_t(i) + 1;
      sim.at(i, &t[i]);
    }
    auto start = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; i < events; ++i) sim.step();
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("engine: %6d pending events: %.1f million events/s (%llu events in %.2f s)\n", timers,
                double(events) / secs / 1e6, (unsigned long long)events, secs);
  }
}
