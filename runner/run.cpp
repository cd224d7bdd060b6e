#include "runner/run.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "models/flannel/udp.h"
#include "models/flannel/vxlan.h"
#include "models/kernel/drop.h"
#include "models/kernel/ipv4/ip.h"
#include "models/scenario/load.h"
#include "models/userspace/ping_app.h"
#include "models/userspace/tcp_flow.h"
#include "models/userspace/udp_flow.h"
#include "lab/session.h"
#include "runner/pcap.h"

namespace ol::runner {

int overhead_of(scenario::Backend b) {
  switch (b) {
    case scenario::Backend::HostGw: return 0;
    case scenario::Backend::Udp: return flannel::UdpNetwork::kOverhead;
    case scenario::Backend::Vxlan: return flannel::VxlanNetwork::kOverhead;
  }
  return 0;
}

namespace {

// One workload: created when it is due (its pods may not exist before), then measured.
struct Flow final : EventTarget {
  Flow(cluster::Session& s, const scenario::Workload& w, int index, bool offloads, int trace_first)
      : s(s), w(w), index(index), offloads(offloads), trace_first(trace_first) {}

  void on_event(std::uint64_t) override {
    const auto* dst = s.cluster.pod(w.to);
    kernel::Netns* src = s.world.netns(w.from);
    kernel::Netns* dns = s.world.netns(w.to);
    if (!src || !dst || !dst->ip || !dns) return;  // not running at its time: nothing sent
    if (auto rt = kernel::ip_route_output(*src, *dst->ip)) mtu = rt->mtu;
    const Nanos now = s.sim.now();
    if (w.type == "ping") {
      ping = std::make_unique<traffic::PingApp>(*src, *dst->ip, std::uint16_t(0x5000 + index), w.count, w.interval, w.size);
      ping->flow = flow_id();
      ping->timeline_bin = bin;
      ping->trace_first = trace_first;
      ping->start(now);
    } else if (w.type == "udp") {
      udp = std::make_unique<traffic::UdpFlow>(*src, *dns, *dst->ip, w.port, w.size, w.rate_pps, w.duration);
      udp->flow = flow_id();
      udp->timeline_bin = bin;
      udp->trace_first = trace_first;
      udp->start(now);
    } else {
      tcp = std::make_unique<traffic::TcpFlow>(*src, *dns, *dst->ip, w.port, w.duration, offloads);
      tcp->flow = flow_id();
      tcp->timeline_bin = bin;
      tcp->trace_first = trace_first;
      tcp->start(now);
    }
  }
  std::uint16_t flow_id() const { return std::uint16_t(index + 1); }
  Nanos end_time() const {
    if (w.type == "ping") return w.at + Nanos(w.count - 1) * w.interval + kNanosPerSecond;
    return w.at + w.duration + kNanosPerSecond / 2;
  }
  traffic::FlowStats stats() {
    if (ping) return ping->finish();
    if (udp) return udp->stats();
    if (tcp) return tcp->stats();
    return {};
  }
  int payload() const { return w.type == "tcp" ? (tcp ? int(tcp->mss()) : 0) : w.size; }

