// Tables and devices printed the way iproute2 6.1 prints them, so the same text feeds the CLI, the
// trace's "matched entry", the GUI and the tests. (iproute2 ends route lines with a space; we do not.)
#pragma once
#include <string>

#include "models/kernel/tables/bridge_fdb.h"
#include "models/kernel/tables/fib.h"
#include "models/kernel/tables/neigh.h"
#include "models/kernel/tables/vxlan_fdb.h"

namespace ol::kernel {

class Device;
class Netns;

std::string format_route(const Route& r, bool show_type);  // `ip route` / `ip route show table local`
std::string format_neigh(const Neighbour& n);              // `ip neigh`
std::string format_bridge_fdb(const FdbEntry& e, const Device& bridge);  // `bridge fdb`
std::string format_vxlan_fdb(const VxlanFdbEntry& e, const Device& vxlan);

std::string dump_links(const Netns& ns);   // `ip link`
std::string dump_addrs(const Netns& ns);   // `ip addr`
std::string dump_routes(const Netns& ns);  // `ip route` (main table)
std::string dump_local_routes(const Netns& ns);  // `ip route show table local`
std::string dump_neigh(const Netns& ns);   // `ip neigh`
std::string dump_fdb(const Netns& ns);     // `bridge fdb` (entries overlaylab models: no multicast)
// Every table of the namespace under "## ip link" style headings.
std::string dump_all(const Netns& ns);

}  // namespace ol::kernel
