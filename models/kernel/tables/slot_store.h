// Entries that must not move while the table grows (a Neighbour& is held across a transmit that
// may create other neighbours), stored 64 to a chunk, with freed slots reused: one allocation per
// 64 entries, where a node-based map made one per entry.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

namespace ol::kernel {

template <typename T>
class SlotStore {
 public:
  T& operator[](std::uint32_t i) { return chunks_[i / kChunk][i % kChunk]; }
  const T& operator[](std::uint32_t i) const { return chunks_[i / kChunk][i % kChunk]; }

  std::uint32_t take() {  // a slot holding a default T
    if (!free_.empty()) {
      const std::uint32_t i = free_.back();
      free_.pop_back();
      return i;
    }
    if (next_ % kChunk == 0) chunks_.push_back(std::make_unique<T[]>(kChunk));
    return next_++;
  }
  void give_back(std::uint32_t i) {
    (*this)[i] = T{};  // what it held (queued packets, say) goes now
    free_.push_back(i);
  }

 private:
  static constexpr std::uint32_t kChunk = 64;
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::vector<std::uint32_t> free_;
  std::uint32_t next_ = 0;
};

}  // namespace ol::kernel
