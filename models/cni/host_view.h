// What a CNI plugin asks the kernel before acting (does cni0 exist? which addresses has it?).
// The cluster answers from the simulated kernel; validate/ would answer from the real one.
#pragma once
#include <string>
#include <vector>

#include "models/wire/addr.h"

namespace ol::cni {

class HostView {
 public:
  virtual ~HostView() = default;
  virtual bool link_exists(const std::string& netns, const std::string& dev) const = 0;
  virtual std::vector<wire::Ipv4Prefix> addresses(const std::string& netns, const std::string& dev) const = 0;
};

}  // namespace ol::cni
