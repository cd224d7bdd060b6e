#pragma once
#include "models/flannel/backend.h"

namespace ol::flannel {

class HostGwNetwork final : public BackendNetwork {
 public:
  explicit HostGwNetwork(BackendContext ctx) : ctx_(std::move(ctx)) {}
  void setup(const Ipv4Prefix& lease, netconfig::NetConfig& out) override;
  int mtu() const override { return ctx_.ext_mtu; }  // no overhead; Backend.MTU is ignored
  void add_peer(const Lease& peer, netconfig::NetConfig& out) override;
  void remove_peer(const Lease& peer, netconfig::NetConfig& out) override;
  const char* origin() const override { return "flanneld host-gw backend"; }

 private:
  BackendContext ctx_;
};

}  // namespace ol::flannel
