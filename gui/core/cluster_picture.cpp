#include "gui/core/cluster_picture.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "runner/table_rows.h"
#include "models/kernel/device.h"
#include "models/kernel/devices/bridge.h"
#include "models/kernel/devices/veth.h"
#include "models/kernel/netns.h"
#include "models/netconfig/render.h"
#include "models/scenario/load.h"
#include "lab/session.h"
#include "lab/walk.h"

namespace ol::gui {

namespace {

std::string first_word(const std::string& s, std::size_t from = 0) {
  const auto b = s.find_first_not_of(' ', from);
  if (b == std::string::npos) return {};
  return s.substr(b, s.find(' ', b) - b);
}

// The latest logged command in `ns` (any namespace when empty) whose text holds every one of `needles`.
const cluster::LogEntry* find_command(const std::vector<cluster::LogEntry>& log, const std::vector<std::string>& rendered,
                                      const std::string& ns, const std::vector<std::string>& needles) {
  const std::string in_ns1 = " -n " + ns + " ", in_ns2 = " exec " + ns + " ";
  for (std::size_t i = log.size(); i-- > 0;) {
    const std::string& c = rendered[i];
    if (c.empty() || (!ns.empty() && c.find(in_ns1) == std::string::npos && c.find(in_ns2) == std::string::npos)) continue;
    bool all = true;
    for (const auto& n : needles) all = all && c.find(n) != std::string::npos;
    if (all && log[i].refused.empty()) return &log[i];
  }
  return nullptr;
}

// Who made a row: the command found by the row's key, else the kernel's own reason.
TableRow origin_of(const std::string& title, const std::string& row, const std::string& ns, const std::vector<cluster::LogEntry>& log,
                   const std::vector<std::string>& rendered) {
  TableRow r{row, "", ""};
  const cluster::LogEntry* e = nullptr;
  std::string kernel_reason;
  if (title == "ip link") {
    std::string name = first_word(row, row.find(':') + 1);
    name = name.substr(0, name.find_first_of("@:"));
    e = find_command(log, rendered, ns, {" link add " + name + " "});
    if (!e) e = find_command(log, rendered, ns, {" tuntap add " + name});
    if (!e) e = find_command(log, rendered, "", {"peer name " + name + " ", " netns " + ns});  // made elsewhere, its end moved here
    if (!e) e = find_command(log, rendered, ns, {" link set " + name + " netns"});
    kernel_reason = name == "lo" ? "kernel: every namespace has a loopback" : "kernel: moved in by another namespace's command";
  } else if (title == "ip addr") {
    const std::string inet = first_word(row);
    if (inet == "inet") e = find_command(log, rendered, ns, {" addr add " + first_word(row, row.find("inet ") + 5)});
    kernel_reason = "kernel";
  } else if (title.starts_with("ip route")) {
    std::string key = first_word(row);
    const bool typed = key == "local" || key == "broadcast";
    if (typed) key = first_word(row, row.find(' ') + 1);
    if (typed || row.find("proto kernel") != std::string::npos) {
      const std::string dev = first_word(row, row.find(" dev ") + 5);
      e = find_command(log, rendered, ns, {" addr add ", " dev " + dev});
      if (e) r.component = "kernel, for the address of: " + e->origin;
    } else {
      e = find_command(log, rendered, ns, {" route ", " " + key + " "});
      if (!e && key == "default") e = find_command(log, rendered, ns, {" route ", " default "});
    }
    kernel_reason = "kernel";
  } else if (title == "ip neigh") {
    e = find_command(log, rendered, ns, {" neigh ", " " + first_word(row) + " "});
    kernel_reason = "kernel: learnt by ARP (neigh_resolve_output / arp_process)";
  } else {  // bridge fdb
    e = find_command(log, rendered, ns, {" fdb ", first_word(row)});
    kernel_reason = row.find("permanent") != std::string::npos ? "kernel: a port's or the bridge's own address"
                                                                : "kernel: learnt by the bridge (br_fdb_update)";
  }
  if (e) {
    r.command = netconfig::render(*e->op);
    if (r.component.empty()) r.component = e->origin;
  } else {
    r.component = kernel_reason;
  }
  return r;
}

}  // namespace

const NamespacePicture* ClusterPicture::find(const std::string& name) const {
  for (const auto& n : namespaces)
    if (n.name == name) return &n;
  return nullptr;
}

ClusterPicture picture_cluster(const scenario::Scenario& in, scenario::Backend mode, const std::vector<std::string>& edits) {
  scenario::Scenario s = in;
  scenario::override_backend(s, mode);
  cluster::Session session(s);
  session.cluster.converge();
  cluster::apply_edits(session, edits);
  const auto& log = session.cluster.log();
  std::vector<std::string> rendered;
  for (const auto& e : log) rendered.push_back(e.op ? netconfig::render(*e.op) : std::string());
  ClusterPicture pic;
  for (const auto& ns : session.world.namespaces()) {
    NamespacePicture p;
    p.name = ns->name;
    p.node = ns->node;
    p.is_pod = ns->name != ns->node;
    for (const auto& d : ns->devices()) {
      if (d->name == "lo") continue;
      p.devices.push_back(d->name);
      p.kind[d->name] = kernel::dev_kind_name(d->kind);
      if (d->master) p.master[d->name] = d->master->name;
      if (d->kind == kernel::DevKind::Veth)
        if (const auto* peer = static_cast<const kernel::VethDevice&>(*d).peer) p.veth_peer[d->name] = peer->netns->name + "/" + peer->name;
    }
    for (auto& dump : runner::table_rows(*ns)) {
      Table t{dump.title, {}};
      for (const auto& row : dump.rows) t.rows.push_back(origin_of(dump.title, row, p.name, log, rendered));
      p.tables.push_back(std::move(t));
    }
    pic.namespaces.push_back(std::move(p));
  }
  return pic;
}

namespace {

std::vector<std::string> words_of(const std::string& row) {
  std::vector<std::string> w;
  std::istringstream in(row.substr(0, row.find('\n')));
  for (std::string x; in >> x;) w.push_back(x);
  return w;
}

// The value after `key` in a row's words ("" when absent).
std::string after(const std::vector<std::string>& w, const std::string& key) {
  for (std::size_t i = 0; i + 1 < w.size(); ++i)
    if (w[i] == key) return w[i + 1];
  return {};
}

}  // namespace

std::optional<std::string> delete_command(const std::string& ns, const std::string& table, const std::string& row) {
  const auto w = words_of(row);
  const std::string dev = after(w, "dev");
  if (w.empty() || dev.empty()) return std::nullopt;
  if (table == "ip route") {  // the key is the prefix and the metric; via and dev narrow it down as `ip route del` does
    std::string cmd = "ip -n " + ns + " route del " + w[0];
    if (auto via = after(w, "via"); !via.empty()) cmd += " via " + via;
    cmd += " dev " + dev;
    if (auto metric = after(w, "metric"); !metric.empty()) cmd += " metric " + metric;
    return cmd;
  }
  if (table == "ip neigh") return "ip -n " + ns + " neigh del " + w[0] + " dev " + dev;
  if (table == "bridge fdb") {  // a VXLAN device's own entry (self, with its remote) or the bridge's (master)
    if (auto dst = after(w, "dst"); !dst.empty()) return "bridge -n " + ns + " fdb del " + w[0] + " dev " + dev + " dst " + dst + " self";
    if (!after(w, "master").empty()) return "bridge -n " + ns + " fdb del " + w[0] + " dev " + dev + " master";
  }
  return std::nullopt;
}

std::optional<std::string> change_command(const std::string& ns, const std::string& table, const std::string& row) {
  if (!delete_command(ns, table, row)) return std::nullopt;
  const std::string line = row.substr(0, row.find('\n'));
  if (table == "ip route") return "ip -n " + ns + " route replace " + line;
  if (table == "bridge fdb") return "bridge -n " + ns + " fdb replace " + line;
  // ip neigh prints the state last, in capitals; the command wants "nud state".
  auto w = words_of(row);
  std::string state = w.back();
  std::transform(state.begin(), state.end(), state.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  w.pop_back();
  std::string cmd = "ip -n " + ns + " neigh replace";
  for (const auto& x : w) cmd += " " + x;
  return cmd + " nud " + state;
}

}  // namespace ol::gui
