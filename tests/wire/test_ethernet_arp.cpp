#include <catch2/catch.hpp>
#include <vector>

#include "models/wire/arp.h"
#include "models/wire/ethernet.h"

using namespace ol::wire;

TEST_CASE("Ethernet header parses and emits the same 14 bytes") {
  const std::vector<std::uint8_t> bytes = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0a, 0x58, 0x0a, 0xf4, 0x01, 0x02, 0x08, 0x06};
  auto eth = EthernetRepr::parse(bytes);
  REQUIRE(eth);
  CHECK(eth->dst.is_broadcast());
  CHECK(eth->src.str() == "0a:58:0a:f4:01:02");
  CHECK(eth->ethertype == 0x0806);
  std::vector<std::uint8_t> out(14);
  eth->emit(out);
  CHECK(out == bytes);
  CHECK_FALSE(EthernetRepr::parse(Bytes(bytes.data(), 13)));
}

TEST_CASE("ARP request for IPv4 over Ethernet (RFC 826 layout)") {
  // who-has 10.244.1.1 tell 10.244.1.2
  const std::vector<std::uint8_t> bytes = {0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,              // htype ptype hlen plen op
                                           0x0a, 0x58, 0x0a, 0xf4, 0x01, 0x02, 10, 244, 1, 2,           // sha spa
                                           0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10, 244, 1, 1};          // tha tpa
  auto arp = ArpRepr::parse(bytes);
  REQUIRE(arp);
  CHECK(arp->op == ArpOp::Request);
  CHECK(arp->sender_mac.str() == "0a:58:0a:f4:01:02");
  CHECK(arp->sender_ip.str() == "10.244.1.2");
  CHECK(arp->target_mac.is_zero());
  CHECK(arp->target_ip.str() == "10.244.1.1");
  std::vector<std::uint8_t> out(28);
  arp->emit(out);
  CHECK(out == bytes);

  auto bad = bytes;
  bad[5] = 16;  // protocol length of IPv6: not ours
  CHECK_FALSE(ArpRepr::parse(bad));
  bad = bytes;
  bad[7] = 3;  // RARP request
  CHECK_FALSE(ArpRepr::parse(bad));
}

TEST_CASE("MAC and IPv4 text forms round-trip and reject junk") {
  CHECK(MacAddr::parse("0A:58:0a:f4:01:02")->str() == "0a:58:0a:f4:01:02");
  CHECK_FALSE(MacAddr::parse("0a:58:0a:f4:01"));
  CHECK_FALSE(MacAddr::parse("0a:58:0a:f4:01:02:03"));
  CHECK(Ipv4Addr::parse("10.244.1.0")->str() == "10.244.1.0");
  CHECK_FALSE(Ipv4Addr::parse("10.244.1.256"));
  CHECK_FALSE(Ipv4Addr::parse("10.244.1"));
  auto p = Ipv4Prefix::parse("10.244.1.1/24");
  REQUIRE(p);
  CHECK(p->network().str() == "10.244.1.0");
  CHECK(p->broadcast().str() == "10.244.1.255");
  CHECK_FALSE(p->is_network());
  CHECK_FALSE(Ipv4Prefix::parse("10.0.0.0/33"));
}
