#include "lab/underlay.h"

#include <cmath>

#include <fmt/format.h>

namespace ol::cluster {

namespace nc = netconfig;

namespace {

std::string port_name(const std::string& host) { return "sw-" + host; }

// A host's NIC on the segment: a veth pair whose ends both shape their egress to the NIC's rate
// (the host's transmit and the switch port's), the port also adding the segment's delay.
void plug(const scenario::Segment& seg, const std::string& host, const std::string& ifname, wire::Ipv4Addr addr,
          int mtu, double gbps, const cni::Naming& names, nc::NetConfig& out) {
  const std::string port = port_name(host);
  nc::LinkAdd veth{.netns = seg.name, .name = port, .kind = nc::LinkKind::Veth};
  veth.address = names.mac(port + " of " + seg.name);
  veth.mtu = mtu;
  veth.peer = nc::VethPeer{ifname, names.mac(ifname + " of " + host), mtu, host};
  out.add(veth, kUnderlayOrigin);
  out.add(nc::LinkSet{.netns = seg.name, .dev = port, .master = "br0", .up = true}, kUnderlayOrigin);
  out.add(cable_qdisc(seg, seg.name, port, gbps, true), kUnderlayOrigin);
  out.add(cable_qdisc(seg, host, ifname, gbps, false), kUnderlayOrigin);
  const wire::Ipv4Prefix a{addr, seg.subnet.len};
  out.add(nc::AddrAdd{host, a, a.broadcast(), ifname}, kUnderlayOrigin);
  out.add(nc::LinkSet{.netns = host, .dev = ifname, .up = true}, kUnderlayOrigin);
}

}  // namespace

nc::Netem link_shape(const scenario::Segment& seg, const std::string& netns, const std::string& dev, double gbps,
                     bool switch_port, bool change) {
  constexpr std::uint32_t kWireOverhead = 20;  // preamble 7 + start delimiter 1 + inter-frame gap 12
  nc::Netem q{.change = change, .netns = netns, .dev = dev, .rate_bps = std::uint64_t(gbps * 1e9), .packet_overhead = kWireOverhead};
  if (switch_port && seg.delay) q.delay_ns = std::uint64_t(seg.delay);
  return q;
}

nc::Op cable_qdisc(const scenario::Segment& seg, const std::string& netns, const std::string& dev, double gbps, bool switch_port) {
  const nc::Netem shape = link_shape(seg, netns, dev, gbps, switch_port);
  if (seg.shaper == scenario::Segment::Shaper::Tbf)
    if (auto tbf = nc::tbf_for(shape)) return *tbf;
  return shape;
}

void wire_fabric(const scenario::Scenario& s, const cni::Naming& names, nc::NetConfig& out) {
  for (const auto& seg : s.segments) {
    out.add(nc::NetnsAdd{seg.name}, kUnderlayOrigin);
    nc::LinkAdd br{.netns = seg.name, .name = "br0", .kind = nc::LinkKind::Bridge};
    br.address = names.mac("br0 of " + seg.name);
    out.add(br, kUnderlayOrigin);
    out.add(nc::LinkSet{.netns = seg.name, .dev = "br0", .up = true}, kUnderlayOrigin);
  }
  if (!s.router) return;
  const std::string& r = *s.router;
  out.add(nc::NetnsAdd{r}, kUnderlayOrigin);
  out.add(nc::LinkSet{.netns = r, .dev = "lo", .up = true}, kUnderlayOrigin);
  out.add(nc::Sysctl{r, "net.ipv4.ip_forward", "1"}, kUnderlayOrigin);
  for (std::size_t i = 0; i < s.segments.size(); ++i)
    plug(s.segments[i], r, fmt::format("eth{}", i), *s.segments[i].gateway, 1500, 10, names, out);
}

void wire_node(const scenario::Scenario& s, const scenario::Node& n, const cni::Naming& names, nc::NetConfig& out) {
  const scenario::Segment& seg = s.segments[n.segment];
  out.add(nc::NetnsAdd{n.name}, kUnderlayOrigin);
  out.add(nc::LinkSet{.netns = n.name, .dev = "lo", .up = true}, kUnderlayOrigin);
  plug(seg, n.name, "eth0", n.address, n.mtu, n.nic_gbps, names, out);
  if (s.router)
    out.add(nc::RouteOp{.verb = nc::Verb::Add, .netns = n.name, .dst = {{0}, 0}, .via = *seg.gateway, .dev = "eth0"},
            kUnderlayOrigin);
}

}  // namespace ol::cluster
