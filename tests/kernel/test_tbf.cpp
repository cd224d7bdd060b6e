// tbf on a cable (`tc qdisc add dev eth0 root tbf rate R burst B limit L`), as validate shapes the
// lab's veth cables on a kernel without netem: what fits the bucket leaves at once, the rest waits
// for tokens at the rate, and the FIFO behind it holds at most `limit` bytes.
#include <catch2/catch.hpp>

#include "models/kernel/dump.h"
#include "models/kernel/tbf.h"
#include "models/netconfig/parse.h"
#include "models/netconfig/render.h"
#include "tests/kernel/helpers.h"

using namespace ol;
using ol::test::Lab;

namespace {
constexpr Nanos kMs = kNanosPerMilli;
netconfig::Op parse_command(const std::string& line) { return netconfig::parse_script(line + "\n").commands.at(0).op; }
}

TEST_CASE("tbf sends a burst at once, then one packet per token time, and drops past its byte limit") {
  // 1 Mbit/s: 1000 bytes take 8 ms. The bucket holds 2000 bytes, the FIFO 3000.
  kernel::Tbf q(1'000'000, 2000, 3000, 0);
  CHECK(q.enqueue(0, 1000, 1, 1) == Nanos(0));
  CHECK(q.enqueue(0, 1000, 1, 1) == Nanos(0));  // the bucket is now empty
  CHECK(q.enqueue(0, 1000, 1, 1) == 8 * kMs);
  CHECK(q.enqueue(0, 1000, 1, 1) == 16 * kMs);
  CHECK(q.enqueue(0, 1000, 1, 1) == 24 * kMs);  // 3000 bytes wait: the FIFO is full
  CHECK_FALSE(q.enqueue(0, 1000, 1, 1).has_value());
  CHECK(q.enqueue(10 * kMs, 1000, 1, 1) == 32 * kMs);  // one left at 8 ms: room for 1000 more
}

