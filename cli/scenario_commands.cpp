#include "cli/scenario_commands.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "models/kernel/dump.h"
#include "models/netconfig/render.h"
#include "models/scenario/load.h"
#include "models/scenario/schema_check.h"
#include "models/scenario/schema_doc.h"
#include "lab/session.h"
#include "lab/narration.h"
#include "lab/walk.h"
#include "models/wire/dissect.h"
#include "runner/atomic_file.h"
#include "runner/control_walk.h"
#include "runner/walk_html.h"
#include "runner/walk_recording.h"

namespace ol::cli {

namespace {

// Loads the scenario and applies --mode; prints the problems and returns nullopt on bad input.
std::optional<scenario::Scenario> load(const ScenarioOptions& o) {
  try {
    scenario::Scenario s = scenario::load_file(o.file);
    if (o.mode) {
      auto b = scenario::parse_backend(*o.mode);
      if (!b) {
        std::cerr << fmt::format("--mode: \"{}\" is not a mode\n    fix: use host-gw (or its alias underlay), udp or vxlan\n",
                                 *o.mode);
        return std::nullopt;
      }
      scenario::override_backend(s, *b);
    }
    if (o.node && !s.node(*o.node)) {
      std::string names;
      for (const auto& n : s.nodes) names += (names.empty() ? "" : ", ") + n.name;
      std::cerr << fmt::format("--node: {} has no node \"{}\"\n    fix: use one of {}\n", o.file, *o.node, names);
      return std::nullopt;
    }
    return s;
  } catch (const scenario::ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return std::nullopt;
  }
}

std::string seconds(Nanos t) { return fmt::format("{:.6f}", double(t) / 1e9); }

// Prints log entries as they happen: a time heading when the clock moves, a comment naming who
// issued a group of commands, each command, and the kernel's refusal under it.
class LogPrinter {
 public:
  explicit LogPrinter(std::optional<std::string> node) : node_(std::move(node)) {}
  void operator()(const cluster::LogEntry& e) {
    if (node_ && e.node != *node_) return;
    if (!time_ || *time_ != e.time) {
      std::cout << fmt::format("\n# ===== t={}s =====\n", seconds(e.time));
      time_ = e.time;
      heading_.clear();
    }
    const std::string h = e.node.empty() ? e.origin : fmt::format("{} on {}", e.origin, e.node);
    if (!e.op) {
      std::cout << fmt::format("# {}: {}\n", h, e.note);
      heading_.clear();
      return;
    }
    if (h != heading_) std::cout << "# " << h << "\n";
    heading_ = h;
    std::cout << netconfig::render(*e.op) << "\n";
    if (!e.refused.empty()) std::cout << "#   ^ refused by the kernel: " << e.refused << "\n";
  }

