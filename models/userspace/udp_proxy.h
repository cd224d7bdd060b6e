// flanneld's UDP proxy (pkg/backend/udp/proxy_amd64.c) as a simulated process: one thread that
// sleeps in poll() on the TUN, the UDP socket and the control socket. When poll() returns it reads
// one control message if one is waiting; then, while either side had data, each pass of its loop
// does one TUN read (route lookup, TTL, sendto <peer>:8285) and one socket read (TTL, write into
// the TUN), each read that finds nothing an EAGAIN system call of its own. The decisions (route
// list, TTL, ICMP errors, the MTU-sized buffer) are udp_proxy_logic's, shared with `overlaylab
// udpd`. Every packet crosses kernel↔user twice on each node.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "models/flannel/backend.h"
#include "models/kernel/packet.h"
#include "models/kernel/task.h"
#include "models/userspace/udp_proxy_logic.h"
#include "sim/event_queue.h"

namespace ol::kernel {
class Netns;
class TunDevice;
struct UdpSocket;
}  // namespace ol::kernel

namespace ol::flannel {

class UdpProxy final : public UdpProxyControl, public EventTarget {
 public:
  UdpProxy(kernel::Netns& ns, wire::Ipv4Addr bind_ip, std::uint16_t port);
  ~UdpProxy() override;
  // Once flanneld has made the TUN: open it (attach as its reader) and bind the UDP socket.
  // `tun_addr` (flannel0's address) is the source of the ICMP errors the proxy writes back; the
  // proxy's buffer is the TUN's MTU. Returns false when the port is taken.
  bool open(kernel::TunDevice& tun, wire::Ipv4Addr tun_addr);

  // flanneld writes CMD_SET_ROUTE / CMD_DEL_ROUTE to the control socket; the proxy reads one per
  // return from poll(), so under traffic a route waits until the data loop goes idle.
  void set_route(const Ipv4Prefix& subnet, wire::Ipv4Addr peer, std::uint16_t port) override;
  void del_route(const Ipv4Prefix& subnet) override;
  void on_event(std::uint64_t cookie) override;  // poll() returned, or the data loop goes on

  std::function<void(const std::string&)> on_command;  // sees each control message, for the log
  kernel::Task thread;  // its one thread: the core it runs on
  // While only control messages wait, poll() keeps returning at once and the thread never sleeps:
  // its passes run back to back as one turn, which takes no further message once this much CPU
  // time has gone, so a node programming 5,000 peers is a few hundred turns, not 5,000. A packet
  // that arrives meanwhile waits for the turn's end (the proxy reads it between two passes), and
  // the turn's messages are logged when it starts.
  static constexpr Nanos kControlRun = 50 * kNanosPerMicro;

  using Route = proxy::Route;
  const std::vector<Route>& routes() const { return routes_.routes(); }
  struct Stats {
    std::uint64_t tun_to_udp = 0, udp_to_tun = 0, net_unreachable = 0, ttl_dropped = 0;
  } stats;

 private:
  struct Command {
    bool set;
    Ipv4Prefix subnet;
    wire::Ipv4Addr peer;
    std::uint16_t port;
  };
  // The turn's cookie: poll() returned after the thread slept in it; the data loop goes on; poll()
  // returned at once, as the control socket was still readable (the thread did not sleep).
  static constexpr std::uint64_t kPollReturn = 0, kLoop = 1, kPollAgain = 2;
  void wake();
  void back_to_poll();  // ends the turn: poll() again, which sleeps unless a control message waits
  void schedule(Nanos at, std::uint64_t cookie);
  bool data_pass();  // one pass of the data loop as its own turn: false when neither side had a packet
  void process_cmd();
  bool tun_to_udp();  // one pass's TUN side: false when the read found nothing
  bool udp_to_tun();  // one pass's socket side
  void send_net_unreachable(const kernel::Packet& offender);

  kernel::Netns& ns_;
  kernel::TunDevice* tun_ = nullptr;
  kernel::UdpSocket* sock_ = nullptr;
  wire::Ipv4Addr bind_ip_;
  std::uint16_t port_;
  wire::Ipv4Addr tun_addr_;
  proxy::RouteList routes_;
  std::deque<Command> ctl_;        // written by flanneld, not yet read
  std::vector<std::uint8_t> buf_;  // the proxy's one packet buffer: the TUN's MTU
  bool scheduled_ = false;  // a turn is due: poll() returns, or the data loop goes on
  EventId next_turn_;       // cancelled when the process exits first
};

}  // namespace ol::flannel
