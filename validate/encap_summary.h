// One line per captured IPv4 packet saying what a person checks in Wireshark when comparing two
// captures of the same traffic: MACs, outer addresses, TTL, length, DF, the protocol and ports,
// the VXLAN VNI or the udp backend's bare IP payload, and the same again for the inner packet.
// Fields that differ between any two runs of the kernel (IP ids, ICMP ids, checksums) are left out;
// the VXLAN source port, a hash of the inner flow, is shown as the kernel's range when inside it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ol::validate {

struct TunnelPorts {
  std::uint16_t vxlan = 8472;  // flannel's default VXLAN port (not IANA's 4789)
  std::uint16_t udp = 8285;    // the udp backend's port
};

// `linktype`: DLT_EN10MB or DLT_RAW. "" for what is not IPv4.
std::string summarize_frame(const std::uint8_t* data, std::size_t caplen, int linktype, const TunnelPorts& ports);

// Every IPv4 packet of a pcap file, summarised; throws std::runtime_error naming the file.
std::vector<std::string> summarize_pcap(const std::string& file, const TunnelPorts& ports);

}  // namespace ol::validate
