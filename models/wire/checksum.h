// The Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit words.
#pragma once
#include "models/wire/bytes.h"

namespace ol::wire {

inline std::uint32_t checksum_add(std::uint32_t sum, Bytes data) {
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += get16(&data[i]);
  if (i < data.size()) sum += std::uint32_t(data[i]) << 8;
  return sum;
}

inline std::uint16_t checksum_fold(std::uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return std::uint16_t(~sum);
}

inline std::uint16_t internet_checksum(Bytes data) { return checksum_fold(checksum_add(0, data)); }

}  // namespace ol::wire
