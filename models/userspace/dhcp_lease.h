// One lease of the CNI dhcp daemon (plugins/ipam/dhcp/lease.go, with the d2g dhcp4client it
// uses): a client in the container's namespace that talks through an AF_PACKET socket on the
// container's interface, because the interface has no address yet. Every message it sends is a
// broadcast frame from 0.0.0.0 to 255.255.255.255 (TTL 16, no UDP checksum), even a renewal; it
// takes any IPv4 frame the interface receives and keeps the replies with its transaction id.
//
// acquire: DISCOVER, OFFER, REQUEST, ACK, each reply awaited for `timeout` (10 s); a failed try
// is retried after 2 s (±1 s) four times, then after 8, 16, 32 and 64 s (±1 s): backoffRetry,
// which gives up with "no more tries" once the delay passes resendMax (62 s).
// maintain: at T1 a renewal (REQUEST with ciaddr, retried the same way); when that fails past T2
// the client rebinds with a whole new acquire; when that fails past the lease's end it sets the
// interface down. stop (the plugin's DEL): a RELEASE.
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/kernel/task.h"
#include "models/wire/dhcp.h"
#include "sim/event_queue.h"
#include "sim/random.h"
#include "sim/time.h"

namespace ol {
class DaemonTimer;
}
namespace ol::kernel {
class Netns;
struct PacketSocket;
}  // namespace ol::kernel

namespace ol::traffic {

struct DhcpClientConf {  // the daemon's flags
  Nanos timeout = 10 * kNanosPerSecond;      // -timeout
  Nanos resend_max = 62 * kNanosPerSecond;   // -resendmax
};

enum class LeaseState { Acquiring, Bound, Renewing, Rebinding, Failed, Expired, Released };
const char* lease_state_name(LeaseState s);

// A message it sent or received, for a person reading the exchange.
struct DhcpExchange {
  Nanos at = 0;
  bool sent = false;
  wire::DhcpMessage msg;
};

class DhcpLease final : public EventTarget {
 public:
  DhcpLease(kernel::Netns& ns, std::string ifname, std::string client_id, DhcpClientConf conf, RandomStream rand);
  ~DhcpLease();
  DhcpLease(const DhcpLease&) = delete;
  DhcpLease& operator=(const DhcpLease&) = delete;

  void acquire();  // AcquireLease: the first acquisition; done() once it is bound or has failed
  bool acquiring() const { return op_ != Op::None && state_ == LeaseState::Acquiring; }
  void stop();     // Stop: a RELEASE when it holds a lease, then nothing more
  void on_event(std::uint64_t cookie) override;

  LeaseState state() const { return state_; }
  const std::string& error() const { return error_; }  // why the acquisition failed
  const std::optional<wire::DhcpMessage>& ack() const { return ack_; }
  Nanos renewal_time() const { return renewal_; }
  Nanos rebinding_time() const { return rebinding_; }
  Nanos expire_time() const { return expire_; }
  const std::string& client_id() const { return client_id_; }
  const std::vector<DhcpExchange>& exchanges() const { return exchanges_; }

  bool traced = false;                          // trace its messages hop by hop
  std::function<void(const std::string&)> log;  // the daemon's log lines
  // The daemon's netlink calls on the container's link: set up before an acquisition when it is
  // down (the bridge plugin leaves it down until its own ConfigureIface), down when the lease ran out.
  std::function<void(const std::string& dev, bool up)> set_link;

 private:
  kernel::Task thread_;  // the daemon's thread
  enum class Op { None, Acquire, Renew };
  enum class Wait { None, Offer, Ack };
  void start_op(Op op);
  void attempt();
  void attempt_failed(const std::string& why);
  void op_done(bool ok, const std::string& why);
  void maintain();
  void commit(const wire::DhcpMessage& ack);
  void received(wire::DhcpMessage m);
  bool send(wire::DhcpMessage m);
  wire::DhcpMessage request_base(wire::dhcp::MsgType type) const;
  bool open_socket();
  void close_socket();
  void note(const std::string& s) {
    if (log) log(s);
  }
  Nanos now() const;

  kernel::Netns& ns_;
  std::string ifname_, client_id_;
  DhcpClientConf conf_;
  RandomStream rand_;
  LeaseState state_ = LeaseState::Acquiring;
  Op op_ = Op::None;
  Wait wait_ = Wait::None;
  std::uint32_t xid_ = 0;
  void schedule(std::uint64_t kind, Nanos at);
  std::array<EventId, 3> ids_{};  // its pending receive, timeout and retry
  std::optional<wire::DhcpMessage> offer_, ack_;
  Nanos base_delay_ = 0;
  int fast_left_ = 0;
  Nanos renewal_ = 0, rebinding_ = 0, expire_ = 0;
  std::string error_;
  kernel::PacketSocket* sock_ = nullptr;
  std::deque<wire::DhcpMessage> rx_;
  std::unique_ptr<DaemonTimer> maintain_timer_;
  std::vector<DhcpExchange> exchanges_;
};

}  // namespace ol::traffic