  cluster::Session& s;
  const scenario::Workload& w;
  int index;
  bool offloads;
  int trace_first;
  Nanos bin = 100 * kNanosPerMilli;
  int mtu = 0;
  std::unique_ptr<traffic::PingApp> ping;
  std::unique_ptr<traffic::UdpFlow> udp;
  std::unique_ptr<traffic::TcpFlow> tcp;
};

double us(double ns) { return ns < 0 ? -1 : ns / 1000.0; }

// Kernel/user crossings the datapath itself made (the udp proxy's read, sendto, recvfrom and
// write on both nodes): the applications' own system calls are not counted.
std::uint64_t datapath_crossings(const cost::NodeCpu* a, const cost::NodeCpu* b, std::uint16_t flow) {
  std::uint64_t n = 0;
  for (const cost::NodeCpu* c : {a, b})
    if (const auto st = c ? c->flow_steps(flow) : std::nullopt)
      n += 2 * ((*st)[std::size_t(cost::Step::TunDoRead)].calls + (*st)[std::size_t(cost::Step::TunGetUser)].calls);
  return a == b ? n / 2 : n;
}

// What a flow's work cost a node, all steps together.
double flow_ns(const cost::NodeCpu* c, std::uint16_t flow) {
  const auto st = c ? c->flow_steps(flow) : std::nullopt;
  double ns = 0;
  if (st)
    for (const auto& x : *st) ns += double(x.ns);
  return ns;
}

}  // namespace

namespace {
bool has_membership_events(const scenario::Scenario& s) {
  for (const auto& e : s.events)
    if (e.kind == scenario::EventKind::NodeJoin || e.kind == scenario::EventKind::NodeLeave) return true;
  return false;
}
}  // namespace

RunResult run_mode(const scenario::Scenario& in, scenario::Backend mode, const RunOptions& o) {
  scenario::Scenario sc = in;
  scenario::override_backend(sc, mode);
  if (o.seed) sc.seed = *o.seed;
  if (!o.offloads) sc.gso = false;
  std::unique_ptr<PcapWriter> pcap;
  cluster::Session s(std::move(sc), /*keep_log=*/false, [&](cluster::Session& ss) {
    if (o.profile) ss.world.work.profile = o.profile;
    ss.world.softnet.wire_frames = !o.veth_wires;
    ss.world.work.shared_cores = o.lab_cores;
    // From the start: the pods' DHCP exchanges at t = 0 are in the capture too.
    if (o.pcap_dir) pcap = std::make_unique<PcapWriter>(ss.world, *o.pcap_dir + "/" + scenario::backend_name(mode));
  });
  struct CloseFirst {  // the capture is closed (and its files renamed) before the session goes
    std::unique_ptr<PcapWriter>& p;
    ~CloseFirst() { p.reset(); }
  } close_first{pcap};
  std::vector<std::unique_ptr<Flow>> flows;
  Nanos end = 0;
  for (std::size_t i = 0; i < s.scenario.workloads.size(); ++i) {
    flows.push_back(std::make_unique<Flow>(s, s.scenario.workloads[i], int(i), o.offloads, o.trace_packets));
    flows.back()->bin = o.timeline_bin;
    s.sim.at(s.scenario.workloads[i].at, flows.back().get());
    end = std::max(end, flows.back()->end_time());
  }
  TraceLog log;
  if (o.trace_packets > 0) s.world.tracing.sink = &log;
  if (o.progress && end > 0) {
    const Nanos slice = std::max<Nanos>(1, end / 100);
    for (Nanos t = slice; ; t = std::min(end, t + slice)) {
      s.sim.run_until(t);
      if (t >= end || !o.progress(double(t) / double(end))) break;
    }
  } else {
    s.sim.run_until(end);
  }
  // A node joining or leaving is measured until every peer has programmed it: past the traffic.
  if (has_membership_events(s.scenario)) {
    s.sim.run_until(std::max(end, s.scenario.events.back().at));
    s.cluster.converge();
  }
  s.world.tracing.sink = nullptr;

  RunResult r;
  const std::string mode_name = scenario::backend_name(mode);
  const auto homes = s.scenario.pod_homes();
  auto home = [&](const std::string& pod) {
    auto it = homes.find(pod);
    return it == homes.end() ? nullptr : it->second;
  };
  for (auto& f : flows) {
    const traffic::FlowStats st = f->stats();
    FlowRow row;
    row.scenario = s.scenario.name;
    row.mode = mode_name;
    row.seed = s.scenario.seed;
    row.flow = f->index;
    row.src_pod = f->w.from;
    row.dst_pod = f->w.to;
    row.proto = f->w.type == "ping" ? "icmp" : f->w.type;
    row.payload_bytes = f->payload();
    row.mtu = f->mtu;
    row.packets_sent = st.packets_sent;
    row.packets_delivered = st.packets_delivered;
    row.drops = st.packets_sent > st.packets_delivered ? st.packets_sent - st.packets_delivered : 0;
    const double secs = st.first_sent >= 0 && st.last_delivered > st.first_sent ? double(st.last_delivered - st.first_sent) / 1e9 : 0;
    if (secs > 0 && f->w.type != "ping") {
      row.throughput_gbps = double(st.l3_delivered) * 8 / secs / 1e9;
      row.goodput_gbps = double(st.payload_delivered) * 8 / secs / 1e9;
    }
    row.rtt_p50_us = us(st.rtt.percentile(50));
    row.rtt_p99_us = us(st.rtt.percentile(99));
    row.one_way_p50_us = us(st.one_way.percentile(50));
    const auto* src_node = home(f->w.from);
    const auto* dst_node = home(f->w.to);
    const cost::NodeCpu* tx = src_node ? s.world.work.node_cpu(src_node->name) : nullptr;
    const cost::NodeCpu* rx = dst_node ? s.world.work.node_cpu(dst_node->name) : nullptr;
    const double pkts = double(std::max<std::uint64_t>(1, st.packets_delivered));
    const std::uint16_t id = f->flow_id();
    if (st.packets_delivered) {  // per delivered packet: nothing to divide by when none arrived (empty in the CSV)
      row.cpu_ns_per_packet_tx_node = flow_ns(tx, id) / pkts;
      row.cpu_ns_per_packet_rx_node = flow_ns(rx, id) / pkts;
      row.crossings_per_packet = double(datapath_crossings(tx, rx, id)) / pkts;
    }
    row.overhead_bytes_per_packet = overhead_of(mode);
    r.flows.push_back(row);
    const std::size_t bins = std::max(st.timeline.sent.size(), st.timeline.delivered.size());
    for (std::size_t b = 0; b < bins; ++b)
      r.timeline.push_back({row.scenario, mode_name, row.seed, row.flow, double(Nanos(b) * o.timeline_bin) / 1e9,
                            b < st.timeline.sent.size() ? st.timeline.sent[b] : 0,
                            b < st.timeline.delivered.size() ? st.timeline.delivered[b] : 0});
    auto& cdf = r.rtt_samples_us.emplace_back(st.rtt.quantiles(std::min<std::uint64_t>(st.rtt.count(), 2000)));
    for (double& v : cdf) v /= 1000.0;
    for (auto [role, cpu] : {std::pair{"tx", tx}, std::pair{"rx", rx}}) {
      const auto st = cpu ? cpu->flow_steps(id) : std::nullopt;
      if (!st || (cpu == rx && rx == tx && std::string_view(role) == "rx")) continue;  // the lab: one machine, one set of rows
      for (std::size_t k = 0; k < cost::kSteps; ++k) {
        const auto& ss = (*st)[k];
        if (!ss.calls) continue;
        r.steps.push_back({row.scenario, mode_name, row.seed, row.flow, role, cpu->node, cost::step_name(cost::Step(k)), ss.calls,
                           double(ss.ns), double(ss.ns) / pkts});
      }
    }
  }
  for (std::size_t k = 0; k < s.world.tracing.drops.size(); ++k)
    if (s.world.tracing.drops[k]) r.drops[kernel::drop_reason_name(kernel::DropReason(k))] = s.world.tracing.drops[k];
  r.convergence = convergence_rows(s.cluster, mode_name);
  r.trace = std::move(log.events);
  r.control_plane_errors = s.cluster.errors();
  return r;
}

namespace {

std::string num(double v, int prec) { return v < 0 ? "" : fmt::format("{:.{}f}", v, prec); }

}  // namespace

std::string flows_csv(const std::vector<FlowRow>& rows) {
  std::string out =
      "scenario,mode,source,seed,flow,src_pod,dst_pod,proto,payload_bytes,mtu,packets_sent,packets_delivered,drops,"
      "throughput_gbps,goodput_gbps,rtt_p50_us,rtt_p99_us,one_way_p50_us,cpu_ns_per_packet_tx_node,"
      "cpu_ns_per_packet_rx_node,crossings_per_packet,overhead_bytes_per_packet\n";
  for (const auto& r : rows)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", r.scenario, r.mode, r.source, r.seed,
                       r.flow, r.src_pod, r.dst_pod, r.proto, r.payload_bytes, r.mtu, r.packets_sent, r.packets_delivered,
                       r.drops, num(r.throughput_gbps, 4), num(r.goodput_gbps, 4), num(r.rtt_p50_us, 3),
                       num(r.rtt_p99_us, 3), num(r.one_way_p50_us, 3), num(r.cpu_ns_per_packet_tx_node, 1),
                       num(r.cpu_ns_per_packet_rx_node, 1), num(r.crossings_per_packet, 3), r.overhead_bytes_per_packet);
  return out;
}

