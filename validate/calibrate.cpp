#include "validate/calibrate.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <memory>
#include <span>
#include <string_view>
#include <thread>

#include <fmt/format.h>

#include "models/scenario/load.h"
#include "lab/session.h"
#include "runner/atomic_file.h"
#include "validate/measure.h"
#include "validate/prefix.h"
#include "validate/profile_fit.h"
#include "validate/real_cluster.h"
#include "validate/validate.h"

namespace ol::validate {

namespace {

// What is fitted, per mode, in this order: from flows 0 (ping), 1 and 2 (UDP), 3 (TCP).
constexpr std::array<const char*, 4> kFigures = {"ping RTT p50 (us)", "UDP 64 B (pps)", "UDP 1400 B (pps)", "TCP (Gbit/s)"};
// What is predicted and never fitted (measure.h, plan_out_of_sample).
constexpr std::array<const char*, 4> kOutOfSample = {"UDP 512 B (pps)", "TCP 4 flows (Gbit/s)", "ping under TCP (us)",
                                                     "TCP MTU 9000 (Gbit/s)"};

std::array<double, 4> figures_of(const std::vector<runner::FlowRow>& rows) {
  return {rows.at(0).rtt_p50_us, packets_per_second(rows.at(1)), packets_per_second(rows.at(2)), rows.at(3).goodput_gbps};
}

// The simulator's out-of-sample flows: 0 the UDP flood, 1-4 the four TCP flows, 6 the ping.
std::array<double, 4> out_of_sample_sim(const std::vector<runner::FlowRow>& rows) {
  double four = 0;
  for (int i = 1; i <= 4; ++i) four += rows.at(std::size_t(i)).goodput_gbps;
  return {packets_per_second(rows.at(0)), four, rows.at(6).rtt_p50_us, rows.at(7).goodput_gbps};
}
// The kernel's: the flood, the four flows' sum, the ping, the jumbo-frame transfer.
std::array<double, 4> out_of_sample_real(const std::vector<runner::FlowRow>& rows) {
  return {packets_per_second(rows.at(0)), rows.at(1).goodput_gbps, rows.at(2).rtt_p50_us, rows.at(3).goodput_gbps};
}

// One mode as it was measured: the scenarios the simulator runs to predict the same flows.
struct ModeRun {
  scenario::Backend mode;
  scenario::Scenario sim_scenario, oos_scenario, jumbo_scenario;
  std::vector<runner::FlowRow> real, oos_real;  // per figure, the run with its median
  std::vector<std::vector<runner::FlowRow>> real_runs, oos_runs;  // every run
};

// Each run's figures, worked out once.
template <typename Figures>
auto figures_by_run(const std::vector<std::vector<runner::FlowRow>>& runs, Figures figures) {
  std::vector<decltype(figures(runs.at(0)))> v;
  for (const auto& r : runs) v.push_back(figures(r));
  return v;
}

// Per figure k (row k gives figure k), the row of the run whose figure is the median (the lower
// of the two middle ones for an even count), so a row stays one run's.
template <typename Figures>
std::vector<runner::FlowRow> median_rows(const std::vector<std::vector<runner::FlowRow>>& runs, Figures figures) {
  const auto f = figures_by_run(runs, figures);
  std::vector<runner::FlowRow> out = runs[0];
  for (std::size_t k = 0; k < f[0].size(); ++k) {
    std::vector<std::size_t> idx(runs.size());
    for (std::size_t r = 0; r < idx.size(); ++r) idx[r] = r;
    std::sort(idx.begin(), idx.end(), [&](auto a, auto b) { return f[a][k] < f[b][k]; });
    out[k] = runs[idx[(idx.size() - 1) / 2]][k];
  }
  return out;
}

// Every run's figures of every mode, the lowest and the highest, in the tables' order.
template <typename Figures>
void ranges(const std::vector<std::vector<runner::FlowRow>>& runs, Figures figures, std::vector<double>& lo, std::vector<double>& hi) {
  const auto f = figures_by_run(runs, figures);
  for (std::size_t k = 0; k < f[0].size(); ++k) {
    double a = f[0][k], b = a;
    for (const auto& r : f) a = std::min(a, r[k]), b = std::max(b, r[k]);
    lo.push_back(a), hi.push_back(b);
  }
}

// The simulator run as the lab is built: veth pairs for cables, and every namespace on this one
// machine's cores (the lab mode).
runner::RunOptions lab_options(const cost::Profile* p) {
  runner::RunOptions ro;
  ro.profile = p;
  ro.veth_wires = true;
  ro.lab_cores = std::max(1, int(std::thread::hardware_concurrency()));
  return ro;
}

// One mode built for real from `s` (its backend set): the simulated cluster settled, the same
// commands run in namespaces under a prefix with `tag` (udpd started in udp mode), the pair to
// measure, and the scenario as the kernel ran it (without link delays when it could not apply
// them). Null when it could not be built (printed why).
struct Lab {
  std::unique_ptr<cluster::Session> sim;  // before `real`, which reads it, and outlives it
  std::unique_ptr<RealCluster> real;
  MeasurePlan plan;
  std::string dst;  // the receiving pod's address
  scenario::Scenario as_built;
  Nanos at = 0;     // when the simulated measurements may start
};

std::unique_ptr<Lab> build_lab(const scenario::Scenario& s, const CalibrateOptions& o, std::ostream& out, const std::string& tag) {
  const std::string name = scenario::backend_name(s.net_conf.backend);
  auto lab = std::make_unique<Lab>();
  lab->sim = std::make_unique<cluster::Session>(s);
  lab->sim->cluster.converge();
  lab->plan = plan_of(s, o.seconds);
  const auto* dst = lab->sim->cluster.pod(lab->plan.to);
  if (!dst || !dst->ip) {
    out << fmt::format("{}: pod {} has no address once the cluster has settled\n", name, lab->plan.to);
    return nullptr;
  }
  lab->dst = dst->ip->str();
  lab->real = std::make_unique<RealCluster>(*lab->sim, run_prefix() + tag + name.substr(0, 1) + "-", false);
  if (const int diffs = lab->real->build(out); diffs != 0) {
    out << fmt::format("{}: {}\n", name, diffs < 0 ? "interrupted" : "the kernel disagreed on commands (see validate): not measured");
    return nullptr;
  }
  if (s.net_conf.backend == scenario::Backend::Udp && !lab->real->start_udpd(out)) return nullptr;
  lab->as_built = s;
  if (lab->real->links_shaped_with_tbf())  // as the kernel ran them: a token bucket, and no delay (only netem delays)
    for (auto& seg : lab->as_built.segments) {
      seg.delay = 0;
      seg.shaper = scenario::Segment::Shaper::Tbf;
    }
  lab->at = lab->sim->sim.now() + 10 * kNanosPerMilli;
  out << name << ": " << use_linux_tcp_defaults({lab->real->prefix() + lab->plan.from, lab->real->prefix() + lab->plan.to}) << "\n";
  return lab;
}

// Builds the mode for real, measures it, and prepares the matching simulated scenarios.
bool measure_mode(const scenario::Scenario& in, scenario::Backend mode, const CalibrateOptions& o, std::ostream& out,
                  ModeRun& run) {
  scenario::Scenario s = in;
  scenario::override_backend(s, mode);
  const std::string name = scenario::backend_name(mode);
  const auto lab = build_lab(s, o, out, "c");
  if (!lab) return false;
  scenario::Scenario sc = plan_scenario(lab->as_built, lab->plan, lab->at);
  scenario::Scenario first = sc;  // the pod's route MTU, from the ping alone (not the whole run)
  first.workloads.resize(1);
  const int mtu = runner::run_mode(first, mode, lab_options(nullptr)).flows.at(0).mtu;
  run = ModeRun{.mode = mode, .sim_scenario = sc, .oos_scenario = plan_out_of_sample(lab->as_built, lab->plan, lab->at)};
  for (int i = 0; i < o.repeat; ++i) {
    if (o.repeat > 1) out << fmt::format("{}: run {} of {}\n", name, i + 1, o.repeat);
    run.real_runs.push_back(measure_real(s, lab->plan, lab->real->prefix(), lab->dst, mtu, out));
    if (g_interrupted) return false;
    run.oos_runs.push_back(measure_out_of_sample(s, lab->plan, lab->real->prefix(), lab->dst, mtu, out));
    if (g_interrupted) return false;
  }
  run.real = median_rows(run.real_runs, figures_of);
  return true;
}

// Out of sample: TCP over a 9000-byte underlay, in a second lab built as the first was (after it
// is gone), the same number of times; each run's row joins that run's other out-of-sample rows.
bool measure_jumbo_mode(const scenario::Scenario& in, scenario::Backend mode, const CalibrateOptions& o, std::ostream& out,
                        ModeRun& run) {
  scenario::Scenario s = with_underlay_mtu(in, kJumboMtu);
  scenario::override_backend(s, mode);
  const auto lab = build_lab(s, o, out, "j");
  if (!lab) return false;
  run.jumbo_scenario = plan_jumbo(lab->as_built, lab->plan, lab->at);
  const int mtu = runner::run_mode(run.jumbo_scenario, mode, lab_options(nullptr)).flows.at(0).mtu;
  for (auto& oos : run.oos_runs) {
    oos.push_back(measure_jumbo(s, lab->plan, lab->real->prefix(), lab->dst, mtu, out));
    if (g_interrupted) return false;
  }
  run.oos_real = median_rows(run.oos_runs, out_of_sample_real);
  return true;
}

// Predictions for a batch of scale vectors: every mode's four figures, two simulations at a time.
std::vector<std::vector<double>> predict(const std::vector<ModeRun>& runs, const cost::Profile& base, const std::vector<Scales>& batch) {
  std::vector<std::vector<double>> out(batch.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < batch.size();) {
      const cost::Profile p = scaled(base, batch[i]);
      const runner::RunOptions ro = lab_options(&p);
      for (const auto& r : runs)
        for (double f : figures_of(runner::run_mode(r.sim_scenario, r.mode, ro).flows)) out[i].push_back(f);
    }
  };
  std::thread second(worker);
  worker();
  second.join();
  return out;
}

std::string pct(double predicted, double measured) {
  return measured > 0 ? fmt::format("{:+.0f}%", (predicted / measured - 1) * 100) : "-";
}

// Figures per mode (in the runs' order, `names.size()` each, flattened): measured, predicted by
// the base profile, and by the calibrated one.
struct Table {
  std::span<const char* const> names;
  std::vector<double> measured, before, after;
  std::vector<double> lo, hi;  // the kernel's lowest and highest over its runs
  int runs = 1;
};

// The modes in order of a figure, best first ("host-gw > vxlan > udp"): an RTT low, a rate high.
std::string ranking(const std::vector<ModeRun>& runs, const Table& t, const std::vector<double>& v, std::size_t figure) {
  const std::size_t n = t.names.size();
  std::vector<std::size_t> idx(runs.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  const bool lower_better = std::string_view(t.names[figure]).find("ping") != std::string_view::npos;
  std::sort(idx.begin(), idx.end(), [&](auto a, auto b) {
    const double x = v[a * n + figure], y = v[b * n + figure];
    return lower_better ? x < y : x > y;
  });
  std::string s;
  for (auto i : idx) s += (s.empty() ? "" : " > ") + std::string(scenario::backend_name(runs[i].mode));
  return s;
}

// The table, how many calibrated predictions are within 25 %, and the modes' ranking per figure.
std::string table_text(const std::vector<ModeRun>& runs, const Table& t, const std::string& summary) {
  const std::size_t n = t.names.size();
  std::string s = fmt::format("{:<8} {:<20} {:>12} {:>14} {:>8} {:>14} {:>8} {:>7}", "mode", "figure", "measured",
                              "default model", "error", "calibrated", "error", "ratio");
  s += t.runs > 1 ? fmt::format("  kernel's {} runs\n", t.runs) : "\n";
  int within = 0, total = 0;
  for (std::size_t m = 0; m < runs.size(); ++m)
    for (std::size_t f = 0; f < n; ++f) {
      const std::size_t k = m * n + f;
      const double meas = t.measured[k], pred = t.after[k];
      if (meas > 0) ++total, within += std::abs(pred / meas - 1) <= 0.25;
      s += fmt::format("{:<8} {:<20} {:>12.4g} {:>14.4g} {:>8} {:>14.4g} {:>8} {:>7.3f}", scenario::backend_name(runs[m].mode),
                       t.names[f], meas, t.before[k], pct(t.before[k], meas), pred, pct(pred, meas), meas > 0 ? pred / meas : 0);
      s += t.runs > 1 ? fmt::format("  {:.4g} to {:.4g}\n", t.lo[k], t.hi[k]) : "\n";
    }
  s += fmt::format("\n{} of {} figures within 25% after calibration{}\n", within, total, summary);
  if (runs.size() > 1)
    for (std::size_t f = 0; f < n; ++f) {
      const auto a = ranking(runs, t, t.measured, f), b = ranking(runs, t, t.after, f);
      s += fmt::format("ranking by {:<20} kernel: {:<26} model: {:<26} {}\n", t.names[f], a, b, a == b ? "same" : "DIFFERENT");
    }
  return s;
}

std::string report(const std::vector<ModeRun>& runs, const Table& in, const Table& out, const FitResult& fit) {
  std::string s = "in sample: the figures the calibration fitted\n";
  s += table_text(runs, in, fmt::format(" (rms log error {:.3f}, {} simulations)", fit.rms_log_error, fit.evaluations * runs.size()));
  s += "\nout of sample: measured in the same run, predicted and never fitted\n";
  s += table_text(runs, out, " (not fitted to them)");
  s += "\nfitted factors (applied to every step of the group in the default model):\n";
  for (std::size_t g = 0; g < kGroups; ++g)
    s += fmt::format("  {:<32} x{:.3f}\n", group_name(CostGroup(g)), std::exp(fit.scales[g]));
  return s;
}

// Every mode's out-of-sample figures under `p`, and its simulated rows (flows numbered as the
// measured ones: 4 on).
std::vector<double> predict_out_of_sample(const std::vector<ModeRun>& runs, const cost::Profile& p,
                                          std::vector<runner::FlowRow>* rows = nullptr) {
  std::vector<double> v;
  const runner::RunOptions ro = lab_options(&p);
  for (const auto& r : runs) {
    auto flows = runner::run_mode(r.oos_scenario, r.mode, ro).flows;
    for (auto& row : runner::run_mode(r.jumbo_scenario, r.mode, ro).flows) row.flow = 7, flows.push_back(row);
    for (double f : out_of_sample_sim(flows)) v.push_back(f);
    if (!rows) continue;
    for (auto& row : flows) row.flow += 4, rows->push_back(row);
    rows->insert(rows->end(), r.oos_real.begin(), r.oos_real.end());
  }
  return v;
}

}  // namespace

int calibrate(const scenario::Scenario& s, const CalibrateOptions& o, std::ostream& out) {
  std::vector<ModeRun> runs;
  for (auto mode : o.modes) {
    if (g_interrupted) return 130;
    ModeRun r;
    try {
      if (!measure_mode(s, mode, o, out, r) || !measure_jumbo_mode(s, mode, o, out, r)) return g_interrupted ? 130 : 1;
    } catch (const std::exception& e) {
      out << fmt::format("{}: could not measure: {}\n", scenario::backend_name(mode), e.what());
      return 1;
    }
    runs.push_back(std::move(r));
  }
  std::vector<double> measured;
  for (const auto& r : runs)
    for (double f : figures_of(r.real)) measured.push_back(f);
  out << fmt::format("fitting {} cost groups to {} measured figures…\n", kGroups, measured.size());
  const cost::Profile& base = o.base ? *o.base : cost::Profile::builtin();
  const auto before = predict(runs, base, {Scales{}}).front();
  const auto batch = [&](const std::vector<Scales>& b) { return predict(runs, base, b); };
  const FitResult fit = fit_profile(measured, batch, o.iterations);

  cost::Profile profile = scaled(base, fit.scales);
  profile.name = "calibrated-" + s.name;
  profile.description = fmt::format(
      "{} with each group of steps scaled to fit measurements made by `overlaylab calibrate {}` "
      "(ping RTT, iperf3 UDP 64/1400 B and TCP in real namespaces{}, rms log error {:.3f}). A fit of this machine, where all "
      "namespaces share its cores (the simulator's lab mode), not of a cluster of separate hosts.",
      o.base ? "the profile " + base.name : std::string("models/cost/default.json"), s.file,
      o.repeat > 1 ? fmt::format(", the median of {} runs each", o.repeat) : "", fit.rms_log_error);
  for (std::size_t i = 0; i < cost::kSteps; ++i)
    profile.steps[i].source = fmt::format("x{:.3f} ({}) of the base: {}", std::exp(fit.scales[std::size_t(group_of(cost::Step(i)))]),
                                          group_name(group_of(cost::Step(i))), profile.steps[i].source);
  std::vector<runner::FlowRow> rows;
  const runner::RunOptions ro = lab_options(&profile);
  for (const auto& r : runs) {
    for (auto row : runner::run_mode(r.sim_scenario, r.mode, ro).flows) rows.push_back(row);
    rows.insert(rows.end(), r.real.begin(), r.real.end());
  }
  Table in{kFigures, measured, before, fit.predicted, {}, {}, o.repeat}, oos{kOutOfSample, {}, predict_out_of_sample(runs, base), {}, {}, {}, o.repeat};
  for (const auto& r : runs) {
    for (double f : out_of_sample_real(r.oos_real)) oos.measured.push_back(f);
    ranges(r.real_runs, figures_of, in.lo, in.hi);
    ranges(r.oos_runs, out_of_sample_real, oos.lo, oos.hi);
  }
  std::vector<runner::FlowRow> oos_rows;
  oos.after = predict_out_of_sample(runs, profile, &oos_rows);
  std::string text = report(runs, in, oos, fit);
  if (o.base) text += fmt::format("(the base profile, \"default model\" above, is {}: {})\n", base.name, base.description);
  runner::write_atomically(o.out_dir + "/profile.json", profile.to_json());
  runner::write_atomically(o.out_dir + "/side-by-side.csv", runner::flows_csv(rows));
  runner::write_atomically(o.out_dir + "/out-of-sample.csv", runner::flows_csv(oos_rows));
  runner::write_atomically(o.out_dir + "/report.txt", text);
  out << "\n" << text
      << fmt::format("\nwrote {0}/profile.json, {0}/side-by-side.csv, {0}/out-of-sample.csv and {0}/report.txt\n", o.out_dir);
  return 0;
}

}  // namespace ol::validate
