// A small lab for kernel tests: a world built from an ip script, a trace log and a packet tap.
#pragma once
#include <string>
#include <vector>

#include "models/kernel/apply.h"
#include "models/kernel/dump.h"
#include "models/kernel/ipv4/ip.h"
#include "models/netconfig/parse.h"
#include "sim/simulator.h"

namespace ol::test {

struct Frame {
  std::string netns, dev;
  std::vector<std::uint8_t> bytes;
};

class Lab {
 public:
  explicit Lab(const std::string& script_name, const std::string& extra = "");
  kernel::Netns& ns(const std::string& name) { return *world.netns(name); }
  // Sends one echo request and runs the simulation for `run_for`.
  kernel::Errno ping(const std::string& from, const std::string& to, std::uint16_t seq = 1, std::uint32_t size = 56,
                     kernel::PmtuDisc pmtu = kernel::PmtuDisc::Want, std::uint8_t ttl = 0,
                     Nanos run_for = kNanosPerSecond);
  // Sends echo requests first_seq .. last_seq at once (after one ping() opened the socket), runs
  // the simulation for a second and returns how many the qdiscs dropped on the way.
  int ping_burst(const std::string& from, const std::string& to, std::uint16_t first_seq, std::uint16_t last_seq);
  const std::vector<kernel::PingReply>& replies() { return sock->replies; }
  // "netns function" for each traced step, in order.
  std::vector<std::string> steps() const;
  const TraceEvent* find(const std::string& netns, const std::string& function) const;

  Simulator sim;
  kernel::World world{sim};
  TraceLog log;
  std::vector<Frame> frames;
  kernel::PingSocket* sock = nullptr;
  std::uint16_t ping_id = 7;
  std::string pinged_from;
};

}  // namespace ol::test
