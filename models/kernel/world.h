// Every namespace of one simulation, the packet pool they share, and the receive backlog that
// turns netif_rx() into a later netif_receive_skb() (the softirq). No globals: a GUI can hold many.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

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

  PacketPool pool;  // first member: destroyed last, after every queue that holds its packets
  Simulator& sim;
  TraceSink* trace_sink = nullptr;
  bool trace_all = false;  // sample every packet a program sends
  // Sees every frame a device transmits (the hook a pcap writer or a test uses); unset costs nothing.
  std::function<void(const Device&, const Packet&)> tap;

 private:
  struct Pending {
    PacketPtr p;
    Device* dev = nullptr;
  };
  std::vector<Pending> pending_;
  std::vector<std::uint32_t> free_pending_;
  std::vector<std::unique_ptr<Netns>> namespaces_;
  std::unordered_map<std::string_view, Netns*> by_name_;  // keys view Netns::name
  std::vector<std::unique_ptr<Netns>> dead_namespaces_;
  std::vector<std::unique_ptr<Device>> graveyard_;
  std::uint64_t last_packet_id_ = 0;
};

}  // namespace ol::kernel
