// overlaylab: the batch command line. Subcommands live in commands.cpp.
#include <CLI/CLI.hpp>

#include "sim/cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"overlaylab: a simulator of the Linux datapath between Kubernetes pods"};
  app.require_subcommand(1);

  std::string script;
  auto* netconfig = app.add_subcommand("netconfig", "Parse an ip/bridge/sysctl script and print it normalised");
  netconfig->add_option("FILE", script, "the script")->required();

  std::optional<std::string> netns;
  auto* tables = app.add_subcommand("tables", "Apply a script and print every namespace's tables as Linux prints them");
  tables->add_option("FILE", script, "the script")->required();
  tables->add_option("--netns", netns, "only this namespace");

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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (*netconfig) return ol::cli::cmd_netconfig(script);
  if (*tables) return ol::cli::cmd_tables(script, netns);
  return ol::cli::cmd_ping(ping);
}
