// The dhcp half of the CNI cross-check: one DHCP server and one CNI dhcp daemon on each side, the
// model's in the simulated namespaces, Debian's in the real ones (dnsmasq in the server's
// namespace, `/usr/lib/cni/dhcp daemon` in the node's), the server wired to the node's bridge by
// the same commands. Compared afterwards: the server's lease database (dnsmasq.leases).
#pragma once
#include <memory>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "models/cni/invoke.h"
#include "models/kernel/world.h"
#include "models/scenario/spec.h"
#include "models/userspace/cni_dhcp_daemon.h"
#include "models/userspace/dhcp_server.h"
#include "validate/real_builder.h"

namespace ol::validate {

class DhcpSides {
 public:
  // `dir`: a fresh directory for the daemon's socket, dnsmasq's lease file and pid file.
  DhcpSides(const scenario::Scenario& s, const scenario::Node& node, const nlohmann::json& plugin, kernel::World& world,
            RealBuilder& real, const cni::Naming& names, std::string dir);
  ~DhcpSides();
  DhcpSides(const DhcpSides&) = delete;
  DhcpSides& operator=(const DhcpSides&) = delete;

  // Wires both servers and starts the four programs; false (the reason printed) when one cannot run.
  bool start(std::ostream& out);
  const std::string& socket_path() const { return socket_; }
  // The simulated plugins' hooks: the daemon behind the socket, and their commands applied early.
  void plug(cni::PluginHost& h, std::size_t& applied);
  // The lease databases as dnsmasq writes them, one line per lease, expiry times and MACs
  // normalised, sorted by address.
  std::string sim_leases() const;
  std::string real_leases() const;

 private:
  const scenario::Scenario& s_;
  const scenario::Node& node_;
  nlohmann::json plugin_;
  kernel::World& world_;
  RealBuilder& real_;
  const cni::Naming& names_;
  std::string dir_, socket_;
  std::unique_ptr<traffic::DhcpServer> server_;
  std::unique_ptr<traffic::CniDhcpDaemon> daemon_;
  int dnsmasq_ = -1, real_daemon_ = -1;
};

}  // namespace ol::validate
