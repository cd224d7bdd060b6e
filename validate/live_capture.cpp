#include "validate/live_capture.h"

#include <cstdio>
#include <stdexcept>

#include <fmt/format.h>
#include <pcap/pcap.h>

#include "validate/in_netns.h"

namespace ol::validate {

namespace {

constexpr int kSnapLen = 256;  // as the simulator's captures: the headers, also of encapsulated packets

pcap* open_in(const std::string& netns, const std::string& dev) {
  const int previous = enter_netns(netns);
  if (previous < 0) throw std::runtime_error(fmt::format("capture: cannot enter namespace {}", netns));
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap* h = pcap_create(dev.c_str(), err);
  std::string why = err;
  if (h) {
    pcap_set_snaplen(h, kSnapLen);
    pcap_set_immediate_mode(h, 1);
    pcap_set_buffer_size(h, 4 << 20);
    pcap_set_tstamp_precision(h, PCAP_TSTAMP_PRECISION_NANO);
    if (pcap_activate(h) < 0) {
      why = pcap_geterr(h);
      pcap_close(h);
      h = nullptr;
    }
  }
  leave_netns(previous);
  if (!h) throw std::runtime_error(fmt::format("capture on {} in {}: {}", dev, netns, why));
  return h;
}

}  // namespace

LiveCapture::LiveCapture(const std::string& netns, const std::string& dev, std::string file)
    : file_(std::move(file)), tmp_(file_ + ".tmp") {
  handle_ = open_in(netns, dev);
  bpf_program filter{};
  // IPv4 only: the kernel's ARP and IPv6 chatter is not what is compared.
  if (pcap_compile(handle_, &filter, "ip", 1, PCAP_NETMASK_UNKNOWN) == 0) {
    pcap_setfilter(handle_, &filter);
    pcap_freecode(&filter);
  }
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap_setnonblock(handle_, 1, err);
  dumper_ = pcap_dump_open(handle_, tmp_.c_str());
  if (!dumper_) {
    pcap_close(handle_);
    throw std::runtime_error(fmt::format("{}: cannot write the capture", tmp_));
  }
}

LiveCapture::~LiveCapture() {
  if (dumper_) {
    pcap_dump_close(dumper_);
    std::remove(tmp_.c_str());
  }
  if (handle_) pcap_close(handle_);
}

int LiveCapture::finish() {
  if (!dumper_) return packets_;
  for (int n; (n = pcap_dispatch(handle_, -1, pcap_dump, reinterpret_cast<u_char*>(dumper_))) > 0;) packets_ += n;
  pcap_dump_close(dumper_);
  dumper_ = nullptr;
  std::rename(tmp_.c_str(), file_.c_str());
  return packets_;
}

}  // namespace ol::validate
