#pragma once
#include "models/flannel/backend.h"

namespace ol::flannel {

class UdpNetwork final : public BackendNetwork {
 public:
  static constexpr int kOverhead = 28;  // outer IPv4 20 + UDP 8: the TUN carries bare IP packets
  static constexpr std::uint16_t kDefaultPort = 8285;

  explicit UdpNetwork(BackendContext ctx) : ctx_(std::move(ctx)) {}
  void setup(const Ipv4Prefix& lease, netconfig::NetConfig& out) override;
  int mtu() const override { return ctx_.ext_mtu - kOverhead; }  // Backend.MTU is ignored: always eth0's minus 28
  void add_peer(const Lease& peer, netconfig::NetConfig& out) override;
  void remove_peer(const Lease& peer, netconfig::NetConfig& out) override;
  const char* origin() const override { return "flanneld udp backend"; }
  std::uint16_t port() const { return ctx_.conf->port.value_or(kDefaultPort); }

 private:
  BackendContext ctx_;
};

}  // namespace ol::flannel
