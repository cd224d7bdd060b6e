// Packet buffers come in two sizes: an ordinary frame never holds 64 KiB, a GSO burst still fits.
#include <catch2/catch.hpp>

#include "models/kernel/packet.h"

using namespace ol::kernel;

TEST_CASE("a packet starts small, grows to 64 KiB when put needs it, keeps its bytes, and returns to its own size's pool") {
  PacketPool pool;
  PacketPtr p = pool.get(1500);
  CHECK(p->cap == Packet::kSmallCap);
  std::uint8_t* d = p->put(1500);
  for (int i = 0; i < 1500; ++i) d[i] = std::uint8_t(i);
  p->push(14);  // a header in the headroom
  p->put(60000);  // a GSO burst's worth: the buffer moves
  CHECK(p->cap == Packet::kLargeCap);
  CHECK(p->size() == 14 + 1500 + 60000);
  CHECK(p->data()[14 + 1499] == std::uint8_t(1499 % 256));
  CHECK(pool.allocated() == 1);
  p.reset();
  PacketPtr small = pool.get(100);  // not the grown one: a new small buffer
  CHECK(small->cap == Packet::kSmallCap);
  CHECK(pool.allocated() == 2);
  PacketPtr large = pool.get(30000);  // the grown one, recycled
  CHECK(large->cap == Packet::kLargeCap);
  CHECK(pool.allocated() == 2);
  CHECK(pool.clone(*large)->cap == Packet::kSmallCap);  // a clone holds the bytes in use: none yet
  large->put(30000);
  CHECK(pool.clone(*large)->cap == Packet::kLargeCap);
}
