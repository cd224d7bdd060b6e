// Entries that must not move while the table grows (a Neighbour& is held across a transmit that
// may create other neighbours), stored in chunks of 4, 8, 16 and 32 entries and then of 64, with
// freed slots reused: a pod's table of three entries takes one small chunk, a node's table of
// 5,000 peers one allocation per 64 entries, where a node-based map made one per entry.
#pragma once
#include <bit>
#include <cstdint>
#include <memory>
#include <vector>

namespace ol::kernel {

template <typename T>
class SlotStore {
 public:
  T& operator[](std::uint32_t i) { return chunks_[chunk_of(i)][offset_in(i)]; }
  const T& operator[](std::uint32_t i) const { return chunks_[chunk_of(i)][offset_in(i)]; }

  std::uint32_t take() {  // a slot holding a default T
    if (!free_.empty()) {
      const std::uint32_t i = free_.back();
      free_.pop_back();
      return i;
    }
    if (chunk_of(next_) == chunks_.size()) chunks_.push_back(std::make_unique<T[]>(chunk_size(chunks_.size())));
    return next_++;
  }
  void give_back(std::uint32_t i) {
    (*this)[i] = T{};  // what it held (queued packets, say) goes now
    free_.push_back(i);
  }

 private:
  static constexpr std::uint32_t kSmall = 60;  // slots in the growing chunks: 4 + 8 + 16 + 32
  static std::size_t chunk_size(std::size_t k) { return k < 4 ? std::size_t(4) << k : 64; }
  static std::size_t chunk_of(std::uint32_t i) {
    return i < kSmall ? std::size_t(std::bit_width(i / 4 + 1) - 1) : 4 + (i - kSmall) / 64;
  }
  static std::size_t offset_in(std::uint32_t i) {
    return i < kSmall ? i - 4 * ((std::uint32_t(1) << chunk_of(i)) - 1) : (i - kSmall) % 64;
  }

  std::vector<std::unique_ptr<T[]>> chunks_;
  std::vector<std::uint32_t> free_;
  std::uint32_t next_ = 0;
};

}  // namespace ol::kernel
