// The overlaylab subcommands. Each returns the process exit code: 0 success, 1 a negative result
// (no reply, a difference), 2 bad input (the message names the file and what to fix).
#pragma once
#include <optional>
#include <string>

namespace ol::cli {

int cmd_netconfig(const std::string& script);
int cmd_tables(const std::string& script, const std::optional<std::string>& netns);

struct PingOptions {
  std::string script;
  std::string from;
  std::string to;
  int count = 1;
  int size = 56;
  int ttl = 0;
  bool dont_fragment = false;  // ping -M do
  bool trace = false;
};
int cmd_ping(const PingOptions& o);

struct ImportCliOptions {
  std::string nodes, configmap;
  std::optional<std::string> pods, out;
  std::string name = "imported";
};
int cmd_import(const ImportCliOptions& o);  // cli/import_command.cpp

}  // namespace ol::cli
