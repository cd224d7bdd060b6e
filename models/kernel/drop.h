// Why a packet was freed, named after the kernel's enum skb_drop_reason (include/net/dropreason-core.h)
// so that a trace line can be grepped for in the kernel source. One list makes both the enum and
// the names, as the kernel's DEFINE_DROP_REASON does.
#pragma once
#include <cstddef>

#include "models/kernel/packet.h"

namespace ol::kernel {

class Device;
class Netns;

//  X(enumerator, kernel name after SKB_DROP_REASON_)            what it means here
#define OL_DROP_REASONS(X)                                                                          \
  X(NotSpecified, NOT_SPECIFIED)                                                                    \
  X(Otherhost, OTHERHOST)                  /* frame for another MAC reached ip_rcv */               \
  X(IpCsum, IP_CSUM)                       /* bad IPv4 header checksum */                           \
  X(IpInhdr, IP_INHDR)                     /* bad header, or TTL expired while forwarding */        \
  X(IpInaddrErrors, IP_INADDRERRORS)       /* not for us and forwarding is off */                   \
  X(IpInNoRoutes, IP_INNOROUTES)           /* forwarding: no route */                               \
  X(IpOutNoRoutes, IP_OUTNOROUTES)         /* locally generated: no route */                        \
  X(PktTooBig, PKT_TOO_BIG)                /* DF set and larger than the next hop's MTU */          \
  X(NeighFailed, NEIGH_FAILED)             /* ARP resolution failed after the retries */            \
  X(NeighQueueFull, NEIGH_QUEUEFULL)       /* too many bytes queued while resolving */              \
  X(NoSocket, NO_SOCKET)                   /* UDP to a port nobody listens on */                    \
  X(UdpCsum, UDP_CSUM)                     /* bad UDP checksum */                                   \
  X(NoTxTarget, NO_TX_TARGET)              /* VXLAN: no FDB entry and no default entry */           \
  X(VxlanInvalidHdr, VXLAN_INVALID_HDR)    /* VXLAN header without the I flag */                    \
  X(VxlanVniNotFound, VXLAN_VNI_NOT_FOUND) /* no VXLAN device with this VNI on the port */          \
  X(DevReady, DEV_READY)                   /* device down (or TUN with no reader attached) */       \
  X(FullRing, FULL_RING)                   /* TUN queue full */                                     \
  X(QdiscDrop, QDISC_DROP)                 /* link queue (netem limit) full */                      \
  X(UnhandledProto, UNHANDLED_PROTO)       /* ethertype or IP protocol the stack does not handle */ \
  X(BrForwardDisabled, BRIDGE_NO_EGRESS_PORT) /* hairpin off: not back out the ingress port */      \
  X(CpuBacklog, CPU_BACKLOG)               /* the core's backlog holds netdev_max_backlog */        \
  X(SocketRcvbuff, SOCKET_RCVBUFF)         /* the socket's receive buffer (SO_RCVBUF) is full */

enum class DropReason {
#define OL_DROP_ENUM(name, kernel) name,
  OL_DROP_REASONS(OL_DROP_ENUM)
#undef OL_DROP_ENUM
  kCount
};

const char* drop_reason_name(DropReason r);  // "SKB_DROP_REASON_NO_TX_TARGET"

// kfree_skb_reason: the one place a packet is dropped, and the trace point that says why.
void kfree_skb_reason(Netns& ns, const Device* dev, PacketPtr p, DropReason reason, const char* function);

}  // namespace ol::kernel
