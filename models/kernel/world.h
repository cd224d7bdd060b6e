// Every namespace of one simulation, the packet pool they share, and the receive backlog that
// turns netif_rx() into a later netif_receive_skb() (the softirq). No globals: a GUI can hold many.
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/cost/cpu.h"
#include "models/kernel/drop.h"
#include "models/kernel/netns.h"
#include "models/kernel/packet.h"
#include "sim/simulator.h"
#include "sim/trace.h"

namespace ol::kernel {

class World final : public EventTarget {
 public:
  explicit World(Simulator& sim);
  ~World();

  Netns& add_netns(const std::string& name);  // throws ConfigError when it exists
  Netns* netns(std::string_view name) const;
  // cleanup_net: the namespace leaves the list; the object is kept until the end (like bury()).
  void remove_netns(Netns& ns);
  const std::vector<std::unique_ptr<Netns>>& namespaces() const { return namespaces_; }
  // A device removed from its namespace is kept until the end so in-flight packets can see it died.
  void bury(std::unique_ptr<Device> dev);

  // netif_rx: `p` will be received on `dev` at time `at` (now, or later across a netem link).
  void netif_rx(Device& dev, PacketPtr p, Nanos at);
  std::uint64_t new_packet_id() { return ++last_packet_id_; }

  // Records one step of a traced packet. Call only when p.traced.
  void trace(const Packet& p, const Netns& ns, const Device* dev, const char* function, std::string verdict,
             std::string table = {}, std::string entry = {}, std::string crossing = {});

  void on_event(std::uint64_t cookie) override;

  // --- CPU costs (off unless a profile is set and a node has cores) ---
  // A namespace's work runs on its node's cores; namespaces without cores (switches, routers,
  // scripts without a scenario) work for free.
  cost::NodeCpu& add_cpu(const std::string& node, int cores);
  cost::NodeCpu* cpu(std::string_view node) const;
  // One piece of work on one core (a softirq run, a system call, the daemon's loop): false, and
  // nothing starts, while the core is still busy; then the caller retries at cpu->free_at(core).
  bool begin_work(cost::NodeCpu* cpu, int core);
  void end_work();
  // A step of the current work costs its core this much (per the profile).
  void charge(cost::Step s, std::uint32_t bytes) {
    if (!work_.cpu || !profile) return;
    const Nanos c = profile->cost(s, bytes);
    work_.cost += c;
    work_.cpu->charge(s, c, work_.flow);
  }
  // The flow the current work is for (a loop serving several packets switches as it goes).
  void set_flow(std::uint16_t flow) { work_.flow = flow; }
  std::uint16_t work_flow() const { return work_.flow; }
  // The time inside the current work (its start plus what it has cost so far), else the clock.
  Nanos now() const { return work_.active ? work_.start + work_.cost : sim.now(); }
  const cost::NodeCpu* working_cpu() const { return work_.cpu; }
  int working_core() const { return work_.core; }

  PacketPool pool;  // first member: destroyed last, after every queue that holds its packets
  Simulator& sim;
  TraceSink* trace_sink = nullptr;
  bool trace_all = false;  // sample every packet a program sends
  // Between nodes, a GSO burst is cut into MSS-sized frames by the NIC (TSO) and each is received
  // and merged by GRO. False where the "wire" is a veth pair (a lab in namespaces, as validate
  // builds it): veth carries the burst whole, so there is no per-frame work.
  bool wire_frames = true;
  std::size_t netdev_max_backlog = 1000;  // sysctl net.core.netdev_max_backlog: a core's receive queue
  std::array<std::uint64_t, std::size_t(DropReason::kCount)> drops{};  // packets freed, by reason (all flows)
  // Sees every frame a device transmits (the hook a pcap writer or a test uses); unset costs nothing.
  std::function<void(const Device&, const Packet&)> tap;
  std::function<void(const Device&, const Packet&)> tap_rx;  // every frame a device receives
  const cost::Profile* profile = nullptr;

 private:
  struct Pending {
    PacketPtr p;
    Device* dev = nullptr;
    int core = 0;  // the core whose backlog holds it
    bool from_wire = false;  // it crossed a link from another node: the NIC delivered it frame by frame
  };
  struct Work {
    bool active = false;
    cost::NodeCpu* cpu = nullptr;
    int core = 0;
    Nanos start = 0;
    Nanos cost = 0;
    std::uint16_t flow = 0;
  };
  int rx_core(const Device& dev, const Packet& p) const;
  void receive(std::uint32_t slot);
  // process_backlog: packets waiting for a busy core, in arrival order, and the one event that
  // will take the next of them when the core frees up.
  struct Backlog final : EventTarget {
    World* world = nullptr;
    cost::NodeCpu* cpu = nullptr;
    int core = 0;
    std::deque<std::uint32_t> slots;
    bool scheduled = false;
    void on_event(std::uint64_t) override;
  };
  Backlog& backlog(cost::NodeCpu* cpu, int core);
  Work work_;
  std::unordered_map<const cost::NodeCpu*, std::vector<std::unique_ptr<Backlog>>> backlogs_;
  std::unordered_map<std::string, std::unique_ptr<cost::NodeCpu>> cpus_;
  std::vector<Pending> pending_;
  std::vector<std::uint32_t> free_pending_;
  std::vector<std::unique_ptr<Netns>> namespaces_;
  std::unordered_map<std::string_view, Netns*> by_name_;  // keys view Netns::name
  std::vector<std::unique_ptr<Netns>> dead_namespaces_;
  std::vector<std::unique_ptr<Device>> graveyard_;
  std::uint64_t last_packet_id_ = 0;
};

}  // namespace ol::kernel
