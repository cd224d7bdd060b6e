// A namespace's tables as rows, each under the title of the command that prints it ("ip link",
// "ip addr", "ip route", "ip route show table local", "ip neigh", "bridge fdb"): one row per entry
// (a link's second line joined to it, addresses alone), as the inspector lists them.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace ol::kernel {
class Netns;
}

namespace ol::runner {

struct TableDump {
  std::string title;
  std::vector<std::string> rows;
};

std::vector<TableDump> table_rows(const kernel::Netns& ns);

}  // namespace ol::runner
