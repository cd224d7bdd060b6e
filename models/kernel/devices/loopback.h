// lo (drivers/net/loopback.c): what is sent comes straight back in. Routes to local addresses use it.
#pragma once
#include "models/kernel/device.h"

namespace ol::kernel {

class LoopbackDevice final : public Device {
 public:
  explicit LoopbackDevice(Netns& ns);
  void start_xmit(PacketPtr p) override;  // loopback_xmit
};

}  // namespace ol::kernel
