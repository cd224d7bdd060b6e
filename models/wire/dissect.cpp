#include "models/wire/dissect.h"

#include <fmt/format.h>

#include "models/wire/arp.h"
#include "models/wire/ethernet.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"
#include "models/wire/tcp.h"
#include "models/wire/tcp_options.h"
#include "models/wire/dhcp.h"
#include "models/wire/udp.h"
#include "models/wire/vxlan.h"

namespace ol::wire {

namespace {

// Appends rows for one frame; `base` is where `b` starts in the whole frame.
class Dissector {
 public:
  explicit Dissector(std::vector<FieldRow>& out) : out_(out) {}

  void eth(Bytes b, std::size_t base, bool inner) {
    auto eth = EthernetView::new_checked(b);
    if (!eth) return data(b, base, inner);
    header("Ethernet", base, ethernet::kHeaderLen, inner);
    field("destination", base, ethernet::kDestination, eth->dst_addr().str());
    field("source", base, ethernet::kSource, eth->src_addr().str());
    const std::uint16_t type = eth->ethertype();
    const char* name = type == std::uint16_t(EtherType::Ipv4) ? " (IPv4)" : type == std::uint16_t(EtherType::Arp) ? " (ARP)" : "";
    field("ethertype", base, ethernet::kEthertype, fmt::format("0x{:04x}{}", type, name));
    const std::size_t at = base + ethernet::kHeaderLen;
    if (type == std::uint16_t(EtherType::Arp)) arp(eth->payload(), at, inner);
    else if (eth->is_ipv4()) ip(eth->payload(), at, inner);
    else data(eth->payload(), at, inner);
  }

  void arp(Bytes b, std::size_t base, bool inner) {
    auto a = ArpView::new_checked(b);
    if (!a) return data(b, base, inner);
    header("ARP", base, arp::kLen, inner);
    field("hardware type", base, arp::kHtype, fmt::format("{}{}", a->hardware_type(), a->hardware_type() == 1 ? " (Ethernet)" : ""));
    field("protocol type", base, arp::kPtype, fmt::format("0x{:04x}", a->protocol_type()));
    field("hardware size", base, arp::kHlen, std::to_string(a->hardware_len()));
    field("protocol size", base, arp::kPlen, std::to_string(a->protocol_len()));
    field("opcode", base, arp::kOper, fmt::format("{}{}", a->operation(), a->operation() == 1 ? " (request)" : a->operation() == 2 ? " (reply)" : ""));
    field("sender MAC", base, arp::kSha, a->source_hardware_addr().str());
    field("sender IP", base, arp::kSpa, a->source_protocol_addr().str());
    field("target MAC", base, arp::kTha, a->target_hardware_addr().str());
    field("target IP", base, arp::kTpa, a->target_protocol_addr().str());
  }

  void ip(Bytes b, std::size_t base, bool inner) {
    auto ip = Ipv4View::new_checked(b);
    if (!ip) return data(b, base, inner);
    const std::size_t hl = ip->header_len();
    header("IPv4", base, hl, inner);
    field("version, header length", base, ipv4::kVerIhl, fmt::format("4, {} bytes", hl));
    field("DSCP/ECN", base, ipv4::kTos, fmt::format("0x{:02x}", ip->tos()));
    field("total length", base, ipv4::kLength, std::to_string(ip->total_len()));
    field("identification", base, ipv4::kIdent, fmt::format("0x{:04x}", ip->ident()));
    field("flags, fragment offset", base, ipv4::kFlgOff,
          fmt::format("{}{}, {}", ip->dont_frag() ? "DF" : "-", ip->more_frags() ? " MF" : "", ip->frag_offset()));
    field("TTL", base, ipv4::kTtl, std::to_string(ip->ttl()));
    field("protocol", base, ipv4::kProtocol, fmt::format("{}{}", ip->protocol(), proto_name(ip->protocol())));
    field("header checksum", base, ipv4::kChecksum, fmt::format("0x{:04x}", ip->checksum()));
    field("source", base, ipv4::kSrcAddr, ip->src_addr().str());
    field("destination", base, ipv4::kDstAddr, ip->dst_addr().str());
    const Bytes rest = ip->payload();
    const std::size_t at = base + hl;
    if (ip->frag_offset_units() != 0) return data(rest, at, inner);
    if (ip->protocol() == std::uint8_t(IpProto::Udp)) return udp(rest, at, inner);
    if (ip->protocol() == std::uint8_t(IpProto::Icmp)) return icmp(rest, at, inner);
    if (ip->protocol() == std::uint8_t(IpProto::Tcp)) return tcp(rest, at, inner);
    data(rest, at, inner);
  }

