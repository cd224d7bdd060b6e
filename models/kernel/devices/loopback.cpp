#include "models/kernel/devices/loopback.h"

#include "models/kernel/dev.h"
#include "models/kernel/netns.h"
#include "models/kernel/tracing.h"

namespace ol::kernel {

LoopbackDevice::LoopbackDevice(Netns& ns) : Device(ns, "lo", DevKind::Loopback) { mtu = 65536; }

void LoopbackDevice::start_xmit(PacketPtr p) {
  if (p->traced) netns->tracing.trace(*p, *netns, this, "loopback_xmit", "loop back");
  netns->softnet.netif_rx(*this, std::move(p), netns->now());
}

}  // namespace ol::kernel
