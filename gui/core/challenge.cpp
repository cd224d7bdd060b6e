#include "gui/core/challenge.h"

#include <algorithm>
#include <optional>
#include <set>

#include "models/wire/dissect.h"

namespace ol::gui {

namespace {

// The frame's field values of a header, outermost first (e.g. every IPv4 "destination").
std::vector<std::string> values_of(const TraceEvent& e, const std::string& header, const std::string& field) {
  std::vector<std::string> out;
  if (e.frame.empty()) return out;
  for (const auto& r : wire::dissect(e.frame, e.frame_at_l3))
    if (r.header == header && r.field == field) out.push_back(r.value);
  return out;
}

std::string innermost_destination(const TraceEvent& e) {
  const auto d = values_of(e, "IPv4", "destination");
  return d.empty() ? "?" : d.back();
}

// The matched row and up to three others, in the table's own order.
bool table_choices(const runner::WalkStep& st, Challenge& c) {
  if (st.matched_row < 0 || st.table_rows.size() < 2) return false;
  std::vector<std::size_t> picked{std::size_t(st.matched_row)};
  for (std::size_t r = 0; r < st.table_rows.size() && picked.size() < 4; ++r)
    if (int(r) != st.matched_row && st.table_rows[r] != st.table_rows[std::size_t(st.matched_row)]) picked.push_back(r);
  std::sort(picked.begin(), picked.end());
  for (std::size_t r : picked) {
    if (int(r) == st.matched_row) c.answer = int(c.choices.size());
    c.choices.push_back(st.table_rows[r]);
  }
  return c.choices.size() >= 2;
}

std::string where(const TraceEvent& e) { return e.netns == e.node ? e.node : "pod " + e.netns; }

std::optional<Challenge> row_question(const runner::WalkRecording& w, std::size_t i) {
  const runner::WalkStep& st = w.steps[i];
  const TraceEvent& e = st.event;
  Challenge c;
  c.step = int(i);
  c.kind = "table row";
  if (!table_choices(st, c)) return std::nullopt;
  const std::string row = c.choices[std::size_t(c.answer)];
  if (e.function == "fib_lookup") {
    const std::string dst = innermost_destination(e);
    c.question = "The packet for " + dst + " is in " + where(e) + "'s IP stack (it came in on " + e.device +
                 "). Which route of `" + st.table_command + "` will fib_lookup choose?";
    c.explanation = "fib_lookup takes the longest prefix that holds " + dst + " (then the lowest metric): " + row;
  } else if (e.function == "neigh_resolve_output") {
    c.question = "The route chose its next hop on " + e.device + ". Which entry of `" + st.table_command +
                 "` gives neigh_resolve_output the MAC to put in the frame?";
    c.explanation = "The next hop is the route's gateway; its entry: " + row +
                    (row.find("PERMANENT") != std::string::npos ? " — written by flanneld, so no ARP is ever sent for it" : "");
  } else if (e.function == "vxlan_xmit") {
    const auto mac = values_of(e, "Ethernet", "destination");
    c.question = "flannel.1 must send an inner frame addressed to " + (mac.empty() ? std::string("?") : mac.front()) +
                 ". Which entry of the VXLAN device's FDB (`" + st.table_command + "`) tells it where?";
    c.explanation = "vxlan_xmit looks the inner destination MAC up in the device's FDB; the entry's dst is the remote VTEP: " + row;
  } else {
    return std::nullopt;
  }
  return c;
}

// "forward out flannel.1 ttl 63" → "flannel.1"
std::string out_device(const std::string& verdict) {
  const auto at = verdict.find(" out ");
  if (at == std::string::npos) return {};
  const auto end = verdict.find(' ', at + 5);
  return verdict.substr(at + 5, end == std::string::npos ? std::string::npos : end - at - 5);
}

std::optional<Challenge> device_question(const runner::WalkRecording& w, std::size_t i, const std::string& route) {
  const TraceEvent& e = w.steps[i].event;
  const std::string dev = out_device(e.verdict);
  if (dev.empty()) return std::nullopt;
  std::set<std::string> devices{dev, "eth0", "cni0"};
  for (std::size_t k = 0; k < w.steps.size() && devices.size() < 4; ++k)
    if (w.steps[k].event.netns == e.netns && !w.steps[k].event.device.empty()) devices.insert(w.steps[k].event.device);
  Challenge c;
  c.step = int(i);
  c.kind = "next device";
  c.question = "ip_forward on " + e.node + " sends the packet on (its TTL drops by one). Out of which device?";
  for (const auto& d : devices) {
    if (c.choices.size() == 4) break;
    if (d == dev) c.answer = int(c.choices.size());
    c.choices.push_back(d);
  }
  c.explanation = "The route fib_lookup matched names the device: " + route;
  return c;
}

std::optional<Challenge> outer_question(const runner::WalkRecording& w, std::size_t i, const std::string& gateway) {
  const TraceEvent& e = w.steps[i].event;
  const auto dsts = values_of(e, "IPv4", "destination");
  const auto srcs = values_of(e, "IPv4", "source");
  if (dsts.size() < 2 || srcs.empty()) return std::nullopt;  // not encapsulated
  std::set<std::string> options{dsts.front(), dsts.back(), srcs.front()};
  if (!gateway.empty()) options.insert(gateway);
  Challenge c;
  c.step = int(i);
  c.kind = "outer destination";
  c.question = "The packet for " + dsts.back() + " is about to be encapsulated on " + e.node +
               ". What will the outer IPv4 header's destination be?";
  for (const auto& o : options) {
    if (o == dsts.front()) c.answer = int(c.choices.size());
    c.choices.push_back(o);
  }
  c.explanation = "The outer header goes to the peer node's underlay address, " + dsts.front() + ", from this node's, " +
                  srcs.front() + "; the pod's address " + dsts.back() + " travels inside, untouched" +
                  (w.mode == "vxlan" ? " (the FDB entry's dst gave it)." : " (flanneld's route list gave it).");
  return c;
}

// The gateway a route entry names ("… via 10.244.2.0 dev …"), or "".
std::string gateway_of(const std::string& route) {
  const auto at = route.find(" via ");
  if (at == std::string::npos) return {};
  return route.substr(at + 5, route.find(' ', at + 5) - at - 5);
}

}  // namespace

std::vector<Challenge> make_challenges(const runner::WalkRecording& w) {
  std::vector<Challenge> out;
  const std::string& src = w.result.from_node;
  bool routed = false, forwarded = false, neighboured = false, encapsulated = false, vxlan_fdb = false;
  std::string route;
  for (std::size_t i = 0; i < w.request_steps; ++i) {
    const TraceEvent& e = w.steps[i].event;
    if (e.netns != src) continue;  // the sending node's own namespace: where the interesting decisions are
    std::optional<Challenge> q;
    if (!routed && e.function == "fib_lookup" && !e.entry.empty()) {
      routed = true, route = e.entry;
      q = row_question(w, i);
    } else if (routed && !forwarded && e.function == "ip_forward") {
      forwarded = true;
      q = device_question(w, i, route);
    } else if (!neighboured && e.function == "neigh_resolve_output" && e.device.starts_with("flannel.")) {
      neighboured = true;
      q = row_question(w, i);
    } else if (!vxlan_fdb && e.function == "vxlan_xmit") {
      vxlan_fdb = true;
      q = row_question(w, i);
    } else if (!encapsulated && (e.function == "vxlan_xmit_one" || e.function == "udp_sendmsg")) {
      encapsulated = true;
      q = outer_question(w, i, gateway_of(route));
    }
    if (q) out.push_back(std::move(*q));
  }
  return out;
}

std::string ChallengeRound::answer(int choice) {
  const Challenge& c = current();
  if (!answered_) {
    answered_ = true;
    last_right_ = choice == c.answer;
    score_ += last_right_;
  }
  return (last_right_ ? "Right. " : "Not quite: the answer is " + c.choices[std::size_t(c.answer)] + ". ") + c.explanation;
}

void ChallengeRound::next() {
  if (done()) return;
  ++current_;
  answered_ = false;
}

}  // namespace ol::gui
