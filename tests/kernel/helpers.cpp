#include "tests/kernel/helpers.h"

#include <fstream>
#include <sstream>

namespace ol::test {

Lab::Lab(const std::string& script_name, const std::string& extra) {
  std::ifstream in(std::string(OVERLAYLAB_DATA) + "/" + script_name);
  std::stringstream ss;
  ss << in.rdbuf() << extra;
  kernel::apply(world, netconfig::parse_script(ss.str(), script_name));
  world.tracing.sink = &log;
  world.tracing.tap = [this](const kernel::Device& d, const kernel::Packet& p) {
    frames.push_back({d.netns->name, d.name, std::vector<std::uint8_t>(p.data(), p.data() + p.size())});
  };
}

kernel::Errno Lab::ping(const std::string& from, const std::string& to, std::uint16_t seq, std::uint32_t size,
                        kernel::PmtuDisc pmtu, std::uint8_t ttl, Nanos run_for) {
  if (!sock || pinged_from != from) {
    sock = ns(from).sockets.ping_open(ping_id);
    pinged_from = from;
  }
  auto err = kernel::ping_sendmsg(ns(from), ping_id, seq, *wire::Ipv4Addr::parse(to), size, true, pmtu, ttl);
  sim.run_until(sim.now() + run_for);
  return err;
}

int Lab::ping_burst(const std::string& from, const std::string& to, std::uint16_t first_seq, std::uint16_t last_seq) {
  log.events.clear();
  const Nanos start = sim.now();
  for (std::uint16_t seq = first_seq; seq <= last_seq; ++seq)
    kernel::ping_sendmsg(ns(from), ping_id, seq, *wire::Ipv4Addr::parse(to), 56, true);
  sim.run_until(start + kNanosPerSecond);
  int drops = 0;
  for (auto& e : log.events)
    if (e.verdict == "drop SKB_DROP_REASON_QDISC_DROP") ++drops;
  return drops;
}

std::vector<std::string> Lab::steps() const {
  std::vector<std::string> out;
  for (auto& e : log.events) out.push_back(e.netns + " " + e.function);
  return out;
}

const TraceEvent* Lab::find(const std::string& netns, const std::string& function) const {
  for (auto& e : log.events)
    if (e.netns == netns && e.function == function) return &e;
  return nullptr;
}

}  // namespace ol::test
