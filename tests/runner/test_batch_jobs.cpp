// The files `sweep --slurm` and `--k8s-job` write: what a scheduler runs for each shard.
#include <catch2/catch.hpp>

#include "runner/batch_jobs.h"

using namespace ol::runner;

namespace {
BatchJob job() {
  BatchJob j;
  j.program = "/opt/overlaylab/bin/overlaylab";
  j.sweep = "/home/me/sweeps/my sweep.json";
  j.name = "Payload_Grid";
  j.shards = 3;
  j.jobs = 2;
  j.sbatch_options = {"--partition=short", "--time=01:00:00"};
  return j;
}
}  // namespace

TEST_CASE("slurm: an array of one task per shard, a merge of exactly those shards, submitted afterok") {
  const auto files = slurm_job(job(), "/scratch/run");
  REQUIRE(files.size() == 3);
  CHECK(files[0].name == "sweep.sbatch");
  const std::string& array = files[0].text;
  CHECK_THAT(array, Catch::Contains("#SBATCH --array=1-3\n"));
  CHECK_THAT(array, Catch::Contains("#SBATCH --cpus-per-task=2\n"));
  CHECK_THAT(array, Catch::Contains("#SBATCH --partition=short\n#SBATCH --time=01:00:00\n"));
  CHECK_THAT(array, Catch::Contains("#SBATCH --output=/scratch/run/logs/shard-%a.out\n"));
  CHECK_THAT(array, Catch::EndsWith("exec '/opt/overlaylab/bin/overlaylab' sweep '/home/me/sweeps/my sweep.json' --jobs 2 "
                                    "--shard \"$SLURM_ARRAY_TASK_ID/3\" --out '/scratch/run'/shard-\"$SLURM_ARRAY_TASK_ID\".csv\n"));
  CHECK(files[1].name == "merge.sbatch");
  CHECK_THAT(files[1].text, Catch::EndsWith("exec '/opt/overlaylab/bin/overlaylab' merge '/scratch/run/sweep.csv' "
                                            "'/scratch/run/shard-1.csv' '/scratch/run/shard-2.csv' '/scratch/run/shard-3.csv'\n"));
  CHECK(files[2].name == "submit.sh");
  CHECK(files[2].executable);
  CHECK_THAT(files[2].text, Catch::Contains("merge=$(sbatch --parsable --dependency=afterok:\"$array\" '/scratch/run'/merge.sbatch)"));
}

TEST_CASE("slurm: a path with a quote in it stays one word for the shell") {
  BatchJob j = job();
  j.sweep = "/data/it's.json";
  CHECK_THAT(slurm_job(j, "/x")[0].text, Catch::Contains("sweep '/data/it'\\''s.json' --jobs"));
}

TEST_CASE("kubernetes: an Indexed Job whose index picks the 1-based shard, results on the claim") {
  const std::string y = kubernetes_indexed_job(job(), "registry.example/overlaylab:1.0", "sweeps-pvc");
  CHECK_THAT(y, Catch::Contains("  name: payload-grid-sweep\n"));  // an RFC 1123 name
  CHECK_THAT(y, Catch::Contains("  completionMode: Indexed\n  completions: 3\n  parallelism: 3\n"));
  CHECK_THAT(y, Catch::Contains("        image: registry.example/overlaylab:1.0\n"));
  CHECK_THAT(y, Catch::Contains("--shard \"$((JOB_COMPLETION_INDEX + 1))/3\" --out /results/shard-\"$((JOB_COMPLETION_INDEX + 1))\".csv\n"));
  CHECK_THAT(y, Catch::Contains("          claimName: sweeps-pvc\n"));
  CHECK_THAT(y, Catch::Contains("            cpu: \"2\"\n"));
}
