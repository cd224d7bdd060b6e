#include "models/userspace/seq_ranges.h"

#include <algorithm>
#include <iterator>

namespace ol::traffic {

SeqRanges::Range SeqRanges::insert(std::uint64_t start, std::uint64_t end) {
  auto it = r_.upper_bound(start);
  if (it != r_.begin()) {
    auto prev = std::prev(it);
    if (prev->second >= start) {
      start = prev->first;
      end = std::max(end, prev->second);
      it = r_.erase(prev);
    }
  }
  while (it != r_.end() && it->first <= end) {
    end = std::max(end, it->second);
    it = r_.erase(it);
  }
  r_.emplace_hint(it, start, end);
  return {start, end};
}

void SeqRanges::erase_below(std::uint64_t off) {
  while (!r_.empty() && r_.begin()->first < off) {
    auto first = r_.begin();
    const std::uint64_t end = first->second;
    r_.erase(first);
    if (end > off) {
      r_.emplace(off, end);
      break;
    }
  }
}

std::uint64_t SeqRanges::bytes_in(std::uint64_t a, std::uint64_t b) const {
  std::uint64_t n = 0;
  auto it = r_.upper_bound(a);
  if (it != r_.begin()) --it;
  for (; it != r_.end() && it->first < b; ++it) {
    const std::uint64_t lo = std::max(a, it->first), hi = std::min(b, it->second);
    if (hi > lo) n += hi - lo;
  }
  return n;
}

std::optional<SeqRanges::Range> SeqRanges::holding(std::uint64_t off) const {
  auto it = r_.upper_bound(off);
  if (it == r_.begin()) return std::nullopt;
  --it;
  if (it->second <= off) return std::nullopt;
  return Range{it->first, it->second};
}

std::optional<SeqRanges::Range> SeqRanges::next_gap(std::uint64_t from, std::uint64_t limit) const {
  if (auto h = holding(from)) from = h->end;
  if (from >= limit) return std::nullopt;
  auto next = r_.upper_bound(from);
  return Range{from, next == r_.end() ? limit : std::min(limit, next->first)};
}

std::uint64_t SeqRanges::lost_below(std::uint64_t bytes, std::uint64_t none) const {
  std::uint64_t held = 0;
  for (auto it = r_.rbegin(); it != r_.rend(); ++it) {
    held += it->second - it->first;
    if (held >= bytes) return it->first;
  }
  return none;
}

}  // namespace ol::traffic
