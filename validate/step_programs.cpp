#include "validate/step_programs.h"

#include <algorithm>
#include <csignal>
#include <ctime>
#include <fstream>
#include <sstream>
#include <vector>

#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

#include <fmt/format.h>

namespace ol::validate {

namespace {

// Datagrams per credit; at most two credits' worth in flight, fewer than a TUN's queue (500) holds.
constexpr std::uint64_t kCreditEvery = 128;
constexpr std::uint8_t kStop = 0xff;         // a datagram whose first byte is this ends the receiver

struct CpuSample {
  std::uint64_t busy = 0;  // jiffies: user + nice + system + irq + softirq
};

// One CPU's line of /proc/stat.
CpuSample read_cpu(int cpu) {
  std::ifstream in("/proc/stat");
  const std::string want = fmt::format("cpu{}", cpu);
  for (std::string line; std::getline(in, line);) {
    std::istringstream ss(line);
    std::string name;
    ss >> name;
    if (name != want) continue;
    std::uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0;
    ss >> user >> nice >> system >> idle >> iowait >> irq >> softirq;
    return {user + nice + system + irq + softirq};
  }
  return {};
}

double jiffies_ns(std::uint64_t j) { return double(j) * 1e9 / double(sysconf(_SC_CLK_TCK)); }


double now_s() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

void pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
}

// A child's first steps: the default action for Ctrl-C (the parent's handler only sets a flag),
// and its CPU.
void child_setup(int cpu) {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  pin(cpu);
}

// A stream's receiving side runs as SCHED_BATCH: woken, it does not preempt the sender
// (check_preempt_wakeup leaves batch tasks to the tick), so it drains a burst per wake-up, as a
// busy receiver on a core of its own would, instead of switching in for every datagram.
void batch_policy() {
  const sched_param p{};
  sched_setscheduler(0, SCHED_BATCH, &p);
}

sockaddr_in sockaddr_of(wire::Ipv4Addr a, std::uint16_t port) {
  sockaddr_in s{};
  s.sin_family = AF_INET;
  s.sin_port = htons(port);
  s.sin_addr.s_addr = htonl(a.v);
  return s;
}

int udp_socket(wire::Ipv4Addr addr, std::uint16_t port, int rcvtimeo_ms) {
  const int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return -1;
  const int rcvbuf = 4 << 20;  // SO_RCVBUFFORCE: beyond net.core.rmem_max, as root may
  setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
  const timeval tv{rcvtimeo_ms / 1000, (rcvtimeo_ms % 1000) * 1000};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const sockaddr_in a = sockaddr_of(addr, port);
  if (bind(s, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    close(s);
    return -1;
  }
  return s;
}

}  // namespace

// The context switches of /proc/PID/status: voluntary (the program went to sleep, to be woken)
// and not (a woken program preempted it: on one CPU the receiver often runs the moment its
// datagram is queued). Each is a switch to a woken program, what the model's `wakeup` costs.
std::uint64_t context_switches(int pid) {
  if (pid <= 0) return 0;
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::uint64_t n = 0;
  for (std::string line; std::getline(in, line);)
    if (line.rfind("voluntary_ctxt_switches:", 0) == 0) n += std::stoull(line.substr(24));
    else if (line.rfind("nonvoluntary_ctxt_switches:", 0) == 0) n += std::stoull(line.substr(27));
  return n;
}

double cpu_busy_ns(int cpu) { return jiffies_ns(read_cpu(cpu).busy); }

// The receiver: counts datagrams, sends the count back every kCreditEvery, ends on the stop mark
// (or after two quiet seconds) and reports its count.
int stream_receiver(const StepExperiment& e, int cpu, const Pipe& ready, const Pipe& result) {
  child_setup(cpu);
  batch_policy();
  const int s = udp_socket({}, kStepPort, 2000);
  if (s < 0) return 3;
  ready.put('r');
  const sockaddr_in credit_to = sockaddr_of(e.src, kStepSrcPort);
  std::array<std::uint8_t, 65536> buf{};
  std::uint64_t count = 0;
  for (;;) {
    const ssize_t n = recv(s, buf.data(), buf.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || (n >= 1 && buf[0] == kStop)) break;
    if (++count % kCreditEvery == 0)
      sendto(s, &count, sizeof count, 0, reinterpret_cast<const sockaddr*>(&credit_to), sizeof credit_to);
  }
  result.put(count);
  return 0;
}

// The TUN's reader: each packet read, its addresses swapped, written back.
int tun_loop(const std::string& dev, int cpu, const Pipe& ready) {
  child_setup(cpu);
  batch_policy();
  const int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (fd < 0) return 3;
  ifreq ifr{};
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  std::snprintf(ifr.ifr_name, IFNAMSIZ, "%s", dev.c_str());
  if (ioctl(fd, TUNSETIFF, &ifr) != 0) return 4;
  ready.put('t');
  std::array<std::uint8_t, 65536> buf{};
  for (;;) {
    const ssize_t n = read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 20) continue;
    std::swap_ranges(buf.begin() + 12, buf.begin() + 16, buf.begin() + 16);
    [[maybe_unused]] auto w = write(fd, buf.data(), std::size_t(n));
  }
}

