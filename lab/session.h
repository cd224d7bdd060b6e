// One scenario, loaded and running: its simulator, its simulated kernel and its control plane,
// declared in the order they must be built and torn down. The CLI, the runner and the GUI hold one.
#pragma once
#include <functional>

#include "models/kernel/world.h"
#include "models/scenario/spec.h"
#include "lab/cluster.h"
#include "sim/simulator.h"

namespace ol::cluster {

class Session {
 public:
  // Starts the control plane (boot at t = 0, joins and events scheduled); nothing else has run.
  // `on_log` sees every log entry from the first; with keep_log false the cluster keeps none.
  explicit Session(scenario::Scenario s, bool keep_log = true,
                   std::function<void(const LogEntry&)> on_log = nullptr)
      : scenario(std::move(s)), sim(scenario.seed), world(sim), cluster(scenario, world, keep_log) {
    world.work.profile = &cost::Profile::builtin();
    cluster.on_log = std::move(on_log);
    cluster.start();
  }
  // As above, the hook also seeing the kernel's state right after each entry (a control-plane walk
  // dumps the tables a command changed).
  Session(scenario::Scenario s, bool keep_log, std::function<void(const LogEntry&, const kernel::World&)> on_log)
      : scenario(std::move(s)), sim(scenario.seed), world(sim), cluster(scenario, world, keep_log) {
    world.work.profile = &cost::Profile::builtin();
    cluster.on_log = [this, f = std::move(on_log)](const LogEntry& e) { f(e, world); };
    cluster.start();
  }
  // As the first, with `prepare` run on the cluster before it starts (e.g. record_cni).
  Session(scenario::Scenario s, const std::function<void(Cluster&)>& prepare)
      : scenario(std::move(s)), sim(scenario.seed), world(sim), cluster(scenario, world, true) {
    world.work.profile = &cost::Profile::builtin();
    prepare(cluster);
    cluster.start();
  }
  // As the first, with `before_start` run on the session once its world exists and before the
  // control plane starts: what must see the first packets (a pcap writer, a cost profile, the
  // DHCP exchanges of pods that boot at t = 0).
  Session(scenario::Scenario s, bool keep_log, const std::function<void(Session&)>& before_start)
      : scenario(std::move(s)), sim(scenario.seed), world(sim), cluster(scenario, world, keep_log) {
    world.work.profile = &cost::Profile::builtin();
    before_start(*this);
    cluster.start();
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  scenario::Scenario scenario;
  Simulator sim;
  kernel::World world;
  Cluster cluster;
};

}  // namespace ol::cluster
