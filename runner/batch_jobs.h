// A sweep spread over a cluster's scheduler: one task per shard (`sweep --shard I/N`), then a merge.
// Rendered as files a user submits themselves: a Slurm array job and a dependent merge job, or a
// Kubernetes Indexed Job (JOB_COMPLETION_INDEX picks the shard). Shards are disjoint and `merge`
// restores the unsharded order, so the merged CSV is byte-identical to a one-machine sweep.
#pragma once
#include <string>
#include <vector>

namespace ol::runner {

struct BatchJob {
  std::string program;      // overlaylab as the cluster's nodes see it (absolute path)
  std::string sweep;        // the sweep file as the nodes see it (Slurm: absolute; an image: from its workdir)
  std::string name;         // the sweep's name: the jobs' names
  int shards = 1;           // tasks in the array / completions of the Job
  int jobs = 1;             // threads per task (sweep --jobs), also the CPUs each task asks for
  std::vector<std::string> sbatch_options;  // extra `#SBATCH` lines, e.g. "--partition=short"
};

struct JobFile {
  std::string name;  // relative to the output directory
  std::string text;
  bool executable = false;
};

// The Slurm files for `dir` (absolute): sweep.sbatch (the array, one task per shard, each writing
// dir/shard-I.csv), merge.sbatch (dir/sweep.csv), submit.sh (submits both, the merge afterok).
std::vector<JobFile> slurm_job(const BatchJob& job, const std::string& dir);

// A Kubernetes Indexed Job: `image` holds overlaylab, the sweep file at job.sweep (from the image's
// working directory) and its scenarios;
// each pod writes /results/shard-I.csv to the PersistentVolumeClaim `claim`; merge afterwards with
// `overlaylab merge` over those files.
std::string kubernetes_indexed_job(const BatchJob& job, const std::string& image, const std::string& claim);

}  // namespace ol::runner
