// Simulated time: integer nanoseconds since the start of a run.
#pragma once
#include <cstdint>

namespace ol {

using Nanos = std::int64_t;
constexpr Nanos kNanosPerMicro = 1'000;
constexpr Nanos kNanosPerMilli = 1'000'000;
constexpr Nanos kNanosPerSecond = 1'000'000'000;

}  // namespace ol
