#include "models/kernel/ipv4/ip_defrag.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <tuple>
#include <vector>

#include "models/kernel/cpu_work.h"
#include "models/kernel/drop.h"
#include "models/kernel/netns.h"
#include "models/kernel/tracing.h"
#include "models/wire/checksum.h"
#include "models/wire/ipv4.h"

namespace ol::kernel {

namespace {

using Key = decltype(IpFragQueues::queues)::key_type;
constexpr Nanos kIpfragTime = 30 * kNanosPerSecond;

constexpr std::size_t kIpMaxMtu = 65535;  // IP_MAX_MTU: no datagram reassembles past it

std::size_t frag_offset(const Packet& p) { return ip_hdr(p).frag_offset(); }
wire::Bytes frag_payload(const Packet& p) { return ip_hdr(p).payload(); }
std::size_t frag_end(const Packet& p) { return frag_offset(p) + frag_payload(p).size(); }

}  // namespace

PacketPtr ip_defrag(Netns& ns, PacketPtr frag) {
  if (!ns.ipfrag) ns.ipfrag = std::make_unique<IpFragQueues>();
  auto& queues = ns.ipfrag->queues;
  std::erase_if(queues, [&](auto& kv) { return ns.now() - kv.second.started > kIpfragTime; });
  const auto h = ip_hdr(*frag);
  Key key{h.src_addr().v, h.dst_addr().v, h.ident(), h.protocol()};
  auto [it, fresh] = queues.try_emplace(key);
  FragQueue& q = it->second;
  if (fresh) q.started = ns.now();
  if (frag_end(*frag) + h.header_len() > kIpMaxMtu) {  // ip_frag_queue: "Oversized IP packet", the queue dies
    queues.erase(it);
    kfree_skb_reason(ns, frag->dev, std::move(frag), DropReason::IpInhdr, "ip_frag_queue");
    return PacketPtr(nullptr, PacketReturn{&ns.pool});
  }
  if (!h.more_frags()) q.total = frag_end(*frag);
  q.frags.push_back(std::move(frag));
  if (q.total == 0) return PacketPtr(nullptr, PacketReturn{&ns.pool});
  std::sort(q.frags.begin(), q.frags.end(), [](auto& a, auto& b) { return frag_offset(*a) < frag_offset(*b); });
  std::size_t covered = 0;
  for (auto& f : q.frags) {
    if (frag_offset(*f) > covered) return PacketPtr(nullptr, PacketReturn{&ns.pool});
    covered = std::max(covered, frag_end(*f));
  }
  if (covered < q.total) return PacketPtr(nullptr, PacketReturn{&ns.pool});
  // ip_frag_reasm: the first fragment's header, every payload at its offset, then a new checksum.
  const Packet& first = *q.frags.front();
  const std::size_t hl = ip_hdr(first).header_len();
  PacketPtr whole = ns.pool.get(std::uint32_t(hl + q.total));
  whole->id = first.id;
  whole->traced = first.traced;
  whole->at_l3 = true;
  whole->pkt_type = first.pkt_type;
  whole->dev = first.dev;
  std::uint8_t* out = whole->put(std::uint32_t(hl + q.total));
  std::memcpy(out, first.data(), hl);
  for (auto& f : q.frags) {  // a fragment that overlaps past the end gives only what fits
    const std::size_t off = frag_offset(*f);
    if (off >= q.total) continue;
    const wire::Bytes data = frag_payload(*f);
    std::memcpy(out + hl + off, data.data(), std::min(data.size(), q.total - off));
  }
  auto ip = ip_hdr(*whole);
  ip.set_total_len(std::uint16_t(hl + q.total));
  ip.set_frag(false, false, 0);
  ip.fill_checksum();
  queues.erase(it);
  if (whole->traced) ns.tracing.trace(*whole, ns, whole->dev, "ip_defrag", "reassembled");
  return whole;
}

}  // namespace ol::kernel
