// The names and MACs the real plugins pick at random (container IDs, `veth` + 8 hex digits, MACs),
// drawn instead from the scenario seed and the pod's name, so two runs name everything alike and
// adding a pod never renames another.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "models/wire/addr.h"

namespace ol::cni {

class Naming {
 public:
  explicit Naming(std::uint64_t seed) : seed_(seed) {}
  std::string container_id(std::string_view pod) const;      // 64 hex digits, like containerd's
  std::string host_veth(std::string_view container_id) const;  // ip.RandomVethName: "veth" + 8 hex
  // A locally administered unicast MAC for `what` ("eth0 of pod-a1", "cni0 of node-1", …).
  wire::MacAddr mac(std::string_view what) const;

 private:
  std::uint64_t hash(std::string_view s, std::uint64_t salt) const;
  std::uint64_t seed_;
};

}  // namespace ol::cni
