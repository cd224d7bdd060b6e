// A set of byte ranges of one TCP stream, kept merged: the receiver's out-of-order queue (what
// its SACK blocks report) and the sender's SACK scoreboard (what tcp_sacktag_write_queue marks).
// Offsets are 64-bit counts from the stream's first byte, so a long run never meets the 32-bit
// sequence number's wrap.
#pragma once
#include <cstdint>
#include <map>
#include <optional>

namespace ol::traffic {

class SeqRanges {
 public:
  struct Range {
    std::uint64_t start, end;  // [start, end)
  };
  // Adds [start, end), merged with every range it touches; returns the merged range.
  Range insert(std::uint64_t start, std::uint64_t end);
  void erase_below(std::uint64_t off);  // what the cumulative ACK now covers
  void clear() { r_.clear(); }
  bool empty() const { return r_.empty(); }
  std::uint64_t bytes_in(std::uint64_t a, std::uint64_t b) const;  // of [a, b) held here
  // The first gap at or after `from` and before `limit`: [start, end), end clipped to limit.
  std::optional<Range> next_gap(std::uint64_t from, std::uint64_t limit) const;
  // The range holding `off`, if any.
  std::optional<Range> holding(std::uint64_t off) const;
  // RFC 6675's IsLost, for every byte at once: the start of the lowest range such that the ranges
  // from it upward hold at least `bytes` (below it, a gap counts as lost); `none` when they do not.
  std::uint64_t lost_below(std::uint64_t bytes, std::uint64_t none) const;
  // Ranges from the highest down (for the SACK blocks after the first).
  template <class F>
  void for_each_descending(F f) const {
    for (auto it = r_.rbegin(); it != r_.rend(); ++it) f(Range{it->first, it->second});
  }

 private:
  std::map<std::uint64_t, std::uint64_t> r_;  // start -> end, disjoint and not adjacent
};

}  // namespace ol::traffic
