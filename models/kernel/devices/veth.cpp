#include "models/kernel/devices/veth.h"

#include "models/kernel/cpu_work.h"
#include "models/kernel/dev.h"
#include "models/kernel/drop.h"
#include "models/kernel/qdisc.h"
#include "models/kernel/netns.h"
#include "models/kernel/tracing.h"

namespace ol::kernel {

VethDevice::~VethDevice() {
  if (peer) peer->peer = nullptr;
}

void VethDevice::start_xmit(PacketPtr p) {
  // veth_forward_skb → is_skb_forwardable(): the peer must be up and the frame must fit its MTU.
  if (!peer || !peer->admin_up) {
    ++stats.tx_dropped;
    return kfree_skb_reason(*netns, this, std::move(p), DropReason::DevReady, "veth_xmit");
  }
  if (p->seglen() > std::uint32_t(peer->mtu) + 14) {
    ++stats.tx_dropped;
    return kfree_skb_reason(*netns, this, std::move(p), DropReason::PktTooBig, "veth_xmit");
  }
  // Leaving the node (the underlay NIC) costs a driver's transmit, its qdisc included; a veth
  // within it, less, unless it was given a root qdisc (veth is noqueue by default): then every
  // packet is enqueued and dequeued under the qdisc lock first (__dev_xmit_skb).
  if (peer->netns->cpu != netns->cpu) {
    netns->work.charge(cost::Step::NicXmit, p->size());
  } else {
    if (qdisc) netns->work.charge(cost::Step::DevXmitSkb, p->size());
    netns->work.charge(cost::Step::VethXmit, p->size());
  }
  Nanos arrival = netns->work.now();
  if (qdisc && qdisc->lose()) {
    ++stats.tx_dropped;
    return kfree_skb_reason(*netns, this, std::move(p), DropReason::QdiscDrop, "netem_enqueue (loss)");
  }
  if (qdisc) {
    // On a node's NIC every frame of a GSO packet pays the wire's overhead; a qdisc on a veth
    // cable (the lab) counts a packet once, as sch_netem and sch_tbf do.
    const std::uint32_t segs = p->gso_segs();
    auto at = qdisc->enqueue(arrival, p->wire_len(), segs, netns->softnet.wire_frames ? segs : 1);
    if (!at) {
      ++stats.tx_dropped;
      return kfree_skb_reason(*netns, this, std::move(p), DropReason::QdiscDrop, "netem_enqueue");
    }
    arrival = *at;
  }
  if (p->traced)
    netns->tracing.trace(*p, *netns, this, "veth_xmit", "to " + peer->name + "@" + peer->netns->name);
  netns->softnet.netif_rx(*peer, std::move(p), arrival);
}

}  // namespace ol::kernel