 private:
  std::optional<std::string> node_;
  std::optional<Nanos> time_;
  std::string heading_;
};

void print_files(const cluster::Cluster& c, const std::optional<std::string>& node) {
  for (const auto& n : c.scenario().nodes) {
    if (node && n.name != *node) continue;
    for (const auto& [path, body] : c.files(n.name)->all()) {
      std::cout << fmt::format("# {}:{}\n", n.name, path);
      std::string text = body;
      for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\r') text.replace(i, 1, "\\r");
      std::size_t start = 0;
      while (start < text.size()) {
        auto nl = text.find('\n', start);
        std::cout << "#   " << text.substr(start, nl == std::string::npos ? std::string::npos : nl - start) << "\n";
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    }
  }
}

bool write_state_dir(const cluster::Cluster& c, const std::string& dir) {
  namespace fs = std::filesystem;
  for (const auto& n : c.scenario().nodes)
    for (const auto& [path, body] : c.files(n.name)->all()) {
      // Every file stays under DIR/<node>/: a path that climbs out (a hostile name the loader
      // missed) is refused, not written.
      const fs::path rel = fs::path(path).relative_path().lexically_normal();
      if (rel.empty() || *rel.begin() == ".." || fs::path(n.name).lexically_normal() != fs::path(n.name)) {
        std::cerr << fmt::format("--state-dir: refusing to write \"{}\" of node {}: it leaves {}/{}/\n", path, n.name, dir, n.name);
        return false;
      }
      fs::path p = fs::path(dir) / n.name / rel;
      std::error_code ec;
      fs::create_directories(p.parent_path(), ec);
      std::ofstream out(p.string() + ".tmp", std::ios::binary);
      out << body;
      out.close();
      if (!out || (fs::rename(p.string() + ".tmp", p, ec), ec)) {
        std::cerr << fmt::format("--state-dir: cannot write {}\n", p.string());
        return false;
      }
    }
  return true;
}

void print_errors(const cluster::Cluster& c) {
  for (const auto& e : c.errors()) std::cerr << "overlaylab: " << e << "\n";
}

}  // namespace

int cmd_config(const ScenarioOptions& o, const std::optional<std::string>& state_dir) {
  auto s = load(o);
  if (!s) return 2;
  std::cout << fmt::format("# overlaylab config {}: mode {}, seed {}{}\n", s->file, scenario::backend_name(s->net_conf.backend),
                           s->seed, o.node ? ", node " + *o.node : "");
  if (!s->net_conf.backend_given) std::cout << "# net-conf.json names no Backend: flanneld's code defaults to udp\n";
  if (s->cni.portmap) std::cout << "# the portmap plugin programs iptables only, which overlaylab leaves out\n";
  // Printed as issued, not kept: a thousand-node cluster issues millions of commands.
  cluster::Session session(std::move(*s), /*keep_log=*/false, LogPrinter(o.node));
  session.cluster.converge();
  std::cout << "\n# ===== files the control plane wrote =====\n";
  print_files(session.cluster, o.node);
  print_errors(session.cluster);
  if (state_dir && !write_state_dir(session.cluster, *state_dir)) return 2;
  return 0;
}

int cmd_scenario_tables(const ScenarioOptions& o) {
  auto s = load(o);
  if (!s) return 2;
  cluster::Session session(std::move(*s), /*keep_log=*/false);
  session.cluster.converge();
  for (const auto& ns : session.world.namespaces()) {
    if (o.node && ns->node != *o.node) continue;
    std::cout << "# netns " << ns->name << (ns->node != ns->name ? " (on " + ns->node + ")" : "") << "\n"
              << kernel::dump_all(*ns);
    if (const auto* proxy = session.cluster.proxy(ns->name); proxy && ns->node == ns->name) {
      std::cout << "## flanneld udp proxy routes (first match wins)\n";
      for (const auto& r : proxy->routes()) std::cout << fmt::format("{} -> {}:{}\n", r.subnet.str(), r.peer.str(), r.port);
    }
    std::cout << "\n";
  }
  if (!o.node) std::cout << "# lease store (etcdctl get --prefix /coreos.com/network)\n" << session.cluster.leases().dump();
  print_errors(session.cluster);
  return 0;
}

std::optional<scenario::Scenario> load_for_command(const ScenarioOptions& o) { return load(o); }

int cmd_control(const ScenarioOptions& o, const std::optional<std::string>& pod, const std::optional<std::string>& join) {
  auto s = load(o);
  if (!s) return 2;
  runner::ControlWalk w;
  try {
    w = pod ? runner::record_pod_creation(*s, s->net_conf.backend, *pod) : runner::record_node_join(*s, s->net_conf.backend, *join);
  } catch (const std::invalid_argument& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  std::cout << fmt::format("{} ({}, mode {}): {} steps\n", w.subject, s->file, scenario::backend_name(s->net_conf.backend), w.steps.size());
  for (std::size_t i = 0; i < w.steps.size(); ++i) {
    const auto& st = w.steps[i];
    std::cout << fmt::format("{:>3}. t={}s  {} on {}\n", i + 1, seconds(st.time), st.component, st.node.empty() ? "the fabric" : st.node);
    std::cout << (st.netns.empty() ? "     # " : "     $ ") << st.command << "\n";
    if (!st.refused.empty()) std::cout << "     ! refused: " << st.refused << "\n";
    for (const auto& c : st.changes)
      std::cout << fmt::format("     {} [{} in {}] {}\n", c.added ? '+' : '-', c.table, c.netns, c.row.substr(0, c.row.find('\n')));
  }
  return 0;
}

int cmd_scenario_format() {
  std::cout << scenario::schema_markdown(scenario::scenario_schema());
  return 0;
}

namespace {

// The frame at step i, when its header stack differs from the same packet's previous step (a
// header built or stripped) or it is the packet's first step.
void print_frame(const std::vector<TraceEvent>& steps, std::size_t i) {
  const TraceEvent& e = steps[i];
  if (e.frame.empty() || !cluster::stack_changes_at(steps, i, [](const TraceEvent& s) -> const TraceEvent& { return s; })) return;
  const auto rows = wire::dissect(e.frame, e.frame_at_l3);
  const std::size_t encap = wire::encapsulation_bytes(rows);
  std::cout << fmt::format("      frame at {}: {} bytes{}\n", e.function, e.frame.size(),
                           encap ? fmt::format(", {} bytes of encapsulation in front of the pod's IP packet", encap) : "");
  std::cout << wire::format_fields(rows, "      ");
}

}  // namespace

int cmd_walk(const WalkCliOptions& o) {
  auto s = load(o.scenario);
  if (!s) return 2;
  cluster::WalkOptions w{o.from, o.to, std::nullopt, o.size};
  w.edits = o.edits;
  w.frames = o.frames;
  if (o.at) {
    w.at = scenario::parse_duration(*o.at);
    if (!w.at) {
      std::cerr << fmt::format("--at: \"{}\" is not a duration\n    fix: write a number and a unit: 1s, 250ms, 50us\n", *o.at);
      return 2;
    }
  }
  cluster::Session session(std::move(*s));
  cluster::WalkResult r;
  try {
    r = cluster::walk(session, w);
  } catch (const std::invalid_argument& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  std::cout << fmt::format("walk {} ({}) -> {} ({}), mode {}, sent at t={}s, ICMP echo with {} data bytes\n", o.from,
                           r.src.str(), o.to, r.dst.str(), scenario::backend_name(session.scenario.net_conf.backend),
                           seconds(r.sent_at), o.size);
  for (const auto& e : o.edits) std::cout << "what if: " << e << "\n";
  const cluster::Narration story = cluster::narrate(r, session.scenario.net_conf.backend);
  std::cout << "the " << scenario::backend_name(session.scenario.net_conf.backend) << " workflow:\n";
  for (std::size_t k = 0; k < story.stages.size(); ++k) std::cout << fmt::format("  {}. {}\n", k + 1, story.stages[k]);
  int stage = -1;
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    if (i == r.request_steps) std::cout << "--- back ---\n", stage = -1;
    if (const int k = story.step_stage[i]; k != stage && k >= 0)
      std::cout << fmt::format("  == {}. {}\n", k + 1, story.stages[std::size_t(k)]);
    stage = story.step_stage[i];
    std::cout << format_trace_line(r.steps[i]) << "\n";
    if (o.frames) print_frame(r.steps, i);
  }
  std::cout << fmt::format("--- one way: {} steps, {} kernel/user crossings on the nodes{}\n", r.request_steps, r.crossings,
                           r.crossings ? "" : " (the kernel did everything)");
  for (const auto& c : r.crossing_functions) std::cout << "      " << c << "\n";
  if (r.wire_bytes)
    std::cout << fmt::format("--- encapsulation overhead: {} bytes (a {}-byte IP packet is {} bytes of IP on the underlay)\n",
                             r.overhead(), r.inner_bytes, r.wire_bytes);
  else
    std::cout << "--- encapsulation overhead: n/a (the request never reached the underlay)\n";
  std::cout << "--- result: " << r.outcome << "\n";
  if (o.html) {  // the same walk again, recorded with each step's table as it stood (deterministic: same seed)
    try {
      const runner::WalkRecording rec = runner::record_walk(session.scenario, session.scenario.net_conf.backend, w);
      runner::write_atomically(*o.html, runner::walk_html(rec, session.scenario.name + " (" + session.scenario.file + ")"));
    } catch (const std::exception& e) {
      std::cerr << fmt::format("--html {}: {}\n", *o.html, e.what());
      return 2;
    }
    std::cout << "--- written: " << *o.html << "\n";
  }
  return r.delivered ? 0 : 1;
}

}  // namespace ol::cli
