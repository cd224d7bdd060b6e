#include "models/flannel/backend.h"

#include "models/flannel/host_gw.h"
#include "models/flannel/udp.h"
#include "models/flannel/vxlan.h"

namespace ol::flannel {

std::unique_ptr<BackendNetwork> make_backend(Backend kind, BackendContext ctx) {
  switch (kind) {
    case Backend::HostGw: return std::make_unique<HostGwNetwork>(std::move(ctx));
    case Backend::Udp: return std::make_unique<UdpNetwork>(std::move(ctx));
    case Backend::Vxlan: return std::make_unique<VxlanNetwork>(std::move(ctx));
  }
  return nullptr;
}

}  // namespace ol::flannel
