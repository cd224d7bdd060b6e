#include "validate/real_builder.h"

#include <algorithm>
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
  if (const auto* shape = std::get_if<nc::Netem>(&op); shape && netem_missing_) return shape_with_tbf(*shape);
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
    notes_.push_back("this kernel has no netem qdisc (\"" + err +
                     "\"): link delays are not applied (only netem can delay); rates are applied with tbf");
    return shape_with_tbf(std::get<nc::Netem>(op));
  }
  return err;
}

// The rate half of a netem shape, as the token bucket netconfig::tbf_for gives a kernel without netem.
std::string RealBuilder::shape_with_tbf(const nc::Netem& shape) {
  if (shape.loss_percent && *shape.loss_percent > 0) {
    const std::string note = "netem loss cannot be applied without netem: the lab's links lose nothing where the simulator's do";
    if (std::find(notes_.begin(), notes_.end(), note) == notes_.end()) notes_.push_back(note);
  }
  const std::optional<nc::Tbf> tbf = nc::tbf_for(shape);
  if (!tbf) return {};
  const std::string err = apply(*tbf);
  return err.empty() ? err : "tbf for netem's rate: " + err;
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
