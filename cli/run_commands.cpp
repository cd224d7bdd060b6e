#include "cli/run_commands.h"
#include "cli/scenario_args.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <unistd.h>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/scenario/load.h"
#include "runner/atomic_file.h"
#include "runner/batch_jobs.h"
#include "runner/chart.h"
#include "runner/timeline_chart.h"
#include "runner/run.h"
#include "runner/sweep.h"

namespace ol::cli {

namespace {

// One step per object, the fields of a walk line.
nlohmann::json trace_json(const std::vector<TraceEvent>& steps) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : steps)
    out.push_back({{"time_ns", e.time}, {"packet", e.packet}, {"node", e.node}, {"netns", e.netns}, {"device", e.device},
                   {"function", e.function}, {"table", e.table}, {"entry", e.entry}, {"verdict", e.verdict},
                   {"headers", e.headers}, {"size", e.size}, {"crossing", e.crossing}});
  return out;
}

// "-" is "not applicable" (no throughput for ping) or "none measured" (nothing delivered): the
// sent and delivered columns say which.
void print_table(const std::vector<runner::FlowRow>& rows) {
  std::cout << fmt::format("{:<8} {:>4} {:<5} {:<14} {:>8} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>9} {:>8}\n",
                           "mode", "flow", "proto", "pods", "sent", "deliv", "thru Gb/s", "good Gb/s", "rtt50 us", "rtt99 us",
                           "cpu tx ns", "cpu rx ns", "cross/pkt", "overhead");
  for (const auto& r : rows) {
    auto opt = [](double v, const char* f) { return v < 0 ? std::string("-") : fmt::format(fmt::runtime(f), v); };
    std::cout << fmt::format("{:<8} {:>4} {:<5} {:<14} {:>8} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>9} {:>8}\n",
                             r.mode, r.flow, r.proto, r.src_pod + ">" + r.dst_pod, r.packets_sent, r.packets_delivered,
                             opt(r.proto == "icmp" ? -1 : r.throughput_gbps, "{:.3f}"),
                             opt(r.proto == "icmp" ? -1 : r.goodput_gbps, "{:.3f}"), opt(r.rtt_p50_us, "{:.1f}"),
                             opt(r.rtt_p99_us, "{:.1f}"), opt(r.cpu_ns_per_packet_tx_node, "{:.0f}"),
                             opt(r.cpu_ns_per_packet_rx_node, "{:.0f}"), opt(r.crossings_per_packet, "{:.2f}"),
                             r.overhead_bytes_per_packet);
  }
}

// Per mode: the packets the kernel freed and the commonest reason; then what the control plane
// could not do (config shows the same), on stderr, since it explains lost traffic.
void print_losses(const std::vector<std::pair<std::string, runner::RunResult>>& results, const std::string& file) {
  for (const auto& [mode, r] : results) {
    std::uint64_t total = 0;
    const std::pair<const std::string, std::uint64_t>* top = nullptr;
    for (const auto& kv : r.drops) {
      total += kv.second;
      if (!top || kv.second > top->second) top = &kv;
    }
    std::cout << fmt::format("{:<8} drops: {}", mode, total);
    if (top) std::cout << fmt::format(" (most: {} x{})", top->first, top->second);
    std::cout << "\n";
  }
  for (const auto& [mode, r] : results) {
    if (r.control_plane_errors.empty()) continue;
    std::cerr << fmt::format("warning: {}: the control plane failed {} time{}; see overlaylab config {} --mode {}\n", mode,
                             r.control_plane_errors.size(), r.control_plane_errors.size() == 1 ? "" : "s", file, mode);
    for (const auto& e : r.control_plane_errors) std::cerr << "  " << e << "\n";
  }
}

}  // namespace

