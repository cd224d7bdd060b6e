// The scenario's timed events: each read, then the whole timeline walked in time order so that an
// event which cannot happen then (flanneld crashing while already down, a node rebooting after it
// left, a link failing on a node that is rebooting) is refused with the event's path.
#include "models/scenario/check.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "models/scenario/load.h"

namespace ol::scenario {

using nlohmann::json;

const char* event_name(EventKind k) {
  switch (k) {
#define OL_X(id, name) \
  case EventKind::id:  \
    return name;
    OL_EVENT_KINDS(OL_X)
#undef OL_X
  }
  return "?";
}

std::optional<EventKind> parse_event_kind(std::string_view name) {
#define OL_X(id, text) \
  if (name == text) return EventKind::id;
  OL_EVENT_KINDS(OL_X)
#undef OL_X
  return std::nullopt;
}

namespace {

bool targets_node(EventKind k) {
  return k != EventKind::PodDelete && k != EventKind::Partition && k != EventKind::Heal && k != EventKind::EtcdDown &&
         k != EventKind::EtcdUp;
}

const char* target_key(EventKind k) {
  if (k == EventKind::PodDelete) return "pod";
  if (k == EventKind::Partition || k == EventKind::Heal) return "segment";
  return targets_node(k) ? "node" : nullptr;
}

// One node's life as the events so far left it.
struct NodeLife {
  bool joined = true, left = false, flanneld = true;
  Nanos down_until = -1;  // rebooting until then
};

class EventReader {
 public:
  EventReader(Scenario& s, std::vector<Problem>& out) : s_(s), out_(out) {}

  void read(const json& es) {
    for (std::size_t i = 0; i < es.size(); ++i) one(es[i], path_index("$.events", i));
    std::vector<std::size_t> order(events_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return events_[a].at < events_[b].at; });
    for (const auto& n : s_.nodes) life_[n.name];
    for (const Event& e : events_)
      if (e.kind == EventKind::NodeJoin) life_[e.target].joined = false;  // not there until it joins
    for (std::size_t i : order) walk(events_[i], paths_[i]);
    for (std::size_t i : order) s_.events.push_back(events_[i]);
  }

 private:
  void add(std::string path, std::string message, std::string fix) {
    out_.push_back({std::move(path), std::move(message), std::move(fix)});
  }

  void one(const json& j, const std::string& p) {
    Event e;
    e.at = *parse_duration(j["at"].get<std::string>());
    e.kind = *parse_event_kind(j["type"].get<std::string>());
    const char* key = target_key(e.kind);
    if (key && !j.contains(key)) {
      add(p, fmt::format("a {} event needs \"{}\"", event_name(e.kind), key), fmt::format("add \"{}\": the name of the {}", key, key));
      return;
    }
    for (const char* other : {"node", "pod", "segment"})
      if (j.contains(other) && (!key || std::string_view(other) != key))
        return add(path_key(p, other), fmt::format("{} events have no \"{}\"", event_name(e.kind), other),
                   key ? fmt::format("name its {} with \"{}\"", key, key) : std::string("remove it: the event concerns the whole cluster"));
    if (key) e.target = j[key].get<std::string>();
    if (j.contains("down_for") && e.kind != EventKind::NodeReboot)
      return add(path_key(p, "down_for"), "only a node-reboot has \"down_for\"", "remove it");
    if (j.contains("loss_percent") != (e.kind == EventKind::LinkLoss))
      return add(j.contains("loss_percent") ? path_key(p, "loss_percent") : p,
                 e.kind == EventKind::LinkLoss ? "a link-loss event needs \"loss_percent\"" : "only a link-loss has \"loss_percent\"",
                 e.kind == EventKind::LinkLoss ? "add \"loss_percent\": 0 to 100" : "remove it");
    for (const char* k : {"device_lost", "vtep_mac"})
      if (j.contains(k) && e.kind != EventKind::FlanneldRestart && !(e.kind == EventKind::NodeReboot && std::string_view(k) == "vtep_mac"))
        return add(path_key(p, k), fmt::format("{} events have no \"{}\"", event_name(e.kind), k),
                   std::string_view(k) == "vtep_mac" ? "only flanneld-restart and node-reboot have it: remove it" : "only flanneld-restart has it: remove it");
    if (j.contains("device_lost")) e.device_lost = j["device_lost"].get<bool>();
    if (j.contains("vtep_mac")) e.new_vtep_mac = j["vtep_mac"].get<std::string>() == "new";
    if (j.contains("down_for")) e.down_for = *parse_duration(j["down_for"].get<std::string>());
    if (j.contains("loss_percent")) e.loss_percent = j["loss_percent"].get<double>();
    if (!exists(e, p)) return;
    events_.push_back(e);
    paths_.push_back(p);
  }

