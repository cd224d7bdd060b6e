// The batch subcommands: run (one or all modes, CSV written) and compare (all modes side by side).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ol::cli {

struct RunCliOptions {
  std::string file;
  std::string mode = "all";
  std::optional<std::string> out;  // default results/<scenario>/
  std::optional<std::uint64_t> seed;
  bool offloads = true;
  std::optional<std::string> svg;
  std::optional<std::string> pcap;  // run: a capture per interface under DIR/<mode>/
  std::optional<std::string> trace;  // run: the sampled packets' steps as JSON
  int trace_packets = 3;  // compare: also draw the comparison chart here
  std::optional<std::string> profile;  // a cost profile JSON (e.g. from calibrate) instead of the default
  std::string bin = "100ms";            // the timeline's bin width
  std::optional<std::string> timeline_svg;  // also draw the timeline (delivered per bin, per mode) here
  int lab_cores = 0;  // the lab mode: every namespace on one machine of this many cores (0: cluster mode)
};
int cmd_run(const RunCliOptions& o, bool print_table);

struct SweepCliOptions {
  std::string file;
  int jobs = 1;
  std::string shard = "1/1";
  std::optional<std::string> out;  // default results/<sweep>/sweep.csv (or sweep.shard-I-of-N.csv)
  // Instead of running: the files that run it on a cluster's scheduler, one task per shard.
  std::optional<std::string> slurm_dir;  // sweep.sbatch, merge.sbatch, submit.sh
  std::optional<std::string> k8s_job;    // an Indexed Job manifest
  int shards = 4;
  std::vector<std::string> sbatch_options;
  std::optional<std::string> program;  // overlaylab on the cluster (default: this one's absolute path)
  std::string image = "overlaylab:latest";
  std::string claim = "overlaylab-results";
};
int cmd_sweep(const SweepCliOptions& o);
int cmd_merge(const std::string& out, const std::vector<std::string>& inputs);

}  // namespace ol::cli
