#include "models/kernel/tables/id_bits.h"

namespace ol::kernel {

bool IdBits::set(std::uint32_t id) {
  if (test(id)) return false;
  const std::uint32_t w = id / 64;
  if (words_.empty()) {
    first_ = w;
    words_.assign(1, 0);
  } else if (w < first_) {
    words_.insert(words_.begin(), first_ - w, 0);
    first_ = w;
  } else if (w - first_ >= words_.size()) {
    words_.resize(w - first_ + 1, 0);
  }
  words_[w - first_] |= std::uint64_t(1) << (id % 64);
  ++count_;
  return true;
}

bool IdBits::reset(std::uint32_t id) {
  if (!test(id)) return false;
  words_[id / 64 - first_] &= ~(std::uint64_t(1) << (id % 64));
  if (--count_ == 0) clear();
  return true;
}

void IdBits::clear() {
  words_.clear();
  words_.shrink_to_fit();
  first_ = 0;
  count_ = 0;
}

}  // namespace ol::kernel
