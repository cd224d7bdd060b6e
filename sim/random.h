// Seeded, named random streams (xoshiro256** seeded through splitmix64). Each consumer draws from
// its own stream, so adding a consumer never shifts the numbers another one sees.
#pragma once
#include <cstdint>
#include <string_view>

namespace ol {

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::string_view name);
  std::uint64_t next();
  // Uniform in [0, n) for n > 0 (Lemire's multiply-shift; the tiny bias is irrelevant here).
  std::uint64_t below(std::uint64_t n) { return std::uint64_t((unsigned __int128)next() * n >> 64); }
  double uniform01() { return double(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t s_[4];
};

}  // namespace ol
