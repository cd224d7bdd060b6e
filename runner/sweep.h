// Sweeps: a grid of scenario parameters × modes × seeds, each point a run, run on a pool of
// threads (every run has its own simulator, so they share nothing). A shard takes every N-th run,
// so machines can split a sweep and `merge` joins their CSVs into exactly the unsharded one.
//
// A sweep file:
//   {"name": "payload", "scenario": "../two-nodes-udp.json",      (relative to the sweep file)
//    "modes": ["host-gw", "udp", "vxlan"], "seeds": [1, 2, 3],
//    "parameters": {"/workloads/0/size": [64, 256, 512, 1024, 1400]}}   (JSON pointers into the scenario)
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace ol::runner {

struct Shard {
  int index = 1, count = 1;  // 1-based: shard I of N takes runs r with r % N == I - 1
};

struct SweepOutcome {
  std::string csv;  // header, then the runs' rows in run order
  int runs = 0;     // runs this shard made
};

// Throws std::runtime_error naming the file, the JSON path and the fix for a bad sweep, and a
// ScenarioError for a grid point the scenario loader refuses.
SweepOutcome run_sweep(const std::string& sweep_file, int jobs, Shard shard,
                       const std::function<void(int done, int total)>& progress = nullptr);

// Checks the sweep file as run_sweep does and returns the number of runs in its whole grid.
int sweep_runs(const std::string& sweep_file);

struct ShardCsv {
  std::string file;  // for messages
  std::string text;
};

// Joins shard CSVs: one header, the rows ordered by run, exactly the CSV of the unsharded sweep.
// Throws std::runtime_error naming the file (and line) and the fix when a CSV is not a sweep's, the
// columns differ, a run is in two files (a shard given twice), or runs are missing (naming the
// shard that holds them).
std::string merge_csv(const std::vector<ShardCsv>& shards);

}  // namespace ol::runner
