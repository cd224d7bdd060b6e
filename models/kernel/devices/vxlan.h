// A VXLAN tunnel endpoint (drivers/net/vxlan/vxlan_core.c). vxlan_xmit looks the inner destination
// MAC up in the device's FDB (falling back to the all-zeros default entry) and vxlan_xmit_one wraps
// the frame in VXLAN/UDP/IPv4 to each remote; vxlan_rcv strips them and receives the inner frame.
#pragma once
#include <optional>

#include "models/kernel/device.h"
#include "models/kernel/tables/vxlan_fdb.h"

namespace ol::kernel {

class VxlanDevice final : public Device {
 public:
  static constexpr std::uint16_t kDefaultPort = 8472;  // the Linux default, not IANA's 4789
  static constexpr std::uint16_t kPortMin = 32768, kPortMax = 60999;  // ip_local_port_range

  VxlanDevice(Netns& ns, std::string name, std::uint32_t vni, std::uint64_t flow_hash_seed);

  void start_xmit(PacketPtr p) override;  // vxlan_xmit
  void on_state_change() override;        // vxlan_open / vxlan_stop: the UDP socket
  // Called by the port socket's encap_rcv with data() at the VXLAN header; `outer_src` is the sending VTEP.
  void vxlan_rcv(PacketPtr p, wire::Ipv4Addr outer_src);
  // udp_flow_src_port: one source port per inner flow, from a hash of the inner headers.
  std::uint16_t flow_src_port(const Packet& inner) const;

  std::uint32_t vni;
  std::optional<wire::Ipv4Addr> local;
  Device* lower = nullptr;  // "dev eth0"
  std::uint16_t dstport = kDefaultPort;
  bool learning = true;
  VxlanFdb fdb;

 private:
  void vxlan_xmit_one(PacketPtr p, wire::Ipv4Addr remote);
  bool socket_open_ = false;
  std::uint64_t hash_seed_;
};

}  // namespace ol::kernel
