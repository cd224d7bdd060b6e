#include "models/kernel/drop.h"

#include <array>
#include <string>

#include "models/kernel/netns.h"
#include "models/kernel/tracing.h"

namespace ol::kernel {

namespace {
constexpr std::array<const char*, std::size_t(DropReason::kCount)> kNames = {
#define OL_DROP_NAME(name, kernel) "SKB_DROP_REASON_" #kernel,
    OL_DROP_REASONS(OL_DROP_NAME)
#undef OL_DROP_NAME
};
}  // namespace

const char* drop_reason_name(DropReason r) {
  const auto i = std::size_t(r);
  return i < kNames.size() ? kNames[i] : "SKB_DROP_REASON_NOT_SPECIFIED";
}

void kfree_skb_reason(Netns& ns, const Device* dev, PacketPtr p, DropReason reason, const char* function) {
  ++ns.tracing.drops[std::size_t(reason)];
  if (p->traced) ns.tracing.trace(*p, ns, dev, function, std::string("drop ") + drop_reason_name(reason));
}

}  // namespace ol::kernel
