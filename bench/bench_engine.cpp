// Events per wall-second of the engine alone: `timers` targets each reschedule themselves at a
// pseudo-random delay, so the queue holds `timers` events throughout (a realistic pending set).
#include <chrono>
#include <cstdio>
#include <cstdlib>

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
  const std::uint64_t events = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 50'000'000;
  for (int timers : {16, 1024, 65536}) {
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
