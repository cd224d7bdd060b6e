#include "models/flannel/net_conf.h"

namespace ol::flannel {

const char* backend_name(Backend b) {
  switch (b) {
    case Backend::HostGw: return "host-gw";
    case Backend::Udp: return "udp";
    case Backend::Vxlan: return "vxlan";
  }
  return "?";
}

std::optional<Backend> parse_backend(std::string_view s) {
  if (s == "host-gw" || s == "underlay") return Backend::HostGw;
  if (s == "udp") return Backend::Udp;
  if (s == "vxlan") return Backend::Vxlan;
  return std::nullopt;
}

}  // namespace ol::flannel
