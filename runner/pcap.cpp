#include "runner/pcap.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>
#include <pcap/pcap.h>

#include "models/kernel/device.h"
#include "models/kernel/netns.h"
#include "models/kernel/packet.h"
#include "models/kernel/world.h"

namespace ol::runner {

PcapWriter::PcapWriter(kernel::World& world, std::string dir, std::string prefix)
    : world_(world), dir_(std::move(dir)), prefix_(std::move(prefix)) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) throw std::runtime_error(fmt::format("{}: cannot create the directory: {}", dir_, ec.message()));
  world_.tracing.tap = [this](const kernel::Device& d, const kernel::Packet& p) { frame(d, p); };
  world_.tracing.tap_rx = [this](const kernel::Device& d, const kernel::Packet& p) { frame(d, p); };
}

PcapWriter::~PcapWriter() {
  world_.tracing.tap = nullptr;
  world_.tracing.tap_rx = nullptr;
  for (auto& [key, f] : files_) {
    pcap_dump_close(f.dumper);
    pcap_close(f.handle);
    std::rename(f.tmp.c_str(), f.path.c_str());
  }
}

void PcapWriter::frame(const kernel::Device& dev, const kernel::Packet& p) {
  const std::string key = dev.netns->name + "-" + dev.name;
  auto it = files_.find(key);
  if (it == files_.end()) {
    File f;
    f.path = fmt::format("{}/{}{}.pcap", dir_, prefix_, key);
    f.tmp = f.path + ".tmp";
    // LINKTYPE_RAW for bare IP packets (TUN), LINKTYPE_ETHERNET otherwise.
    f.handle = pcap_open_dead_with_tstamp_precision(p.at_l3 ? DLT_RAW : DLT_EN10MB, int(kSnapLen), PCAP_TSTAMP_PRECISION_NANO);
    f.dumper = f.handle ? pcap_dump_open(f.handle, f.tmp.c_str()) : nullptr;
    if (!f.dumper) {
      if (f.handle) pcap_close(f.handle);
      throw std::runtime_error(fmt::format("{}: cannot write the capture", f.tmp));
    }
    it = files_.emplace(key, f).first;
  }
  const Nanos t = world_.work.now();
  pcap_pkthdr h{};
  h.ts.tv_sec = t / kNanosPerSecond;
  h.ts.tv_usec = t % kNanosPerSecond;  // nanoseconds, with PCAP_TSTAMP_PRECISION_NANO
  h.len = p.size();
  h.caplen = std::min(p.size(), kSnapLen);
  pcap_dump(reinterpret_cast<u_char*>(it->second.dumper), &h, p.data());
}

}  // namespace ol::runner
