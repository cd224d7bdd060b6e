#include "models/kernel/tracing.h"

#include "models/kernel/cpu_work.h"
#include "models/kernel/device.h"
#include "models/kernel/netns.h"
#include "models/kernel/packet.h"

namespace ol::kernel {

void Tracing::trace(const Packet& p, const Netns& ns, const Device* dev, const char* function, std::string verdict,
                    std::string table, std::string entry, std::string crossing) {
  if (!sink) return;
  TraceEvent e;
  e.time = work_.now();
  e.packet = p.id;
  e.node = ns.node;
  e.netns = ns.name;
  e.device = dev ? dev->name : "";
  e.function = function;
  e.table = std::move(table);
  e.entry = std::move(entry);
  e.verdict = std::move(verdict);
  e.headers = describe_headers(p);
  e.size = p.size();
  e.crossing = std::move(crossing);
  if (capture_frames) {
    const wire::Bytes b = p.bytes();
    e.frame.assign(b.begin(), b.end());
    e.frame_at_l3 = p.at_l3;
  }
  sink->record(std::move(e));
}

}  // namespace ol::kernel
