#include "runner/table_rows.h"

#include "models/kernel/dump.h"
#include "runner/lines.h"

namespace ol::runner {

std::vector<TableDump> table_rows(const kernel::Netns& ns) {
  const std::pair<const char*, std::string> dumps[] = {
      {"ip link", kernel::dump_links(ns)},   {"ip addr", kernel::dump_addrs(ns)},
      {"ip route", kernel::dump_routes(ns)}, {"ip route show table local", kernel::dump_local_routes(ns)},
      {"ip neigh", kernel::dump_neigh(ns)},  {"bridge fdb", kernel::dump_fdb(ns)}};
  std::vector<TableDump> out;
  for (const auto& [title, text] : dumps) {
    TableDump t{title, {}};
    const bool addr = t.title == "ip addr";
    for (const auto& line : lines_of(text)) {
      if (line.starts_with("    ") && !t.rows.empty() && !addr) {
        t.rows.back() += "\n" + line;  // a link's second line belongs to it
        continue;
      }
      if (addr && !line.starts_with("    inet ")) continue;  // addresses only
      t.rows.push_back(addr ? line.substr(4) : line);
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace ol::runner
