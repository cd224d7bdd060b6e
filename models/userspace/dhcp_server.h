// A DHCP server on a node's L2, as dnsmasq runs one (`--dhcp-range=START,END,LEASE
// --dhcp-sequential-ip --no-ping`): a UDP socket on port 67 that takes the clients' limited
// broadcasts, addresses handed out in order after the highest one leased (dnsmasq's
// lease_find_max_addr), T1 and T2 at 1/2 and 7/8 of the lease, and replies sent as dnsmasq sends
// them: to ciaddr when the client has one, else to the offered address at the client's MAC, which
// dnsmasq writes into the ARP table first (SIOCSARP: a STALE entry).
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/kernel/task.h"
#include "models/wire/addr.h"
#include "models/wire/dhcp.h"
#include "sim/event_queue.h"
#include "sim/time.h"

namespace ol::kernel {
class Netns;
struct UdpSocket;
}  // namespace ol::kernel

namespace ol::traffic {

struct DhcpServerConf {
  wire::Ipv4Addr range_start, range_end;
  wire::Ipv4Prefix address;              // its own address on its interface: the server identifier
  std::string dev = "eth0";
  std::optional<wire::Ipv4Addr> router;  // option 3; dnsmasq's default is its own address
  Nanos lease_time = 3600 * kNanosPerSecond;
  std::vector<wire::DhcpRoute> routes;   // option 121 (classless static routes), when given
};

struct DhcpServerLease {
  wire::MacAddr mac;
  wire::Ipv4Addr ip;
  std::vector<std::uint8_t> client_id;  // option 61 as sent
  Nanos expires = 0;
};

class DhcpServer final : public EventTarget {
 public:
  DhcpServer(kernel::Netns& ns, DhcpServerConf conf);
  ~DhcpServer();
  DhcpServer(const DhcpServer&) = delete;
  DhcpServer& operator=(const DhcpServer&) = delete;

  bool listening() const { return sock_ != nullptr; }  // false: port 67 was taken
  void stop();                                          // the server exits (its socket closes)
  void on_event(std::uint64_t) override;                // a datagram to read
  const DhcpServerConf& conf() const { return conf_; }
  // Its lease database (dnsmasq.leases), in the order granted; expired ones are pruned on use.
  const std::vector<DhcpServerLease>& leases() const { return leases_; }
  std::function<void(const std::string&)> log;  // one line per message, as dnsmasq logs them
  bool traced = false;                          // trace its replies hop by hop

 private:
  kernel::Task thread_;  // dnsmasq's one thread
  void handle(const wire::DhcpMessage& m);
  void discover(const wire::DhcpMessage& m);
  void request(const wire::DhcpMessage& m);
  void release(const wire::DhcpMessage& m);
  std::optional<wire::Ipv4Addr> address_allocate(const wire::DhcpMessage& m);
  DhcpServerLease* find_lease(const wire::DhcpMessage& m);
  bool in_range(wire::Ipv4Addr a) const { return a.v >= conf_.range_start.v && a.v <= conf_.range_end.v; }
  void send(wire::dhcp::MsgType type, const wire::DhcpMessage& req, wire::Ipv4Addr yiaddr, const char* why = nullptr);
  void note(const std::string& s) {
    if (log) log(s);
  }

  kernel::Netns& ns_;
  DhcpServerConf conf_;
  void wake(Nanos at);
  kernel::UdpSocket* sock_ = nullptr;
  EventId wake_;  // its one pending wake-up
  std::vector<DhcpServerLease> leases_;
  std::vector<std::uint8_t> buf_;
};

}  // namespace ol::traffic
