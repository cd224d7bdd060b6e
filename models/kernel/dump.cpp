#include "models/kernel/dump.h"

#include <iterator>
#include <string_view>

#include <fmt/format.h>

#include "models/kernel/devices/bridge.h"
#include "models/kernel/devices/tun.h"
#include "models/kernel/devices/veth.h"
#include "models/kernel/devices/vxlan.h"
#include "models/kernel/netns.h"
#include "models/kernel/qdisc.h"

namespace ol::kernel {

namespace {

// The table lines are appended to one string, with no temporary per line: a 5,000-node cluster
// prints 75 million of them.
void append_decimal(std::string& s, std::int64_t v) { fmt::format_to(std::back_inserter(s), "{}", v); }

// A route's line is its head, " dev NAME", its tail and then the device's state; a shared
// route's head and tail are printed once for the World (SharedEntries::append_printed).
void append_route_head(std::string& s, const Route& r, bool show_type) {
  if (show_type || r.type != RouteType::Unicast)
    s += r.type == RouteType::Local ? "local " : r.type == RouteType::Broadcast ? "broadcast " : "";
  if (r.dst.len == 0) {
    s += "default";
  } else {
    r.dst.addr.append_to(s);
    if (r.dst.len != 32) s += '/', append_decimal(s, r.dst.len);
  }
  if (r.gw) s += " via ", r.gw->append_to(s);
}

void append_route_tail(std::string& s, const Route& r) {
  if (r.proto == RouteProto::Kernel) s += " proto kernel";
  if (r.scope == Scope::Link) s += " scope link";
  if (r.scope == Scope::Host) s += " scope host";
  if (r.prefsrc) s += " src ", r.prefsrc->append_to(s);
  if (r.metric) s += " metric ", append_decimal(s, r.metric);
  if (r.onlink) s += " onlink";
}

void append_linkdown(std::string& s, const Route& r) {
  if (r.dev && r.type != RouteType::Local && r.dev->admin_up && !r.dev->carrier()) s += " linkdown";
}

void append_route(std::string& s, const Route& r, bool show_type) {
  append_route_head(s, r, show_type);
  if (r.dev) s += " dev ", s += r.dev->name;
  append_route_tail(s, r);
  append_linkdown(s, r);
}

void append_neigh_tail(std::string& s, const NeighView& n) {
  if (n.lladdr && n.state != Nud::Incomplete && n.state != Nud::Failed && n.state != Nud::None)
    s += " lladdr ", n.lladdr->append_to(s);
  s += " ";
  s += nud_name(n.state);
}

void append_neigh(std::string& s, const NeighView& n) {
  n.ip.append_to(s);
  s += " dev ";
  s += n.dev->name;
  append_neigh_tail(s, n);
}

void append_bridge_fdb(std::string& s, const FdbEntry& e, const Device& bridge) {
  e.mac.append_to(s);
  s += " dev ", s += e.port->name;
  s += " master ", s += bridge.name;
  if (e.is_local || e.is_static) s += " permanent";
}

void append_vxlan_fdb_tail(std::string& s, const VxlanFdbEntry& e, std::size_t remote) {
  s += " dst ";
  e.remotes[remote].append_to(s);
  s += e.permanent ? " self permanent" : " self";
}

void append_vxlan_fdb(std::string& s, const VxlanFdbEntry& e, const Device& vxlan) {
  for (std::size_t i = 0; i < e.remotes.size(); ++i) {
    if (i) s += "\n";
    e.mac.append_to(s);
    s += " dev ";
    s += vxlan.name;
    append_vxlan_fdb_tail(s, e, i);
  }
}

}  // namespace

std::string format_route(const Route& r, bool show_type) {
  std::string s;
  append_route(s, r, show_type);
  return s;
}

std::string format_neigh(const Neighbour& n) {
  std::string s;
  append_neigh(s, view_of(n));
  return s;
}

std::string format_bridge_fdb(const FdbEntry& e, const Device& bridge) {
  std::string s;
  append_bridge_fdb(s, e, bridge);
  return s;
}

std::string format_vxlan_fdb(const VxlanFdbEntry& e, const Device& vxlan) {
  std::string s;
  append_vxlan_fdb(s, e, vxlan);
  return s;
}

namespace {

const VethDevice* as_veth(const Device& d) {
  return d.kind == DevKind::Veth ? static_cast<const VethDevice*>(&d) : nullptr;
}

// operstate as the kernel computes it (default_operstate / rfc2863 states).
const char* operstate(const Device& d) {
  if (!d.admin_up) return "DOWN";
  if (d.kind == DevKind::Loopback || d.kind == DevKind::Vxlan) return "UNKNOWN";
  // A TUN with its reader attached has carrier and is UP (kernel 6.18 here; validate compared).
  if (d.kind == DevKind::Tun) return d.carrier() ? "UP" : "DOWN";
  if (d.carrier()) return "UP";
  if (auto* v = as_veth(d); v && v->peer) {
    // LOWERLAYERDOWN when the peer's ifindex names a device in *this* namespace (as the kernel does).
    if (v->peer->ifindex != d.ifindex && d.netns->dev_by_index(v->peer->ifindex)) return "LOWERLAYERDOWN";
  }
  return "DOWN";
}

void append_flags(std::string& s, const Device& d, const char* state) {
  bool first = true;
  auto flag = [&](const char* f) { s += first ? "<" : ",", s += f, first = false; };
  if (d.admin_up && !d.carrier() && d.kind != DevKind::Loopback) flag("NO-CARRIER");
  if (d.kind == DevKind::Loopback) flag("LOOPBACK");
  else if (d.kind == DevKind::Tun) flag("POINTOPOINT"), flag("MULTICAST"), flag("NOARP");
  else flag("BROADCAST"), flag("MULTICAST");
  if (d.admin_up) flag("UP");
  if (d.running()) flag("LOWER_UP");
  if (std::string_view(state) == "LOWERLAYERDOWN") flag("M-DOWN");
  s += '>';
}

const char* qdisc(const Device& d) {
  if (d.qdisc) return d.qdisc->kind();
  if (!d.admin_up) return "noop";
  return d.kind == DevKind::Tun ? "pfifo_fast" : "noqueue";
}

// A device's first two lines in `ip link` (mode) or `ip addr`, appended with no temporary: a
// 150,000-pod cluster prints a million of them.
void append_link_head(std::string& s, const Device& d, bool mode) {
  append_decimal(s, d.ifindex);
  s += ": ";
  s += d.name;
  const VethDevice* v = as_veth(d);
  const bool peer_elsewhere = v && v->peer && v->peer->netns != d.netns;
  if (v && v->peer) {
    if (peer_elsewhere) s += "@if", append_decimal(s, v->peer->ifindex);
    else s += '@', s += v->peer->name;
  }
  s += ": ";
  const char* state = operstate(d);
  append_flags(s, d, state);
  s += " mtu ", append_decimal(s, d.mtu);
  s += " qdisc ", s += qdisc(d);
  if (d.master) s += " master ", s += static_cast<const Device*>(d.master)->name;
  s += " state ", s += state;
  if (mode) s += " mode DEFAULT";
  s += " group default";
  if (d.txqueuelen) s += " qlen ", append_decimal(s, d.txqueuelen);
  if (d.kind == DevKind::Loopback) s += "\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00";
  else if (d.kind == DevKind::Tun) s += "\n    link/none";
  else {
    s += "\n    link/ether ", d.mac.append_to(s), s += " brd ff:ff:ff:ff:ff:ff";
    if (peer_elsewhere) s += " link-netns ", s += v->peer->netns->name;
  }
}

void append_links(std::string& s, const Netns& ns) {
  for (auto& d : ns.devices()) append_link_head(s, *d, true), s += '\n';
}

void append_addrs(std::string& s, const Netns& ns) {
  for (auto& d : ns.devices()) {
    append_link_head(s, *d, false), s += '\n';
    for (const IfAddr& a : d->addrs) {
      s += "    inet " + a.local.str();
      if (a.broadcast) s += " brd " + a.broadcast->str();
      s += fmt::format(" scope {} {}\n", a.local.addr.is_loopback() ? "host" : "global", d->name);
      s += "       valid_lft forever preferred_lft forever\n";
    }
  }
}

void append_routes(std::string& s, const FibTable& table, bool show_type) {
  std::vector<std::uint32_t> ids;
  const std::vector<Route> routes = table.dump(&ids);
  for (std::size_t i = 0; i < routes.size(); ++i) {
    const Route& r = routes[i];
    if (ids[i] == RoutePool::kNone || !r.dev) {
      append_route(s, r, show_type);
    } else {
      table.pool()->append_printed(s, ids[i], r.dev->name, [&](std::string& head, std::string& tail) {
        append_route_head(head, r, show_type), head += " dev ";
        append_route_tail(tail, r);
      });
      append_linkdown(s, r);
    }
    s += '\n';
  }
}

void append_neighs(std::string& s, const Netns& ns) {
  for (const NeighView& n : ns.neigh.dump()) {
    if (n.shared_id == NeighPool::kNone) append_neigh(s, n);
    else
      ns.neigh.pool().append_printed(s, n.shared_id, n.dev->name, [&](std::string& head, std::string& tail) {
        n.ip.append_to(head), head += " dev ";
        append_neigh_tail(tail, n);
      });
    s += '\n';
  }
}

void append_vxlan_fdbs(std::string& s, const VxlanDevice& vx) {
  std::vector<std::uint32_t> ids;
  const auto entries = vx.fdb.dump(&ids);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const VxlanFdbEntry& e = *entries[i];
    if (ids[i] == VxlanFdbPool::kNone || e.remotes.size() != 1) append_vxlan_fdb(s, e, vx);
    else
      vx.fdb.pool().append_printed(s, ids[i], vx.name, [&](std::string& head, std::string& tail) {
        e.mac.append_to(head), head += " dev ";
        append_vxlan_fdb_tail(tail, e, 0);
      });
    s += '\n';
  }
}

void append_fdb(std::string& s, const Netns& ns) {
  for (auto& d : ns.devices()) {
    if (d->kind == DevKind::Bridge) {
      auto& br = static_cast<const BridgeDevice&>(*d);
      const auto entries = br.fdb.dump(ns.now());
      // Ports' entries first, in port order, then the bridge's own (as `bridge fdb` lists by device).
      for (const Device* port : br.ports)
        for (const FdbEntry* e : entries)
          if (e->port == port) append_bridge_fdb(s, *e, br), s += '\n';
      for (const FdbEntry* e : entries)
        if (e->port == &br) append_bridge_fdb(s, *e, br), s += '\n';
    } else if (d->kind == DevKind::Vxlan) {
      append_vxlan_fdbs(s, static_cast<const VxlanDevice&>(*d));
    }
  }
}

template <typename Append>
std::string dumped(const Netns& ns, Append append) {
  std::string s;
  append(s, ns);
  return s;
}

}  // namespace

