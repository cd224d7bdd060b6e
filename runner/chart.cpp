#include "runner/chart.h"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

namespace ol::runner {

namespace {

struct Panel {
  std::string title, unit;
  std::function<double(const FlowRow&)> value;
  std::function<bool(const FlowRow&)> applies;
  int decimals;  // as `compare` prints the same figure, so the chart and the table agree
};

}  // namespace

const char* mode_colour(const std::string& mode) {
  return mode == "host-gw" ? "#4c72b0" : mode == "vxlan" ? "#55a868" : "#c44e52";
}

std::string comparison_svg(const std::string& title, const std::vector<FlowRow>& rows) {
  const std::vector<Panel> panels = {
      {"TCP goodput", "Gbit/s", [](const FlowRow& r) { return r.goodput_gbps; }, [](const FlowRow& r) { return r.proto == "tcp"; }, 3},
      {"ping RTT p50", "us", [](const FlowRow& r) { return r.rtt_p50_us; }, [](const FlowRow& r) { return r.proto == "icmp"; }, 1},
      {"TCP CPU per packet, receiving node", "ns", [](const FlowRow& r) { return r.cpu_ns_per_packet_rx_node; },
       [](const FlowRow& r) { return r.proto == "tcp"; }, 0},
      {"kernel/user crossings per TCP packet", "", [](const FlowRow& r) { return r.crossings_per_packet; },
       [](const FlowRow& r) { return r.proto == "tcp"; }, 2},
  };
  const int pw = 260, ph = 220, gap = 30, top = 50;
  const int width = int(panels.size()) * (pw + gap) + gap;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{}\" y=\"24\" font-size=\"16\">{}</text>\n",
      width, top + ph + 60, gap, title);
  for (std::size_t k = 0; k < panels.size(); ++k) {
    const Panel& p = panels[k];
    std::vector<const FlowRow*> bars;
    for (const auto& r : rows)
      if (p.applies(r)) bars.push_back(&r);
    double max = 0;
    for (auto* r : bars) max = std::max(max, p.value(*r));
    if (max <= 0) max = 1;
    const int x0 = gap + int(k) * (pw + gap);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-weight=\"bold\">{}</text>\n", x0, top - 8, p.title);
    svg += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>\n", x0, top + ph, x0 + pw, top + ph);
    const int bw = bars.empty() ? 0 : std::min(60, pw / int(bars.size()) - 10);
    for (std::size_t i = 0; i < bars.size(); ++i) {
      const double v = std::max(0.0, p.value(*bars[i]));
      const int h = int(v / max * (ph - 20));
      const int x = x0 + 10 + int(i) * (bw + 10);
      svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n", x, top + ph - h, bw, h,
                         mode_colour(bars[i]->mode));
      svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{:.{}f}{}</text>\n", x + bw / 2, top + ph - h - 4, v,
                         p.decimals, p.unit.empty() ? "" : " " + p.unit);
      svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x + bw / 2, top + ph + 16, bars[i]->mode);
    }
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace ol::runner
