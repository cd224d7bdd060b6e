// net/core/dev.c: the boundary between devices and protocols.
#pragma once
#include "models/kernel/drop.h"
#include "models/kernel/packet.h"

namespace ol::kernel {

class Device;
class Netns;

// __netif_receive_skb_core: a bridge port hands the frame to its bridge (rx_handler); otherwise
// eth_type_trans classifies it and it goes to arp_rcv or ip_rcv.
void netif_receive_skb(Device& dev, PacketPtr p);
// dev_queue_xmit: a device that is down drops; otherwise its ndo_start_xmit runs.
void dev_queue_xmit(Device& dev, PacketPtr p);
// kfree_skb_reason: the one place a packet is dropped, and the trace point that says why.
void kfree_skb_reason(Netns& ns, const Device* dev, PacketPtr p, DropReason reason, const char* function);

}  // namespace ol::kernel
