// Reads a real namespace's tables back with the same tools a person uses (ip link, ip -4 addr,
// ip route, ip route show table local, ip -4 neigh, bridge fdb), normalises the few things that
// legitimately differ, and compares them entry by entry with the simulated namespace's.
// Normalisation, and only this: the run's prefix in `link-netns` names; trailing spaces
// (iproute2 ends route lines with one); IPv6 (overlaylab models IPv4); the multicast FDB entries
// the kernel adds by itself to every device (33:33:…, 01:00:5e:… "self permanent"); and, when the
// kernel has no netem, the qdisc word of `ip link`; and a bridge's learnt entry for the MAC of the
// device behind a port (learnt from the kernel's own IPv6 messages, which overlaylab leaves out).
#pragma once
#include <string>
#include <vector>

namespace ol::kernel {
class Netns;
}

namespace ol::validate {

struct TableDifference {
  std::string netns, table;
  std::string sim, kernel;  // the entry, on the side that has it; the other side is empty
};

std::vector<TableDifference> diff_tables(const kernel::Netns& sim, const std::string& prefix, bool ignore_qdisc);

}  // namespace ol::validate