  bool exists(const Event& e, const std::string& p) {
    if (e.kind == EventKind::PodDelete && !s_.node_of_pod(e.target)) {
      add(path_key(p, "pod"), fmt::format("no pod named \"{}\"", e.target), "name a pod listed under a node's \"pods\"");
      return false;
    }
    if (targets_node(e.kind) && !s_.node(e.target)) {
      add(path_key(p, "node"), fmt::format("no node named \"{}\"", e.target), "name a node listed in $.nodes");
      return false;
    }
    if (e.kind == EventKind::LinkLoss) {
      const Node* n = s_.node(e.target);
      if (n && s_.segments[n->segment].shaper == Segment::Shaper::Tbf) {
        add(path_key(p, "node"), fmt::format("node \"{}\" is on segment \"{}\", shaped with tbf, which cannot lose packets", e.target,
                                             s_.segments[n->segment].name),
            "shape that segment with \"netem\" (its default), or use link-down");
        return false;
      }
    }
    if (e.kind == EventKind::Partition || e.kind == EventKind::Heal) {
      if (!s_.router) {
        add(p, fmt::format("a {} needs a router: with one segment there is nothing to cut", event_name(e.kind)),
            "add segments and a router under $.underlay, or use link-down on a node");
        return false;
      }
      if (std::none_of(s_.segments.begin(), s_.segments.end(), [&](const Segment& g) { return g.name == e.target; })) {
        add(path_key(p, "segment"), fmt::format("no segment named \"{}\"", e.target), "name a segment listed in $.underlay.segments");
        return false;
      }
    }
    return true;
  }

  // The node must be there (joined, not left, not rebooting) when the event happens.
  bool node_is_up(const Event& e, const std::string& p, NodeLife& n) {
    std::string why;
    if (!n.joined) why = "has not joined yet";
    else if (n.left) why = "has left";
    else if (n.down_until > e.at) why = fmt::format("is rebooting until {} s", double(n.down_until) / 1e9);
    if (why.empty()) return true;
    add(path_key(p, "at"), fmt::format("node \"{}\" {} at {} s: a {} cannot happen then", e.target, why, double(e.at) / 1e9,
                                       event_name(e.kind)),
        "move the event to a time when the node is up");
    return false;
  }

  void walk(const Event& e, const std::string& p) {
    if (e.kind == EventKind::PodDelete) {
      if (!deleted_.insert(e.target).second) add(p, fmt::format("pod \"{}\" is deleted twice", e.target), "delete it once");
      return;
    }
    if (!targets_node(e.kind)) return;
    NodeLife& n = life_[e.target];
    switch (e.kind) {
      case EventKind::NodeJoin:
        if (joined_twice_.count(e.target)) add(p, fmt::format("node \"{}\" joins twice", e.target), "let it join once");
        joined_twice_.insert(e.target);
        n.joined = true;
        for (Node& node : s_.nodes)
          if (node.name == e.target) node.joins_at = e.at;
        return;
      case EventKind::NodeLeave:
        if (n.left) return add(p, fmt::format("node \"{}\" leaves twice", e.target), "let it leave once");
        if (!n.joined) return add(path_key(p, "at"), fmt::format("node \"{}\" leaves before it joins", e.target),
                                  "make it leave after its node-join event");
        n.left = true;
        return;
      default:
        break;
    }
    if (!node_is_up(e, p, n)) return;
    if (e.kind == EventKind::FlanneldCrash && !n.flanneld)
      add(p, fmt::format("flanneld on \"{}\" is not running at {} s (it crashed before)", e.target, double(e.at) / 1e9),
          "add a flanneld-restart between the two crashes");
    else if (e.kind == EventKind::FlanneldRestart && n.flanneld)
      add(p, fmt::format("flanneld on \"{}\" is already running at {} s", e.target, double(e.at) / 1e9),
          "crash it first with a flanneld-crash event");
    if (e.kind == EventKind::FlanneldCrash) n.flanneld = false;
    if (e.kind == EventKind::FlanneldRestart) n.flanneld = true;
    if (e.kind == EventKind::NodeReboot) {
      n.down_until = e.at + e.down_for;
      n.flanneld = true;  // it starts again at boot
    }
  }

  Scenario& s_;
  std::vector<Problem>& out_;
  std::vector<Event> events_;
  std::vector<std::string> paths_;
  std::map<std::string, NodeLife, std::less<>> life_;
  std::set<std::string, std::less<>> deleted_, joined_twice_;
};

}  // namespace

void read_events(const json& events, Scenario& s, std::vector<Problem>& problems) { EventReader(s, problems).read(events); }

}  // namespace ol::scenario