std::string steps_csv(const std::vector<StepRow>& rows) {
  std::string out = "scenario,mode,seed,flow,role,node,step,calls,ns_total,ns_per_packet\n";
  for (const auto& r : rows)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", r.scenario, r.mode, r.seed, r.flow, r.role, r.node, r.step, r.calls,
                       num(r.ns_total, 0), num(r.ns_per_packet, 2));
  return out;
}

std::string timeline_csv(const std::vector<TimelineRow>& rows) {
  std::string out = "scenario,mode,seed,flow,t_s,sent,delivered\n";
  for (const auto& r : rows)
    out += fmt::format("{},{},{},{},{},{},{}\n", r.scenario, r.mode, r.seed, r.flow, num(r.t_s, 3), r.sent, r.delivered);
  return out;
}

std::vector<ConvergenceRow> convergence_rows(const cluster::Cluster& c, const std::string& mode) {
  std::vector<ConvergenceRow> out;
  const auto& s = c.scenario();
  for (const auto& p : c.convergence())
    out.push_back({s.name, mode, s.seed, p.node, p.joined ? "join" : "leave", p.subnet.str(), p.peer, double(p.written) / 1e9,
                   double(p.heard) / 1e9, double(p.programmed) / 1e9});
  return out;
}

std::string convergence_csv(const std::vector<ConvergenceRow>& rows) {
  std::string out = "scenario,mode,seed,node,event,subnet,peer,written_s,heard_s,programmed_s,lag_ms\n";
  for (const auto& r : rows)
    out += fmt::format("{},{},{},{},{},{},{},{:.6f},{:.6f},{:.6f},{:.3f}\n", r.scenario, r.mode, r.seed, r.node, r.event, r.subnet, r.peer,
                       r.written_s, r.heard_s, r.programmed_s, (r.programmed_s - r.written_s) * 1e3);
  return out;
}

