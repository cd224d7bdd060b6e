// veth (drivers/net/veth.c): a pair of devices; what one end transmits, the peer receives. A netem
// qdisc on the sending end shapes the "cable" (how overlaylab builds an underlay link).
#pragma once
#include "models/kernel/device.h"

namespace ol::kernel {

class VethDevice final : public Device {
 public:
  VethDevice(Netns& ns, std::string name) : Device(ns, std::move(name), DevKind::Veth) {}
  ~VethDevice() override;
  static void pair(VethDevice& a, VethDevice& b) { a.peer = &b; b.peer = &a; }

  void start_xmit(PacketPtr p) override;  // veth_xmit
  bool carrier() const override { return admin_up && peer && peer->admin_up; }

  VethDevice* peer = nullptr;
};

}  // namespace ol::kernel
