#include <catch2/catch.hpp>
#include <vector>

#include "models/wire/checksum.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"

using namespace ol::wire;

// The worked example of the IPv4 header checksum (RFC 791 header layout; checksum 0xb861).
const std::vector<std::uint8_t> kIpv4 = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                         0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};

TEST_CASE("IPv4 header parses every field and emits the same bytes, checksum included") {
  auto ip = Ipv4Repr::parse(kIpv4);
  REQUIRE(ip);
  CHECK(ip->total_len == 0x73);
  CHECK(ip->df);
  CHECK_FALSE(ip->mf);
  CHECK(ip->ttl == 64);
  CHECK(ip->protocol == 17);
  CHECK(ip->checksum == 0xb861);
  CHECK(ip->src.str() == "192.168.0.1");
  CHECK(ip->dst.str() == "192.168.0.199");
  CHECK(Ipv4View::new_checked(kIpv4)->verify_checksum());
  std::vector<std::uint8_t> out(20);
  ip->emit(out);
  CHECK(out == kIpv4);
}

TEST_CASE("IPv4 rejects a wrong version, a short header and notices a bad checksum") {
  auto bad = kIpv4;
  bad[0] = 0x65;
  CHECK_FALSE(Ipv4Repr::parse(bad));
  bad = kIpv4;
  bad[0] = 0x44;
  CHECK_FALSE(Ipv4Repr::parse(bad));
  bad = kIpv4;
  bad[8] = 63;
  CHECK_FALSE(Ipv4View::new_checked(bad)->verify_checksum());
}

TEST_CASE("ip_decrease_ttl's incremental checksum equals a full recomputation") {
  for (std::uint8_t ttl : {std::uint8_t(64), std::uint8_t(2), std::uint8_t(255)}) {
    auto h = kIpv4;
    auto ip = *Ipv4ViewMut::new_checked(h);
    ip.set_ttl(ttl);
    ip.fill_checksum();
    ip.decrease_ttl();
    CHECK(ip.ttl() == ttl - 1);
    CHECK(ip.verify_checksum());
  }
}

TEST_CASE("ICMP echo request (RFC 792) with its checksum") {
  std::vector<std::uint8_t> m(8);
  IcmpRepr::echo(icmp::kEchoRequest, 1, 1).emit_message(m);
  CHECK(m == std::vector<std::uint8_t>{0x08, 0x00, 0xf7, 0xfd, 0x00, 0x01, 0x00, 0x01});
  auto back = IcmpRepr::parse(m);
  REQUIRE(back);
  CHECK(back->type == icmp::kEchoRequest);
  CHECK(back->id == 1);
  CHECK(back->seq == 1);
  CHECK(icmp_checksum_ok(m));
}

TEST_CASE("ICMP fragmentation needed carries the next-hop MTU (RFC 1191)") {
  std::vector<std::uint8_t> m(8);
  IcmpRepr::frag_needed(1450).emit_message(m);
  CHECK(m[0] == 3);
  CHECK(m[1] == 4);
  CHECK(get16(&m[6]) == 1450);
  CHECK(IcmpRepr::parse(m)->next_hop_mtu() == 1450);
  CHECK(std::string(icmp_type_name(3, 4)) == "fragmentation needed");
  CHECK(std::string(icmp_type_name(11, 0)) == "time exceeded");
}
