// Running a piece of this program inside one of our namespaces: a child process joins the
// namespace with setns(2) — as `ip netns exec` does, through /run/netns/NAME — runs the body and
// exits with what it returns. The parent's namespace is never changed.
#pragma once
#include <functional>
#include <string>

namespace ol::validate {

// The child's pid, or -1 (the namespace could not be joined: the child exits 127).
int fork_in_netns(const std::string& netns, const std::function<int()>& body);
// Waits for a child from fork_in_netns; its exit status, or -1 when it was killed.
int wait_child(int pid);

// Joins `netns` on the calling thread and returns a descriptor of the namespace it left (restore
// with leave_netns), or -1 with errno set.
int enter_netns(const std::string& netns);
void leave_netns(int previous);

}  // namespace ol::validate
