// A first-in first-out queue on one power-of-two ring that grows and never shrinks. std::deque
// frees its 512-byte chunk each time the head leaves it and allocates one each time the tail
// fills one, so a queue that packets stream through (a core's backlog, a socket's receive queue,
// a run queue) allocated every few dozen packets; this one allocates only while it grows past its
// deepest fill so far.
#pragma once
#include <cstddef>
#include <utility>
#include <vector>

namespace ol {

template <typename T>
class Fifo {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  T& front() { return ring_[head_]; }
  const T& front() const { return ring_[head_]; }
  void push_back(T v) {
    if (size_ == ring_.size()) grow();
    ring_[(head_ + size_) & (ring_.size() - 1)] = std::move(v);
    ++size_;
  }
  void push_front(T v) {  // back to the head: the next one out
    if (size_ == ring_.size()) grow();
    head_ = (head_ + ring_.size() - 1) & (ring_.size() - 1);
    ring_[head_] = std::move(v);
    ++size_;
  }
  void pop_front() {
    ring_[head_] = T{};  // what it held (a packet) is released now, not when the slot is reused
    head_ = (head_ + 1) & (ring_.size() - 1);
    --size_;
  }
  // Removes every element `pred` holds for, keeping the others in order.
  template <typename Pred>
  void remove_if(Pred pred) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < size_; ++i) {
      T& v = at(i);
      if (!pred(v)) {
        if (kept != i) at(kept) = std::move(v);
        ++kept;
      }
    }
    for (std::size_t i = kept; i < size_; ++i) at(i) = T{};
    size_ = kept;
  }

 private:
  T& at(std::size_t i) { return ring_[(head_ + i) & (ring_.size() - 1)]; }
  void grow() {
    std::vector<T> bigger(ring_.empty() ? 4 : ring_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move(at(i));
    ring_ = std::move(bigger);
    head_ = 0;
  }

  std::vector<T> ring_;  // empty, or a power of two
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace ol
