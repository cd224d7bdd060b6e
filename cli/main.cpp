// overlaylab: the batch command line. Subcommands live in commands.cpp.
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/run_commands.h"
#include "cli/scenario_commands.h"
#include "cli/validate_command.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);  // large outputs (a thousand-node config is millions of lines)
  CLI::App app{"overlaylab: a simulator of the Linux datapath between Kubernetes pods"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("overlaylab ") + OVERLAYLAB_VERSION);

  std::string script;
  auto* netconfig = app.add_subcommand("netconfig", "Parse an ip/bridge/sysctl script and print it normalised");
  netconfig->add_option("FILE", script, "the script")->required();

  std::optional<std::string> netns;
  ol::cli::ScenarioOptions sc;
  auto* tables = app.add_subcommand(
      "tables", "Print every namespace's tables as Linux prints them, after a scenario's control plane settles "
                "(or after an ip/bridge script)");
  tables->add_option("FILE", script, "a scenario (.json) or an ip/bridge script")->required();
  tables->add_option("--netns", netns, "only this namespace (scripts)");
  tables->add_option("--mode", sc.mode, "host-gw (alias underlay), udp or vxlan: overrides net-conf.json's Backend");
  tables->add_option("--node", sc.node, "only this node's namespaces (its own and its pods')");

  std::optional<std::string> state_dir;
  auto* config = app.add_subcommand(
      "config", "Print every command the control plane issues for a scenario, in order, with who issued it");
  config->add_option("SCENARIO", sc.file, "the scenario")->required();
  config->add_option("--mode", sc.mode, "host-gw (alias underlay), udp or vxlan: overrides net-conf.json's Backend");
  config->add_option("--node", sc.node, "only this node's commands");
  config->add_option("--state-dir", state_dir, "also write each node's files (subnet.env, host-local's store) under DIR/<node>/");

  std::optional<std::string> control_pod, control_join;
  auto* control = app.add_subcommand(
      "control", "Step through one pod's creation or one node's join, command by command, with the table rows each adds");
  control->add_option("SCENARIO", sc.file, "the scenario")->required();
  control->add_option("--mode", sc.mode, "host-gw (alias underlay), udp or vxlan: overrides net-conf.json's Backend");
  auto* pod_opt = control->add_option("--pod", control_pod, "the pod whose creation to show (kubelet, then the CNI plugins)");
  auto* join_opt = control->add_option("--join", control_join, "the node whose join to show (its flanneld, then each peer's)");
  pod_opt->excludes(join_opt);
  control->callback([&] {
    if (!control_pod && !control_join) throw CLI::ValidationError("control: name --pod POD or --join NODE");
  });

  std::string cni_pod;
  auto* cni = app.add_subcommand(
      "cni", "Print every CNI plugin invocation for one pod, in order: environment, stdin, commands, result or error");
  cni->add_option("SCENARIO", sc.file, "the scenario")->required();
  cni->add_option("--mode", sc.mode, "host-gw (alias underlay), udp or vxlan: overrides net-conf.json's Backend");
  cni->add_option("--pod", cni_pod, "the pod whose CNI calls to show")->required();
  bool cni_compare = false;
  std::optional<std::string> cni_to;
  cni->add_flag("--side-by-side", cni_compare,
                "bridge and ptp as flannel's delegate, side by side: what each creates for the pod, what its packet meets");
  cni->add_option("--to", cni_to, "with --side-by-side: the pod to send the echo to; default the first pod on another node");

  ol::cli::ImportCliOptions im;
  auto* import = app.add_subcommand(
      "import", "Make a scenario from a real cluster: kubectl's nodes (-o json), kube-flannel's ConfigMap (-o json), its pods");
  import->add_option("--nodes", im.nodes, "kubectl get nodes -o json > FILE")->required();
  import->add_option("--configmap", im.configmap, "kubectl -n kube-flannel get configmap kube-flannel-cfg -o json > FILE")->required();
  import->add_option("--pods", im.pods, "kubectl get pods -A -o wide > FILE (or -o json); without it the nodes run no pods");
  import->add_option("--name", im.name, "the scenario's name; default imported");
  import->add_option("--out", im.out, "write the scenario here (atomically); default standard output");

  auto* format = app.add_subcommand(
      "scenario-format", "Print the scenario file's format: every key, its values and what it means (from the schema compiled in)");

  ol::cli::WalkCliOptions wk;
  auto* walk = app.add_subcommand("walk", "Send one ICMP echo from a pod to a pod and print every step it takes");
  walk->add_option("SCENARIO", wk.scenario.file, "the scenario")->required();
  walk->add_option("--mode", wk.scenario.mode, "host-gw (alias underlay), udp or vxlan");
  walk->add_option("--from", wk.from, "the sending pod")->required();
  walk->add_option("--to", wk.to, "the pod to reach")->required();
  walk->add_option("--at", wk.at, "when to send (e.g. 1.5s); default: once the control plane has settled");
  walk->add_option("-s,--size", wk.size, "ICMP data bytes")->check(CLI::Range(0, 16000));
  walk->add_option("--edit", wk.edits,
                   "what if: an ip/bridge command applied before the send, e.g. \"bridge -n node-1 fdb del MAC dev flannel.1 "
                   "dst IP self\" (repeatable)");
  walk->add_flag("--frames", wk.frames,
                 "where a step builds or strips a header, print every header's fields with byte offsets and values");
  walk->add_option("--html", wk.html,
                   "also write the walk as one self-contained HTML page to hand out (steps, tables with the matched row, "
                   "frames, lanes)");

  ol::cli::PingOptions ping;
  auto* ping_cmd = app.add_subcommand("ping", "Apply a script, send ICMP echo requests and print each packet's walk");
  ping_cmd->add_option("FILE", ping.script, "the script")->required();
  ping_cmd->add_option("--from", ping.from, "the namespace that pings")->required();
  ping_cmd->add_option("--to", ping.to, "the destination address")->required();
  ping_cmd->add_option("-c,--count", ping.count, "echo requests to send, one per second")->check(CLI::Range(1, 1000));
  ping_cmd->add_option("-s,--size", ping.size, "data bytes per request")->check(CLI::Range(0, 16000));
  ping_cmd->add_option("-t,--ttl", ping.ttl, "IP time to live")->check(CLI::Range(1, 255));
  ping_cmd->add_flag("--dont-fragment", ping.dont_fragment, "ping -M do: never fragment, not even locally");
  ping_cmd->add_flag("--trace", ping.trace, "print every step of every packet");

  ol::cli::RunCliOptions run;
  std::string offloads = "on";
  auto* run_cmd = app.add_subcommand("run", "Run a scenario's workloads in one mode or all, and write CSV");
  run_cmd->add_option("SCENARIO", run.file, "the scenario")->required();
  run_cmd->add_option("--mode", run.mode, "host-gw (alias underlay), udp, vxlan or all");
  run_cmd->add_option("--out", run.out, "directory for the CSV files (default overlaylab-out/<scenario>/)");
  run_cmd->add_option("--seed", run.seed, "overrides the scenario's seed");
  run_cmd->add_option("--trace", run.trace, "write every step of each flow's first packets (and their answers) as JSON");
  run_cmd->add_option("--trace-packets", run.trace_packets, "how many packets per flow --trace samples (default 3)")
      ->check(CLI::Range(1, 1000));
  run_cmd->add_option("--pcap", run.pcap, "write one pcap per interface under DIR/<mode>/ (tshark: -d udp.port==8472,vxlan)");
  run_cmd->add_option("--offloads", offloads, "on|off: GSO where Linux has it, or every packet MSS-sized")
      ->check(CLI::IsMember({"on", "off"}));
  run_cmd->add_option("--bin", run.bin, "the width of <mode>-timeline.csv's bins, e.g. 100ms (default), 1s");
  run_cmd->add_option("--timeline-svg", run.timeline_svg, "also draw delivered packets over time, one line per mode, events marked");
  run_cmd->add_option("--profile", run.profile, "a cost profile JSON (e.g. written by calibrate) instead of the built-in one");
  run_cmd->add_option("--lab-cores", run.lab_cores,
                      "N: the lab mode - every namespace (nodes, pods, switches) on one machine of N cores, veth pairs for cables, "
                      "as validate and calibrate build it; default: the cluster mode, each node its own cores")
      ->check(CLI::Range(1, 1024));
  auto* compare = app.add_subcommand("compare", "Run a scenario in host-gw, udp and vxlan; print them side by side; write CSV");
  compare->add_option("SCENARIO", run.file, "the scenario")->required();
  compare->add_option("--out", run.out, "directory for the CSV files (default overlaylab-out/<scenario>/)");
  compare->add_option("--seed", run.seed, "overrides the scenario's seed");
  compare->add_option("--offloads", offloads, "on|off")->check(CLI::IsMember({"on", "off"}));
  compare->add_option("--svg", run.svg, "also draw a comparison chart (SVG) to this file");
  compare->add_option("--bin", run.bin, "the width of <mode>-timeline.csv's bins, e.g. 100ms (default), 1s");
  compare->add_option("--timeline-svg", run.timeline_svg, "also draw delivered packets over time, one line per mode, events marked");
  compare->add_option("--profile", run.profile, "a cost profile JSON (e.g. written by calibrate)");
  compare->add_option("--lab-cores", run.lab_cores, "N: the lab mode (see run --help)")->check(CLI::Range(1, 1024));

  ol::cli::SweepCliOptions sw;
  auto* sweep = app.add_subcommand("sweep", "Run a grid of parameters x modes x seeds in parallel and write one CSV");
  sweep->add_option("SWEEP", sw.file, "the sweep file")->required();
  sweep->add_option("--jobs", sw.jobs, "threads")->check(CLI::Range(1, 256));
  sweep->add_option("--shard", sw.shard, "I/N: run every N-th run starting at the I-th (1-based)");
  sweep->add_option("--out", sw.out, "the CSV file (default overlaylab-out/<sweep>/sweep.csv)");
  auto* slurm = sweep->add_option("--slurm", sw.slurm_dir, "do not run: write a Slurm array job (one task per shard), a dependent merge job and submit.sh into DIR");
  auto* k8s = sweep->add_option("--k8s-job", sw.k8s_job, "do not run: write a Kubernetes Indexed Job manifest (JOB_COMPLETION_INDEX -> --shard) to FILE");
  sweep->add_option("--shards", sw.shards, "with --slurm/--k8s-job: tasks to split the sweep into (default 4, at most the sweep's runs)")
      ->check(CLI::Range(1, 100000));
  sweep->add_option("--sbatch", sw.sbatch_options, "with --slurm: an extra #SBATCH option for both jobs, e.g. --partition=short (repeatable)")->needs(slurm);
  sweep->add_option("--program", sw.program, "with --slurm/--k8s-job: overlaylab's path on the cluster (default: this program's absolute path; overlaylab in the image)");
  sweep->add_option("--image", sw.image, "with --k8s-job: the container image holding overlaylab and the scenarios")->needs(k8s);
  sweep->add_option("--claim", sw.claim, "with --k8s-job: the PersistentVolumeClaim mounted at /results")->needs(k8s);
  slurm->excludes(k8s);
  std::string merge_out;
  std::vector<std::string> merge_in;
  auto* merge = app.add_subcommand("merge", "Join the CSVs of a sweep's shards into the one the whole sweep writes");
  merge->add_option("OUT", merge_out, "the merged CSV")->required();
  merge->add_option("SHARDS", merge_in, "the shards' CSVs")->required();

  ol::cli::ValidateCliOptions va;
  auto* validate = app.add_subcommand(
      "validate", "Build a scenario in real network namespaces (root), send pings and UDP for real, and compare tables, delivery and captures with the simulator");
  validate->add_option("SCENARIO", va.file, "the scenario");
  validate->add_option("--mode", va.mode, "host-gw (alias underlay), vxlan, udp or all");
  validate->add_option("--crash-flanneld", va.crash,
                       "NODE: then crash flanneld there (udp: kill its udpd) and restart it, on both sides, pinging a pod on NODE each time");
  validate->add_option("--perturb", va.perturb, "NODE: remove one VXLAN FDB entry from NODE's simulated side, to see the diff catch it");
  validate->add_option("--pcap", va.pcap_dir, "DIR: keep the path check's captures, <DIR>/{sim,real}/<mode>/<node>-eth0.pcap");
  validate->add_option("--sample", va.sample, "N: path-check N pod pairs on different nodes (seeded) instead of the scenario's pings")
      ->check(CLI::Range(1, 10000));
  validate->add_flag("--cni", va.cni, "cross-check the CNI model with the real plugins (containernetworking-plugins): ADD 3 pods, DEL 1");
  validate->add_flag("--keep", va.keep, "leave the namespaces for inspection (remove them with --cleanup)");
  validate->add_flag("--cleanup", va.cleanup, "remove the namespaces a killed validate run left (names starting olv)");

  ol::cli::CalibrateCliOptions ca;
  auto* calibrate = app.add_subcommand(
      "calibrate", "Measure ping, UDP and TCP in real namespaces (root), fit the cost profile to them, report predicted vs measured; "
                   "or, with --steps, measure each cost group in isolated experiments");
  calibrate->add_option("SCENARIO", ca.file, "the scenario (its first cross-node pair is measured); not with --steps");
  calibrate->add_flag("--steps", ca.steps,
                      "measure the CPU per packet of isolated experiments (veth, bridge, forwarding, vxlan, TUN loop, system call, "
                      "ping-pong) and write the profile they give");
  calibrate->add_option("--mode", ca.mode, "host-gw (alias underlay), vxlan, udp or all");
  calibrate->add_option("--out", ca.out,
                        "DIR for profile.json, report.txt and side-by-side.csv (steps.csv with --steps) (default "
                        "overlaylab-out/calibration/<scenario>/, or overlaylab-out/calibration/steps/)");
  calibrate->add_option("--seconds", ca.seconds, "whole seconds of each iperf3 run, or of each --steps run (default 2, 1 with --steps)")
      ->check(CLI::Range(1, 60));
  calibrate->add_option("--repeat", ca.repeat, "runs of each measurement, the median used and the range reported (default 1; with --steps, of each experiment, default 3)")->check(CLI::Range(1, 20));
  calibrate->add_option("--profile", ca.profile, "the profile to start from and report as the default model (e.g. written by --steps)");
  calibrate->add_option("--iterations", ca.iterations, "Levenberg-Marquardt iterations of the fit (default 10)")->check(CLI::Range(0, 100));

  ol::cli::UdpdCliOptions ud;
  auto* udpd = app.add_subcommand("udpd", "The real UDP-backend daemon: TUN <-> UDP like flanneld's proxy (root)");
  udpd->add_option("--tun", ud.tun, "the TUN device (default flannel0)");
  udpd->add_option("--bind", ud.bind, "IP[:PORT] to receive on (port 8285 by default)")->required();
  udpd->add_option("--tun-addr", ud.tun_addr, "the TUN's address: the source of ICMP net unreachable")->required();
  udpd->add_flag("--own-tun", ud.own_tun, "make the TUN non-persistent, so it goes (with its routes) when udpd exits, as flanneld's flannel0 does");
  udpd->add_option("--route", ud.routes, "SUBNET=IP[:PORT], one per peer lease; first match wins");

  // An unknown first word is a mistyped command, not a missing one: say so and list the commands.
  std::string all;
  bool known = false;
  for (const auto* c : app.get_subcommands({})) {
    all += (all.empty() ? "" : ", ") + c->get_name();
    known = known || (argc > 1 && c->get_name() == argv[1]);
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    std::cerr << "overlaylab: \"" << argv[1] << "\" is not a command\n    fix: use one of " << all
              << " (overlaylab --help explains each)\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (*netconfig) return ol::cli::cmd_netconfig(script);
  if (*control) return ol::cli::cmd_control(sc, control_pod, control_join);
  if (*cni) return ol::cli::cmd_cni(sc, cni_pod, cni_compare, cni_to);
  if (*import) return ol::cli::cmd_import(im);
  if (*tables) {
    const bool is_scenario = script.ends_with(".json");
    if (is_scenario && netns) {
      std::cerr << "tables --netns: only for ip/bridge scripts\n    fix: for a scenario, use --node NODE (its own and its pods' namespaces)\n";
      return 2;
    }
    if (!is_scenario && (sc.node || sc.mode)) {
      std::cerr << fmt::format("tables {}: only for scenarios (.json)\n    fix: for a script, use --netns NAMESPACE\n",
                               sc.node ? "--node" : "--mode");
      return 2;
    }
    if (is_scenario) {
      sc.file = script;
      return ol::cli::cmd_scenario_tables(sc);
    }
    return ol::cli::cmd_tables(script, netns);
  }
  if (*config) return ol::cli::cmd_config(sc, state_dir);
  if (*format) return ol::cli::cmd_scenario_format();
  if (*validate) return ol::cli::cmd_validate(va);
  if (*udpd) return ol::cli::cmd_udpd(ud);
  if (*calibrate) {
    ca.argv = "overlaylab";
    for (int i = 1; i < argc; ++i) ca.argv += std::string(" ") + argv[i];
    return ol::cli::cmd_calibrate(ca);
  }
  if (*sweep) return ol::cli::cmd_sweep(sw);
  if (*merge) return ol::cli::cmd_merge(merge_out, merge_in);
  run.offloads = offloads == "on";
  if (*run_cmd) return ol::cli::cmd_run(run, false);
  if (*compare) {
    run.mode = "all";
    return ol::cli::cmd_run(run, true);
  }
  if (*walk) return ol::cli::cmd_walk(wk);
  return ol::cli::cmd_ping(ping);
}
