#include "runner/batch_jobs.h"

#include <cctype>

#include <fmt/format.h>

namespace ol::runner {
namespace {

// Single-quoted for sh: paths with spaces or $ survive.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string shard_list(const std::string& dir, int shards) {
  std::string out;
  for (int i = 1; i <= shards; ++i) out += fmt::format(" {}", quoted(fmt::format("{}/shard-{}.csv", dir, i)));
  return out;
}

}  // namespace

std::vector<JobFile> slurm_job(const BatchJob& job, const std::string& dir) {
  std::string extra;
  for (const auto& o : job.sbatch_options) extra += fmt::format("#SBATCH {}\n", o);
  std::string array = fmt::format(
      "#!/bin/sh\n"
      "# One task per shard of the sweep {name}: task I makes runs I, I+{n}, I+2*{n}, ... of the grid.\n"
      "#SBATCH --job-name={name}-sweep\n"
      "#SBATCH --array=1-{n}\n"
      "#SBATCH --cpus-per-task={jobs}\n"
      "#SBATCH --output={logs}/shard-%a.out\n"
      "{extra}"
      "set -e\n"
      "exec {prog} sweep {sweep} --jobs {jobs} --shard \"$SLURM_ARRAY_TASK_ID/{n}\" --out {dirq}/shard-\"$SLURM_ARRAY_TASK_ID\".csv\n",
      fmt::arg("name", job.name), fmt::arg("n", job.shards), fmt::arg("jobs", job.jobs), fmt::arg("logs", dir + "/logs"),
      fmt::arg("extra", extra), fmt::arg("prog", quoted(job.program)), fmt::arg("sweep", quoted(job.sweep)),
      fmt::arg("dirq", quoted(dir)));
  std::string merge = fmt::format(
      "#!/bin/sh\n"
      "# Runs once every shard of {name} succeeded (submit.sh makes it depend on the array: afterok).\n"
      "#SBATCH --job-name={name}-merge\n"
      "#SBATCH --output={logs}/merge.out\n"
      "{extra}"
      "set -e\n"
      "exec {prog} merge {out}{shards}\n",
      fmt::arg("name", job.name), fmt::arg("logs", dir + "/logs"), fmt::arg("extra", extra), fmt::arg("prog", quoted(job.program)),
      fmt::arg("out", quoted(dir + "/sweep.csv")), fmt::arg("shards", shard_list(dir, job.shards)));
  std::string submit = fmt::format(
      "#!/bin/sh\n"
      "# Submits the sweep {name} as a Slurm array of {n} tasks, then the merge after all of them.\n"
      "set -e\n"
      "mkdir -p {logs}\n"
      "array=$(sbatch --parsable {dirq}/sweep.sbatch)\n"
      "array=${{array%%;*}}\n"
      "merge=$(sbatch --parsable --dependency=afterok:\"$array\" {dirq}/merge.sbatch)\n"
      "merge=${{merge%%;*}}\n"
      "echo \"submitted: array job $array ({n} shards), merge job $merge -> {out}\"\n",
      fmt::arg("name", job.name), fmt::arg("n", job.shards), fmt::arg("logs", quoted(dir + "/logs")), fmt::arg("dirq", quoted(dir)),
      fmt::arg("out", dir + "/sweep.csv"));
  return {{"sweep.sbatch", array, false}, {"merge.sbatch", merge, false}, {"submit.sh", submit, true}};
}

namespace {

// A Kubernetes object name: lower-case letters, digits and '-', at most 63 characters (RFC 1123).
std::string dns_label(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? char(std::tolower(static_cast<unsigned char>(c))) : '-';
  while (!out.empty() && out.front() == '-') out.erase(out.begin());
  out = out.substr(0, 50);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "overlaylab" : out;
}

}  // namespace

std::string kubernetes_indexed_job(const BatchJob& job, const std::string& image, const std::string& claim) {
  return fmt::format(
      "# The sweep {name} as a Kubernetes Indexed Job: pod k runs shard k+1 of {n}\n"
      "# (JOB_COMPLETION_INDEX is 0-based, --shard 1-based) and writes /results/shard-<k+1>.csv.\n"
      "# Afterwards: overlaylab merge sweep.csv shard-1.csv ... shard-{n}.csv (in the volume).\n"
      "apiVersion: batch/v1\n"
      "kind: Job\n"
      "metadata:\n"
      "  name: {name}-sweep\n"
      "spec:\n"
      "  completionMode: Indexed\n"
      "  completions: {n}\n"
      "  parallelism: {n}\n"
      "  backoffLimit: {n}\n"
      "  template:\n"
      "    spec:\n"
      "      restartPolicy: Never\n"
      "      containers:\n"
      "      - name: shard\n"
      "        image: {image}\n"
      "        command: [\"/bin/sh\", \"-c\"]\n"
      "        args:\n"
      "        - |\n"
      "          exec {prog} sweep {sweep} --jobs {jobs} --shard \"$((JOB_COMPLETION_INDEX + 1))/{n}\" --out /results/shard-\"$((JOB_COMPLETION_INDEX + 1))\".csv\n"
      "        resources:\n"
      "          requests:\n"
      "            cpu: \"{jobs}\"\n"
      "        volumeMounts:\n"
      "        - name: results\n"
      "          mountPath: /results\n"
      "      volumes:\n"
      "      - name: results\n"
      "        persistentVolumeClaim:\n"
      "          claimName: {claim}\n",
      fmt::arg("name", dns_label(job.name)), fmt::arg("n", job.shards), fmt::arg("image", image), fmt::arg("prog", quoted(job.program)),
      fmt::arg("sweep", quoted(job.sweep)), fmt::arg("jobs", job.jobs), fmt::arg("claim", claim));
}

}  // namespace ol::runner
