// Packet captures, one file per interface as `tcpdump -i DEV -w` would write it (both
// directions), through libpcap: Ethernet for most devices, raw IPv4 for TUN. Timestamps are
// simulated time in nanoseconds. Each file is written under a temporary name and renamed when
// closed, so a capture directory never holds half a file. Like `tcpdump -s 640`, only the first
// 640 bytes of a frame are kept: the headers, also of encapsulated packets, and a whole DHCP
// message (at most 576 bytes of IP); the length is whole.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "sim/time.h"

struct pcap;
struct pcap_dumper;

namespace ol::kernel {
class Device;
struct Packet;
class World;
}  // namespace ol::kernel

namespace ol::runner {

class PcapWriter {
 public:
  static constexpr std::uint32_t kSnapLen = 640;
  // Captures on every device of `world` from now on; files are named <netns>-<device>.pcap.
  PcapWriter(kernel::World& world, std::string dir, std::string prefix = {});
  ~PcapWriter();  // closes and renames every file
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

 private:
  void frame(const kernel::Device& dev, const kernel::Packet& p);
  struct File {
    pcap* handle = nullptr;
    pcap_dumper* dumper = nullptr;
    std::string tmp, path;
  };
  kernel::World& world_;
  std::string dir_, prefix_;
  std::map<std::string, File> files_;
};

}  // namespace ol::runner
