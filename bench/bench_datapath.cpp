// Simulated pod-to-pod packets per wall-second, tracing off: UDP from pod-a1 to pod-b1 through
// veth, cni0, ip_forward, the tunnel (or host-gw route), the underlay switch and back up.
#include <chrono>
#include <cstdio>
#include <string>

#include "bench/parse_args.h"

#include "models/kernel/apply.h"
#include "models/kernel/ipv4/ip.h"
#include "models/netconfig/parse.h"
#include "sim/simulator.h"

using namespace ol;

static void run(const char* label, const char* script, std::uint64_t packets) {
  Simulator sim;
  kernel::World world(sim);
  kernel::apply(world, netconfig::parse_file(std::string(OVERLAYLAB_DATA) + "/" + script));
  kernel::Netns& a = *world.netns("pod-a1");
  kernel::Netns& b = *world.netns("pod-b1");
  kernel::UdpSocket* sink = b.sockets.udp_bind({}, 5001);
  std::uint64_t delivered = 0;
  sink->on_readable = [&] {  // the receiving program drains its socket
    while (!sink->rx.empty()) {
      sink->rmem_alloc -= kernel::skb_truesize(*sink->rx.front());
      sink->rx.pop_front();
      ++delivered;
    }
  };
  const auto dst = *wire::Ipv4Addr::parse("10.244.2.2");
  kernel::udp_sendmsg(a, 40000, dst, 5001, 64);  // resolve ARP along the path first
  sim.run();
  delivered = 0;
  auto start = std::chrono::steady_clock::now();
  std::uint64_t events = 0;
  for (std::uint64_t i = 0; i < packets; ++i) {  // one packet per simulated microsecond
    kernel::udp_sendmsg(a, 40000, dst, 5001, 64);
    events += sim.run_until(sim.now() + kNanosPerMicro);
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("datapath %-8s: %.2f million pod-to-pod packets/s (%llu delivered of %llu, %.1f events/packet, "
              "%zu packet buffers allocated in all)\n",
              label, double(delivered) / secs / 1e6, (unsigned long long)delivered, (unsigned long long)packets,
              double(events) / double(packets), world.pool.allocated());
}

int main(int argc, char** argv) {
  CLI::App app{"overlaylab-bench-datapath: simulated pod-to-pod UDP packets per wall-second, vxlan and host-gw"};
  std::uint64_t packets = 2'000'000;
  app.add_option("PACKETS", packets, "packets per mode (default 2000000)")->check(CLI::Range(std::uint64_t(1), std::uint64_t(1) << 36));
  if (auto rc = ol::bench::parse_args(app, argc, argv)) return *rc;
  run("vxlan", "two-nodes-vxlan.sh", packets);
  run("host-gw", "two-nodes-host-gw.sh", packets);
}
