// libFuzzer: an ip/bridge/sysctl script, parsed and then applied to a fresh simulated kernel. Each
// line is refused with the parser's or the kernel's words, or taken; nothing else may happen.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "models/kernel/apply.h"
#include "models/netconfig/parse.h"
#include "sim/simulator.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;  // a script of a few dozen lines is enough to reach every verb
  ol::netconfig::NetConfig cfg;
  try {
    cfg = ol::netconfig::parse_script(std::string_view(reinterpret_cast<const char*>(data), size), "<fuzz>");
  } catch (const ol::netconfig::ParseError&) {
    return 0;
  }
  ol::Simulator sim;
  ol::kernel::World world(sim);
  for (const auto& c : cfg.commands) {
    try {
      ol::kernel::apply(world, c.op);
    } catch (const ol::kernel::ConfigError&) {
    }
  }
  return 0;
}
