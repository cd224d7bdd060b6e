// struct net_device, reduced to what the datapath and `ip link` need. Each device type lives in its
// own file under devices/ and overrides start_xmit (ndo_start_xmit) and, where it differs, carrier.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/kernel/packet.h"
#include "models/wire/addr.h"

namespace ol::kernel {

class Netns;
class BridgeDevice;
class Qdisc;

enum class DevKind { Loopback, Veth, Bridge, Tun, Vxlan };
const char* dev_kind_name(DevKind k);

struct IfAddr {  // struct in_ifaddr
  wire::Ipv4Prefix local;
  std::optional<wire::Ipv4Addr> broadcast;
};

struct DevStats {
  std::uint64_t rx_packets = 0, rx_bytes = 0, tx_packets = 0, tx_bytes = 0, tx_dropped = 0, rx_dropped = 0;
};

class alignas(64) Device {
 public:
  Device(Netns& ns, std::string name, DevKind kind);
  virtual ~Device();

  // ndo_start_xmit: the frame (or, for TUN, the IP packet) leaves through this device.
  virtual void start_xmit(PacketPtr p) = 0;
  // Lower layer up (IFF_LOWER_UP): a veth needs its peer up, a bridge an up port, a TUN a reader.
  virtual bool carrier() const { return admin_up; }
  // Called after the device moved to another namespace, or went up or down.
  virtual void on_state_change() {}

  bool has_l2() const { return kind != DevKind::Tun; }  // header_ops: Ethernet framing
  bool noarp() const { return kind == DevKind::Tun || kind == DevKind::Loopback; }
  bool running() const { return admin_up && carrier(); }
  bool is_local_mac(const wire::MacAddr& m) const { return m == mac; }

  // What a packet passing through reads comes first, on the object's aligned first cache line: a
  // packet at scale finds every device on its way cold, so each line it need not read is a miss saved.
  Netns* netns;
  DevKind kind;
  bool admin_up = false;
  bool dead = false;               // unregistered; packets still in flight towards it are dropped
  bool gso = true;                 // NETIF_F_GSO: takes a GSO packet whole (else it is segmented first)
  bool hairpin = false;            // bridge port flag BR_HAIRPIN_MODE
  bool mac_set_explicitly = false;
  int mtu = 1500;
  int ifindex = 0;
  wire::MacAddr mac;
  BridgeDevice* master = nullptr;  // enslaved to a bridge: frames go to br_handle_frame
  std::unique_ptr<Qdisc> qdisc;    // root qdisc (netem or tbf), or none: noqueue
  DevStats stats;

  std::string name;
  std::vector<IfAddr> addrs;
  std::uint32_t txqueuelen = 1000;  // `ip link` prints it as qlen (not at all when 0)
};

}  // namespace ol::kernel
