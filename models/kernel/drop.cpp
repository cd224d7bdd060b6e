#include "models/kernel/drop.h"

namespace ol::kernel {

const char* drop_reason_name(DropReason r) {
  switch (r) {
    case DropReason::NotSpecified: return "SKB_DROP_REASON_NOT_SPECIFIED";
    case DropReason::Otherhost: return "SKB_DROP_REASON_OTHERHOST";
    case DropReason::IpCsum: return "SKB_DROP_REASON_IP_CSUM";
    case DropReason::IpInhdr: return "SKB_DROP_REASON_IP_INHDR";
    case DropReason::IpInaddrErrors: return "SKB_DROP_REASON_IP_INADDRERRORS";
    case DropReason::IpInNoRoutes: return "SKB_DROP_REASON_IP_INNOROUTES";
    case DropReason::IpOutNoRoutes: return "SKB_DROP_REASON_IP_OUTNOROUTES";
    case DropReason::PktTooBig: return "SKB_DROP_REASON_PKT_TOO_BIG";
    case DropReason::NeighFailed: return "SKB_DROP_REASON_NEIGH_FAILED";
    case DropReason::NeighQueueFull: return "SKB_DROP_REASON_NEIGH_QUEUEFULL";
    case DropReason::NoSocket: return "SKB_DROP_REASON_NO_SOCKET";
    case DropReason::CpuBacklog: return "SKB_DROP_REASON_CPU_BACKLOG";
    case DropReason::SocketRcvbuff: return "SKB_DROP_REASON_SOCKET_RCVBUFF";
    case DropReason::kCount: break;
    case DropReason::UdpCsum: return "SKB_DROP_REASON_UDP_CSUM";
    case DropReason::NoTxTarget: return "SKB_DROP_REASON_NO_TX_TARGET";
    case DropReason::VxlanInvalidHdr: return "SKB_DROP_REASON_VXLAN_INVALID_HDR";
    case DropReason::VxlanVniNotFound: return "SKB_DROP_REASON_VXLAN_VNI_NOT_FOUND";
    case DropReason::DevReady: return "SKB_DROP_REASON_DEV_READY";
    case DropReason::FullRing: return "SKB_DROP_REASON_FULL_RING";
    case DropReason::QdiscDrop: return "SKB_DROP_REASON_QDISC_DROP";
    case DropReason::UnhandledProto: return "SKB_DROP_REASON_UNHANDLED_PROTO";
    case DropReason::BrForwardDisabled: return "SKB_DROP_REASON_BRIDGE_NO_EGRESS_PORT";
  }
  return "SKB_DROP_REASON_NOT_SPECIFIED";
}

}  // namespace ol::kernel
