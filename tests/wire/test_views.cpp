// The checked wire views: each field is read and written where its RFC puts it, and new_checked
// refuses every buffer an accessor could read past.
#include <catch2/catch.hpp>

#include <vector>

#include "models/wire/arp.h"
#include "models/wire/ethernet.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"
#include "models/wire/tcp.h"
#include "models/wire/udp.h"
#include "models/wire/vxlan.h"

using namespace ol::wire;

namespace {
// A VXLAN frame as flannel.1 sends it: outer Ethernet | IPv4 | UDP 8472 | VXLAN VNI 1 | inner
// Ethernet | IPv4 10.244.1.2 > 10.244.2.2 | 4 bytes of data. Bytes written out by hand.
std::vector<std::uint8_t> vxlan_frame() {
  return {
      // outer Ethernet: dst 02:00:00:00:00:02, src 02:00:00:00:00:01, IPv4
      0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
      // outer IPv4: ihl 5, total 74, id 7, DF clear, ttl 64, UDP, csum 0, 192.168.100.11 > 192.168.100.12
      0x45, 0, 0, 74, 0, 7, 0, 0, 64, 17, 0, 0, 192, 168, 100, 11, 192, 168, 100, 12,
      // UDP 40000 > 8472, length 54, checksum 0
      0x9c, 0x40, 0x21, 0x18, 0, 54, 0, 0,
      // VXLAN: flags I, VNI 1
      0x08, 0, 0, 0, 0, 0, 1, 0,
      // inner Ethernet: dst 0a:bb:..:02, src 0a:aa:..:01, IPv4
      0x0a, 0xbb, 0xbb, 0xbb, 0xbb, 0x02, 0x0a, 0xaa, 0xaa, 0xaa, 0xaa, 0x01, 0x08, 0x00,
      // inner IPv4: total 24, ttl 63, ICMP, 10.244.1.2 > 10.244.2.2, then 4 bytes
      0x45, 0, 0, 24, 0, 1, 0x40, 0, 63, 1, 0, 0, 10, 244, 1, 2, 10, 244, 2, 2, 8, 0, 0xf7, 0xff};
}
}  // namespace

TEST_CASE("views walk a VXLAN frame header by header, each field at its RFC offset") {
  const auto f = vxlan_frame();
  auto eth = EthernetView::new_checked(f);
  REQUIRE(eth);
  CHECK(eth->dst_addr().str() == "02:00:00:00:00:02");
  CHECK(eth->is_ipv4());
  auto ip = Ipv4View::new_checked(eth->payload());
  REQUIRE(ip);
  CHECK(ip->header_len() == 20);
  CHECK(ip->total_len() == 74);
  CHECK(ip->ident() == 7);
  CHECK_FALSE(ip->dont_frag());
  CHECK(ip->ttl() == 64);
  CHECK(ip->protocol() == 17);
  CHECK(ip->src_addr().str() == "192.168.100.11");
  CHECK(ip->dst_addr().str() == "192.168.100.12");
  auto udp = UdpView::new_checked(ip->payload());
  REQUIRE(udp);
  CHECK(udp->src_port() == 40000);
  CHECK(udp->dst_port() == 8472);
  CHECK(udp->len() == 54);
  auto vx = VxlanView::new_checked(udp->payload());
  REQUIRE(vx);
  CHECK(vx->flag_i());
  CHECK(vx->vni() == 1);
  auto inner = EthernetView::new_checked(vx->payload());
  REQUIRE(inner);
  CHECK(inner->src_addr().str() == "0a:aa:aa:aa:aa:01");
  auto iip = Ipv4View::new_checked(inner->payload());
  REQUIRE(iip);
  CHECK(iip->dont_frag());
  CHECK(iip->src_addr().str() == "10.244.1.2");
  CHECK(iip->payload().size() == 4);
  auto icmp = IcmpView::new_checked(iip->payload());
  CHECK_FALSE(icmp);  // 4 bytes are not an ICMP header
}

TEST_CASE("new_checked refuses truncated headers and lengths that point past the buffer") {
  const auto f = vxlan_frame();
  const Bytes b(f);
  CHECK_FALSE(EthernetView::new_checked(b.first(13)));
  CHECK_FALSE(Ipv4View::new_checked(b.subspan(14, 19)));
  std::vector<std::uint8_t> v6(b.begin() + 14, b.begin() + 34);
  v6[0] = 0x65;  // version 6
  CHECK_FALSE(Ipv4View::new_checked(v6));
  std::vector<std::uint8_t> long_ihl(b.begin() + 14, b.begin() + 34);
  long_ihl[0] = 0x46;  // ihl 6: 24 bytes of header in a 20-byte buffer
  CHECK_FALSE(Ipv4View::new_checked(long_ihl));
  CHECK_FALSE(UdpView::new_checked(b.subspan(34, 53)));  // length says 54, 53 bytes there
  CHECK(UdpView::new_checked(b.subspan(34, 54)));
  CHECK_FALSE(VxlanView::new_checked(b.subspan(42, 7)));
  CHECK_FALSE(ArpView::new_checked(b.first(27)));
  std::vector<std::uint8_t> tcp(20, 0);
  tcp[12] = 0x60;  // data offset 6 words in a 20-byte buffer
  CHECK_FALSE(TcpView::new_checked(tcp));
  tcp[12] = 0x50;
  CHECK(TcpView::new_checked(tcp));
}

TEST_CASE("an IPv4 payload ends at the total length, not at the buffer's end (Ethernet padding)") {
  auto f = vxlan_frame();
  f.resize(f.size() + 6, 0);  // padding after the frame
  auto ip = Ipv4View::new_checked(Bytes(f).subspan(14));
  REQUIRE(ip);
  CHECK(ip->payload().size() == 54);
}

TEST_CASE("the setters write the bytes the Repr emits, and fill_checksum makes the header verify") {
  std::vector<std::uint8_t> a(20), b(20);
  Ipv4Repr r;
  r.total_len = 84;
  r.id = 0x1234;
  r.df = true;
  r.ttl = 63;
  r.protocol = 1;
  r.src = *Ipv4Addr::parse("10.244.1.2");
  r.dst = *Ipv4Addr::parse("10.244.2.2");
  r.emit(a);
  auto v = Ipv4ViewMut::new_unchecked(b);
  v.set_ver_ihl(5);
  v.set_total_len(84);
  v.set_ident(0x1234);
  v.set_frag(true, false, 0);
  v.set_ttl(63);
  v.set_protocol(1);
  v.set_src_addr(r.src);
  v.set_dst_addr(r.dst);
  v.fill_checksum();
  CHECK(a == b);
  CHECK(Ipv4View::new_checked(b)->verify_checksum());
}
