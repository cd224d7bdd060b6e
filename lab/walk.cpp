#include "lab/walk.h"

#include <stdexcept>

#include <fmt/format.h>

#include "models/kernel/apply.h"
#include "models/kernel/config_error.h"
#include "models/kernel/device.h"
#include "models/netconfig/parse.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"
#include "models/wire/ethernet.h"
#include "models/wire/icmp.h"

namespace ol::cluster {

namespace {

constexpr std::uint16_t kWalkId = 0x574b;  // "WK": the ping socket's identifier

const PodState& running_pod(const Session& s, const std::string& name, const char* role) {
  const PodState* p = s.cluster.pod(name);
  if (!p) {
    std::string pods;
    for (const auto& n : s.scenario.nodes)
      for (const auto& q : n.pods) pods += (pods.empty() ? "" : ", ") + q;
    throw std::invalid_argument(
        fmt::format("{}: no pod named \"{}\" in {}\n    fix: name one of its pods: {}", role, name, s.scenario.file, pods));
  }
  if (!p->ip)
    throw std::invalid_argument(fmt::format("{}: pod \"{}\" has no address at t={:.6f}s ({})", role, name,
                                            double(s.sim.now()) / 1e9,
                                            p->error.empty() ? "its node has not joined yet, or it was deleted" : p->error));
  return *p;
}

// Where the request leg ends: the step that turns it around (an echo reply or an ICMP error).
std::size_t request_end(const std::vector<TraceEvent>& steps) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& f = steps[i].function;
    if (f == "icmp_echo" || f == "icmp_send" || f == "send_net_unreachable") return i;
  }
  return steps.size();
}

std::string where(const TraceEvent& e) { return e.netns == e.node ? e.netns : e.node + "/" + e.netns; }

// The step that stopped the request: its drop, else the step just before it was turned back.
std::string stop_reason(const std::vector<TraceEvent>& steps, std::size_t end) {
  for (const auto& e : steps)
    if (e.verdict.starts_with("drop") || e.verdict.starts_with("connect:"))
      return fmt::format("stopped at {} {} ({})", where(e), e.function, e.verdict);
  if (end > 0 && end < steps.size()) {
    const auto& e = steps[end - 1];
    return fmt::format("stopped at {} {}{} ({}), which answered with {}", where(e), e.function,
                       e.table.empty() ? "" : " [" + e.table + "] " + (e.entry.empty() ? "(no match)" : e.entry), e.verdict,
                       steps[end].verdict);
  }
  return "no reply and no drop recorded (still in flight?)";
}

}  // namespace

// Each edit is one script line; the kernel model applies it as `ip`/`bridge` would, or refuses it.
void apply_edits(Session& s, const std::vector<std::string>& edits) {
  for (const std::string& text : edits) {
    netconfig::NetConfig cfg;
    try {
      cfg = netconfig::parse_script(text, "--edit");
    } catch (const netconfig::ParseError& e) {
      throw std::invalid_argument(fmt::format("--edit \"{}\": {}\n    fix: write one ip or bridge command, as `overlaylab tables` "
                                              "prints the entry (e.g. ip -n node-1 neigh del 10.244.2.0 dev flannel.1)",
                                              text, e.why));
    }
    for (auto& c : cfg.commands) {
      try {
        kernel::apply(s.world, c.op);
      } catch (const kernel::ConfigError& e) {
        throw std::invalid_argument(fmt::format("--edit: {}\n    fix: edit an entry that exists (see `overlaylab tables "
                                                "SCENARIO --node NODE`)",
                                                e.what()));
      }
    }
  }
}

WalkResult walk(Session& s, const WalkOptions& o) {
  if (o.at) s.sim.run_until(*o.at);
  else s.cluster.converge();
  const PodState& a = running_pod(s, o.from, "--from");
  const PodState& b = running_pod(s, o.to, "--to");
  apply_edits(s, o.edits);
  kernel::Netns* ns = s.world.netns(a.name);

  WalkResult r;
  r.from_pod = a.name;
  r.to_pod = b.name;
  r.from_node = a.node;
  r.to_node = b.node;
  r.sent_at = s.sim.now();
  r.src = *a.ip;
  r.dst = *b.ip;
  struct Sink final : TraceSink {
    TraceLog log;
    const WalkOptions* o;
    const kernel::World* world;
    void record(TraceEvent&& e) override {
      if (o->on_step) o->on_step(e, *world);
      log.record(std::move(e));
    }
  } sink;
  sink.o = &o;
  sink.world = &s.world;
  TraceLog& log = sink.log;
  s.world.tracing.sink = &sink;
  s.world.tracing.capture_frames = o.frames;
  std::uint64_t id = 0;
  s.world.tracing.tap = [&](const kernel::Device& d, const kernel::Packet& p) {
    // The request's first IPv4 frame on the sending node's underlay NIC.
    if (r.wire_bytes || p.id != id || d.name != "eth0" || d.netns->name != a.node) return;
    if (auto eth = wire::EthernetView::new_checked(p.bytes()); eth && eth->is_ipv4()) r.wire_bytes = int(eth->payload().size());
  };
  kernel::PingSocket* sock = ns->sockets.ping_open(kWalkId);
  s.world.work.begin(ns->cpu, 0);  // the ping program's sendmsg, on core 0 (the clock is at a settled point)
  auto err = kernel::ping_sendmsg(*ns, kWalkId, 1, r.dst, std::uint32_t(o.size), true, kernel::PmtuDisc::Want, 0, &id);
  s.world.work.end();
  if (err == kernel::Errno::Ok) s.sim.run_until(r.sent_at + o.patience);
  s.world.tracing.sink = nullptr;
  s.world.tracing.capture_frames = false;
  s.world.tracing.tap = nullptr;

  r.steps = std::move(log.events);
  r.request_steps = request_end(r.steps);
  r.inner_bytes = r.steps.empty() ? 0 : int(r.steps.front().size);
  for (std::size_t i = 0; i < r.request_steps; ++i) {
    const auto& e = r.steps[i];
    if (!e.crossing.empty() && e.netns == e.node) {  // on a node, not the pods' own sendmsg/recvmsg
      ++r.crossings;
      r.crossing_functions.push_back(fmt::format("{} {} ({})", e.node, e.function, e.crossing));
    }
  }
  for (const auto& reply : sock->replies) {
    if (reply.type == wire::icmp::kEchoReply) {
      r.delivered = true;
      r.outcome = fmt::format("echo reply from {} after {:.3f} ms, ttl {}", reply.from.str(), double(reply.time - r.sent_at) / 1e6,
                              reply.ttl);
    } else if (r.outcome.empty()) {
      r.outcome = fmt::format("From {}: {}; {}", reply.from.str(), wire::icmp_type_name(reply.type, reply.code),
                              stop_reason(r.steps, r.request_steps));
    }
  }
  if (err != kernel::Errno::Ok) r.outcome = fmt::format("ping: sendmsg: {}", kernel::strerror_text(err));
  if (r.outcome.empty()) r.outcome = "no reply: " + stop_reason(r.steps, r.request_steps);
  ns->sockets.ping_close(kWalkId);  // ping exits: the next walk from this pod opens it again
  return r;
}

}  // namespace ol::cluster
