// A frame taken apart as Wireshark's packet details pane shows it: each header of the stack
// (Ethernet, ARP, IPv4, UDP, VXLAN, flannel's UDP, ICMP, TCP) with every field's byte offset in
// the frame, its length and its value; encapsulations are followed on their well-known ports
// (VXLAN on 8472 or 4789, flannel's udp on 8285), so the inner frame's fields come after the outer.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "models/wire/bytes.h"

namespace ol::wire {

struct FieldRow {
  int layer = 0;            // index of the header in the stack, outermost 0
  std::string header;       // "Ethernet", "IPv4", "UDP", "VXLAN", "ICMP", "ARP", "TCP", "data"
  bool inner = false;       // inside an encapsulation
  std::string field;        // "destination", "VNI", …; empty for the header's own row
  std::size_t offset = 0;   // from the start of the frame
  std::size_t length = 0;   // bytes
  std::string value;        // as a person reads it: "10.244.2.2", "8472 (VXLAN)", "0x0800 (IPv4)"
};

// `at_l3`: the bytes start at the IP header (after eth_type_trans, or a TUN's packet). Each
// header comes first as a row with an empty `field` (its offset and length), then its fields.
std::vector<FieldRow> dissect(Bytes frame, bool at_l3);

// The bytes in front of the innermost IP header (0 when there is no encapsulation): what a tunnel
// costs, and so what it takes off the underlay's MTU.
std::size_t encapsulation_bytes(const std::vector<FieldRow>& rows);

// The rows as a table: offset, length, header (outer/inner), field, value; `indent` before each line.
std::string format_fields(const std::vector<FieldRow>& rows, const std::string& indent);

}  // namespace ol::wire
