// A TUN device (drivers/net/tun.c, IFF_TUN | IFF_NO_PI): bare IP packets, no Ethernet, no ARP, no
// offloads. What the stack transmits is queued for the program reading /dev/net/tun; what the
// program writes enters the stack as if received. Without a reader the device has no carrier.
#pragma once
#include <deque>
#include <functional>

#include "models/kernel/device.h"
#include "models/wire/bytes.h"

namespace ol::kernel {

class TunDevice final : public Device {
 public:
  // flannel opens it without IFF_VNET_HDR, so it has no offloads: GSO packets are segmented first.
  TunDevice(Netns& ns, std::string name) : Device(ns, std::move(name), DevKind::Tun) {
    gso = false;
    txqueuelen = 500;  // tun's default
  }

  void start_xmit(PacketPtr p) override;  // tun_net_xmit
  bool carrier() const override { return admin_up && attached; }

  // The program's side: open (TUNSETIFF) attaches, read() takes one packet, write() injects one.
  void attach(std::function<void()> on_readable);
  void detach();
  PacketPtr read();                                            // tun_do_read; null: EAGAIN
  bool queued() const { return !queue_.empty(); }              // poll() would say POLLIN
  std::uint16_t front_flow() const { return queue_.front()->flow; }  // the flow the next read() serves
  void write(wire::Bytes ip_packet, std::uint64_t packet_id = 0, bool traced = false);  // tun_get_user

  bool attached = false;

 private:
  std::deque<PacketPtr> queue_;
  std::function<void()> on_readable_;
};

}  // namespace ol::kernel
