// TCP as Linux opens a connection: the three-way handshake with the options a Linux SYN carries, in
// its byte order, timestamps on every segment after it, and a lost SYN sent again after 1 s.
#include <catch2/catch.hpp>

#include "models/kernel/device.h"
#include "models/kernel/netem.h"
#include "models/userspace/tcp_cubic.h"
#include "models/userspace/tcp_flow.h"
#include "models/wire/ethernet.h"
#include "models/wire/tcp.h"
#include "models/wire/tcp_options.h"
#include "tests/kernel/helpers.h"

using namespace ol;

namespace {

// The lab's namespaces have no CPU model: a rate on node-a's NIC keeps the data finite.
constexpr const char* kShaped = "tc -n node-a qdisc add dev eth0 root netem rate 100mbit\n";

struct Segment {
  Nanos at;  // not recorded by the tap: filled by the caller where it matters
  wire::TcpRepr tcp;
  wire::TcpOptions opts;
  std::size_t payload = 0;
};

// The TCP segments a namespace's eth0 sent, in order.
std::vector<Segment> sent_by(const test::Lab& lab, const std::string& netns) {
  std::vector<Segment> out;
  for (const auto& f : lab.frames) {
    if (f.netns != netns || f.dev != "eth0") continue;
    const wire::Bytes b(f.bytes);
    auto ip = wire::Ipv4View::new_checked(b.subspan(wire::ethernet::kHeaderLen));
    if (!ip || ip->protocol() != std::uint8_t(wire::IpProto::Tcp)) continue;
    auto tcp = wire::TcpRepr::parse(ip->payload());
    REQUIRE(tcp);
    const std::size_t hl = std::size_t(tcp->data_offset) * 4;
    auto opts = wire::TcpOptions::parse(ip->payload().subspan(20, hl - 20));
    REQUIRE(opts);
    out.push_back({0, *tcp, *opts, ip->payload().size() - hl});
  }
  return out;
}

}  // namespace

TEST_CASE("a TCP connection opens with SYN, SYN-ACK, ACK carrying Linux's options, then data with timestamps") {
  test::Lab lab("two-nodes-host-gw.sh", kShaped);
  traffic::TcpFlow flow(lab.ns("pod-a1"), lab.ns("pod-b1"), *wire::Ipv4Addr::parse("10.244.2.2"), 5201, 20 * kNanosPerMilli, true);
  flow.start(0);
  lab.sim.run_until(100 * kNanosPerMilli);
  const auto a = sent_by(lab, "pod-a1"), b = sent_by(lab, "pod-b1");
  REQUIRE(a.size() >= 3);
  REQUIRE(b.size() >= 2);

  const Segment& syn = a[0];
  CHECK(syn.tcp.flags == wire::tcp::kSyn);
  CHECK(syn.tcp.data_offset == 10);     // 40 bytes: 20 of options
  CHECK(syn.tcp.window == 64240);       // 44 x 1460: the largest multiple of the MSS below 65,535
  CHECK(syn.opts.mss == 1460);
  CHECK(syn.opts.sack_permitted);
  CHECK(syn.opts.wscale == 7);
  REQUIRE(syn.opts.timestamp);
  CHECK(syn.opts.timestamp->ecr == 0);
  CHECK(syn.payload == 0);
  // The bytes as a Linux SYN has them: MSS, SACK-permitted + TS, NOP + WS.
  std::vector<std::uint8_t> raw(syn.opts.len());
  syn.opts.emit(raw);
  CHECK(std::vector<std::uint8_t>(raw.begin(), raw.begin() + 8) == std::vector<std::uint8_t>{2, 4, 0x05, 0xb4, 4, 2, 8, 10});
  CHECK(std::vector<std::uint8_t>(raw.end() - 4, raw.end()) == std::vector<std::uint8_t>{1, 3, 3, 7});

  const Segment& synack = b[0];
  CHECK(synack.tcp.flags == (wire::tcp::kSyn | wire::tcp::kAck));
  CHECK(synack.tcp.ack == syn.tcp.seq + 1);
  CHECK(synack.tcp.window == 65160);  // 45 x 1448: tcp_openreq_init_rwin nets out the timestamp
  CHECK(synack.opts.mss == 1460);
  CHECK(synack.opts.sack_permitted);
  CHECK(synack.opts.wscale == 7);
  REQUIRE(synack.opts.timestamp);
  CHECK(synack.opts.timestamp->ecr == syn.opts.timestamp->val);

  const Segment& ack = a[1];
  CHECK(ack.tcp.flags == wire::tcp::kAck);
  CHECK(ack.tcp.seq == syn.tcp.seq + 1);
  CHECK(ack.tcp.ack == synack.tcp.seq + 1);
  CHECK(ack.tcp.data_offset == 8);  // NOP NOP TS
  CHECK(ack.payload == 0);
  CHECK(ack.tcp.window == 512);  // 64 KiB, scaled by 2^7: half of tcp_rmem's default buffer
  CHECK(ack.opts.timestamp->ecr == synack.opts.timestamp->val);

  const Segment& data = a[2];
  CHECK(data.tcp.seq == syn.tcp.seq + 1);
  CHECK(data.tcp.data_offset == 8);
  CHECK(data.payload == 10 * 1448);  // the initial window: 10 segments of 1,448 bytes
  CHECK(data.tcp.window == 512);
  CHECK(data.opts.timestamp->ecr == synack.opts.timestamp->val);
  CHECK_FALSE(data.opts.mss);
  CHECK(flow.mss() == 1448);
  CHECK(flow.stats().payload_delivered > 0);
  CHECK(flow.stats().rtt.count() > 0);
}