std::string dump_links(const Netns& ns) { return dumped(ns, append_links); }
std::string dump_addrs(const Netns& ns) { return dumped(ns, append_addrs); }
std::string dump_routes(const Netns& ns) {
  return dumped(ns, [](std::string& s, const Netns& n) { append_routes(s, n.main_table, false); });
}
std::string dump_local_routes(const Netns& ns) {
  return dumped(ns, [](std::string& s, const Netns& n) { append_routes(s, n.local_table, true); });
}
std::string dump_neigh(const Netns& ns) { return dumped(ns, append_neighs); }
std::string dump_fdb(const Netns& ns) { return dumped(ns, append_fdb); }

std::string dump_all(const Netns& ns) {
  std::string s;
  // Reserved once rather than grown by doubling: a peer's route line (~60 characters) comes with its
  // neighbour and FDB lines in vxlan mode, so about three lines per main-table route.
  s.reserve(1024 + 180 * ns.main_table.size() + 60 * ns.local_table.size());
  s += "## ip link\n";
  append_links(s, ns);
  s += "## ip addr\n";
  append_addrs(s, ns);
  s += "## ip route\n";
  append_routes(s, ns.main_table, false);
  s += "## ip route show table local\n";
  append_routes(s, ns.local_table, true);
  s += "## ip neigh\n";
  append_neighs(s, ns);
  s += "## bridge fdb\n";
  append_fdb(s, ns);
  return s;
}

}  // namespace ol::kernel
