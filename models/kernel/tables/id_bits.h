// A set of small integers (the ids of shared entries a table holds) as a bitset over the window
// of 64-bit words its members span: a node holding 5,000 peers' entries, interned one after
// another, needs 79 words; a pod holding two needs one.
#pragma once
#include <cstdint>
#include <vector>

namespace ol::kernel {

class IdBits {
 public:
  bool test(std::uint32_t id) const {
    const std::uint32_t w = id / 64;
    return w >= first_ && w - first_ < words_.size() && (words_[w - first_] >> (id % 64) & 1);
  }
  bool set(std::uint32_t id);    // false: already a member
  bool reset(std::uint32_t id);  // false: not a member
  void clear();
  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  template <typename F>
  void for_each(F&& f) const {  // ascending
    for (std::size_t i = 0; i < words_.size(); ++i)
      for (std::uint64_t w = words_[i]; w; w &= w - 1)
        f(std::uint32_t((first_ + i) * 64 + std::uint32_t(__builtin_ctzll(w))));
  }

 private:
  std::vector<std::uint64_t> words_;
  std::uint32_t first_ = 0;  // the word holding ids first_*64 …
  std::uint32_t count_ = 0;
};

}  // namespace ol::kernel
