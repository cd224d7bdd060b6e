// Running one command line (ip, bridge, tc, sysctl) without a shell: split on spaces (the rendered
// commands need no quoting), spawn, wait, and keep what it printed on stderr.
#pragma once
#include <string>
#include <vector>

namespace ol::validate {

struct ExecResult {
  int status = -1;  // the exit status; -1 when it could not run
  std::string out, err;
};

ExecResult run_command(const std::string& line);
// `input`, when given, is written to the program's standard input.
ExecResult run_argv(const std::vector<std::string>& argv, const std::string* input = nullptr);

// Starts a program in the background (its output discarded); the pid, or -1.
int spawn_background(const std::vector<std::string>& argv);
// The number in "3 packets transmitted, 3 received" of ping's summary (0 when absent).
int ping_received(const std::string& ping_output);
// SIGTERM (or `sig`), then waits for it to end.
void stop_background(int pid, int sig = 15);

}  // namespace ol::validate
