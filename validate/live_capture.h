// A capture on a real interface inside one of our namespaces, through libpcap, as
// `ip netns exec NS tcpdump -i DEV -s 256 -w FILE ip` would take it: the socket is opened inside
// the namespace (the thread joins it for the open and leaves again) and keeps capturing there.
// Packets wait in the socket's buffer until finish() writes them to the file.
#pragma once
#include <string>

struct pcap;
struct pcap_dumper;

namespace ol::validate {

class LiveCapture {
 public:
  // Throws std::runtime_error with libpcap's message when the interface cannot be opened.
  LiveCapture(const std::string& netns, const std::string& dev, std::string file);
  ~LiveCapture();
  LiveCapture(const LiveCapture&) = delete;
  LiveCapture& operator=(const LiveCapture&) = delete;

  // Writes what was captured so far, closes the file; returns the number of packets.
  int finish();

 private:
  pcap* handle_ = nullptr;
  pcap_dumper* dumper_ = nullptr;
  std::string file_, tmp_;
  int packets_ = 0;
};

}  // namespace ol::validate
