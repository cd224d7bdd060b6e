#include "validate/in_netns.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ol::validate {

int enter_netns(const std::string& netns) {
  const int previous = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  const int target = open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
  const bool ok = previous >= 0 && target >= 0 && setns(target, CLONE_NEWNET) == 0;
  if (target >= 0) close(target);
  if (!ok && previous >= 0) close(previous);
  return ok ? previous : -1;
}

void leave_netns(int previous) {
  if (previous < 0) return;
  setns(previous, CLONE_NEWNET);
  close(previous);
}

int fork_in_netns(const std::string& netns, const std::function<int()>& body) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  if (enter_netns(netns) < 0) _exit(127);
  _exit(body());
}

int wait_child(int pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace ol::validate