TEST_CASE("tbf refills its bucket while idle, never above the burst") {
  kernel::Tbf q(1'000'000, 2000, 100'000, 0);
  CHECK(q.enqueue(0, 2000, 1, 1) == Nanos(0));
  // 8 ms later the bucket holds 1000 bytes again; a second of idling fills it only to 2000.
  CHECK(q.enqueue(8 * kMs, 1000, 1, 1) == 8 * kMs);
  CHECK(q.enqueue(8 * kMs, 1000, 1, 1) == 16 * kMs);
  CHECK(q.enqueue(kNanosPerSecond, 2000, 1, 1) == kNanosPerSecond);
  CHECK(q.enqueue(kNanosPerSecond, 1000, 1, 1) == kNanosPerSecond + 8 * kMs);
}

TEST_CASE("tbf's overhead is added once per packet, and a GSO packet above the burst is sent as segments") {
  kernel::Tbf q(1'000'000, 2000, 100'000, 100);
  // 900 bytes + 100 of overhead: 8 ms of tokens each; the bucket holds (2000 + 100) bytes' worth.
  CHECK(q.enqueue(0, 900, 1, 1) == Nanos(0));
  CHECK(q.enqueue(0, 900, 1, 1) == Nanos(0));
  CHECK(q.enqueue(0, 900, 1, 1) == 8 * kMs - 800 * kNanosPerMicro);
  kernel::Tbf seg(1'000'000, 2000, 100'000, 0);
  // 3000 bytes in 3 segments: larger than the bucket, so tbf_segment sends 3 packets of 1000.
  CHECK(seg.enqueue(0, 3000, 3, 1) == 8 * kMs);
  CHECK_FALSE(seg.enqueue(kNanosPerSecond, 3000, 1, 1).has_value());  // one packet that large: dropped
}

TEST_CASE("tc's tbf command parses, renders back the same, and shows as the device's qdisc") {
  const std::string cmd = "tc -n node-a qdisc add dev eth0 root tbf rate 10gbit burst 5000000 limit 6514000 overhead 20";
  const netconfig::Op op = parse_command(cmd);
  REQUIRE(std::holds_alternative<netconfig::Tbf>(op));
  const auto& t = std::get<netconfig::Tbf>(op);
  CHECK(t.rate_bps == 10'000'000'000ull);
  CHECK(t.burst == 5'000'000);
  CHECK(t.limit == 6'514'000);
  CHECK(t.packet_overhead == 20u);
  CHECK(netconfig::render(op) == cmd);
  CHECK(std::get<netconfig::Tbf>(parse_command("tc -n a qdisc add dev e root tbf rate 1mbit burst 64k limit 1mb")).limit ==
        1024 * 1024);
  CHECK_THROWS_WITH(parse_command("tc -n a qdisc add dev e root tbf rate 1mbit"),
                    Catch::Contains("tbf needs 'rate R burst BYTES limit BYTES'"));
  Lab lab("two-nodes-host-gw.sh", cmd + "\n");
  CHECK_THAT(kernel::dump_links(lab.ns("node-a")), Catch::Contains("eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc tbf"));
}

TEST_CASE("netem's shape on a kernel without netem becomes tbf: 4 ms of the rate, at least 64 KiB") {
  netconfig::Netem shape{.netns = "n", .dev = "eth0", .rate_bps = 10'000'000'000ull, .packet_overhead = 20};
  const auto t = netconfig::tbf_for(shape);
  REQUIRE(t);
  CHECK(netconfig::render(*t) == "tc -n n qdisc add dev eth0 root tbf rate 10gbit burst 5000000 limit 6514000 overhead 20");
  shape.rate_bps = 100'000'000;
  CHECK(netconfig::tbf_for(shape)->burst == 65536);
  shape.rate_bps.reset();
  CHECK_FALSE(netconfig::tbf_for(shape));
}

TEST_CASE("a ping through a tbf cable waits only when the bucket is empty") {
  // 1 Mbit/s with a bucket of two 98-byte frames: of five echo requests sent at once, two leave at
  // once, two wait 784 us each in turn, and the fifth finds the 196-byte FIFO full.
  Lab lab("two-nodes-host-gw.sh", "tc -n node-a qdisc add dev eth0 root tbf rate 1mbit burst 196 limit 196\n");
  lab.ping("pod-a1", "10.244.2.2", 1);
  lab.sim.run_until(lab.sim.now() + kNanosPerSecond);  // the bucket refills
  CHECK(lab.ping_burst("pod-a1", "10.244.2.2", 2, 6) == 1);
  REQUIRE(lab.replies().size() == 5);
  CHECK(lab.replies()[2].time - lab.replies()[1].time == 0);
  CHECK(lab.replies()[3].time - lab.replies()[2].time == 784 * kNanosPerMicro);
  CHECK(lab.replies()[4].time - lab.replies()[3].time == 784 * kNanosPerMicro);
}

TEST_CASE("tc qdisc change keeps the kind: a netem is not changed into a tbf") {
  Simulator sim;
  kernel::World world(sim);
  kernel::apply(world, netconfig::parse_script("ip netns add n\nip -n n link add eth0 type veth peer name p0\n"
                                               "tc -n n qdisc add dev eth0 root netem rate 1gbit\n"));
  CHECK_THROWS_WITH(kernel::apply(world, netconfig::parse_script("tc -n n qdisc change dev eth0 root tbf rate 1gbit burst 64k limit 1mb\n")),
                    Catch::Contains("Error: Specified qdisc kind is different."));
  CHECK_THROWS_WITH(kernel::apply(world, netconfig::parse_script("tc -n n qdisc add dev p0 root tbf rate 1gbit burst 64k limit 1mb\n"
                                                                 "tc -n n qdisc add dev p0 root tbf rate 1gbit burst 64k limit 1mb\n")),
                    Catch::Contains("Error: Exclusivity flag on, cannot modify."));
}