  void udp(Bytes b, std::size_t base, bool inner) {
    auto u = UdpView::new_checked(b);
    if (!u) return data(b, base, inner);
    header("UDP", base, udp::kHeaderLen, inner);
    auto port = [](std::uint16_t p) {
      return fmt::format("{}{}", p, p == 8472 ? " (VXLAN, Linux's port)" : p == 4789 ? " (VXLAN, IANA's port)" : p == 8285 ? " (flannel udp)" : "");
    };
    field("source port", base, udp::kSrcPort, port(u->src_port()));
    field("destination port", base, udp::kDstPort, port(u->dst_port()));
    field("length", base, udp::kLength, std::to_string(u->len()));
    field("checksum", base, udp::kChecksum, u->checksum() ? fmt::format("0x{:04x}", u->checksum()) : "0 (none)");
    const Bytes payload = u->payload();
    const std::size_t at = base + udp::kHeaderLen;
    auto port_is = [&](std::uint16_t p) { return u->dst_port() == p || u->src_port() == p; };
    auto vx = VxlanView::new_checked(payload);
    if (!inner && (port_is(8472) || port_is(4789)) && vx && vx->flag_i()) {
      header("VXLAN", at, vxlan::kHeaderLen, inner);
      field("flags", at, vxlan::kFlags, "0x08 (I: the VNI is valid)");
      field("reserved", at, Field{1, 4}, "0");
      field("VNI", at, Field{4, 7}, std::to_string(vx->vni()));
      field("reserved", at, Field{7, 8}, "0");
      return eth(vx->payload(), at + vxlan::kHeaderLen, true);
    }
    if (!inner && port_is(8285) && Ipv4View::new_checked(payload)) return ip(payload, at, true);
    if (port_is(dhcp::kServerPort) || port_is(dhcp::kClientPort))
      if (auto m = DhcpMessage::parse(payload)) return dhcp_msg(*m, payload, at, inner);
    data(payload, at, inner);
  }

  // The BOOTP header's fields, then the options (RFC 2132) in their order.
  void dhcp_msg(const DhcpMessage& m, Bytes b, std::size_t base, bool inner) {
    header("DHCP", base, b.size(), inner);
    field("op", base, Field{0, 1}, m.op == dhcp::kBootRequest ? "1 (BOOTREQUEST)" : "2 (BOOTREPLY)");
    field("transaction id", base, Field{4, 8}, fmt::format("0x{:08x}", m.xid));
    field("flags", base, Field{10, 12}, m.broadcast ? "0x8000 (broadcast)" : "0x0000 (unicast)");
    field("ciaddr (client)", base, Field{12, 16}, m.ciaddr.str());
    field("yiaddr (your)", base, Field{16, 20}, m.yiaddr.str());
    field("siaddr (server)", base, Field{20, 24}, m.siaddr.str());
    field("chaddr (client MAC)", base, Field{28, 34}, m.chaddr.str());
    field("magic cookie", base, Field{236, 240}, "DHCP");
    std::size_t at = 240;
    for (const auto& o : m.options) {
      const Field f{at, at + 2 + o.data.size()};
      std::string v;
      if (o.code == dhcp::kMsgType && m.type()) v = dhcp_type_name(*m.type());
      else if (o.data.size() == 4 && o.code != dhcp::kLeaseTime && o.code != dhcp::kRenewalTime && o.code != dhcp::kRebindingTime)
        v = Ipv4Addr{get32(o.data.data())}.str();
      else if (o.data.size() == 4) v = fmt::format("{} s", get32(o.data.data()));
      else v = fmt::format("{} bytes", o.data.size());
      field_owned(fmt::format("option {}", o.code), base, f, std::move(v));
      at = f.end;
    }
  }

  void icmp(Bytes b, std::size_t base, bool inner) {
    auto m = IcmpView::new_checked(b);
    if (!m) return data(b, base, inner);
    header("ICMP", base, icmp::kHeaderLen, inner);
    field("type", base, icmp::kType, fmt::format("{} ({})", m->msg_type(), icmp_type_name(m->msg_type(), m->msg_code())));
    field("code", base, icmp::kCode, std::to_string(m->msg_code()));
    field("checksum", base, icmp::kChecksum, fmt::format("0x{:04x}", m->checksum()));
    if (m->msg_type() == icmp::kEchoRequest || m->msg_type() == icmp::kEchoReply) {
      field("identifier", base, icmp::kEchoIdent, fmt::format("0x{:04x}", m->echo_ident()));
      field("sequence", base, icmp::kEchoSeqNo, std::to_string(m->echo_seq_no()));
    } else {
      field("rest of header", base, Field{4, 8}, m->next_hop_mtu() ? fmt::format("next-hop MTU {}", m->next_hop_mtu()) : "0");
    }
    data(m->data(), base + icmp::kHeaderLen, inner);
  }

