#include "models/kernel/devices/bridge.h"

#include <algorithm>

#include "models/kernel/dev.h"
#include "models/kernel/drop.h"
#include "models/kernel/dump.h"
#include "models/kernel/netns.h"
#include "models/kernel/cpu_work.h"
#include "models/kernel/tracing.h"
#include "models/wire/ethernet.h"

namespace ol::kernel {

bool BridgeDevice::carrier() const {
  return admin_up && std::any_of(ports.begin(), ports.end(), [](Device* d) { return d->running(); });
}

void BridgeDevice::br_add_if(Device& port) {
  port.master = this;
  ports.push_back(&port);
  fdb.add_local(port.mac, &port);
  if (!mac_set_explicitly && ports.size() == 1) {  // br_stp_recalculate_bridge_id: lowest port MAC
    fdb.remove_local(mac, this);
    mac = port.mac;
    fdb.add_local(mac, this);
  }
  mtu_auto_adjust();
}

void BridgeDevice::br_del_if(Device& port) {
  fdb.remove_port(&port);
  std::erase(ports, &port);
  port.master = nullptr;
  port.hairpin = false;
  mtu_auto_adjust();
}

void BridgeDevice::mtu_auto_adjust() {
  if (mtu_set_explicitly || ports.empty()) return;
  int m = ports.front()->mtu;
  for (Device* d : ports) m = std::min(m, d->mtu);
  mtu = m;
}

std::string BridgeDevice::fdb_line(const FdbEntry& e) const { return format_bridge_fdb(e, *this); }

void BridgeDevice::br_handle_frame(Device& port, PacketPtr p) {
  netns->work.charge(cost::Step::BrHandleFrame, p->size());
  if (p->size() < wire::EthernetRepr::kLen)
    return kfree_skb_reason(*netns, &port, std::move(p), DropReason::NotSpecified, "br_handle_frame");
  auto src = eth_hdr(*p).src_addr();
  if (src.is_multicast())  // a multicast source MAC is invalid
    return kfree_skb_reason(*netns, &port, std::move(p), DropReason::NotSpecified, "br_handle_frame");
  if (!admin_up)
    return kfree_skb_reason(*netns, &port, std::move(p), DropReason::DevReady, "br_handle_frame");
  fdb.learn(src, &port, netns->now());  // br_fdb_update
  br_handle_frame_finish(port, std::move(p));
}

void BridgeDevice::br_handle_frame_finish(Device& in, PacketPtr p) {
  auto dst = eth_hdr(*p).dst_addr();
  if (dst.is_multicast()) {  // broadcast too: flood, and keep a copy for the host
    if (p->traced) netns->tracing.trace(*p, *netns, &in, "br_handle_frame_finish", "flood", "fdb", "");
    return br_flood(std::move(p), &in, true);
  }
  const FdbEntry* e = fdb.find(dst, netns->now());
  if (p->traced)
    netns->tracing.trace(*p, *netns, &in, "br_fdb_find", e ? (e->is_local ? "local" : "forward") : "flood", "fdb",
                       e ? fdb_line(*e) : "");
  if (!e) return br_flood(std::move(p), &in, false);
  if (e->is_local) return br_pass_frame_up(std::move(p));
  br_forward(*e->port, std::move(p), &in);
}

void BridgeDevice::br_forward(Device& to, PacketPtr p, const Device* from) {
  // should_deliver(): never back out of the ingress port unless it is in hairpin mode.
  if (&to == from && !to.hairpin)
    return kfree_skb_reason(*netns, &to, std::move(p), DropReason::BrForwardDisabled, "br_forward");
  if (p->seglen() > std::uint32_t(to.mtu) + 14)  // br_dev_queue_push_xmit → is_skb_forwardable
    return kfree_skb_reason(*netns, &to, std::move(p), DropReason::PktTooBig, "br_dev_queue_push_xmit");
  if (p->traced) netns->tracing.trace(*p, *netns, &to, "br_forward", "xmit on " + to.name);
  dev_queue_xmit(to, std::move(p));
}

void BridgeDevice::br_flood(PacketPtr p, const Device* from, bool local_rcv) {
  for (Device* port : ports) {
    if ((port == from && !port->hairpin) || !port->running()) continue;
    br_forward(*port, netns->pool.clone(*p), from);
  }
  if (local_rcv) br_pass_frame_up(std::move(p));
}

void BridgeDevice::br_pass_frame_up(PacketPtr p) {
  if (p->traced) netns->tracing.trace(*p, *netns, this, "br_pass_frame_up", "up to " + name);
  netif_receive_skb(*this, std::move(p));
}

void BridgeDevice::start_xmit(PacketPtr p) {
  auto dst = eth_hdr(*p).dst_addr();
  if (dst.is_multicast()) return br_flood(std::move(p), nullptr, false);
  const FdbEntry* e = fdb.find(dst, netns->now());
  if (p->traced)
    netns->tracing.trace(*p, *netns, this, "br_dev_xmit", e && !e->is_local ? "forward" : "flood", "fdb",
                       e ? fdb_line(*e) : "");
  if (e && !e->is_local) return br_forward(*e->port, std::move(p), nullptr);
  br_flood(std::move(p), nullptr, false);
}

}  // namespace ol::kernel
