#include "validate/real_builder.h"

#include <sstream>

#include <fmt/format.h>

#include "models/netconfig/render.h"
#include "validate/exec.h"
#include "validate/prefix.h"

namespace ol::validate {

namespace nc = netconfig;

RealBuilder::RealBuilder(std::string prefix) : prefix_(std::move(prefix)) {}

RealBuilder::~RealBuilder() {
  if (!keep) cleanup();
}

std::string RealBuilder::apply(const nc::Op& op) {
  if (std::holds_alternative<nc::Netem>(op) && netem_missing_) return {};
  const nc::Op real = with_prefix(op, prefix_);
  const ExecResult r = run_command(nc::render(real));
  if (r.status == 0) {
    if (const auto* add = std::get_if<nc::NetnsAdd>(&real)) created_.push_back(add->name);
    return {};
  }
  std::string err = r.err.empty() ? fmt::format("exit status {}", r.status) : r.err;
  while (!err.empty() && err.back() == '\n') err.pop_back();
  if (std::holds_alternative<nc::Netem>(op) && err.find("qdisc kind is unknown") != std::string::npos) {
    netem_missing_ = true;
    notes_.push_back("this kernel has no netem qdisc (\"" + err + "\"): links run without the scenario's delay and rate");
    return {};
  }
  return err;
}

void RealBuilder::cleanup() {
  for (auto it = created_.rbegin(); it != created_.rend(); ++it) run_argv({"ip", "netns", "del", *it});
  created_.clear();
}

int RealBuilder::cleanup_leftovers() {
  const ExecResult r = run_argv({"ip", "netns", "list"});
  int n = 0;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    const std::string name = line.substr(0, line.find(' '));
    if (name.rfind(kPrefixBase, 0) == 0 && run_argv({"ip", "netns", "del", name}).status == 0) ++n;
  }
  return n;
}

}  // namespace ol::validate
