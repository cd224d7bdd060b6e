// A configuration the kernel refuses, with the message Linux's tools print for it.
#pragma once
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace ol::kernel {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace ol::kernel
