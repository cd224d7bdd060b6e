// The loopback CNI plugin: ADD sets `lo` up in the pod, DEL sets it down.
#pragma once
#include <string>

#include "models/netconfig/ops.h"

namespace ol::cni {

void loopback_add(const std::string& netns, netconfig::NetConfig& out);
void loopback_del(const std::string& netns, netconfig::NetConfig& out);

}  // namespace ol::cni
