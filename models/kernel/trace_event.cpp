#include "models/kernel/trace_event.h"

#include <fmt/format.h>

namespace ol {

std::string format_trace_line(const TraceEvent& e) {
  std::string where = e.node == e.netns || e.node.empty() ? e.netns : e.node + "/" + e.netns;
  std::string line = fmt::format("{:>12.3f}us  {:<14} {:<11} {:<22}", double(e.time) / 1000.0, where,
                                 e.device, e.function);
  if (!e.table.empty()) line += fmt::format(" [{}] {}", e.table, e.entry.empty() ? "(no match)" : e.entry);
  if (!e.crossing.empty()) line += " <" + e.crossing + ">";
  line += " => " + e.verdict;
  if (!e.headers.empty()) line += fmt::format("  | {} ({} B)", e.headers, e.size);
  return line;
}

}  // namespace ol