TEST_CASE("a lost SYN is sent again 1 s later (TCP_TIMEOUT_INIT), and the connection then opens") {
  test::Lab lab("two-nodes-host-gw.sh", "tc -n node-a qdisc add dev eth0 root netem rate 100mbit loss 100%\n");
  traffic::TcpFlow flow(lab.ns("pod-a1"), lab.ns("pod-b1"), *wire::Ipv4Addr::parse("10.244.2.2"), 5201, 2 * kNanosPerSecond, true);
  flow.start(0);
  lab.sim.run_until(500 * kNanosPerMilli);
  CHECK(sent_by(lab, "pod-a1").size() == 1);  // the SYN, lost on node-a's NIC
  CHECK(sent_by(lab, "pod-b1").empty());
  static_cast<kernel::Netem&>(*lab.ns("node-a").dev_by_name("eth0")->qdisc).set_loss(0, RandomStream(1, "netem"));
  lab.sim.run_until(990 * kNanosPerMilli);
  CHECK(sent_by(lab, "pod-a1").size() == 1);  // nothing before the timeout
  lab.sim.run_until(1010 * kNanosPerMilli);
  const auto a = sent_by(lab, "pod-a1");
  REQUIRE(a.size() >= 3);
  CHECK(a[1].tcp.flags == wire::tcp::kSyn);
  CHECK(a[1].tcp.seq == a[0].tcp.seq);  // the same SYN
  CHECK(a[1].opts.timestamp->val == a[0].opts.timestamp->val + 1000);  // a 1 ms clock: 1 s later
  CHECK(a[2].tcp.flags == wire::tcp::kAck);
  lab.sim.run_until(3 * kNanosPerSecond);
  CHECK(flow.stats().payload_delivered > 0);
}

