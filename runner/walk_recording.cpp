#include "runner/walk_recording.h"


#include "runner/lines.h"
#include "lab/narration.h"
#include "models/cost/profile.h"
#include "models/kernel/dump.h"
#include "models/kernel/device.h"
#include "models/kernel/netns.h"
#include "models/kernel/world.h"
#include "models/scenario/load.h"
#include "lab/session.h"

namespace ol::runner {

namespace {

// The consulted table of the step's namespace, printed as the tool a person would use.
void snapshot_table(WalkStep& st, const kernel::World& world) {
  const TraceEvent& e = st.event;
  if (e.table.empty()) return;
  const kernel::Netns* ns = world.netns(e.netns);
  if (!ns) return;
  if (e.table == "route") {
    st.table_command = "ip -n " + e.netns + " route; ip -n " + e.netns + " route show table local";
    st.table_rows = lines_of(kernel::dump_routes(*ns) + kernel::dump_local_routes(*ns));
  } else if (e.table == "neigh") {
    st.table_command = "ip -n " + e.netns + " neigh";
    st.table_rows = lines_of(kernel::dump_neigh(*ns));
  } else {
    st.table_command = "bridge -n " + e.netns + " fdb";
    st.table_rows = lines_of(kernel::dump_fdb(*ns));
  }
  for (std::size_t i = 0; i < st.table_rows.size(); ++i)
    if (st.table_rows[i] == e.entry) {
      st.matched_row = int(i);
      break;
    }
}

// The modelled cost of a step whose function is a step of the cost profile (others cost nothing).
double step_cost(const TraceEvent& e) {
  const cost::Profile& p = cost::Profile::builtin();
  for (std::size_t i = 0; i < cost::kSteps; ++i)
    if (e.function == cost::step_name(cost::Step(i))) return double(p.cost(cost::Step(i), e.size));
  return 0;
}

}  // namespace

std::vector<HeaderLayer> parse_headers(const std::string& stack) {
  std::vector<HeaderLayer> out;
  std::istringstream in(stack);
  bool inner = false;
  for (std::string part; std::getline(in, part, '|');) {
    std::istringstream p(part);
    HeaderLayer h;
    if (!(p >> h.name >> h.bytes)) continue;
    // After a tunnel header (VXLAN, or the udp backend's bare UDP around an IP packet) the rest
    // is the pod's own packet.
    if (!out.empty() && (out.back().name == "vxlan" || (out.back().name == "udp" && h.name == "ipv4"))) inner = true;
    h.inner = inner;
    out.push_back(h);
  }
  return out;
}

std::vector<bool> user_space_steps(const WalkRecording& w) {
  std::vector<bool> user(w.steps.size(), false);
  bool up = false;
  for (std::size_t i = 0; i < w.steps.size(); ++i) {
    const auto& c = w.steps[i].event.crossing;
    if (c == "kernel->user") up = true;
    user[i] = up;
    if (c == "user->kernel") up = false, user[i] = false;
  }
  return user;
}

WalkRecording record_walk(const scenario::Scenario& s, scenario::Backend mode, const std::string& from, const std::string& to,
                          int size, const std::vector<std::string>& edits) {
  cluster::WalkOptions o{from, to, std::nullopt, size};
  o.edits = edits;
  return record_walk(s, mode, std::move(o));
}

WalkRecording record_walk(const scenario::Scenario& in, scenario::Backend mode, cluster::WalkOptions o) {
  scenario::Scenario s = in;
  scenario::override_backend(s, mode);
  cluster::Session session(s, /*keep_log=*/false);
  WalkRecording rec;
  rec.mode = scenario::backend_name(mode);
  rec.from = o.from;
  rec.to = o.to;
  double cpu = 0;
  o.frames = true;  // the frame view
  o.on_step = [&](const TraceEvent& e, const kernel::World& world) {
    WalkStep st;
    st.event = e;
    snapshot_table(st, world);
    st.headers = parse_headers(e.headers);
    cpu += step_cost(e);
    st.cpu_ns_so_far = cpu;
    rec.steps.push_back(std::move(st));
  };
  rec.result = cluster::walk(session, o);
  rec.request_steps = rec.result.request_steps;
  const cluster::Narration story = cluster::narrate(rec.result, session.scenario.net_conf.backend);
  rec.stages = story.stages;
  if (const kernel::Netns* node = session.world.netns(rec.result.from_node))
    if (const kernel::Device* eth0 = node->dev_by_name("eth0")) rec.underlay_mtu = eth0->mtu;
  for (std::size_t i = 0; i < rec.steps.size() && i < story.step_stage.size(); ++i) rec.steps[i].stage = story.step_stage[i];
  rec.result.steps.clear();
  return rec;
}

}  // namespace ol::runner
