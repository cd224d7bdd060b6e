#include "validate/exec.h"

#include <cstdlib>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sstream>

extern char** environ;

namespace ol::validate {

namespace {

// posix_spawnp with the given file actions (then destroyed); the error number, 0 when it ran.
int spawn(const std::vector<std::string>& argv, posix_spawn_file_actions_t& fa, pid_t& pid) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return rc;
}

}  // namespace

ExecResult run_command(const std::string& line) {
  std::vector<std::string> argv;
  std::istringstream in(line);
  for (std::string w; in >> w;) argv.push_back(w);
  return run_argv(argv);
}

ExecResult run_argv(const std::vector<std::string>& argv, const std::string* input) {
  ExecResult r;
  if (argv.empty()) return r;
  int out[2], err[2], in[2];
  if (::pipe(out) != 0 || ::pipe(err) != 0 || ::pipe(in) != 0) return r;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_addclose(&fa, in[1]);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  posix_spawn_file_actions_addclose(&fa, out[0]);
  posix_spawn_file_actions_addclose(&fa, err[0]);
  pid_t pid;
  const int rc = spawn(argv, fa, pid);
  ::close(out[1]);
  ::close(err[1]);
  ::close(in[0]);
  if (rc == 0 && input) {  // small inputs (a CNI config): written whole before reading the outputs
    for (std::size_t done = 0; done < input->size();) {
      const ssize_t n = ::write(in[1], input->data() + done, input->size() - done);
      if (n <= 0) break;
      done += std::size_t(n);
    }
  }
  ::close(in[1]);
  if (rc != 0) {
    r.err = std::string("cannot run ") + argv[0] + ": " + std::strerror(rc);
    ::close(out[0]);
    ::close(err[0]);
    return r;
  }
  // Small outputs: read stderr after stdout (ip/tc print little).
  char buf[4096];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) r.out.append(buf, std::size_t(n));
  for (ssize_t n; (n = ::read(err[0], buf, sizeof buf)) > 0;) r.err.append(buf, std::size_t(n));
  ::close(out[0]);
  ::close(err[0]);
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

int spawn_background(const std::vector<std::string>& argv) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  return spawn(argv, fa, pid) == 0 ? int(pid) : -1;
}

int ping_received(const std::string& ping_output) {
  const auto at = ping_output.find(" received");
  if (at == std::string::npos) return 0;
  auto start = ping_output.rfind(' ', at - 1);
  return std::atoi(ping_output.c_str() + (start == std::string::npos ? 0 : start + 1));
}

void stop_background(int pid, int sig) {
  if (pid <= 0) return;
  ::kill(pid, sig);
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace ol::validate
