#include "models/wire/tcp_options.h"

#include <algorithm>

#include <fmt/format.h>

namespace ol::wire {

std::size_t TcpOptions::len() const {
  std::size_t n = 0;
  if (mss) n += 4;
  if (timestamp || sack_permitted) n += timestamp ? 12 : 4;  // (SACK-permitted +) TS, or NOP NOP SACK-permitted
  if (wscale) n += 4;
  if (sack_blocks) n += 4 + 8 * std::size_t(sack_blocks);
  return n;
}

void TcpOptions::emit(MutBytes b) const {
  std::uint8_t* p = b.data();
  auto put = [&p](std::initializer_list<std::uint8_t> bytes) {
    for (std::uint8_t v : bytes) *p++ = v;
  };
  if (mss) {
    put({tcpopt::kMss, 4});
    put16(p, *mss);
    p += 2;
  }
  if (timestamp) {
    if (sack_permitted) put({tcpopt::kSackPerm, 2});
    else put({tcpopt::kNop, tcpopt::kNop});
    put({tcpopt::kTimestamp, 10});
    put32(p, timestamp->val);
    put32(p + 4, timestamp->ecr);
    p += 8;
  } else if (sack_permitted) {
    put({tcpopt::kNop, tcpopt::kNop, tcpopt::kSackPerm, 2});
  }
  if (wscale) put({tcpopt::kNop, tcpopt::kWscale, 3, *wscale});
  if (sack_blocks) {
    put({tcpopt::kNop, tcpopt::kNop, tcpopt::kSack, std::uint8_t(2 + 8 * sack_blocks)});
    for (std::size_t i = 0; i < sack_blocks; ++i) {
      put32(p, sack[i].start);
      put32(p + 4, sack[i].end);
      p += 8;
    }
  }
}

std::optional<TcpOptions> TcpOptions::parse(Bytes b) {
  TcpOptions o;
  for (std::size_t i = 0; i < b.size();) {
    const std::uint8_t kind = b[i];
    if (kind == tcpopt::kEol) break;
    if (kind == tcpopt::kNop) {
      ++i;
      continue;
    }
    if (i + 1 >= b.size()) return std::nullopt;
    const std::size_t len = b[i + 1];
    if (len < 2 || i + len > b.size()) return std::nullopt;
    const std::uint8_t* v = b.data() + i + 2;
    switch (kind) {
      case tcpopt::kMss:
        if (len != 4) return std::nullopt;
        o.mss = get16(v);
        break;
      case tcpopt::kWscale:
        if (len != 3) return std::nullopt;
        o.wscale = v[0];
        break;
      case tcpopt::kSackPerm:
        if (len != 2) return std::nullopt;
        o.sack_permitted = true;
        break;
      case tcpopt::kTimestamp:
        if (len != 10) return std::nullopt;
        o.timestamp = TcpTimestamp{get32(v), get32(v + 4)};
        break;
      case tcpopt::kSack:
        if ((len - 2) % 8 != 0 || len == 2) return std::nullopt;
        o.sack_blocks = std::uint8_t(std::min<std::size_t>((len - 2) / 8, o.sack.size()));
        for (std::size_t k = 0; k < o.sack_blocks; ++k) o.sack[k] = {get32(v + 8 * k), get32(v + 8 * k + 4)};
        break;
      default:
        break;  // an option the model does not read
    }
    i += len;
  }
  return o;
}

std::string TcpOptions::str() const {
  std::string s;
  auto add = [&s](const std::string& part) { s += (s.empty() ? "" : ", ") + part; };
  if (mss) add(fmt::format("MSS {}", *mss));
  if (sack_permitted) add("SACK permitted");
  if (timestamp) add(fmt::format("TS {}:{}", timestamp->val, timestamp->ecr));
  if (wscale) add(fmt::format("WS {}", *wscale));
  for (std::size_t k = 0; k < sack_blocks; ++k) add(fmt::format("SACK {}-{}", sack[k].start, sack[k].end));
  return s;
}

}  // namespace ol::wire
