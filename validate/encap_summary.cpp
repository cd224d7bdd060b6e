#include "validate/encap_summary.h"

#include <stdexcept>

#include <fmt/format.h>
#include <pcap/pcap.h>

namespace ol::validate {

namespace {

// The kernel's default ip_local_port_range, from which udp_flow_src_port() hashes the VXLAN
// source port when the device has no `srcport` range (flannel sets none).
constexpr std::uint16_t kHashPortMin = 32768, kHashPortMax = 60999;

struct Cursor {
  const std::uint8_t* p;
  std::size_t left;
  bool has(std::size_t n) const { return left >= n; }
  std::uint16_t be16(std::size_t at) const { return std::uint16_t(p[at] << 8 | p[at + 1]); }
  void skip(std::size_t n) { p += n, left -= n; }
};

std::string mac(const std::uint8_t* m) {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m[0], m[1], m[2], m[3], m[4], m[5]);
}

std::string ip(const std::uint8_t* a) { return fmt::format("{}.{}.{}.{}", a[0], a[1], a[2], a[3]); }

std::string ipv4(Cursor c, const TunnelPorts& ports, int depth);

// Ethernet header then IPv4; "" for another ethertype.
std::string ether(Cursor c, const TunnelPorts& ports, int depth) {
  if (!c.has(14) || c.be16(12) != 0x0800) return {};
  const std::string s = fmt::format("{} > {} ", mac(c.p + 6), mac(c.p));
  c.skip(14);
  const std::string rest = ipv4(c, ports, depth);
  return rest.empty() ? rest : s + rest;
}

std::string icmp(Cursor c) {
  if (!c.has(4)) return "icmp (truncated)";
  const int type = c.p[0], code = c.p[1];
  if (type == 8) return "icmp echo-request";
  if (type == 0) return "icmp echo-reply";
  if (type == 3 && code == 4 && c.has(8)) return fmt::format("icmp unreachable frag-needed mtu {}", c.be16(6));
  return fmt::format("icmp type {} code {}", type, code);
}

std::string udp(Cursor c, const TunnelPorts& ports, int depth) {
  if (!c.has(8)) return "udp (truncated)";
  const std::uint16_t sport = c.be16(0), dport = c.be16(2), len = c.be16(4);
  const bool vxlan = depth == 0 && dport == ports.vxlan;
  const std::string sp = vxlan && sport >= kHashPortMin && sport <= kHashPortMax
                             ? fmt::format("{}-{}", kHashPortMin, kHashPortMax)
                             : std::to_string(sport);
  std::string s = fmt::format("udp {} > {} len {}", sp, dport, len);
  c.skip(8);
  if (vxlan && c.has(8)) {
    const std::uint32_t vni = std::uint32_t(c.p[4]) << 16 | std::uint32_t(c.p[5]) << 8 | c.p[6];
    c.skip(8);
    return s + fmt::format(" | vxlan vni {} | ", vni) + ether(c, ports, depth + 1);
  }
  if (depth == 0 && (dport == ports.udp || sport == ports.udp)) return s + " | " + ipv4(c, ports, depth + 1);
  return s;
}

std::string ipv4(Cursor c, const TunnelPorts& ports, int depth) {
  if (!c.has(20) || c.p[0] >> 4 != 4) return depth ? "(not IPv4)" : "";
  const std::size_t ihl = std::size_t(c.p[0] & 0xf) * 4;
  const std::uint16_t total = c.be16(2);
  const bool df = c.p[6] & 0x40, mf = c.p[6] & 0x20;
  const int frag_offset = (c.be16(6) & 0x1fff) * 8;
  const int ttl = c.p[8], proto = c.p[9];
  std::string s = fmt::format("{} > {} ttl {} len {}{}{} ", ip(c.p + 12), ip(c.p + 16), ttl, total, df ? " DF" : "",
                              mf ? " MF" : "");
  if (!c.has(ihl)) return s + "(truncated)";
  c.skip(ihl);
  if (frag_offset) return s + fmt::format("fragment offset {} proto {}", frag_offset, proto);  // no L4 header here
  if (proto == 1) return s + icmp(c);
  if (proto == 17) return s + udp(c, ports, depth);
  if (proto == 6) return s + "tcp";
  return s + fmt::format("proto {}", proto);
}

}  // namespace

std::string summarize_frame(const std::uint8_t* data, std::size_t caplen, int linktype, const TunnelPorts& ports) {
  const Cursor c{data, caplen};
  if (linktype == DLT_EN10MB) return ether(c, ports, 0);
  if (linktype == DLT_RAW) return ipv4(c, ports, 0);
  return {};
}

std::vector<std::string> summarize_pcap(const std::string& file, const TunnelPorts& ports) {
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap* h = pcap_open_offline(file.c_str(), err);
  if (!h) throw std::runtime_error(fmt::format("{}: {}", file, err));
  std::vector<std::string> out;
  const int linktype = pcap_datalink(h);
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(h, &hdr, &data) == 1)
    if (std::string s = summarize_frame(data, hdr->caplen, linktype, ports); !s.empty()) out.push_back(std::move(s));
  pcap_close(h);
  return out;
}

}  // namespace ol::validate
