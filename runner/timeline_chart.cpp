#include "runner/timeline_chart.h"

#include "runner/chart.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace ol::runner {

namespace {

struct Panel {
  std::map<std::string, std::vector<const TimelineRow*>> by_mode;  // in time order
  std::uint64_t max = 1;
};

}  // namespace

std::string timeline_svg(const std::string& title, const std::vector<TimelineRow>& rows, const std::vector<EventMark>& marks,
                         double bin_s) {
  std::map<int, Panel> panels;
  double t_end = bin_s;
  for (const auto& r : rows) {
    Panel& p = panels[r.flow];
    p.by_mode[r.mode].push_back(&r);
    p.max = std::max({p.max, r.delivered, r.sent});
    t_end = std::max(t_end, r.t_s + bin_s);
  }
  for (const auto& m : marks) t_end = std::max(t_end, m.t_s + bin_s);
  const int left = 60, pw = 720, ph = 180, gap = 70, top = 60;
  const int height = top + int(panels.size()) * (ph + gap) + 20;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{}\" y=\"24\" font-size=\"16\">{}</text>\n",
      left + pw + 140, height, left, title);
  auto x_of = [&](double t) { return left + int(t / t_end * pw); };
  int k = 0;
  for (const auto& [flow, p] : panels) {
    const int y0 = top + k++ * (ph + gap);
    const double max = double(p.max);  // (clang 14 cannot capture a structured binding)
    auto y_of = [&](std::uint64_t v) { return y0 + ph - int(double(v) / max * ph); };
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-weight=\"bold\">flow {}: packets delivered per {} ms</text>\n", left,
                       y0 - 10, flow, int(bin_s * 1000 + 0.5));
    svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"black\"/>\n", left, y0, y0 + ph);
    svg += fmt::format("<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"black\"/>\n", left, left + pw, y0 + ph);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", left - 4, y0 + 4, p.max);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>\n", left - 4, y0 + ph);
    for (int s = 0; s <= 4; ++s)
      svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{:.1f} s</text>\n", x_of(t_end * s / 4), y0 + ph + 16,
                         t_end * s / 4);
    for (const auto& m : marks) {
      svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n",
                         x_of(m.t_s), y0, y0 + ph);
      svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#555\">{}</text>\n", x_of(m.t_s) + 3, y0 + 10, m.label);
    }
    int legend = 0;
    for (const auto& [mode, pts] : p.by_mode) {
      std::string points;
      for (const TimelineRow* r : pts)  // a step per bin: flat across it
        points += fmt::format("{},{} {},{} ", x_of(r->t_s), y_of(r->delivered), x_of(r->t_s + bin_s), y_of(r->delivered));
      svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" points=\"{}\"/>\n", mode_colour(mode), points);
      svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"{}\">{}</text>\n", left + pw + 10, y0 + 16 + 16 * legend++, mode_colour(mode), mode);
    }
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace ol::runner
