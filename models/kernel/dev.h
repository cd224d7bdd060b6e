// net/core/dev.c: the boundary between devices and protocols, and the per-CPU receive backlog
// (struct softnet_data) that turns netif_rx() into a later netif_receive_skb() on a core.
#pragma once
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "models/kernel/packet.h"
#include "sim/event_queue.h"
#include "sim/fifo.h"
#include "sim/time.h"

namespace ol::cost {
class NodeCpu;
}

namespace ol::kernel {

class CpuWork;
class Device;

class Softnet final : public EventTarget {
 public:
  explicit Softnet(CpuWork& work) : work_(work) {}
  ~Softnet();

  // netif_rx: `p` will be received on `dev` at time `at` (now, or later across a link).
  void netif_rx(Device& dev, PacketPtr p, Nanos at);
  void on_event(std::uint64_t slot) override;  // the packet reaches its core (enqueue_to_backlog)

  // Between nodes, a GSO burst is cut into MSS-sized frames by the NIC (TSO) and each is received
  // and merged by GRO. False where the "wire" is a veth pair (a lab in namespaces, as validate
  // builds it): veth carries the burst whole, so there is no per-frame work.
  bool wire_frames = true;
  std::size_t netdev_max_backlog = 1000;  // sysctl net.core.netdev_max_backlog: a core's queue

 private:
  struct Pending {
    PacketPtr p;
    Device* dev = nullptr;
    int core = 0;            // the core whose backlog holds it
    bool from_wire = false;  // it crossed a link from another node: the NIC delivered it frame by frame
  };
  // One core's input_pkt_queue and the one event that runs process_backlog when the core frees up.
  struct Backlog final : EventTarget {
    Softnet* softnet = nullptr;
    cost::NodeCpu* cpu = nullptr;
    int core = 0;
    Fifo<std::uint32_t> slots;
    bool scheduled = false;
    void on_event(std::uint64_t) override;  // process_backlog: the next packet in arrival order
  };
  int get_rps_cpu(const Device& dev, const Packet& p) const;
  Backlog& backlog(cost::NodeCpu* cpu, int core);
  void schedule(Backlog& b);
  void receive(std::uint32_t slot);

  CpuWork& work_;
  std::vector<Pending> pending_;
  std::vector<std::uint32_t> free_pending_;
  std::vector<std::vector<std::unique_ptr<Backlog>>> backlogs_;  // by NodeCpu::index, then core
};

// __netif_receive_skb_core: a bridge port hands the frame to its bridge (rx_handler); otherwise
// eth_type_trans classifies it and it goes to arp_rcv or ip_rcv.
void netif_receive_skb(Device& dev, PacketPtr p);
// dev_queue_xmit: a device that is down drops; otherwise its ndo_start_xmit runs.
void dev_queue_xmit(Device& dev, PacketPtr p);

}  // namespace ol::kernel
