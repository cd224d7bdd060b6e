#include "validate/prefix.h"

#include <fmt/format.h>
#include <unistd.h>

namespace ol::validate {

namespace nc = netconfig;

std::string run_prefix() { return fmt::format("{}{:x}-", kPrefixBase, unsigned(::getpid())); }

nc::Op with_prefix(nc::Op op, const std::string& prefix) {
  std::visit(
      [&](auto& o) {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, nc::NetnsAdd> || std::is_same_v<T, nc::NetnsDel>) {
          o.name = prefix + o.name;
        } else {
          o.netns = prefix + o.netns;
          if constexpr (std::is_same_v<T, nc::LinkAdd>)
            if (o.peer && !o.peer->netns.empty()) o.peer->netns = prefix + o.peer->netns;
          if constexpr (std::is_same_v<T, nc::LinkSet>)
            if (o.to_netns) *o.to_netns = prefix + *o.to_netns;
        }
      },
      op);
  return op;
}

}  // namespace ol::validate
