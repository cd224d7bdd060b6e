// A scenario's cluster built in real namespaces from the simulator's own command log: every
// command the control plane issued, run by the RealBuilder, each outcome (taken or refused)
// compared with the simulated kernel's; for the udp backend, overlaylab udpd on every node with
// the simulated proxy's routes. Used by validate and by calibrate.
#pragma once
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "lab/session.h"
#include "validate/real_builder.h"

namespace ol::validate {

class RealCluster {
 public:
  // `sim` has converged; nothing runs yet.
  RealCluster(const cluster::Session& sim, std::string prefix, bool keep);
  ~RealCluster();  // stops the daemons, then the builder removes the namespaces (unless kept)
  RealCluster(const RealCluster&) = delete;
  RealCluster& operator=(const RealCluster&) = delete;

  // Runs the commands; prints each one the two kernels disagree on (and those both refuse).
  // Returns the number of disagreements, or -1 when interrupted (SIGINT/SIGTERM).
  int build(std::ostream& out);
  // Starts the udp backend's daemons; false (printed why) when one does not come up.
  bool start_udpd(std::ostream& out);
  // One node's daemon, with the routes `sim`'s proxy on that node holds (a restarted flanneld).
  bool start_udpd_on(const cluster::Session& sim, const std::string& node, std::ostream& out);
  // SIGKILL to one node's daemon, as a crash: its TUN goes with it. False when none runs there.
  bool kill_udpd(const std::string& node);
  // Runs one more command in the lab; "" when the kernel took it, else its words.
  std::string apply(const netconfig::Op& op) { return builder_.apply(op); }

  const std::string& prefix() const { return builder_.prefix(); }
  bool links_shaped_with_tbf() const { return builder_.netem_missing(); }  // netem missing: no delays either
  const std::vector<std::string>& notes() const { return builder_.notes(); }
  int commands() const { return commands_; }
  int refused() const { return refused_; }
  void discard() { builder_.keep = false; }  // remove the namespaces after all (interrupted)

 private:
  const cluster::Session& sim_;
  std::string mode_;
  RealBuilder builder_;
  std::map<std::string, int> daemons_;  // node → the udpd's pid
  int commands_ = 0, refused_ = 0;
};

}  // namespace ol::validate
