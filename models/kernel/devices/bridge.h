// A Linux bridge (net/bridge/): br_handle_frame learns the source MAC, then the frame is delivered
// up (the bridge's own MAC), forwarded to the learnt port, or flooded (broadcast, unknown unicast).
#pragma once
#include <vector>

#include "models/kernel/device.h"
#include "models/kernel/tables/bridge_fdb.h"

namespace ol::kernel {

class BridgeDevice final : public Device {
 public:
  BridgeDevice(Netns& ns, std::string name) : Device(ns, std::move(name), DevKind::Bridge) {}

  void start_xmit(PacketPtr p) override;  // br_dev_xmit: the host sends through the bridge
  bool carrier() const override;          // up while any port is running

  void br_add_if(Device& port);
  void br_del_if(Device& port);
  void br_handle_frame(Device& port, PacketPtr p);  // the rx_handler of every port
  void mtu_auto_adjust();                           // br_mtu_auto_adjust

  BridgeFdb fdb;
  std::vector<Device*> ports;
  bool mtu_set_explicitly = false;

 private:
  void br_handle_frame_finish(Device& in, PacketPtr p);
  void br_forward(Device& to, PacketPtr p, const Device* from);
  void br_flood(PacketPtr p, const Device* from, bool local_rcv);
  void br_pass_frame_up(PacketPtr p);
  std::string fdb_line(const FdbEntry& e) const;
};

}  // namespace ol::kernel
