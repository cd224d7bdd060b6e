// What can be watched from outside the datapath, as the kernel's tracepoints and drop monitor
// allow: one step of a sampled packet (the walk, --trace), every frame a device sends or receives
// (a pcap writer, a test) and the count of packets freed, by reason. Unset hooks cost nothing.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include "models/kernel/drop.h"
#include "models/kernel/trace_event.h"

namespace ol::kernel {

class CpuWork;
class Device;
class Netns;
struct Packet;

class Tracing {
 public:
  explicit Tracing(const CpuWork& work) : work_(work) {}

  // Records one step of a traced packet. Call only when p.traced.
  void trace(const Packet& p, const Netns& ns, const Device* dev, const char* function, std::string verdict,
             std::string table = {}, std::string entry = {}, std::string crossing = {});

  TraceSink* sink = nullptr;
  bool capture_frames = false;  // each event keeps the packet's bytes (a walk's frame view)
  std::function<void(const Device&, const Packet&)> tap;     // every frame a device transmits
  std::function<void(const Device&, const Packet&)> tap_rx;  // every frame a device receives
  std::array<std::uint64_t, std::size_t(DropReason::kCount)> drops{};  // packets freed, by reason

 private:
  const CpuWork& work_;
};

}  // namespace ol::kernel
