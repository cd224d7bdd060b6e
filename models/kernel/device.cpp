#include "models/kernel/device.h"

#include "models/kernel/qdisc.h"
#include "models/kernel/netns.h"

namespace ol::kernel {

Device::Device(Netns& ns, std::string n, DevKind k) : netns(&ns), kind(k), name(std::move(n)) {}
Device::~Device() = default;

const char* dev_kind_name(DevKind k) {
  switch (k) {
    case DevKind::Loopback: return "loopback";
    case DevKind::Veth: return "veth";
    case DevKind::Bridge: return "bridge";
    case DevKind::Tun: return "tun";
    case DevKind::Vxlan: return "vxlan";
  }
  return "?";
}

}  // namespace ol::kernel
