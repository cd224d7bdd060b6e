// overlaylab cni SCENARIO --pod P: every CNI invocation made for one pod, in order, as a person
// debugging a node would want them: the configuration libcni chose, then each plugin's
// environment, stdin, the commands it ran and what it printed.
#include <algorithm>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "cli/scenario_commands.h"
#include "lab/session.h"
#include "runner/plugin_compare.h"

namespace ol::cli {

namespace {

// One invocation and, where they happened among its commands, the plugins it ran; returns the
// index after its subtree.
std::size_t print_call(const std::vector<cni::Invocation>& calls, std::size_t i, int number) {
  const cni::Invocation& c = calls[i];
  const std::string pad(std::size_t(4 + 4 * c.depth), ' ');
  std::cout << fmt::format("{}{}{} {}{}\n", std::string(std::size_t(4 * c.depth), ' '), c.depth ? "└─ " : fmt::format("{}. ", number),
                           c.plugin, c.command, c.depth ? "  (exec'd from CNI_PATH by the plugin above)" : "");
  std::string env;
  for (const auto& [k, v] : c.env) env += fmt::format("{}{}={}", env.empty() ? "" : " ", k, v);
  std::cout << pad << "env:    " << env << "\n";
  std::cout << pad << "stdin:  " << c.stdin_conf.dump() << "\n";
  std::size_t next = i + 1;
  for (std::size_t cmd = c.first_command; cmd <= c.end_command; ++cmd) {
    while (next < calls.size() && calls[next].depth == c.depth + 1 && calls[next].first_command == cmd) {
      const std::size_t child_end = calls[next].end_command;
      next = print_call(calls, next, 0);
      cmd = std::max(cmd, child_end);
    }
    if (cmd < c.end_command) std::cout << pad << "$ " << c.commands[cmd - c.first_command] << "\n";
  }
  while (next < calls.size() && calls[next].depth > c.depth) next = print_call(calls, next, 0);
  if (c.stdout_json.is_null())
    std::cout << pad << fmt::format("stdout: (nothing)  exit {}\n", c.exit_code);
  else
    std::cout << pad << fmt::format("stdout: {}  exit {}\n", c.stdout_json.dump(), c.exit_code);
  return next;
}

// "function  where  what": where is the device, after the pod's name inside a pod.
std::string cell(const TraceEvent& e, const std::string& node) {
  const auto [function, where, what] = runner::way_out_cells(e, node);
  std::string s = fmt::format("{:<22} {:<18} {}", function, where, what);
  if (s.size() > 70) s = s.substr(0, 67) + "...";
  return s;
}

int side_by_side(const scenario::Scenario& s, const std::string& pod, std::optional<std::string> to) {
  if (!to)  // the first pod on another node, else any other pod
    for (int pass = 0; pass < 2 && !to; ++pass)
      for (const auto& n : s.nodes)
        for (const auto& p : n.pods)
          if (!to && p != pod && (pass == 1 || n.name != s.node_of_pod(pod)->name)) to = p;
  if (!to) {
    std::cerr << fmt::format("--side-by-side: {} has no other pod to send to\n    fix: add a pod to the scenario\n", s.file);
    return 2;
  }
  runner::PluginComparison c;
  try {
    c = runner::compare_main_plugins(s, s.net_conf.backend, pod, *to);
  } catch (const std::invalid_argument& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  std::cout << fmt::format("bridge and ptp for {} on {} ({}, mode {}): kube-flannel's conflist run with each as flannel's delegate\n",
                           pod, c.node, s.file, scenario::backend_name(s.net_conf.backend));
  for (const auto& side : c.sides) {
    std::cout << fmt::format("\nwhat {} creates for {} ({} commands):\n", side.plugin, pod, side.created.size());
    for (const auto& cmd : side.created) std::cout << "  $ " << cmd << "\n";
  }
  std::cout << fmt::format("\nwhat an echo from {} to {} meets on its way out of {}:\n  {:<70} | {}\n", pod, *to, c.node, "bridge", "ptp");
  for (const auto& r : c.rows) {
    std::array<std::string, 2> cells;
    for (std::size_t k = 0; k < 2; ++k)
      if (r[k] >= 0) cells[k] = cell(c.sides[k].walk.steps[c.sides[k].way_out[std::size_t(r[k])]].event, c.node);
    std::cout << fmt::format("  {:<70} | {}\n", cells[0].empty() ? "." : cells[0], cells[1].empty() ? "." : cells[1]);
  }
  for (const auto& side : c.sides)
    std::cout << fmt::format("{}: {} steps on {}; {}\n", side.plugin, side.way_out.size(), c.node, side.walk.result.outcome);
  return 0;
}

// The dhcp daemon's client for the pod: its messages, then each packet that carried one, hop by
// hop (the packets that touched the pod's namespace: its own and the server's replies).
void print_dhcp(const cluster::Cluster& c, const std::string& node, const cluster::PodState& p) {
  const traffic::CniDhcpDaemon* d = c.dhcp_daemon(node);
  if (!d) return;
  for (const auto& [id, lease] : d->leases()) {
    if (id.rfind(p.container_id + "/", 0) != 0) continue;
    std::cout << fmt::format("the dhcp daemon's client for {} ({}): an AF_PACKET socket on {}'s eth0, every message a broadcast "
                             "from 0.0.0.0\n",
                             id, traffic::lease_state_name(lease->state()), p.name);
    for (const auto& x : lease->exchanges())
      std::cout << fmt::format("  {:>12.6f}s  {}  {}\n", double(x.at) / 1e9, x.sent ? "sent    " : "received", x.msg.summary());
    if (lease->ack())
      std::cout << fmt::format("  lease: renew (T1) at {:.3f}s, rebind (T2) at {:.3f}s, expires at {:.3f}s\n",
                               double(lease->renewal_time()) / 1e9, double(lease->rebinding_time()) / 1e9,
                               double(lease->expire_time()) / 1e9);
  }
  std::map<std::uint64_t, std::vector<const TraceEvent*>> packets;
  std::vector<std::uint64_t> order;
  for (const auto& e : c.dhcp_trace().events) {
    if (e.headers.find("dhcp") == std::string::npos) continue;
    auto& v = packets[e.packet];
    if (v.empty()) order.push_back(e.packet);
    v.push_back(&e);
  }
  for (std::uint64_t id : order) {
    const auto& steps = packets[id];
    const bool its = steps.front()->netns == p.name ||  // sent by its client, or taken by its packet socket
                     std::any_of(steps.begin(), steps.end(), [&](const TraceEvent* e) { return e->netns == p.name && e->function == "packet_rcv"; });
    if (!its) continue;
    std::cout << fmt::format("  packet: {}\n", steps.front()->headers);
    for (const TraceEvent* e : steps) std::cout << fmt::format("    {:>12.6f}s  {}\n", double(e->time) / 1e9, cell(*e, node));
  }
}

}  // namespace

int cmd_cni(const ScenarioOptions& o, const std::string& pod, bool compare, const std::optional<std::string>& to) {
  auto s = load_for_command(o);
  if (!s) return 2;
  const scenario::Node* home = s->node_of_pod(pod);
  if (!home) {
    std::string pods;
    for (const auto& n : s->nodes)
      for (const auto& p : n.pods) pods += (pods.empty() ? "" : ", ") + p;
    std::cerr << fmt::format("--pod: no pod named \"{}\" in {}\n    fix: name one of its pods: {}\n", pod, s->file, pods);
    return 2;
  }
  if (compare) return side_by_side(*s, pod, to);
  const std::string node = home->name;
  cluster::Session session(std::move(*s), [&](cluster::Cluster& c) { c.record_cni(pod); });
  session.cluster.converge();
  const cluster::Cluster& c = session.cluster;
  std::cout << fmt::format("pod {} on {} ({}, mode {})\n", pod, node, session.scenario.file,
                           scenario::backend_name(session.scenario.net_conf.backend));
  std::cout << "kubelet → CRI RunPodSandbox → containerd: a new netns, then go-cni Setup: the loopback network, then the pod's\n";
  if (const cni::ConfList* l = c.cni_conf(node)) {
    std::string plugins;
    for (const auto& p : l->plugins) plugins += (plugins.empty() ? "" : " → ") + p["type"].get<std::string>();
    std::cout << fmt::format("libcni chose {} (network \"{}\", cniVersion {}): {}\n", l->file, l->name, l->cni_version, plugins);
  } else {
    std::cout << fmt::format("libcni found no network configuration in {} on {}\n", cni::kConfDir, node);
  }
  const auto* calls = c.cni_calls(pod);
  int number = 0;
  for (std::size_t i = 0; calls && i < calls->size();) i = print_call(*calls, i, ++number);
  const cluster::PodState* p = c.pod(pod);
  if (p) print_dhcp(c, node, *p);
  if (p && p->ip)
    std::cout << fmt::format("result: {} has {} on eth0\n", pod, p->ip->str());
  else if (p)
    std::cout << fmt::format("result: {} has no network: {}\n", pod, p->error);
  return 0;
}

}  // namespace ol::cli
