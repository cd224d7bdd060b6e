// overlaylab calibrate --steps: the per-step experiments (step_experiments.h) measured in real
// namespaces (step_real.h), each compared with the steps the model charges the same packet
// (step_model.h), and one factor per cost group fitted so that the profile's costs add up to what
// the CPU spent. The result is a cost profile measured on this machine, with the command, the
// machine and the date written into it, and a report of every experiment's figures.
#pragma once
#include <ostream>
#include <string>

namespace ol::validate {

struct StepCalibrateOptions {
  std::string out_dir;    // profile.json, steps.csv, report.txt
  double seconds = 1;     // each measured run
  int repeat = 3;         // runs of each experiment; the median is used
  std::string command;    // the command line, recorded in the profile
};

// 0: measured and written; 1: an experiment failed (printed why); 130: interrupted.
int calibrate_steps(const StepCalibrateOptions& o, std::ostream& out);

}  // namespace ol::validate
