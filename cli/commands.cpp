#include "cli/commands.h"

#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "models/kernel/apply.h"
#include "models/kernel/dump.h"
#include "models/kernel/ipv4/ip.h"
#include "models/netconfig/parse.h"
#include "models/netconfig/render.h"
#include "models/wire/icmp.h"
#include "sim/simulator.h"

namespace ol::cli {

namespace {

// Loads and applies a script; on failure prints the reason and returns false.
bool build(kernel::World& world, const std::string& script) {
  try {
    kernel::apply(world, netconfig::parse_file(script));
    return true;
  } catch (const kernel::ConfigError& e) {
    std::cerr << script << ": the kernel refuses a command:\n    " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
  }
  return false;
}

}  // namespace

int cmd_netconfig(const std::string& script) {
  try {
    std::cout << netconfig::render(netconfig::parse_file(script));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}

int cmd_tables(const std::string& script, const std::optional<std::string>& netns) {
  Simulator sim;
  kernel::World world(sim);
  if (!build(world, script)) return 2;
  if (netns && !world.netns(*netns)) {
    std::cerr << fmt::format("{}: no namespace \"{}\" (the script creates:", script, *netns);
    for (auto& ns : world.namespaces()) std::cerr << " " << ns->name;
    std::cerr << ")\n";
    return 2;
  }
  for (auto& ns : world.namespaces()) {
    if (netns && ns->name != *netns) continue;
    std::cout << "# netns " << ns->name << "\n" << kernel::dump_all(*ns) << "\n";
  }
  return 0;
}

int cmd_ping(const PingOptions& o) {
  Simulator sim;
  kernel::World world(sim);
  if (!build(world, o.script)) return 2;
  kernel::Netns* ns = world.netns(o.from);
  if (!ns) {
    std::cerr << fmt::format("{}: no namespace \"{}\" to ping from\n", o.script, o.from);
    return 2;
  }
  auto dst = wire::Ipv4Addr::parse(o.to);
  if (!dst) {
    std::cerr << fmt::format("--to: '{}' is not an IPv4 address\n", o.to);
    return 2;
  }
  TraceLog log;
  world.tracing.sink = &log;
  const std::uint16_t id = 0x4f4c;  // "OL"
  kernel::PingSocket* sock = ns->sockets.ping_open(id);
  std::cout << fmt::format("PING {} ({}) {}({}) bytes of data.\n", o.to, o.to, o.size, o.size + 28);
  int received = 0;
  for (int seq = 1; seq <= o.count; ++seq) {
    std::size_t before = log.events.size();
    std::size_t replies = sock->replies.size();
    const Nanos sent = sim.now();
    auto err = kernel::ping_sendmsg(*ns, id, std::uint16_t(seq), *dst, std::uint32_t(o.size), o.trace,
                                    o.dont_fragment ? kernel::PmtuDisc::Do : kernel::PmtuDisc::Want,
                                    std::uint8_t(o.ttl));
    if (err != kernel::Errno::Ok) {
      std::cout << fmt::format("ping: sendmsg: {}\n", kernel::strerror_text(err));
    }
    sim.run_until(sent + kNanosPerSecond - 1);
    if (o.trace) {
      std::cout << fmt::format("--- walk of icmp_seq={} ---\n", seq);
      int crossings = 0;
      for (std::size_t i = before; i < log.events.size(); ++i) {
        std::cout << format_trace_line(log.events[i]) << "\n";
        if (!log.events[i].crossing.empty()) ++crossings;
      }
      std::cout << fmt::format("--- {} kernel/user crossings ---\n", crossings);
    }
    for (std::size_t i = replies; i < sock->replies.size(); ++i) {
      const auto& r = sock->replies[i];
      if (r.type == wire::icmp::kEchoReply) {
        ++received;
        std::cout << fmt::format("{} bytes from {}: icmp_seq={} ttl={} time={:.3f} ms\n", r.bytes, r.from.str(), r.seq,
                                 r.ttl, double(r.time - sent) / 1e6);
      } else {
        std::cout << fmt::format("From {} icmp_seq={} {}{}\n", r.from.str(), r.seq, wire::icmp_type_name(r.type, r.code),
                                 r.type == wire::icmp::kDestUnreach && r.code == wire::icmp::kFragNeeded
                                     ? fmt::format(" (mtu = {})", r.mtu)
                                     : "");
      }
    }
    sim.run_until(sent + kNanosPerSecond);
  }
  std::cout << fmt::format("--- {} ping statistics ---\n{} packets transmitted, {} received, {}% packet loss\n", o.to,
                           o.count, received, (o.count - received) * 100 / o.count);
  return received > 0 ? 0 : 1;
}

}  // namespace ol::cli