std::string convergence_summary(const std::string& mode, const std::vector<ConvergenceRow>& rows) {
  std::map<std::pair<std::string, std::string>, std::vector<Nanos>> lags;  // (node, event) → per peer, ns
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& r : rows) {
    auto key = std::pair{r.node, r.event};
    auto [it, fresh] = lags.try_emplace(key);
    if (fresh) order.push_back(key);
    it->second.push_back(Nanos(std::llround((r.programmed_s - r.written_s) * 1e9)));
  }
  std::string out;
  for (const auto& key : order) {
    const auto& v = lags[key];
    out += fmt::format("{:<8} {} {}: programmed by {} peer{}; from the lease's write: p50 {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms\n", mode,
                       key.first, key.second, v.size(), v.size() == 1 ? "" : "s", traffic::percentile(v, 50) / 1e6,
                       traffic::percentile(v, 99) / 1e6, traffic::percentile(v, 100) / 1e6);
  }
  return out;
}

std::vector<EventMark> event_marks(const scenario::Scenario& s) {
  std::vector<EventMark> out;
  for (const auto& e : s.events)
    if (e.kind != scenario::EventKind::NodeJoin)
      out.push_back({double(e.at) / 1e9, e.target.empty() ? scenario::event_name(e.kind)
                                                           : fmt::format("{} {}", scenario::event_name(e.kind), e.target)});
  return out;
}

}  // namespace ol::runner
