#include "runner/control_walk.h"

#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "lab/session.h"
#include "models/scenario/load.h"
#include "models/netconfig/render.h"
#include "runner/table_rows.h"

namespace ol::runner {

namespace {

using Snapshot = std::vector<TableDump>;

// The rows `after` has that `before` had not (added), and the reverse (removed), table by table.
void diff(const std::string& ns, const Snapshot& before, const Snapshot& after, std::vector<RowChange>& out) {
  for (const TableDump& a : after) {
    auto b = std::find_if(before.begin(), before.end(), [&](const TableDump& t) { return t.title == a.title; });
    for (const auto& row : a.rows)
      if (b == before.end() || std::find(b->rows.begin(), b->rows.end(), row) == b->rows.end()) out.push_back({ns, a.title, row, true});
    if (b == before.end()) continue;
    for (const auto& row : b->rows)
      if (std::find(a.rows.begin(), a.rows.end(), row) == a.rows.end()) out.push_back({ns, a.title, row, false});
  }
}

// The namespaces a command changes: its own, and the one a veth's peer end is created in.
std::vector<std::string> touched(const netconfig::Op& op) {
  std::vector<std::string> out{netconfig::netns_of(op)};
  if (const auto* link = std::get_if<netconfig::LinkAdd>(&op); link && link->peer && !link->peer->netns.empty() &&
                                                              link->peer->netns != out.front())
    out.push_back(link->peer->netns);
  return out;
}

// Runs the scenario to its settled state, recording the log entries `wanted` picks, each with the
// rows its command changed in its namespace.
ControlWalk record(const scenario::Scenario& in, scenario::Backend mode, std::string subject,
                   const std::function<bool(const cluster::LogEntry&, const std::string& rendered)>& wanted) {
  scenario::Scenario s = in;
  scenario::override_backend(s, mode);
  ControlWalk walk{std::move(subject), {}};
  std::map<std::string, Snapshot> last;  // each namespace's tables after the previous command there
  auto on_log = [&](const cluster::LogEntry& e, const kernel::World& world) {
    const std::string rendered = e.op ? netconfig::render(*e.op) : e.note;
    const bool keep = wanted(e, rendered);
    ControlStep st{e.time, e.node, e.op ? netconfig::netns_of(*e.op) : std::string(), e.origin, rendered, e.refused, {}};
    for (const std::string& ns : e.op ? touched(*e.op) : std::vector<std::string>{}) {
      Snapshot now;
      if (const kernel::Netns* n = world.netns(ns)) now = table_rows(*n);
      if (keep) diff(ns, last[ns], now, st.changes);
      last[ns] = std::move(now);
    }
    if (keep) walk.steps.push_back(std::move(st));
  };
  cluster::Session session(std::move(s), /*keep_log=*/false, on_log);
  session.cluster.converge();
  return walk;
}

}  // namespace

ControlWalk record_pod_creation(const scenario::Scenario& s, scenario::Backend mode, const std::string& pod) {
  const scenario::Node* home = nullptr;
  std::string pods;
  for (const auto& n : s.nodes)
    for (const auto& p : n.pods) {
      if (p == pod) home = &n;
      pods += (pods.empty() ? "" : ", ") + p;
    }
  if (!home) throw std::invalid_argument(fmt::format("--pod: no pod named \"{}\" in {}\n    fix: name one of its pods: {}", pod, s.file, pods));
  // From kubelet's `ip netns add POD` to host-local's note naming the pod: one CNI ADD.
  bool inside = false, done = false;
  return record(s, mode, "pod " + pod + " is created on " + home->name, [&, node = home->name](const cluster::LogEntry& e, const std::string& r) {
    if (done || e.node != node) return false;
    if (!inside && e.origin.starts_with("kubelet") && r == "ip netns add " + pod) inside = true;
    if (inside && (e.origin == "CNI host-local" || e.origin == "CNI dhcp") && r.find("(" + pod + ")") != std::string::npos) done = true;
    return inside;
  });
}

ControlWalk record_node_join(const scenario::Scenario& s, scenario::Backend mode, const std::string& node) {
  const auto it = std::find_if(s.nodes.begin(), s.nodes.end(), [&](const scenario::Node& n) { return n.name == node; });
  if (it == s.nodes.end()) {
    std::string names;
    for (const auto& n : s.nodes) names += (names.empty() ? "" : ", ") + n.name;
    throw std::invalid_argument(fmt::format("--join: no node named \"{}\" in {}\n    fix: name one of its nodes: {}", node, s.file, names));
  }
  // Its own flanneld from the start (lease, subnet file, device, the peers it lists), then each
  // peer's flanneld writing what points at it: its lease's network address or its public IP.
  std::string lease, public_ip = it->address.str();
  return record(s, mode, "node " + node + " joins", [&](const cluster::LogEntry& e, const std::string& r) {
    if (!e.origin.starts_with("flanneld")) return false;
    if (e.node == node) {
      if (auto at = r.find("Allocated lease ("); at != std::string::npos) lease = r.substr(at + 17, r.find('/', at) - at - 17);
      if (auto at = r.find("Found lease ("); at != std::string::npos) lease = r.substr(at + 13, r.find('/', at) - at - 13);
      return true;
    }
    auto names = [&](const std::string& what) {
      for (auto at = r.find(what); at != std::string::npos; at = r.find(what, at + 1)) {
        const char after = at + what.size() < r.size() ? r[at + what.size()] : ' ';
        if (after == ' ' || after == '/') return true;  // 10.244.3.0 but not 10.244.3.01
      }
      return false;
    };
    return (!lease.empty() && names(lease)) || names(public_ip);
  });
}

}  // namespace ol::runner
