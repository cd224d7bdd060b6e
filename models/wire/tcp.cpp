#include "models/wire/tcp.h"

#include <utility>

namespace ol::wire {

std::string tcp_flags_str(std::uint8_t flags) {
  static constexpr std::pair<std::uint8_t, const char*> kNames[] = {
      {tcp::kFin, "FIN"}, {tcp::kSyn, "SYN"}, {tcp::kRst, "RST"}, {tcp::kPsh, "PSH"}, {tcp::kAck, "ACK"}};
  std::string s;
  for (const auto& [bit, name] : kNames)
    if (flags & bit) s += (s.empty() ? "" : ",") + std::string(name);
  return s;
}

std::optional<TcpRepr> TcpRepr::parse(Bytes b) {
  auto p = TcpView::new_checked(b);
  if (!p) return std::nullopt;
  return TcpRepr{p->src_port(),   p->dst_port(),   p->seq_number(), p->ack_number(), std::uint8_t(p->header_len() / 4),
                 p->flags(),      p->window_len(), p->checksum(),   p->urgent_at()};
}

void TcpRepr::emit(MutBytes b) const {
  auto p = TcpViewMut::new_unchecked(b.first(kLen));
  p.set_src_port(src_port);
  p.set_dst_port(dst_port);
  p.set_seq_number(seq);
  p.set_ack_number(ack);
  p.set_header_len_words(data_offset);
  p.set_flags(flags);
  p.set_window_len(window);
  p.set_checksum(checksum);
  p.set_urgent_at(urgent);
}

}  // namespace ol::wire
