// Real namespaces get a per-run prefix so that a validation run never meets anything it did not
// create: "olv<pid hex>-node-1". Only namespace names change; interface names live inside them.
#pragma once
#include <string>

#include "models/netconfig/ops.h"

namespace ol::validate {

inline constexpr const char* kPrefixBase = "olv";  // every namespace overlaylab validate creates starts so

std::string run_prefix();  // "olv" + this process's id in hex + "-"
netconfig::Op with_prefix(netconfig::Op op, const std::string& prefix);

}  // namespace ol::validate