TEST_CASE("one lost segment is recovered from SACK: the duplicate ACKs report the data past the hole, the hole alone is sent again, no timeout") {
  test::Lab lab("two-nodes-host-gw.sh", kShaped);
  kernel::Device& nic = *lab.ns("node-a").dev_by_name("eth0");
  std::optional<std::uint32_t> syn_seq;
  std::uint32_t target = 0;
  bool dropped = false;
  Nanos lost_at = -1, resent_at = -1;
  std::vector<wire::TcpOptions> dupacks;
  // netem decides the loss right after the tap sees the frame: the 20th segment, once.
  lab.world.tracing.tap = [&](const kernel::Device& d, const kernel::Packet& p) {
    const wire::Bytes b(p.data(), p.size());
    auto ip = wire::Ipv4View::new_checked(b.subspan(wire::ethernet::kHeaderLen));
    if (!ip || ip->protocol() != std::uint8_t(wire::IpProto::Tcp)) return;
    const auto tcp = wire::TcpView::new_unchecked(ip->payload());
    const auto opts = *wire::TcpOptions::parse(ip->payload().subspan(20, tcp.header_len() - 20));
    if (&d == &nic) {
      if (tcp.flags() == wire::tcp::kSyn) syn_seq = tcp.seq_number(), target = *syn_seq + 1 + 19 * 1448;
      const bool drop = syn_seq && tcp.seq_number() == target && !dropped;
      if (tcp.seq_number() == target) (drop ? lost_at : resent_at) = lab.sim.now();
      dropped |= drop;
      static_cast<kernel::Netem&>(*nic.qdisc).set_loss(drop ? 1.0 : 0.0, RandomStream(1, "netem"));
    }
    if (d.netns->name == "pod-b1" && d.name == "eth0" && opts.sack_blocks) dupacks.push_back(opts);
  };
  traffic::TcpFlow flow(lab.ns("pod-a1"), lab.ns("pod-b1"), *wire::Ipv4Addr::parse("10.244.2.2"), 5201, 100 * kNanosPerMilli,
                        /*gso=*/false);
  flow.start(0);
  lab.sim.run_until(kNanosPerSecond);
  REQUIRE(dropped);
  CHECK(flow.stats().retransmits == 1);  // the hole, and nothing the receiver already had
  REQUIRE(resent_at > lost_at);
  CHECK(resent_at - lost_at < 200 * kNanosPerMilli);  // fast recovery, well before TCP_RTO_MIN
  REQUIRE(dupacks.size() >= 3);
  CHECK(dupacks[0].sack_blocks == 1);
  CHECK(dupacks[0].sack[0].start == target + 1448);  // the data past the hole
  CHECK(dupacks[0].sack[0].end == target + 2 * 1448);
  CHECK(dupacks[2].sack[0].end == target + 4 * 1448);  // growing with each segment that arrives
  // Everything sent arrived once, in order.
  CHECK(flow.stats().payload_delivered == std::uint64_t(flow.stats().packets_sent - 1) * 1448);
}

TEST_CASE("SeqRanges: ranges merge when they touch, the cumulative ACK trims them, gaps and IsLost are read off them") {
  traffic::SeqRanges r;
  r.insert(100, 200);
  r.insert(300, 400);
  CHECK(r.insert(200, 250).start == 100);  // adjacent: one range [100, 250)
  CHECK(r.bytes_in(0, 1000) == 250);
  CHECK(r.bytes_in(150, 350) == 150);
  auto gap = r.next_gap(120, 1000);
  REQUIRE(gap);
  CHECK(gap->start == 250);
  CHECK(gap->end == 300);
  CHECK(r.next_gap(300, 400) == std::nullopt);  // all held
  CHECK(r.lost_below(100, 0) == 300);   // 100 bytes held from 300 up: the gap below it is lost
  CHECK(r.lost_below(101, 0) == 100);
  CHECK(r.lost_below(1000, 7) == 7);    // not enough held anywhere
  r.erase_below(330);
  CHECK(r.bytes_in(0, 1000) == 70);
  CHECK(r.holding(330)->end == 400);
  CHECK_FALSE(r.holding(329));
  r.insert(50, 500);  // covers everything
  CHECK(r.bytes_in(0, 1000) == 450);
}

TEST_CASE("CUBIC: a loss leaves 70 % of the window, fast convergence lowers W_max, and the window returns to W_max after K = cbrt(W_max x 0.3 / 0.4) s") {
  traffic::Cubic cc;
  cc.reset(0, 0);
  CHECK(cc.recalc_ssthresh(100) == 70);  // 100 x 717 / 1024
  CHECK(cc.last_max_cwnd() == 100);
  traffic::Cubic again = cc;
  CHECK(again.recalc_ssthresh(80) == 56);
  CHECK(again.last_max_cwnd() == 68);  // 80 x (1 + 0.7) / 2: below the last peak, give way sooner

  // One ACK per segment, spread over a 100 ms round: slow enough that the cubic curve, not the
  // Reno-friendly line, sets the pace. K = cbrt(100 x 0.3 / 0.4) = 4.22 s.
  std::uint32_t cwnd = 70, cnt = 0, ssthresh = 70;
  auto run_until = [&](Nanos& t, Nanos end) {
    while (t < end) {
      const std::uint32_t acks = cwnd;
      for (std::uint32_t i = 0; i < acks; ++i) cc.cong_avoid(t + Nanos(i) * 100 * kNanosPerMilli / acks, cwnd, cnt, ssthresh, 1);
      t += 100 * kNanosPerMilli;
    }
  };
  Nanos t = 0;
  run_until(t, 2100 * kNanosPerMilli);  // K/2: concave, already close to W_max (100 - 0.4 x 2.1^3 = 96)
  CHECK(cwnd >= 92);
  CHECK(cwnd <= 99);
  run_until(t, 4200 * kNanosPerMilli);  // K: the plateau at W_max
  CHECK(cwnd >= 97);
  CHECK(cwnd <= 104);
  run_until(t, 8400 * kNanosPerMilli);  // 2K: convex, probing past it (100 + 0.4 x 4.2^3 = 130)
  CHECK(cwnd >= 118);
  CHECK(cwnd <= 142);
}

