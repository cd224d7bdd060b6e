#include "validate/table_diff.h"

#include <algorithm>
#include <functional>
#include <sstream>

#include "models/kernel/devices/bridge.h"
#include "models/kernel/devices/veth.h"
#include "models/kernel/dump.h"
#include "models/kernel/netns.h"
#include "validate/exec.h"

namespace ol::validate {

namespace {

std::vector<std::string> lines_of(const std::string& text, const std::function<bool(const std::string&)>& keep,
                                  const std::function<std::string(std::string)>& fix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line.empty() || !keep(line)) continue;
    out.push_back(fix(line));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
  return s;
}

std::string without_qdisc(std::string s) {
  const auto at = s.find(" qdisc ");
  if (at == std::string::npos) return s;
  const auto end = s.find(' ', at + 7);
  return s.erase(at, end - at);
}

// The kernel's own multicast entries on each device: IPv6 all-nodes and solicited-node groups,
// IPv4 all-hosts (and other groups the kernel joins): 33:33:… and 01:00:5e:…, "self permanent".
bool automatic_fdb(const std::string& line) {
  return (line.rfind("33:33:", 0) == 0 || line.rfind("01:00:5e:", 0) == 0) && line.find(" self permanent") != std::string::npos;
}

// A bridge learns the MAC of the device behind each port from that device's first frames; in a
// real kernel those are IPv6 neighbour and multicast-listener messages sent when it comes up,
// which overlaylab does not model. Such an entry (the port's veth peer's own MAC, learnt, not
// permanent) is recognised as that and left out.
std::vector<std::string> learnt_from_ipv6(const kernel::Netns& ns) {
  std::vector<std::string> out;
  for (const auto& d : ns.devices())
    if (d->master && d->kind == kernel::DevKind::Veth)
      if (const auto* peer = static_cast<const kernel::VethDevice&>(*d).peer)
        out.push_back(peer->mac.str() + " dev " + d->name + " master " + d->master->name);
  return out;
}

}  // namespace

std::vector<TableDifference> diff_tables(const kernel::Netns& sim, const std::string& prefix, bool ignore_qdisc) {
  const std::string real = prefix + sim.name;
  const auto any = [](const std::string&) { return true; };
  const auto same = [](std::string s) { return s; };
  const auto unprefix = [&](std::string s) {
    s = replace_all(std::move(s), "link-netns " + prefix, "link-netns ");
    return ignore_qdisc ? without_qdisc(std::move(s)) : s;
  };
  const auto inet = [](const std::string& s) { return s.rfind("    inet ", 0) == 0; };
  const auto not_valid_lft = [](const std::string& s) { return s.find("valid_lft") == std::string::npos; };
  struct Table {
    const char* name;
    std::vector<std::string> args;
    std::string sim_text;
    std::function<bool(const std::string&)> keep;
    std::function<std::string(std::string)> fix;
  };
  const std::vector<Table> tables = {
      {"ip link", {"ip", "-n", real, "link"}, kernel::dump_links(sim), any, unprefix},
      {"ip addr", {"ip", "-4", "-n", real, "addr"}, kernel::dump_addrs(sim), inet, same},
      {"ip route", {"ip", "-n", real, "route"}, kernel::dump_routes(sim), any, same},
      {"ip route show table local", {"ip", "-n", real, "route", "show", "table", "local"}, kernel::dump_local_routes(sim), any, same},
      {"ip neigh", {"ip", "-4", "-n", real, "neigh"}, kernel::dump_neigh(sim), any, same},
      {"bridge fdb", {"bridge", "-n", real, "fdb", "show"}, kernel::dump_fdb(sim),
       [](const std::string& s) { return !automatic_fdb(s); }, same},
  };
  std::vector<TableDifference> out;
  for (const auto& t : tables) {
    const ExecResult r = run_argv(t.args);
    const auto want = lines_of(t.sim_text, [&](const std::string& s) { return t.keep(s) && not_valid_lft(s); }, t.fix);
    const auto have = lines_of(r.status == 0 ? r.out : "", [&](const std::string& s) { return t.keep(s) && not_valid_lft(s); }, t.fix);
    std::vector<std::string> only_sim, only_real;
    std::set_difference(want.begin(), want.end(), have.begin(), have.end(), std::back_inserter(only_sim));
    std::set_difference(have.begin(), have.end(), want.begin(), want.end(), std::back_inserter(only_real));
    for (const auto& s : only_sim) out.push_back({sim.name, t.name, s, ""});
    const auto learnt = std::string(t.name) == "bridge fdb" ? learnt_from_ipv6(sim) : std::vector<std::string>{};
    for (const auto& k : only_real)
      if (std::find(learnt.begin(), learnt.end(), k) == learnt.end()) out.push_back({sim.name, t.name, "", k});
  }
  return out;
}

}  // namespace ol::validate
