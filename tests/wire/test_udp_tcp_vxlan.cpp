#include <catch2/catch.hpp>
#include <vector>

#include "models/wire/tcp.h"
#include "models/wire/tcp_options.h"
#include "models/wire/udp.h"
#include "models/wire/vxlan.h"

using namespace ol::wire;

TEST_CASE("UDP header and its pseudo-header checksum (RFC 768)") {
  // 192.168.0.1:1024 → 192.168.0.199:53, payload "abcd"; checksum computed independently: 0xb4c1.
  std::vector<std::uint8_t> d = {0x04, 0x00, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00, 'a', 'b', 'c', 'd'};
  auto src = *Ipv4Addr::parse("192.168.0.1"), dst = *Ipv4Addr::parse("192.168.0.199");
  CHECK(udp_checksum(src, dst, d) == 0xb4c1);
  put16(&d[6], 0xb4c1);
  CHECK(udp_checksum_ok(src, dst, d));
  d[8] = 'x';
  CHECK_FALSE(udp_checksum_ok(src, dst, d));
  auto u = UdpRepr::parse(d);
  REQUIRE(u);
  CHECK(u->src_port == 1024);
  CHECK(u->dst_port == 53);
  CHECK(u->length == 12);
  std::vector<std::uint8_t> out(8);
  u->emit(out);
  CHECK(std::equal(out.begin(), out.end(), d.begin()));
  d[5] = 40;  // a length past the end of the buffer
  CHECK_FALSE(UdpRepr::parse(d));
}

TEST_CASE("TCP header round-trips and rejects a bad data offset") {
  const std::vector<std::uint8_t> bytes = {0x9c, 0x40, 0x14, 0x51, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00,
                                           0x00, 0x00, 0x50, 0x02, 0xfa, 0xf0, 0x12, 0x34, 0x00, 0x00};
  auto t = TcpRepr::parse(bytes);
  REQUIRE(t);
  CHECK(t->src_port == 40000);
  CHECK(t->dst_port == 5201);
  CHECK(t->seq == 1000);
  CHECK(t->flags == tcp::kSyn);
  CHECK(t->window == 64240);
  std::vector<std::uint8_t> out(20);
  t->emit(out);
  CHECK(out == bytes);
  auto bad = bytes;
  bad[12] = 0x40;
  CHECK_FALSE(TcpRepr::parse(bad));
}

TEST_CASE("VXLAN header (RFC 7348 section 5): I flag and a 24-bit VNI") {
  std::vector<std::uint8_t> out(8);
  VxlanRepr{1}.emit(out);
  CHECK(out == std::vector<std::uint8_t>{0x08, 0, 0, 0, 0, 0, 0x01, 0});
  CHECK(VxlanRepr::parse(out)->vni == 1);
  VxlanRepr{0xabcdef}.emit(out);
  CHECK(out == std::vector<std::uint8_t>{0x08, 0, 0, 0, 0xab, 0xcd, 0xef, 0});
  out[0] = 0;  // no I flag
  CHECK_FALSE(VxlanRepr::parse(out));
  CHECK(kVxlanOverhead == 50);
}

TEST_CASE("TCP options: a Linux SYN's bytes parse and emit alike - SACK blocks - a bad length is refused") {
  // From a Linux 6.x SYN: MSS 1460, SACK-permitted + TS, NOP + WS 7.
  const std::vector<std::uint8_t> syn = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0x30, 0x39, 0, 0, 0, 0, 1, 3, 3, 7};
  auto o = TcpOptions::parse(syn);
  REQUIRE(o);
  CHECK(o->mss == 1460);
  CHECK(o->sack_permitted);
  CHECK(o->timestamp == TcpTimestamp{12345, 0});
  CHECK(o->wscale == 7);
  CHECK(o->len() == syn.size());
  std::vector<std::uint8_t> out(o->len());
  o->emit(out);
  CHECK(out == syn);
  CHECK(o->str() == "MSS 1460, SACK permitted, TS 12345:0, WS 7");

  TcpOptions ack;  // an ACK with a timestamp and two SACK blocks: NOP NOP TS, NOP NOP SACK
  ack.timestamp = TcpTimestamp{7, 9};
  ack.sack_blocks = 2;
  ack.sack[0] = {3000, 4000};
  ack.sack[1] = {1000, 2000};
  CHECK(ack.len() == 12 + 4 + 16);
  std::vector<std::uint8_t> b(ack.len());
  ack.emit(b);
  CHECK(std::vector<std::uint8_t>(b.begin(), b.begin() + 2) == std::vector<std::uint8_t>{1, 1});
  CHECK(std::vector<std::uint8_t>(b.begin() + 12, b.begin() + 16) == std::vector<std::uint8_t>{1, 1, 5, 18});
  CHECK(TcpOptions::parse(b) == ack);

  CHECK_FALSE(TcpOptions::parse(std::vector<std::uint8_t>{2, 4, 5}));     // runs past the end
  CHECK_FALSE(TcpOptions::parse(std::vector<std::uint8_t>{2, 3, 5, 1}));  // MSS of length 3
  CHECK_FALSE(TcpOptions::parse(std::vector<std::uint8_t>{30, 1, 0, 0})); // a length below 2
  CHECK(TcpOptions::parse(std::vector<std::uint8_t>{30, 4, 0, 0, 0}));    // an unknown kind, skipped
}
