// The neighbour table beyond resolution: confirmation keeps an entry REACHABLE (a TCP ACK's
// dst_confirm), an unconfirmed one goes STALE after reachable_time, and the unresolved queue is
// bounded by the packets' truesize, not their bytes.
#include <catch2/catch.hpp>

#include "helpers.h"
#include "models/kernel/netns.h"

using namespace ol;
using ol::test::Lab;

namespace {

std::string state_of(kernel::Netns& ns, const char* ip) {
  const std::string d = kernel::dump_neigh(ns);
  const auto at = d.find(ip);
  if (at == std::string::npos) return "absent";
  const auto end = d.find('\n', at);
  return d.substr(d.rfind(' ', end - 1) + 1, end - d.rfind(' ', end - 1) - 1);
}

}  // namespace

TEST_CASE("a confirmed neighbour stays REACHABLE - left alone it goes STALE within 1.5 reachable_time") {
  Lab confirmed("one-bridge.sh"), alone("one-bridge.sh");
  for (Lab* lab : {&confirmed, &alone}) {
    lab->ping("pod-1", "10.244.1.3");
    REQUIRE(state_of(lab->ns("pod-1"), "10.244.1.3") == "REACHABLE");
  }
  const auto dst = *wire::Ipv4Addr::parse("10.244.1.3");
  for (int s = 1; s <= 120; ++s) {  // an ACK for new data every second, as a TCP transfer gets
    confirmed.sim.run_until(confirmed.sim.now() + kNanosPerSecond);
    kernel::dst_confirm(confirmed.ns("pod-1"), dst);
  }
  alone.sim.run_until(alone.sim.now() + 46 * kNanosPerSecond);  // base_reachable_time 30 s, drawn in [15 s, 45 s)
  CHECK(state_of(confirmed.ns("pod-1"), "10.244.1.3") == "REACHABLE");
  CHECK(state_of(alone.ns("pod-1"), "10.244.1.3") == "STALE");
}

TEST_CASE("skb truesize: what the unresolved queue and a UDP socket count, as Linux 6.18 showed it") {
  kernel::Packet small(kernel::Packet::kSmallCap), mid(kernel::Packet::kSmallCap), full(kernel::Packet::kSmallCap);
  small.len = 98;  // a ping's frame: 84 bytes of IP, a head from skb_small_head_cache
  mid.len = 540;   // a 512-byte UDP payload, at L3
  mid.at_l3 = true;
  full.len = 1514;
  CHECK(kernel::skb_truesize(small) == 832);
  CHECK(kernel::skb_truesize(mid) == 1280);
  CHECK(kernel::skb_truesize(full) == 2304);
}

TEST_CASE("an unresolved neighbour queues at most unres_qlen_bytes of truesize, dropping the oldest") {
  // pod-1 pings an address on its subnet that nobody has: every echo waits for ARP.
  Lab lab("one-bridge.sh");
  for (std::uint16_t seq = 1; seq <= 400; ++seq)
    lab.ping("pod-1", "10.244.1.77", seq, 56, kernel::PmtuDisc::Want, 0, 0);
  kernel::Netns& pod = lab.ns("pod-1");
  const kernel::Neighbour* n = pod.neigh.lookup(pod.dev_by_name("eth0"), *wire::Ipv4Addr::parse("10.244.1.77"));
  REQUIRE(n);
  // 212992 / 832 = 256 echoes fit; the other 144 were dropped as the queue filled.
  CHECK(n->arp_queue.size() == 256);
  CHECK(n->queued_bytes == 256 * 832);
  CHECK(lab.world.tracing.drops[std::size_t(kernel::DropReason::NeighQueueFull)] == 144);
}
