#include "validate/encap_summary.h"

#include <stdexcept>

#include <fmt/format.h>
#include <pcap/pcap.h>

#include "models/wire/ethernet.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"
#include "models/wire/udp.h"
#include "models/wire/vxlan.h"

namespace ol::validate {

namespace {

// The kernel's default ip_local_port_range, from which udp_flow_src_port() hashes the VXLAN
// source port when the device has no `srcport` range (flannel sets none).
constexpr std::uint16_t kHashPortMin = 32768, kHashPortMax = 60999;

std::string ipv4(wire::Bytes b, const TunnelPorts& ports, int depth);

// Ethernet header then IPv4; "" for another ethertype.
std::string ether(wire::Bytes b, const TunnelPorts& ports, int depth) {
  auto eth = wire::EthernetView::new_checked(b);
  if (!eth || !eth->is_ipv4()) return {};
  const std::string s = fmt::format("{} > {} ", eth->src_addr().str(), eth->dst_addr().str());
  const std::string rest = ipv4(eth->payload(), ports, depth);
  return rest.empty() ? rest : s + rest;
}

std::string icmp(wire::Bytes b) {
  if (b.size() < 4) return "icmp (truncated)";
  const int type = b[wire::icmp::kType.start], code = b[wire::icmp::kCode.start];
  if (type == wire::icmp::kEchoRequest) return "icmp echo-request";
  if (type == wire::icmp::kEchoReply) return "icmp echo-reply";
  auto m = wire::IcmpView::new_checked(b);
  if (type == wire::icmp::kDestUnreach && code == wire::icmp::kFragNeeded && m)
    return fmt::format("icmp unreachable frag-needed mtu {}", m->next_hop_mtu());
  return fmt::format("icmp type {} code {}", type, code);
}

std::string udp(wire::Bytes b, const TunnelPorts& ports, int depth) {
  if (b.size() < wire::udp::kHeaderLen) return "udp (truncated)";
  // The header as captured: the length field may claim more than a truncated capture holds.
  const auto h = wire::UdpView::new_unchecked(b);
  const std::uint16_t sport = h.src_port(), dport = h.dst_port();
  const bool vxlan = depth == 0 && dport == ports.vxlan;
  const std::string sp = vxlan && sport >= kHashPortMin && sport <= kHashPortMax
                             ? fmt::format("{}-{}", kHashPortMin, kHashPortMax)
                             : std::to_string(sport);
  std::string s = fmt::format("udp {} > {} len {}", sp, dport, h.len());
  const wire::Bytes payload = b.subspan(wire::udp::kHeaderLen);
  if (auto vx = vxlan ? wire::VxlanView::new_checked(payload) : std::nullopt)
    return s + fmt::format(" | vxlan vni {} | ", vx->vni()) + ether(vx->payload(), ports, depth + 1);
  if (depth == 0 && (dport == ports.udp || sport == ports.udp)) return s + " | " + ipv4(payload, ports, depth + 1);
  return s;
}

std::string ipv4(wire::Bytes b, const TunnelPorts& ports, int depth) {
  if (b.size() < wire::ipv4::kHeaderLen || b[0] >> 4 != 4) return depth ? "(not IPv4)" : "";
  // Read as captured: a truncated capture still shows its header fields.
  const auto ip = wire::Ipv4View::new_unchecked(b);
  std::string s = fmt::format("{} > {} ttl {} len {}{}{} ", ip.src_addr().str(), ip.dst_addr().str(), ip.ttl(),
                              ip.total_len(), ip.dont_frag() ? " DF" : "", ip.more_frags() ? " MF" : "");
  if (ip.header_len() < wire::ipv4::kHeaderLen || b.size() < ip.header_len()) return s + "(truncated)";
  const wire::Bytes rest = b.subspan(ip.header_len());
  const int proto = ip.protocol();
  if (ip.frag_offset()) return s + fmt::format("fragment offset {} proto {}", ip.frag_offset(), proto);  // no L4 header here
  if (proto == int(wire::IpProto::Icmp)) return s + icmp(rest);
  if (proto == int(wire::IpProto::Udp)) return s + udp(rest, ports, depth);
  if (proto == int(wire::IpProto::Tcp)) return s + "tcp";
  return s + fmt::format("proto {}", proto);
}

}  // namespace

std::string summarize_frame(const std::uint8_t* data, std::size_t caplen, int linktype, const TunnelPorts& ports) {
  const wire::Bytes b(data, caplen);
  if (linktype == DLT_EN10MB) return ether(b, ports, 0);
  if (linktype == DLT_RAW) return ipv4(b, ports, 0);
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
