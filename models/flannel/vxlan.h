#pragma once
#include "models/flannel/backend.h"

namespace ol::flannel {

class VxlanNetwork final : public BackendNetwork {
 public:
  // Outer IPv4 20 + UDP 8 + VXLAN 8 + the inner Ethernet header 14.
  static constexpr int kOverhead = 50;

  explicit VxlanNetwork(BackendContext ctx);
  void setup(const Ipv4Prefix& lease, netconfig::NetConfig& out) override;
  nlohmann::json backend_data() const override;
  // Backend.MTU is the underlay MTU to assume (default eth0's); the device gets it minus 50
  // (pkg/backend/vxlan/device.go: MTU: devAttrs.MTU - 50).
  int mtu() const override { return ctx_.conf->mtu.value_or(ctx_.ext_mtu) - kOverhead; }
  void add_peer(const Lease& peer, netconfig::NetConfig& out) override;
  void remove_peer(const Lease& peer, netconfig::NetConfig& out) override;
  const char* origin() const override { return "flanneld vxlan backend"; }
  int requests_per_event() const override { return 3; }

 private:
  bool direct(const Lease& peer) const;
  void create_device(netconfig::NetConfig& out);
  BackendContext ctx_;
  std::string dev_;
};

}  // namespace ol::flannel
