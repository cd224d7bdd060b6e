// overlaylab calibrate: measure this machine in real namespaces (measure.h), fit the cost profile
// to the measurements (profile_fit.h), and report predicted against measured per mode.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "models/cost/profile.h"
#include "models/scenario/spec.h"

namespace ol::validate {

struct CalibrateOptions {
  std::vector<scenario::Backend> modes;
  std::string out_dir;   // profile.json, side-by-side.csv, report.txt
  int seconds = 2;       // each iperf3 run
  int iterations = 10;   // of the fit
  int repeat = 1;        // the kernel's figures measured this many times: the median fitted, the range reported
  const cost::Profile* base = nullptr;  // the profile fitted and reported as "default model"; null: the built-in one
};

// 0: calibrated and written; 1: a mode could not be built or measured (printed why); 130: interrupted.
int calibrate(const scenario::Scenario& s, const CalibrateOptions& o, std::ostream& out);

}  // namespace ol::validate
