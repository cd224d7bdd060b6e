// libFuzzer: any bytes as a frame. Every checked view and repr, the trace's header description and
// the capture summary the validator compares must read them without reading past them.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <pcap/pcap.h>

#include "models/kernel/packet.h"
#include "models/wire/arp.h"
#include "models/wire/ethernet.h"
#include "models/wire/icmp.h"
#include "models/wire/ipv4.h"
#include "models/wire/tcp.h"
#include "models/wire/tcp_options.h"
#include "models/wire/udp.h"
#include "models/wire/vxlan.h"
#include "validate/encap_summary.h"

namespace w = ol::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const w::Bytes b(data, size);
  (void)w::EthernetRepr::parse(b);
  (void)w::ArpRepr::parse(b);
  (void)w::Ipv4Repr::parse(b);
  (void)w::UdpRepr::parse(b);
  (void)w::TcpRepr::parse(b);
  if (auto o = w::TcpOptions::parse(b)) (void)o->str();
  (void)w::VxlanRepr::parse(b);
  (void)w::IcmpRepr::parse(b);
  if (auto ip = w::Ipv4View::new_checked(b)) {
    (void)ip->verify_checksum();
    if (auto udp = w::UdpView::new_checked(ip->payload())) (void)udp->payload().size();
    if (auto tcp = w::TcpView::new_checked(ip->payload())) (void)tcp->header_len();
  }
  if (auto eth = w::EthernetView::new_checked(b))
    if (auto vx = w::VxlanView::new_checked(eth->payload())) (void)vx->vni();
  for (bool l3 : {false, true}) {  // the trace's "eth 14 | ipv4 20 | …"
    static ol::kernel::PacketPool pool;
    if (size > ol::kernel::Packet::kMaxData) break;
    auto p = pool.get();
    std::memcpy(p->put(std::uint32_t(size)), data, size);
    p->at_l3 = l3;
    (void)ol::kernel::describe_headers(*p);
  }
  (void)ol::validate::summarize_frame(data, size, DLT_EN10MB, {});
  (void)ol::validate::summarize_frame(data, size, DLT_RAW, {4789, 8285});
  return 0;
}
