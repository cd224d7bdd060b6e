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
  int requests_per_event() const override { return 1; }

  struct OwnedRoute {
    Ipv4Prefix dst;
    wire::Ipv4Addr gw;
    bool operator==(const OwnedRoute&) const = default;
  };
  const std::vector<OwnedRoute>& routes();  // by destination, then gateway

 private:
  netconfig::RouteOp route_op(netconfig::Verb verb, const OwnedRoute& r) const;
  void remember(const OwnedRoute& r);
  void forget(const OwnedRoute& r);  // every copy of it
  void compact();
  BackendContext ctx_;
  // RouteNetwork.routes: every route it was asked for, added or not. flannel's addToRouteList
  // scans the slice to skip a route it holds; here a repeat (a renewed lease heard again) is
  // appended and the list compacted (sorted, repeats dropped) whenever it has doubled, so a
  // 5,000-node cluster does not spend its time scanning, and the list stays 12 bytes a route.
  std::vector<OwnedRoute> routes_;
  std::size_t compacted_ = 0;  // the list's size after the last compaction
  std::size_t sorted_ = 0;     // routes_[0, sorted_) is in order, without repeats
};

}  // namespace ol::flannel
