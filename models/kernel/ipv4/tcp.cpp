// net/ipv4/tcp_ipv4.c, the demultiplexing part: find the endpoint by destination port. The
// connection's state machine lives with the endpoint (models/traffic/tcp_flow).
#include "models/kernel/cpu_work.h"
#include "models/kernel/device.h"
#include "models/kernel/drop.h"
#include "models/kernel/ipv4/ip.h"
#include "models/kernel/netns.h"
#include "models/kernel/tracing.h"
#include "models/wire/bytes.h"
#include "models/wire/ipv4.h"
#include "models/wire/tcp.h"

namespace ol::kernel {

void tcp_v4_rcv(Netns& ns, Device& dev, PacketPtr p) {
  ns.work.charge(cost::Step::TcpV4Rcv, p->size());
  auto th = wire::TcpView::new_checked(ip_hdr(*p).payload());
  if (!th) return kfree_skb_reason(ns, &dev, std::move(p), DropReason::NotSpecified, "tcp_v4_rcv");
  SocketTable::TcpHandler* h = ns.sockets.tcp_lookup(th->dst_port());
  if (!h) return kfree_skb_reason(ns, &dev, std::move(p), DropReason::NoSocket, "tcp_v4_rcv");
  if (p->traced) ns.tracing.trace(*p, ns, &dev, "tcp_v4_rcv", "to the endpoint");
  (*h)(dev, std::move(p));
}

}  // namespace ol::kernel
