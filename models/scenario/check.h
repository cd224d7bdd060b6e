// The meaning of a scenario that already has the right shape: defaults filled in, then every rule
// flanneld, host-local and the kernel would enforce, checked up front with a JSON path and a fix.
#pragma once
#include <vector>

#include <nlohmann/json.hpp>

#include "models/scenario/problem.h"
#include "models/scenario/spec.h"

namespace ol::scenario {

// `doc` has passed check_schema. Appends a Problem per broken rule; the result is valid only when
// none were added.
Scenario build_scenario(const nlohmann::json& doc, std::vector<Problem>& problems);

// $.events: read, checked against the nodes' timeline, sorted by time (stably). Sets the nodes'
// joins_at.
void read_events(const nlohmann::json& events, Scenario& s, std::vector<Problem>& problems);

// flanneld's checks and defaults for net-conf.json (pkg/subnet/config.go), on `n.verbatim`.
void apply_netconf_defaults(NetConf& n, const std::string& path, std::vector<Problem>& problems);

}  // namespace ol::scenario