int cmd_run(const RunCliOptions& o, bool table) {
  const auto loaded = load_scenario(o.file);
  const auto parsed = parse_modes(o.mode);
  if (!loaded || !parsed) return 2;
  const scenario::Scenario& s = *loaded;
  const std::vector<scenario::Backend>& modes = *parsed;
  if (s.workloads.empty()) {
    std::cerr << fmt::format("{}: $.workloads: nothing to run\n    fix: add a workload, e.g. "
                             "{{\"type\": \"tcp\", \"from\": POD, \"to\": POD, \"duration\": \"1s\"}}\n",
                             o.file);
    return 2;
  }
  const std::string dir = o.out.value_or(default_out_dir(s.name));
  std::optional<cost::Profile> profile;
  if (!load_profile(o.profile, profile)) return 2;
  const auto bin = scenario::parse_duration(o.bin);
  if (!bin || *bin < kNanosPerMilli) {
    std::cerr << fmt::format("--bin: \"{}\" is not a duration of at least 1ms\n    fix: write e.g. --bin 100ms or --bin 1s\n", o.bin);
    return 2;
  }
  runner::RunOptions ro{o.seed, o.offloads, o.pcap, o.trace ? o.trace_packets : 0, profile ? &*profile : nullptr};
  ro.timeline_bin = *bin;
  if (o.lab_cores > 0) {  // as validate builds it: veth pairs for cables, one machine's cores
    ro.lab_cores = o.lab_cores;
    ro.veth_wires = true;
  }
  std::vector<runner::TimelineRow> timeline;
  nlohmann::json trace_runs = nlohmann::json::array();
  std::vector<runner::FlowRow> all;
  std::vector<std::pair<std::string, runner::RunResult>> results;
  std::vector<std::pair<std::string, std::string>> files;  // every file, written only once all modes ran
  try {
    for (auto m : modes) {
      runner::RunResult r = runner::run_mode(s, m, ro);
      const std::string name = scenario::backend_name(m);
      files.emplace_back(dir + "/" + name + ".csv", runner::flows_csv(r.flows));
      files.emplace_back(dir + "/" + name + "-steps.csv", runner::steps_csv(r.steps));
      files.emplace_back(dir + "/" + name + "-timeline.csv", runner::timeline_csv(r.timeline));
      if (!r.convergence.empty()) files.emplace_back(dir + "/" + name + "-convergence.csv", runner::convergence_csv(r.convergence));
      timeline.insert(timeline.end(), r.timeline.begin(), r.timeline.end());
      all.insert(all.end(), r.flows.begin(), r.flows.end());
      if (o.trace) trace_runs.push_back({{"mode", name}, {"steps", trace_json(r.trace)}});
      results.emplace_back(name, std::move(r));
    }
    if (o.trace)
      files.emplace_back(*o.trace, nlohmann::json{{"scenario", s.name},
                                                  {"seed", o.seed.value_or(s.seed)},
                                                  {"packets_per_flow", o.trace_packets},
                                                  {"runs", trace_runs}}
                                       .dump(1) + "\n");
    if (o.svg)
      files.emplace_back(*o.svg, runner::comparison_svg(fmt::format("{}: host-gw, udp and vxlan (seed {})", s.name,
                                                                    o.seed.value_or(s.seed)),
                                                        all));
    if (o.timeline_svg)
      files.emplace_back(*o.timeline_svg, runner::timeline_svg(fmt::format("{}: delivered over time (seed {})", s.name,
                                                                           o.seed.value_or(s.seed)),
                                                               timeline, runner::event_marks(s), double(*bin) / 1e9));
    for (const auto& [path, text] : files) runner::write_atomically(path, text);
  } catch (const std::runtime_error& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  if (table) print_table(all);
  print_losses(results, o.file);
  for (const auto& [mode, r] : results) std::cout << runner::convergence_summary(mode, r.convergence);
  for (const auto& f : files) std::cerr << "wrote " << f.first << "\n";
  if (o.pcap) report_pcaps(*o.pcap, modes);
  return 0;
}

namespace {

std::string absolute(const std::string& path) { return std::filesystem::absolute(path).lexically_normal().string(); }

// --slurm DIR / --k8s-job FILE: the sweep checked, then the scheduler's files written, nothing run.
int write_batch_jobs(const SweepCliOptions& o) {
  const int runs = runner::sweep_runs(o.file);
  if (o.shards > runs) {
    std::cerr << fmt::format("--shards {}: {} has only {} runs, so some tasks would have nothing to do\n    fix: use --shards {} or fewer\n",
                             o.shards, o.file, runs, runs);
    return 2;
  }
  runner::BatchJob job;
  job.sweep = o.slurm_dir ? absolute(o.file) : o.file;  // in an image: as given, from its working directory
  job.name = std::filesystem::path(o.file).stem().string();
  job.shards = o.shards;
  job.jobs = o.jobs;
  job.sbatch_options = o.sbatch_options;
  if (o.slurm_dir) {
    job.program = o.program.value_or(std::filesystem::canonical("/proc/self/exe").string());
    const std::string dir = absolute(*o.slurm_dir);
    std::filesystem::create_directories(dir + "/logs");
    for (const auto& f : runner::slurm_job(job, dir)) {
      runner::write_atomically(dir + "/" + f.name, f.text);
      if (f.executable)
        std::filesystem::permissions(dir + "/" + f.name, std::filesystem::perms::owner_exec | std::filesystem::perms::group_exec |
                                                             std::filesystem::perms::others_exec, std::filesystem::perm_options::add);
    }
    std::cout << fmt::format("{}: a Slurm array of {} tasks ({} runs, --jobs {} each) and a merge job into {}/sweep.csv\n"
                             "submit with: sh {}/submit.sh\n",
                             dir, job.shards, runs, job.jobs, dir, dir);
  } else {
    job.program = o.program.value_or("overlaylab");
    runner::write_atomically(*o.k8s_job, runner::kubernetes_indexed_job(job, o.image, o.claim));
    std::cout << fmt::format("{}: an Indexed Job of {} pods ({} runs); apply with: kubectl apply -f {}\n", *o.k8s_job, job.shards, runs,
                             *o.k8s_job);
  }
  return 0;
}

}  // namespace

int cmd_sweep(const SweepCliOptions& o) {
  if (o.slurm_dir || o.k8s_job) {
    try {
      return write_batch_jobs(o);
    } catch (const std::exception& e) {
      std::cerr << e.what() << "\n";
      return 2;
    }
  }
  runner::Shard shard;
  if (std::sscanf(o.shard.c_str(), "%d/%d", &shard.index, &shard.count) != 2) {
    std::cerr << fmt::format("--shard: \"{}\" is not I/N\n    fix: write e.g. 1/3\n", o.shard);
    return 2;
  }
  const bool tty = ::isatty(2);
  auto progress = [tty](int done, int total) {  // a bar on a terminal, nothing otherwise
    if (!tty) return;
    const int w = 40, filled = total ? done * w / total : w;
    std::cerr << fmt::format("\r[{}{}] {}/{} runs", std::string(std::size_t(filled), '#'), std::string(std::size_t(w - filled), ' '),
                             done, total)
              << (done == total ? "\n" : "") << std::flush;
  };
  try {
    runner::SweepOutcome r = runner::run_sweep(o.file, o.jobs, shard, progress);
    const std::string name = std::filesystem::path(o.file).stem().string();
    const std::string out = o.out.value_or(shard.count == 1 ? fmt::format("{}/sweep.csv", default_out_dir(name))
                                                            : fmt::format("{}/sweep.shard-{}-of-{}.csv", default_out_dir(name),
                                                                          shard.index, shard.count));
    runner::write_atomically(out, r.csv);
    std::cout << fmt::format("{}: {} runs\n", out, r.runs);
    return 0;
  } catch (const scenario::ScenarioError& e) {
    std::cerr << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
  }
  return 2;
}

int cmd_merge(const std::string& out, const std::vector<std::string>& inputs) {
  std::vector<runner::ShardCsv> csvs;
  for (const auto& f : inputs) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::cerr << fmt::format("{}: cannot read the file\n", f);
      return 2;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    csvs.push_back({f, ss.str()});
  }
  try {
    runner::write_atomically(out, runner::merge_csv(csvs));
  } catch (const std::exception& e) {
    std::cerr << "merge: " << e.what() << "\n";
    return 2;
  }
  std::cerr << "wrote " << out << "\n";
  return 0;
}

}  // namespace ol::cli