// The sender: a warm-up, then `seconds` of datagrams inside a window of two credits, sampling the
// CPU and the programs' context switches at both ends of the interval.
int stream_sender(const StepExperiment& e, int payload, double seconds, int cpu, std::array<int, 2> others, const Pipe& result) {
  child_setup(cpu);
  const int s = udp_socket(e.src, kStepSrcPort, 200);
  if (s < 0) return 3;
  const sockaddr_in to = sockaddr_of(e.dst, kStepPort);
  std::vector<std::uint8_t> buf(std::size_t(std::max(payload, 8)), 0);
  SenderReport r;
  std::uint64_t acked = 0;
  auto send_one = [&] {
    while (r.sent - acked >= 2 * kCreditEvery) {
      std::uint64_t count = 0;
      if (recv(s, &count, sizeof count, 0) == ssize_t(sizeof count)) acked = std::max(acked, count);
      else if (errno != EINTR) ++r.stalls, acked = r.sent;  // a datagram was lost: open the window again
    }
    sendto(s, buf.data(), std::size_t(payload), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    ++r.sent;
  };
  auto switches = [&] { return double(context_switches(getpid()) + context_switches(others[0]) + context_switches(others[1])); };
  for (const double warm_end = now_s() + 0.2; now_s() < warm_end;)
    for (int i = 0; i < 64; ++i) send_one();
  const CpuSample c0 = read_cpu(cpu);
  const double w0 = switches(), t0 = now_s(), end = t0 + seconds;
  const std::uint64_t sent0 = r.sent;
  double t = t0;
  while (t < end) {
    for (int i = 0; i < 64; ++i) send_one();
    t = now_s();
  }
  const CpuSample c1 = read_cpu(cpu);
  r.wakeups = switches() - w0;
  r.seconds = t - t0;
  r.busy_ns = jiffies_ns(c1.busy - c0.busy);
  r.packets = r.sent - sent0;
  buf[0] = kStop;
  for (int i = 0; i < 3; ++i) {
    sendto(s, buf.data(), std::size_t(payload), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    usleep(1000);
  }
  result.put(r);
  return 0;
}

// The ping-pong's server: each datagram straight back to where it came from.
int echo_server(int cpu, const Pipe& ready) {
  child_setup(cpu);
  const int s = udp_socket({}, kStepPort, 2000);
  if (s < 0) return 3;
  ready.put('r');
  std::array<std::uint8_t, 2048> buf{};
  for (;;) {
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const ssize_t n = recvfrom(s, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || (n >= 1 && buf[0] == kStop)) return 0;
    sendto(s, buf.data(), std::size_t(n), 0, reinterpret_cast<const sockaddr*>(&from), len);
  }
}

int echo_client(const StepExperiment& e, double seconds, std::array<int, 2> cpus, int server, long gap_ns, const Pipe& result) {
  child_setup(cpus[0]);
  const int s = udp_socket(e.src, kStepSrcPort, 1000);
  if (s < 0) return 3;
  const sockaddr_in to = sockaddr_of(e.dst, kStepPort);
  std::array<std::uint8_t, 64> buf{};
  auto round_trip = [&] {
    sendto(s, buf.data(), buf.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    while (recv(s, buf.data(), buf.size(), 0) < 0)
      if (errno != EINTR) return false;
    return true;
  };
  for (const double warm_end = now_s() + 0.1; now_s() < warm_end;)
    if (!round_trip()) return 5;
  auto busy = [&] { return read_cpu(cpus[0]).busy + (cpus[1] != cpus[0] ? read_cpu(cpus[1]).busy : 0); };
  auto switches = [&] { return double(context_switches(getpid()) + context_switches(server)); };
  std::vector<double> rtts;
  rtts.reserve(1 << 20);
  const std::uint64_t b0 = busy();
  const double w0 = switches(), t0 = now_s(), end = t0 + seconds;
  PingPongReport r;
  const timespec gap{gap_ns / 1000000000, gap_ns % 1000000000};
  double slept = 0;
  for (double t = t0; t < end;) {
    if (!round_trip()) return 5;
    const double t1 = now_s();
    if (rtts.size() < rtts.capacity()) rtts.push_back(t1 - t);
    t = t1;
    ++r.round_trips;
    if (gap_ns > 0) {
      while (clock_nanosleep(CLOCK_MONOTONIC, 0, &gap, nullptr) == EINTR) {
      }
      t = now_s();  // the next round trip starts after the sleep
      slept += t - t1;
    }
  }
  r.idle_ns = r.round_trips ? slept / double(r.round_trips) * 1e9 : 0;
  r.busy_ns = jiffies_ns(busy() - b0);
  r.wakeups = switches() - w0;
  r.seconds = now_s() - t0;
  std::nth_element(rtts.begin(), rtts.begin() + std::ptrdiff_t(rtts.size() / 2), rtts.end());
  r.rtt_p50_ns = rtts.empty() ? 0 : rtts[rtts.size() / 2] * 1e9;
  buf[0] = kStop;
  sendto(s, buf.data(), buf.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  result.put(r);
  return 0;
}

// The system-call probe: a million recvfrom()s on an empty non-blocking socket, each EAGAIN; the
// CPU time of one.
int syscall_probe(int cpu, const Pipe& result) {
  child_setup(cpu);
  const int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s < 0) return 3;
  std::array<std::uint8_t, 64> buf{};
  constexpr int kCalls = 1000000;
  timespec a{}, b{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
  for (int i = 0; i < kCalls; ++i) [[maybe_unused]] auto n = recv(s, buf.data(), buf.size(), 0);  // EAGAIN
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
  result.put((double(b.tv_sec - a.tv_sec) * 1e9 + double(b.tv_nsec - a.tv_nsec)) / kCalls);
  return 0;
}

}  // namespace ol::validate
