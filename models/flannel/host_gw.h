#pragma once
#include <vector>

#include "models/flannel/backend.h"
#include "sim/time.h"

namespace ol::flannel {

class HostGwNetwork final : public BackendNetwork {
 public:
  explicit HostGwNetwork(BackendContext ctx) : ctx_(std::move(ctx)) {}
  void setup(const Ipv4Prefix& lease, netconfig::NetConfig& out) override;
  int mtu() const override { return ctx_.ext_mtu; }  // no overhead; Backend.MTU is ignored
  void add_peer(const Lease& peer, netconfig::NetConfig& out) override;
  void remove_peer(const Lease& peer, netconfig::NetConfig& out) override;
  const char* origin() const override { return "flanneld host-gw backend"; }
  void check_routes(netconfig::NetConfig& out) override;
  bool checks_routes() const override { return true; }

  struct OwnedRoute {
    Ipv4Prefix dst;
    wire::Ipv4Addr gw;
    bool operator==(const OwnedRoute&) const = default;
  };
  const std::vector<OwnedRoute>& routes() const { return routes_; }

 private:
  netconfig::RouteOp route_op(netconfig::Verb verb, const OwnedRoute& r) const;
  BackendContext ctx_;
  std::vector<OwnedRoute> routes_;  // RouteNetwork.routes: every route it was asked for, added or not
};

}  // namespace ol::flannel
