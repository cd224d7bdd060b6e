// A cost profile: what each modelled step costs a core, per packet and per byte (models/cost/
// default.json is the default, a measurement; estimates.json the estimates it was scaled from).
// Steps are an enum so that charging one on the hot path is an array index, not a string lookup.
#pragma once
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/time.h"

namespace ol::cost {

// Every modelled step, named after the kernel function it stands for (the key in default.json).
// One list makes the enum and the names.
#define OL_COST_STEPS(X)                                                                                  \
  X(NetifReceiveSkb, netif_receive_skb) X(BrHandleFrame, br_handle_frame) X(IpRcv, ip_rcv)                \
  X(FibLookup, fib_lookup) X(IpForward, ip_forward) X(IpOutput, ip_output) X(VethXmit, veth_xmit)         \
  X(NicXmit, nic_xmit) X(DevXmitSkb, __dev_xmit_skb) X(VxlanXmit, vxlan_xmit) X(VxlanRcv, vxlan_rcv) X(UdpSendmsg, udp_sendmsg)         \
  X(UdpQueueRcvSkb, udp_queue_rcv_skb) X(UdpRecvmsg, udp_recvmsg) X(TunNetXmit, tun_net_xmit)             \
  X(TunDoRead, tun_do_read) X(TunGetUser, tun_get_user) X(IcmpRcv, icmp_rcv) X(TcpSendmsg, tcp_sendmsg)   \
  X(TcpV4Rcv, tcp_v4_rcv) X(Syscall, syscall) X(Wakeup, wakeup) X(CopyToUser, copy_to_user)               \
  X(CopyFromUser, copy_from_user) X(Csum, csum) X(GsoSegment, skb_gso_segment)                            \
  X(NapiGroReceive, napi_gro_receive) X(AppWork, app_work)                                              \
  X(SendIpi, send_call_function_single_ipi) X(SchedTtwuPending, sched_ttwu_pending)

enum class Step : std::uint8_t {
#define OL_COST_STEP_ENUM(name, function) name,
  OL_COST_STEPS(OL_COST_STEP_ENUM)
#undef OL_COST_STEP_ENUM
  kCount
};
inline constexpr std::size_t kSteps = std::size_t(Step::kCount);
const char* step_name(Step s);  // the kernel function's name, as in default.json

struct StepCost {
  double per_packet_ns = 0;
  double per_byte_ns = 0;
  std::string source;
};

// A core that idled runs its next work slower: its caches (and, in a VM, the physical core it
// got back) are cold. The curve gives the slowdown by how long the core idled: straight lines
// between measured points, from ×1 at 0 and flat after the last. Empty: no slowdown. The slowdown
// lasts for `budget` ns of the core's (warm) work: what the measured round trip took back to back,
// the code and data one pass touches.
struct ColdStart {
  struct Point {
    Nanos idle = 0;
    double factor = 1;
  };
  std::vector<Point> points;  // by increasing idle
  Nanos budget = 0;
  std::string source;

  double factor(Nanos idle) const {
    Point prev{};
    for (const Point& p : points) {
      if (idle < p.idle) return prev.factor + (p.factor - prev.factor) * double(idle - prev.idle) / double(p.idle - prev.idle);
      prev = p;
    }
    return prev.factor;
  }
};

// try_to_wake_up's latency: a sleeping task woken onto another core that idles waits for that
// core to take the IPI and leave its idle loop before it runs (time, not CPU: the CPU part is the
// wakeup and IPI steps). `ns` after a short idle; `points` add to it by how long the core idled
// (straight lines from nothing at 0, flat after the last): a VM's idle vCPU that halted is
// descheduled by the hypervisor, and the IPI has to get it a physical core again. 0: none.
struct WakeupLatency {
  struct Point {
    Nanos idle = 0;
    Nanos extra = 0;
  };
  Nanos ns = 0;
  std::vector<Point> points;  // by increasing idle
  std::string source;

  Nanos after(Nanos idle) const {
    Point prev{};
    for (const Point& p : points) {
      if (idle < p.idle) return ns + prev.extra + Nanos(double(p.extra - prev.extra) * double(idle - prev.idle) / double(p.idle - prev.idle));
      prev = p;
    }
    return ns + prev.extra;
  }
};

class ProfileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Profile {
  std::string name;
  int version = 0;
  std::string description;
  std::array<StepCost, kSteps> steps{};
  ColdStart cold_start;
  WakeupLatency wakeup_latency;

  Nanos cost(Step s, std::uint32_t bytes) const {
    const StepCost& c = steps[std::size_t(s)];
    return Nanos(c.per_packet_ns + c.per_byte_ns * bytes + 0.5);
  }
  // Throws ProfileError naming the file, the key and the fix.
  static Profile parse(const std::string& json_text, const std::string& file);
  static Profile load_file(const std::string& path);
  static const Profile& builtin();    // models/cost/default.json: measured by `calibrate --steps`
  static const Profile& estimates();  // models/cost/estimates.json: the authors' estimates it scaled
  std::string to_json() const;       // in default.json's form; parse(to_json()) gives it back
};

}  // namespace ol::cost
