// Builds a scenario in real network namespaces by running the very commands `overlaylab config`
// prints (the same NetConfig, the same render()), each namespace under this run's prefix. The
// root namespace is never touched; everything made is removed when the builder goes, also after
// an error, and `cleanup_leftovers` removes what a killed run left behind.
#pragma once
#include <string>
#include <vector>

#include "models/netconfig/ops.h"

namespace ol::validate {

class RealBuilder {
 public:
  explicit RealBuilder(std::string prefix);
  ~RealBuilder();
  RealBuilder(const RealBuilder&) = delete;
  RealBuilder& operator=(const RealBuilder&) = delete;

  // Runs one command; "" when the kernel took it, else what the tool printed. Where the kernel has
  // no netem qdisc (noted once), a link's rate is shaped with tbf instead and its delay is dropped.
  std::string apply(const netconfig::Op& op);
  void cleanup();  // deletes every namespace this run made, newest first
  bool keep = false;  // leave them for a person to inspect (validate --keep; --cleanup removes them)
  const std::vector<std::string>& notes() const { return notes_; }
  bool netem_missing() const { return netem_missing_; }  // links were shaped with tbf instead
  const std::string& prefix() const { return prefix_; }

  // Deletes every namespace whose name starts with "olv" (only overlaylab validate makes those).
  static int cleanup_leftovers();

 private:
  std::string shape_with_tbf(const netconfig::Netem& shape);
  std::string prefix_;
  std::vector<std::string> created_;
  std::vector<std::string> notes_;
  bool netem_missing_ = false;
};

}  // namespace ol::validate
