#include "models/kernel/ipv4/ip_defrag.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <tuple>
#include <vector>

#include "models/kernel/netns.h"
#include "models/kernel/cpu_work.h"
#include "models/kernel/tracing.h"
#include "models/wire/checksum.h"
#include "models/wire/ipv4.h"

namespace ol::kernel {

namespace {

using Key = decltype(IpFragQueues::queues)::key_type;
constexpr Nanos kIpfragTime = 30 * kNanosPerSecond;

std::size_t frag_offset(const Packet& p) {
  return std::size_t(wire::get16(p.data() + wire::Ipv4Repr::kFrag) & wire::Ipv4Repr::kOffsetMask) * 8;
}
std::size_t frag_payload(const Packet& p) { return p.size() - wire::ipv4_header_len(p.data()); }

}  // namespace

PacketPtr ip_defrag(Netns& ns, PacketPtr frag) {
  if (!ns.ipfrag) ns.ipfrag = std::make_unique<IpFragQueues>();
  auto& queues = ns.ipfrag->queues;
  std::erase_if(queues, [&](auto& kv) { return ns.now() - kv.second.started > kIpfragTime; });
  const std::uint8_t* h = frag->data();
  Key key{wire::ipv4_src(h).v, wire::ipv4_dst(h).v, wire::get16(h + wire::Ipv4Repr::kId), wire::ipv4_proto(h)};
  auto [it, fresh] = queues.try_emplace(key);
  FragQueue& q = it->second;
  if (fresh) q.started = ns.now();
  if (!(wire::get16(h + wire::Ipv4Repr::kFrag) & wire::Ipv4Repr::kFlagMF)) q.total = frag_offset(*frag) + frag_payload(*frag);
  q.frags.push_back(std::move(frag));
  if (q.total == 0) return PacketPtr(nullptr, PacketReturn{&ns.pool});
  std::sort(q.frags.begin(), q.frags.end(), [](auto& a, auto& b) { return frag_offset(*a) < frag_offset(*b); });
  std::size_t covered = 0;
  for (auto& f : q.frags) {
    if (frag_offset(*f) > covered) return PacketPtr(nullptr, PacketReturn{&ns.pool});
    covered = std::max(covered, frag_offset(*f) + frag_payload(*f));
  }
  if (covered < q.total) return PacketPtr(nullptr, PacketReturn{&ns.pool});
  // ip_frag_reasm: the first fragment's header, every payload at its offset, then a new checksum.
  const Packet& first = *q.frags.front();
  const std::size_t hl = wire::ipv4_header_len(first.data());
  PacketPtr whole = ns.pool.get();
  whole->id = first.id;
  whole->traced = first.traced;
  whole->at_l3 = true;
  whole->pkt_type = first.pkt_type;
  whole->dev = first.dev;
  std::uint8_t* out = whole->put(std::uint32_t(hl + q.total));
  std::memcpy(out, first.data(), hl);
  for (auto& f : q.frags) std::memcpy(out + hl + frag_offset(*f), f->data() + hl, frag_payload(*f));
  wire::put16(out + wire::Ipv4Repr::kTotLen, std::uint16_t(hl + q.total));
  wire::put16(out + wire::Ipv4Repr::kFrag, 0);
  wire::put16(out + wire::Ipv4Repr::kCsum, 0);
  wire::put16(out + wire::Ipv4Repr::kCsum, wire::internet_checksum(wire::Bytes(out, hl)));
  queues.erase(it);
  if (whole->traced) ns.tracing.trace(*whole, ns, whole->dev, "ip_defrag", "reassembled");
  return whole;
}

}  // namespace ol::kernel
