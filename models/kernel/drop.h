// Why a packet was freed, named after the kernel's enum skb_drop_reason (include/net/dropreason-core.h)
// so that a trace line can be grepped for in the kernel source.
#pragma once

namespace ol::kernel {

enum class DropReason {
  NotSpecified,
  Otherhost,         // frame for another MAC reached ip_rcv
  IpCsum,            // bad IPv4 header checksum
  IpInhdr,           // bad header, or TTL expired while forwarding
  IpInaddrErrors,    // not for us and forwarding is off
  IpInNoRoutes,      // forwarding: no route
  IpOutNoRoutes,     // locally generated: no route
  PktTooBig,         // DF set and larger than the next hop's MTU
  NeighFailed,       // ARP resolution failed after the retries
  NeighQueueFull,    // too many bytes queued while resolving
  NoSocket,          // UDP to a port nobody listens on
  UdpCsum,           // bad UDP checksum
  NoTxTarget,        // VXLAN: no FDB entry for the inner destination and no default entry
  VxlanInvalidHdr,   // VXLAN header without the I flag
  VxlanVniNotFound,  // no VXLAN device with this VNI on the port
  DevReady,          // device down (or TUN with no reader attached)
  FullRing,          // TUN queue full
  QdiscDrop,         // link queue (netem limit) full
  UnhandledProto,    // ethertype or IP protocol the stack does not handle
  BrForwardDisabled, // hairpin off: a bridge does not send a frame back out its ingress port
  CpuBacklog,        // the receiving core's backlog already holds netdev_max_backlog packets
  SocketRcvbuff,     // the socket's receive buffer (SO_RCVBUF) is full
  kCount
};

const char* drop_reason_name(DropReason r);

}  // namespace ol::kernel
