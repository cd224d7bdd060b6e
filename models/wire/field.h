// Checked views over packet bytes, as smoltcp's wire::*::Packet<T> are: each protocol names its
// fields once as byte ranges; a view is made by new_checked(), which verifies the length (and
// whatever else makes the accessors safe), after which no accessor can read out of bounds.
// T is std::uint8_t for a view that may write, const std::uint8_t for one that only reads.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

#include "models/wire/addr.h"
#include "models/wire/bytes.h"

namespace ol::wire {

struct Field {  // bytes [start, end) of a header
  std::size_t start, end;
};

template <class T>
class View {
 public:
  static constexpr bool kMutable = !std::is_const_v<T>;
  std::span<T> bytes() const { return b_; }

 protected:
  View() = default;
  explicit View(std::span<T> b) : b_(b) {}
  std::uint8_t u8(Field f) const { return b_[f.start]; }
  std::uint16_t u16(Field f) const { return get16(b_.data() + f.start); }
  std::uint32_t u32(Field f) const { return get32(b_.data() + f.start); }
  MacAddr mac(Field f) const {
    MacAddr m;
    std::copy_n(b_.data() + f.start, 6, m.b.begin());
    return m;
  }
  void set_u8(Field f, std::uint8_t v) const requires kMutable { b_[f.start] = v; }
  void set_u16(Field f, std::uint16_t v) const requires kMutable { put16(b_.data() + f.start, v); }
  void set_u32(Field f, std::uint32_t v) const requires kMutable { put32(b_.data() + f.start, v); }
  void set_mac(Field f, const MacAddr& m) const requires kMutable { std::copy(m.b.begin(), m.b.end(), b_.data() + f.start); }
  std::span<T> b_;
};

}  // namespace ol::wire
