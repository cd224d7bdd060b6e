#include "models/kernel/core.h"

#include <fmt/format.h>

#include "models/kernel/devices/bridge.h"
#include "models/kernel/gso.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"
#include "models/kernel/world.h"
#include "models/wire/ethernet.h"

namespace ol::kernel {

namespace {
// eth_type_trans: classify by destination MAC relative to the receiving device, then pull the header.
void eth_type_trans(Device& dev, Packet& p) {
  auto dst = wire::eth_dst(p.data());
  if (dst.is_broadcast()) p.pkt_type = PktType::Broadcast;
  else if (dst.is_multicast()) p.pkt_type = PktType::Multicast;
  else if (dev.is_local_mac(dst)) p.pkt_type = PktType::Host;
  else p.pkt_type = PktType::Otherhost;
  p.pull(wire::EthernetRepr::kLen);
  p.at_l3 = true;
}
}  // namespace

void netif_receive_skb(Device& dev, PacketPtr p) {
  Netns& ns = *dev.netns;
  p->dev = &dev;
  ++dev.stats.rx_packets;
  dev.stats.rx_bytes += p->size();
  if (ns.world.tap_rx) ns.world.tap_rx(dev, *p);
  if (!dev.admin_up) return kfree_skb_reason(ns, &dev, std::move(p), DropReason::DevReady, "netif_receive_skb");
  if (dev.master) return dev.master->br_handle_frame(dev, std::move(p));
  if (!dev.has_l2()) {  // TUN: a bare IP packet
    p->at_l3 = true;
    p->pkt_type = PktType::Host;
    return ip_rcv(ns, dev, std::move(p));
  }
  if (p->size() < wire::EthernetRepr::kLen)
    return kfree_skb_reason(ns, &dev, std::move(p), DropReason::NotSpecified, "eth_type_trans");
  std::uint16_t type = wire::eth_type(p->data());
  eth_type_trans(dev, *p);
  if (type == std::uint16_t(wire::EtherType::Arp)) return arp_rcv(ns, dev, std::move(p));
  if (type == std::uint16_t(wire::EtherType::Ipv4)) return ip_rcv(ns, dev, std::move(p));
  kfree_skb_reason(ns, &dev, std::move(p), DropReason::UnhandledProto, "__netif_receive_skb_core");
}

void dev_queue_xmit(Device& dev, PacketPtr p) {
  if (!dev.admin_up) {
    ++dev.stats.tx_dropped;
    return kfree_skb_reason(*dev.netns, &dev, std::move(p), DropReason::DevReady, "dev_queue_xmit");
  }
  if (p->gso_size && !dev.gso) {  // validate_xmit_skb: the device cannot take the burst whole
    if (p->traced) dev.netns->world.trace(*p, *dev.netns, &dev, "skb_gso_segment", fmt::format("{} segments", p->gso_segs()));
    return skb_gso_segment(dev.netns->world, std::move(p), [&dev](PacketPtr s) { dev_queue_xmit(dev, std::move(s)); });
  }
  ++dev.stats.tx_packets;
  dev.stats.tx_bytes += p->size();
  if (dev.netns->world.tap) dev.netns->world.tap(dev, *p);
  dev.start_xmit(std::move(p));
}

void kfree_skb_reason(Netns& ns, const Device* dev, PacketPtr p, DropReason reason, const char* function) {
  ++ns.world.drops[std::size_t(reason)];
  if (p->traced) ns.world.trace(*p, ns, dev, function, std::string("drop ") + drop_reason_name(reason));
}

}  // namespace ol::kernel
