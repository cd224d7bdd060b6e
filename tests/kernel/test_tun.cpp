// The UDP backend's kernel side (tests/data/two-nodes-tun.sh): flannel0 on each node and one route
// 10.244.0.0/16 dev flannel0. The test plays the user-space program: it reads what node-a's TUN
// queues and writes it into node-b's TUN (and back), as flanneld would after a UDP round trip.
#include <catch2/catch.hpp>

#include "models/kernel/devices/tun.h"
#include "tests/kernel/helpers.h"

using namespace ol;
using ol::test::Lab;

namespace {
struct StandIn final : EventTarget {
  StandIn(kernel::TunDevice* h, kernel::TunDevice* t) : here(h), there(t) {}
  kernel::TunDevice* here;
  kernel::TunDevice* there;
  int carried = 0;
  void on_event(std::uint64_t) override {
    while (kernel::PacketPtr p = here->read()) {
      there->write(wire::Bytes(p->data(), p->size()), p->id, p->traced);
      ++carried;
    }
  }
};
}  // namespace

TEST_CASE("tun: the stack queues the packet for the reader, and what the writer writes is received") {
  Lab lab("two-nodes-tun.sh");
  auto* a = static_cast<kernel::TunDevice*>(lab.ns("node-a").dev_by_name("flannel0"));
  auto* b = static_cast<kernel::TunDevice*>(lab.ns("node-b").dev_by_name("flannel0"));
  StandIn ab(a, b), ba(b, a);
  a->attach([&] { lab.sim.after(0, &ab); });
  b->attach([&] { lab.sim.after(0, &ba); });
  CHECK(kernel::dump_routes(lab.ns("node-a")).find("10.244.0.0/16 dev flannel0 scope link\n") != std::string::npos);

  REQUIRE(lab.ping("pod-a1", "10.244.2.2") == kernel::Errno::Ok);
  const TraceEvent* q = lab.find("node-a", "tun_net_xmit");
  REQUIRE(q);
  CHECK(q->verdict == "queued for the reader");
  CHECK(q->headers == "ipv4 20 | icmp 8 | data 56");  // a bare IP packet: IFF_NO_PI, no Ethernet
  CHECK(lab.find("node-a", "tun_do_read")->crossing == "kernel->user");
  CHECK(lab.find("node-b", "tun_get_user")->crossing == "user->kernel");
  CHECK(lab.find("node-b", "ip_rcv")->device == "flannel0");
  CHECK(ab.carried == 1);
  CHECK(ba.carried == 1);
  REQUIRE(lab.replies().size() == 1);
  CHECK(lab.replies()[0].from.str() == "10.244.2.2");
}

TEST_CASE("tun: with no reader attached the device has no carrier and drops") {
  Lab lab("two-nodes-tun.sh");
  CHECK(kernel::dump_routes(lab.ns("node-a")).find("10.244.0.0/16 dev flannel0 scope link linkdown\n") !=
        std::string::npos);
  lab.ping("pod-a1", "10.244.2.2");
  bool dropped = false;
  for (auto& e : lab.log.events)
    if (e.function == "tun_net_xmit" && e.verdict == "drop SKB_DROP_REASON_DEV_READY") dropped = true;
  CHECK(dropped);
  CHECK(lab.replies().empty());
}