TEST_CASE("HyStart leaves slow start when a train of ACKs lasts longer than half the minimum RTT, not below 16 segments") {
  auto train = [](std::uint32_t cwnd) {
    traffic::Cubic cc;
    cc.reset(0, 1000);
    std::uint32_t ssthresh = 0x7fffffff;
    for (int i = 0; i <= 10; ++i)  // ACKs 100 us apart, each with a 1 ms RTT sample
      cc.acked(Nanos(i) * 100'000, 1000, 500, 1000, cwnd, ssthresh, 0);
    return std::pair{cc.hystart_found(), ssthresh};
  };
  const auto [found, ssthresh] = train(20);
  CHECK(found);  // 600 us > 1000 / 2 us after the round began
  CHECK(ssthresh == 20);
  CHECK_FALSE(train(15).first);  // hystart_low_window
}

TEST_CASE("TCP small queues: a bulk flow behind a slow pod link keeps about two GSO bursts below its socket, not its whole window") {
  // The pod's own veth is the bottleneck: its queue is between the socket and the next ip_rcv, where
  // the kernel still charges each packet to the socket.
  test::Lab lab("two-nodes-host-gw.sh", "tc -n pod-a1 qdisc add dev eth0 root netem rate 100mbit limit 100000\n");
  traffic::TcpFlow flow(lab.ns("pod-a1"), lab.ns("pod-b1"), *wire::Ipv4Addr::parse("10.244.2.2"), 5201, kNanosPerSecond, true);
  flow.start(0);
  std::uint32_t most = 0;
  for (Nanos t = 0; t < kNanosPerSecond; t += kNanosPerMilli) {
    lab.sim.run_until(t);
    most = std::max(most, lab.world.pool.wmem.wmem_alloc(1));
  }
  lab.sim.run_until(2 * kNanosPerSecond);
  // At 100 Mbit/s a millisecond of pacing is ~15 KB, so the floor rules: two 64 KiB bursts (and the
  // one in hand when the check passed).
  CHECK(most <= 3 * (65160 + 1024));
  CHECK(most >= 2 * (65160 + 1024));
  CHECK(flow.stats().tsq_throttled > 100);
  CHECK(flow.stats().rtt.percentile(99) < 20 * kNanosPerMilli);  // not the 6 MiB window's 500 ms
  // And the link stays busy: close to 100 Mbit/s of frames for the second.
  CHECK(flow.stats().payload_delivered > 11'000'000);
  CHECK(lab.world.pool.wmem.wmem_alloc(1) == 0);  // everything freed once the flow is done
}

namespace {

struct Ack {
  Nanos at;
  std::uint32_t ack;
};

// The pure ACKs pod-b1 sends, and when the last data segment reached it, for one flow without GSO.
struct AckLog {
  std::vector<Ack> acks;
  Nanos last_data = 0;
};

std::optional<wire::TcpView> tcp_of(const kernel::Device& d, const kernel::Packet& p, const char* netns) {
  if (d.name != "eth0" || d.netns->name != netns) return std::nullopt;
  const wire::Bytes b(p.data(), p.size());
  auto ip = wire::Ipv4View::new_checked(b.subspan(wire::ethernet::kHeaderLen));
  if (!ip || ip->protocol() != std::uint8_t(wire::IpProto::Tcp)) return std::nullopt;
  return wire::TcpView::new_unchecked(ip->payload());
}

AckLog ack_log(test::Lab& lab, Nanos duration, Nanos run_for) {
  AckLog log;
  lab.world.tracing.tap_rx = [&](const kernel::Device& d, const kernel::Packet& p) {
    if (auto tcp = tcp_of(d, p, "pod-b1"); tcp && tcp->bytes().size() > tcp->header_len()) log.last_data = lab.sim.now();
  };
  lab.world.tracing.tap = [&](const kernel::Device& d, const kernel::Packet& p) {
    if (auto tcp = tcp_of(d, p, "pod-b1"); tcp && tcp->flags() == wire::tcp::kAck) log.acks.push_back({lab.sim.now(), tcp->ack_number()});
  };
  traffic::TcpFlow flow(lab.ns("pod-a1"), lab.ns("pod-b1"), *wire::Ipv4Addr::parse("10.244.2.2"), 5201, duration, false);
  flow.start(0);
  lab.sim.run_until(run_for);
  lab.world.tracing.tap = nullptr;
  lab.world.tracing.tap_rx = nullptr;
  CHECK(flow.stats().retransmits == 0);  // no ACK left for the retransmission timer to find
  return log;
}

}  // namespace

TEST_CASE("the receiver ACKs each of its first 16 segments at once (quick-ACK mode), then every second one") {
  test::Lab lab("two-nodes-host-gw.sh", kShaped);
  const AckLog log = ack_log(lab, 50 * kNanosPerMilli, 200 * kNanosPerMilli);
  REQUIRE(log.acks.size() > 30);
  // acks[0] answers the first segment; it and the next 15 each answer one.
  for (std::size_t i = 1; i < 16; ++i) CHECK(log.acks[i].ack - log.acks[i - 1].ack == 1448);
  std::size_t by_two = 0;
  for (std::size_t i = 16; i < 30; ++i) by_two += log.acks[i].ack - log.acks[i - 1].ack == 2 * 1448;
  CHECK(by_two == 14);
}

TEST_CASE("a lone last segment is ACKed by the delayed-ACK timer 40 ms later, not left to the retransmission timer") {
  // Flows of several lengths: some end on an odd segment, which only the delayed ACK answers.
  int delayed = 0;
  for (int ms = 30; ms < 40; ++ms) {
    test::Lab lab("two-nodes-host-gw.sh", kShaped);
    const AckLog log = ack_log(lab, ms * kNanosPerMilli, ms * kNanosPerMilli + 500 * kNanosPerMilli);
    REQUIRE_FALSE(log.acks.empty());
    const Nanos wait = log.acks.back().at - log.last_data;
    if (wait > 0) {  // the last ACK came after the last data arrived: only the timer sends such an ACK
      CHECK(wait == 40 * kNanosPerMilli);
      ++delayed;
    }
  }
  CHECK(delayed > 0);
  CHECK(delayed < 10);
}

TEST_CASE("receive-buffer autotuning: the window starts at tcp_rmem's default and grows with what the reader takes per round trip, not to 6 MiB") {
  // 1 Gbit/s and 2 ms one way: the path holds ~250 KB, more than the first 64 KiB window.
  test::Lab lab("two-nodes-host-gw.sh", "tc -n node-a qdisc add dev eth0 root netem delay 2ms rate 1gbit limit 100000\n");
  traffic::TcpFlow flow(lab.ns("pod-a1"), lab.ns("pod-b1"), *wire::Ipv4Addr::parse("10.244.2.2"), 5201, kNanosPerSecond, true);
  flow.start(0);
  lab.sim.run_until(kNanosPerSecond);
  std::vector<std::uint32_t> windows;  // every ACK's window after the handshake, unscaled
  for (const auto& s : sent_by(lab, "pod-b1"))
    if (!(s.tcp.flags & wire::tcp::kSyn)) windows.push_back(std::uint32_t(s.tcp.window) << 7);
  REQUIRE(windows.size() > 100);
  CHECK(windows.front() <= traffic::TcpFlow::kRcvBufDefault / 2);  // tcp_win_from_space(tcp_rmem[1])
  const std::uint32_t most = *std::max_element(windows.begin(), windows.end());
  CHECK(most >= 2 * 250'000);                        // grown past twice what the path holds
  CHECK(most < traffic::TcpFlow::kRcvBuf / 2);       // yet far from tcp_rmem's maximum
  CHECK(flow.stats().payload_delivered > 90'000'000);  // and the link was kept full once it had grown
}
