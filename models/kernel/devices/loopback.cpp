#include "models/kernel/devices/loopback.h"

#include "models/kernel/netns.h"
#include "models/kernel/world.h"

namespace ol::kernel {

LoopbackDevice::LoopbackDevice(Netns& ns) : Device(ns, "lo", DevKind::Loopback) { mtu = 65536; }

void LoopbackDevice::start_xmit(PacketPtr p) {
  if (p->traced) netns->world.trace(*p, *netns, this, "loopback_xmit", "loop back");
  netns->world.netif_rx(*this, std::move(p), netns->now());
}

}  // namespace ol::kernel
