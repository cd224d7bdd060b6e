#include "models/kernel/devices/vxlan.h"

#include <algorithm>

#include "models/kernel/dev.h"
#include "models/kernel/drop.h"
#include "models/kernel/dump.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"
#include "models/kernel/cpu_work.h"
#include "models/kernel/tracing.h"
#include "models/kernel/world.h"
#include "models/wire/ethernet.h"
#include "models/wire/ipv4.h"
#include "models/wire/udp.h"
#include "models/wire/vxlan.h"

namespace ol::kernel {

namespace {

// struct vxlan_sock: the devices sharing one UDP port, found by VNI.
struct VxlanSock {
  std::vector<VxlanDevice*> devices;
};

// vxlan_rcv (the socket's encap_rcv), up to finding the device: check the VXLAN header, then the VNI.
void vxlan_encap_rcv(UdpSocket& sk, PacketPtr p, wire::Ipv4Addr saddr) {
  Device& dev = *p->dev;
  Netns& ns = *dev.netns;
  p->pull(wire::udp::kHeaderLen);
  auto vx = wire::VxlanRepr::parse(p->bytes());
  if (!vx) return kfree_skb_reason(ns, &dev, std::move(p), DropReason::VxlanInvalidHdr, "vxlan_rcv");
  for (VxlanDevice* v : static_cast<VxlanSock*>(sk.sk_user_data.get())->devices)
    if (v->vni == vx->vni) return v->vxlan_rcv(std::move(p), saddr);
  kfree_skb_reason(ns, &dev, std::move(p), DropReason::VxlanVniNotFound, "vxlan_rcv");
}

}  // namespace

VxlanDevice::VxlanDevice(Netns& ns, std::string n, std::uint32_t v, std::uint64_t seed)
    : Device(ns, std::move(n), DevKind::Vxlan), vni(v), fdb(ns.world.shared_vxlan_fdb), hash_seed_(seed) {}

void VxlanDevice::on_state_change() {
  SocketTable& socks = netns->sockets;
  bool want = admin_up && !dead;
  if (want && !socket_open_) {  // vxlan_sock_add: share the port's socket, or set one up
    UdpSocket* s = socks.udp_lookup({}, dstport);
    if (!s && (s = socks.udp_bind({}, dstport))) {
      s->encap_rcv = vxlan_encap_rcv;
      s->sk_user_data = std::make_shared<VxlanSock>();
    }
    socket_open_ = s && s->encap_rcv == vxlan_encap_rcv;  // a plain socket on the port: EADDRINUSE
    if (socket_open_) static_cast<VxlanSock*>(s->sk_user_data.get())->devices.push_back(this);
  } else if (!want && socket_open_) {  // vxlan_sock_release: the last device closes the socket
    if (UdpSocket* s = socks.udp_lookup({}, dstport)) {
      auto& devices = static_cast<VxlanSock*>(s->sk_user_data.get())->devices;
      std::erase(devices, this);
      if (devices.empty()) socks.udp_close(dstport);
    }
    socket_open_ = false;
  }
}

std::uint16_t VxlanDevice::flow_src_port(const Packet& inner) const {
  // udp_flow_src_port -> skb_get_hash: the flow dissector's keys (flow_keys_dissector: protocol,
  // addresses, ports; no ICMP key) with __flow_hash_consistentify sorting the two addresses and the
  // two ports, so a flow and its answers hash alike. Ports count only where proto_ports_offset knows
  // them (TCP, UDP); for ICMP they are 0, so every echo between two pods shares one port. The kernel
  // keys its siphash with a boot-time secret (real ports are unpredictable); ours is the run's seed.
  std::uint64_t h = hash_seed_;
  auto mix = [&h](std::uint64_t v) { h = (h ^ v) * 0x100000001b3ull; h ^= h >> 29; };
  const auto eth = eth_hdr(inner);
  auto ip = eth.is_ipv4() ? wire::Ipv4View::new_checked(eth.payload()) : std::nullopt;
  if (!ip) {
    mix(eth.ethertype());
  } else {
    const std::uint32_t a = ip->src_addr().v, b = ip->dst_addr().v;
    mix(std::min(a, b));
    mix(std::max(a, b));
    mix(ip->protocol());
    const bool has_ports = ip->protocol() == std::uint8_t(wire::IpProto::Tcp) || ip->protocol() == std::uint8_t(wire::IpProto::Udp);
    // A fragment, even the first, is hashed without ports (skb_get_hash does not ask to parse it).
    if (const wire::Bytes l4 = ip->bytes().subspan(ip->header_len()); has_ports && !ip->is_fragment() && l4.size() >= 4) {
      const std::uint16_t sp = wire::get16(l4.data()), dp = wire::get16(l4.data() + 2);
      mix(std::uint32_t(std::min(sp, dp)) << 16 | std::max(sp, dp));
    }
  }
  auto h32 = std::uint32_t(h ^ (h >> 32));
  h32 ^= h32 << 16;  // udp_flow_src_port folds the hash before scaling it into the range
  return std::uint16_t((std::uint64_t(h32) * (kPortMax - kPortMin + 1) >> 32) + kPortMin);
}

void VxlanDevice::start_xmit(PacketPtr p) {
  const auto dst = eth_hdr(*p).dst_addr();
  const VxlanFdbEntry* f = fdb.find(dst);
  if (!f) f = fdb.find(wire::MacAddr::zero());  // the default destination entry
  if (p->traced)
    netns->tracing.trace(*p, *netns, this, "vxlan_xmit", f ? "encapsulate" : "no remote", "vxlan fdb",
                       f ? format_vxlan_fdb(*f, *this) : "");
  if (!f || f->remotes.empty()) {
    ++stats.tx_dropped;
    return kfree_skb_reason(*netns, this, std::move(p), DropReason::NoTxTarget, "vxlan_xmit");
  }
  for (std::size_t i = 1; i < f->remotes.size(); ++i) vxlan_xmit_one(netns->pool.clone(*p), f->remotes[i]);
  vxlan_xmit_one(std::move(p), f->remotes[0]);
}

void VxlanDevice::vxlan_xmit_one(PacketPtr p, wire::Ipv4Addr remote) {
  netns->work.charge(cost::Step::VxlanXmit, p->size());
  Netns& ns = *netns;
  auto rt = ip_route_output(ns, remote, local.value_or(wire::Ipv4Addr{}));
  if (!rt || rt->type != RouteType::Unicast) {
    ++stats.tx_dropped;
    return kfree_skb_reason(ns, this, std::move(p), DropReason::IpOutNoRoutes, "vxlan_xmit_one");
  }
  if (p->traced)
    ns.tracing.trace(*p, ns, this, "fib_lookup", "underlay route", "route", format_route(*rt->route, false));
  const std::uint16_t sport = flow_src_port(*p);
  const auto inner_len = p->size();
  // vxlan_build_skb: VXLAN header, then udp_tunnel_xmit_skb: UDP and IPv4 (DF clear, TTL 64).
  wire::VxlanRepr{vni}.emit(wire::MutBytes(p->push(wire::VxlanRepr::kLen), wire::VxlanRepr::kLen));
  const auto udp_len = std::uint16_t(inner_len + wire::VxlanRepr::kLen + wire::UdpRepr::kLen);
  wire::UdpRepr{sport, dstport, udp_len, 0}.emit(wire::MutBytes(p->push(wire::UdpRepr::kLen), wire::UdpRepr::kLen));
  const auto udp = wire::UdpViewMut::new_unchecked(p->bytes());
  const wire::Ipv4Addr src = local.value_or(rt->src);
  // Outer UDP checksum: on by default for IPv4 (`ip -d link` shows "udpcsum"). A GSO packet's is
  // left to segmentation (each segment gets its own), as the kernel's UDP tunnel GSO does.
  if (!p->gso_size) udp.set_checksum(wire::udp_checksum(src, remote, udp.bytes().first(udp_len)));
  ip_push_header(ns, *p, src, remote, std::uint8_t(wire::IpProto::Udp), std::uint8_t(ns.default_ttl), false);
  if (p->traced) ns.tracing.trace(*p, ns, this, "vxlan_xmit_one", "encapsulated to " + remote.str());
  ip_local_out(ns, std::move(p), *rt);
}

void VxlanDevice::vxlan_rcv(PacketPtr p, wire::Ipv4Addr outer_src) {
  netns->work.charge(cost::Step::VxlanRcv, p->size());
  Netns& ns = *netns;
  if (!admin_up) return kfree_skb_reason(ns, this, std::move(p), DropReason::DevReady, "vxlan_rcv");
  // Past the VXLAN header (checked by vxlan_encap_rcv) to the inner Ethernet frame.
  p->pull(wire::VxlanRepr::kLen);
  p->at_l3 = false;
  if (p->size() < wire::EthernetRepr::kLen)
    return kfree_skb_reason(ns, this, std::move(p), DropReason::VxlanInvalidHdr, "vxlan_rcv");
  if (learning) fdb.replace(eth_hdr(*p).src_addr(), outer_src);  // vxlan_snoop
  if (p->traced) ns.tracing.trace(*p, ns, this, "vxlan_rcv", "decapsulated from " + outer_src.str());
  ns.softnet.netif_rx(*this, std::move(p), ns.now());  // gro_cells_receive
}

}  // namespace ol::kernel
