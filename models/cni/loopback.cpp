#include "models/cni/loopback.h"

namespace ol::cni {

void loopback_add(const std::string& netns, netconfig::NetConfig& out) {
  out.add(netconfig::LinkSet{.netns = netns, .dev = "lo", .up = true}, "CNI loopback");
}

void loopback_del(const std::string& netns, netconfig::NetConfig& out) {
  out.add(netconfig::LinkSet{.netns = netns, .dev = "lo", .up = false}, "CNI loopback");
}

}  // namespace ol::cni
