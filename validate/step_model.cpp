#include "validate/step_model.h"

#include <stdexcept>

#include <fmt/format.h>

#include "models/kernel/apply.h"
#include "models/kernel/devices/tun.h"
#include "models/kernel/ipv4/ip.h"
#include "models/netconfig/parse.h"
#include "models/userspace/tcp_flow.h"
#include "models/wire/ipv4.h"
#include "sim/event_queue.h"
#include "sim/simulator.h"

namespace ol::validate {

namespace {

namespace kn = kernel;

// A profile in which every step costs 1 ns per call (or, `per_byte`, 1 ns per byte): the charged
// nanoseconds then count the calls (or the bytes).
cost::Profile counting(bool per_byte) {
  cost::Profile p;
  for (auto& s : p.steps) (per_byte ? s.per_byte_ns : s.per_packet_ns) = 1;
  return p;
}

// The reader of the experiment's TUN: read(), swap the addresses, write() (checksums stay right:
// both sums are over the same two addresses).
struct TunLoop final : EventTarget {
  kn::TunDevice* tun = nullptr;
  kn::Netns* ns = nullptr;
  bool scheduled = false;
  void wake() {
    if (scheduled) return;
    scheduled = true;
    ns->work.sim.at(ns->work.now(), this);
  }
  void on_event(std::uint64_t) override {
    if (!ns->work.begin(ns->cpu, 0)) return ns->work.sim.at(ns->cpu->free_at(0), this);
    scheduled = false;
    while (kn::PacketPtr p = tun->read()) {
      std::vector<std::uint8_t> buf(p->data(), p->data() + p->size());
      for (int i = 0; i < 4; ++i) std::swap(buf[12 + std::size_t(i)], buf[16 + std::size_t(i)]);
      tun->write(wire::Bytes(buf.data(), buf.size()));
    }
    ns->work.end();
  }
};

// A program's turn on the shared core: once the core is free.
void begin_work(Simulator& sim, kn::Netns& ns) {
  sim.run_until(ns.cpu->free_at(0));
  if (!ns.work.begin(ns.cpu, 0)) throw std::logic_error("the step model's core is still busy");
}

// Sends `n` datagrams one at a time, each run to the end and read by the receiver; returns how
// many the receiver got.
int send_and_read(Simulator& sim, kn::Netns& from, kn::Netns& to, kn::UdpSocket& sock, const StepExperiment& e, int payload,
                  int n) {
  int got = 0;
  for (int i = 0; i < n; ++i) {
    begin_work(sim, from);
    kn::udp_sendmsg(from, kStepSrcPort, e.dst, kStepPort, std::uint32_t(payload));
    from.work.end();
    sim.run_until(sim.now() + 10 * kNanosPerMilli);
    begin_work(sim, to);
    while (kn::udp_recvmsg(to, sock)) ++got;
    to.work.end();
  }
  return got;
}

// The experiment's script applied to a world of its own, every namespace on one core costed by
// `profile` (as the real experiment pins everything to one CPU).
struct OneCoreWorld {
  Simulator sim;
  kn::World world{sim};
  cost::NodeCpu* cpu = nullptr;
  OneCoreWorld(const StepExperiment& e, const cost::Profile& profile) {
    kn::apply(world, netconfig::parse_script(e.script, e.name));
    world.work.profile = &profile;
    cpu = &world.work.add_node_cpu("this machine", 1);
    for (const auto& ns : world.namespaces()) ns->cpu = cpu;
  }
};

std::array<double, cost::kSteps> per_packet(const StepExperiment& e, int payload, bool per_byte) {
  const cost::Profile profile = counting(per_byte);
  OneCoreWorld lab(e, profile);
  Simulator& sim = lab.sim;
  kn::World& world = lab.world;
  cost::NodeCpu& cpu = *lab.cpu;
  kn::Netns& from = *world.netns(e.sender_ns);
  kn::Netns& to = *world.netns(e.receiver_ns);
  kn::UdpSocket* sock = to.sockets.udp_bind({}, kStepPort);
  TunLoop loop;
  if (!e.tun.empty()) {
    loop.tun = dynamic_cast<kn::TunDevice*>(from.dev_by_name(e.tun));
    loop.ns = &from;
    if (!loop.tun) throw std::runtime_error(fmt::format("step experiment {}: no TUN {}", e.name, e.tun));
    loop.tun->attach([&loop] { loop.wake(); });
  }
  if (!sock) throw std::runtime_error(fmt::format("step experiment {}: port {} taken", e.name, kStepPort));
  send_and_read(sim, from, to, *sock, e, payload, 3);  // ARP settles
  const auto before = cpu.steps;
  constexpr int kPackets = 10;
  const int got = send_and_read(sim, from, to, *sock, e, payload, kPackets);
  if (got != kPackets)
    throw std::runtime_error(fmt::format("step experiment {}: the model delivered {} of {} datagrams", e.name, got, kPackets));
  std::array<double, cost::kSteps> out{};
  for (std::size_t s = 0; s < cost::kSteps; ++s) out[s] = double(cpu.steps[s].ns - before[s].ns) / kPackets;
  return out;
}

}  // namespace

StepRecipe model_recipe(const StepExperiment& e, int payload) {
  StepRecipe r{per_packet(e, payload, false), per_packet(e, payload, true)};
  r.calls[std::size_t(cost::Step::Wakeup)] = r.bytes[std::size_t(cost::Step::Wakeup)] = 0;
  r.calls[std::size_t(cost::Step::AppWork)] = r.bytes[std::size_t(cost::Step::AppWork)] = 0;
  return r;
}

double recipe_cost(const StepRecipe& r, const cost::Profile& p, double wakeups) {
  double ns = wakeups * p.steps[std::size_t(cost::Step::Wakeup)].per_packet_ns;
  for (std::size_t s = 0; s < cost::kSteps; ++s)
    ns += r.calls[s] * p.steps[s].per_packet_ns + r.bytes[s] * p.steps[s].per_byte_ns;
  return ns;
}

double model_tcp_ns_per_unit(const StepExperiment& e, const cost::Profile& p) {
  OneCoreWorld lab(e, p);
  Simulator& sim = lab.sim;
  cost::NodeCpu& cpu = *lab.cpu;
  constexpr Nanos kWarmUp = 20 * kNanosPerMilli, kMeasured = 80 * kNanosPerMilli;
  traffic::TcpFlow flow(*lab.world.netns(e.sender_ns), *lab.world.netns(e.receiver_ns), e.dst, kStepPort, kWarmUp + kMeasured, true);
  flow.start(0);
  sim.run_until(kWarmUp);  // the handshake, slow start and the receive buffer's growth
  const Nanos busy0 = cpu.busy_total();
  const std::uint64_t bytes0 = flow.stats().payload_delivered;
  sim.run_until(kWarmUp + kMeasured);
  const std::uint64_t bytes = flow.stats().payload_delivered - bytes0;
  if (bytes == 0) throw std::runtime_error(fmt::format("step experiment {}: the model's TCP stream delivered nothing", e.name));
  return double(cpu.busy_total() - busy0) / (double(bytes) / kTcpUnit);
}

}  // namespace ol::validate