  void tcp(Bytes b, std::size_t base, bool inner) {
    auto t = TcpView::new_checked(b);
    if (!t) return data(b, base, inner);
    header("TCP", base, t->header_len(), inner);
    field("source port", base, tcp::kSrcPort, std::to_string(t->src_port()));
    field("destination port", base, tcp::kDstPort, std::to_string(t->dst_port()));
    field("sequence number", base, tcp::kSeqNum, std::to_string(t->seq_number()));
    field("acknowledgment number", base, tcp::kAckNum, std::to_string(t->ack_number()));
    field("header length", base, tcp::kDataOff, fmt::format("{} bytes", t->header_len()));
    field("flags", base, tcp::kFlags, fmt::format("0x{:02x} ({})", t->flags(), tcp_flags_str(t->flags())));
    field("window", base, tcp::kWindow, std::to_string(t->window_len()));
    field("checksum", base, tcp::kChecksum, fmt::format("0x{:04x}", t->checksum()));
    field("urgent pointer", base, tcp::kUrgent, std::to_string(t->urgent_at()));
    if (t->header_len() > tcp::kHeaderLen) {
      const auto opts = TcpOptions::parse(b.subspan(tcp::kHeaderLen, t->header_len() - tcp::kHeaderLen));
      field("options", base, Field{tcp::kHeaderLen, t->header_len()}, opts ? opts->str() : "malformed");
    }
    data(b.subspan(std::min(b.size(), t->header_len())), base + t->header_len(), inner);
  }

  void data(Bytes b, std::size_t base, bool inner) {
    if (b.empty()) return;
    header("data", base, b.size(), inner);
  }

 private:
  static const char* proto_name(std::uint8_t p) {
    if (p == std::uint8_t(IpProto::Icmp)) return " (ICMP)";
    if (p == std::uint8_t(IpProto::Udp)) return " (UDP)";
    if (p == std::uint8_t(IpProto::Tcp)) return " (TCP)";
    return "";
  }
  void header(const char* name, std::size_t base, std::size_t len, bool inner) {
    out_.push_back({layer_++, name, inner, {}, base, len, name == std::string("data") ? fmt::format("{} bytes", len) : ""});
  }
  void field_owned(std::string name, std::size_t base, Field f, std::string value) {
    out_.push_back({layer_ - 1, out_.back().header, out_.back().inner, std::move(name), base + f.start, f.end - f.start, std::move(value)});
  }
  void field(const char* name, std::size_t base, Field f, std::string value) {
    out_.push_back({layer_ - 1, out_.back().header, out_.back().inner, name, base + f.start, f.end - f.start, std::move(value)});
  }

  std::vector<FieldRow>& out_;
  int layer_ = 0;
};

}  // namespace

std::vector<FieldRow> dissect(Bytes frame, bool at_l3) {
  std::vector<FieldRow> rows;
  Dissector d(rows);
  if (at_l3) {
    auto a = ArpView::new_checked(frame);
    if (a && a->hardware_type() == 1 && a->protocol_type() == 0x0800) d.arp(frame, 0, false);  // after eth_type_trans
    else d.ip(frame, 0, false);
  } else {
    d.eth(frame, 0, false);
  }
  return rows;
}

std::size_t encapsulation_bytes(const std::vector<FieldRow>& rows) {
  const FieldRow* outer = nullptr;
  const FieldRow* inner = nullptr;
  for (const auto& r : rows) {
    if (r.header != "IPv4" || !r.field.empty()) continue;
    if (!outer) outer = &r;
    inner = &r;
  }
  return outer && inner ? inner->offset - outer->offset : 0;
}

std::string format_fields(const std::vector<FieldRow>& rows, const std::string& indent) {
  bool encapsulated = false;
  for (const auto& r : rows) encapsulated = encapsulated || r.inner;
  std::string out = fmt::format("{}{:>6} {:>5}  {:<16} {:<24} {}\n", indent, "offset", "bytes", "header", "field", "value");
  for (const auto& r : rows) {
    const std::string header = r.header + (encapsulated ? (r.inner ? " (inner)" : " (outer)") : "");
    std::string line = r.field.empty() ? fmt::format("{}{:>6} {:>5}  {:<16} {:<24} {}", indent, r.offset, r.length, header, "", r.value)
                                       : fmt::format("{}{:>6} {:>5}  {:<16} {:<24} {}", indent, r.offset, r.length, "", r.field, r.value);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

}  // namespace ol::wire
