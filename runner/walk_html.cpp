#include "runner/walk_html.h"

#include <fmt/format.h>

#include "models/wire/dissect.h"

namespace ol::runner {

namespace {

std::string esc(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

constexpr const char* kStyle = R"(
body { font-family: "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccd; }
.summary { color: #444; } ol.workflow li { margin: 0.2em 0; }
.stage { margin-top: 1.4em; padding: 0.3em 0.6em; background: #e4ecf7; color: #205080; font-weight: bold; }
.step { border-left: 3px solid #aab4c8; margin: 0.6em 0 0.6em 0.4em; padding: 0.2em 0.8em; }
.step.crossing { border-left-color: #c03030; } .step.drop { border-left-color: #e07000; background: #fff4e8; }
.fn { font-family: "DejaVu Sans Mono", monospace; font-weight: bold; font-size: 1.1em; }
.where, .verdict, .headers { color: #444; font-size: 0.92em; } .xing { color: #b02020; font-weight: bold; }
pre.table { font-family: "DejaVu Sans Mono", monospace; font-size: 0.85em; margin: 0.3em 0; padding: 0.3em;
            background: #f7f7f9; border: 1px solid #e0e0e6; white-space: pre-wrap; }
pre.table .hit { background: #ffd696; font-weight: bold; display: inline-block; width: 100%; }
table.frame { border-collapse: collapse; font-family: "DejaVu Sans Mono", monospace; font-size: 0.82em; margin: 0.3em 0; }
table.frame td, table.frame th { padding: 0.1em 0.6em; border-bottom: 1px solid #eee; text-align: left; }
table.frame tr.hdr td { font-weight: bold; } tr.outer td.name { color: #aa4600; } tr.inner td.name { color: #1e5aa0; }
td.num { text-align: right; }
)";

// The lanes: one dot per step, in the user lane between crossings, a red arrow at each crossing.
std::string lanes_svg(const WalkRecording& w) {
  const auto user = user_space_steps(w);
  const double width = 1000, left = 70, lane = 40, dx = (width - left - 10) / double(std::max<std::size_t>(1, w.steps.size()));
  std::string svg = fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" role="img">)", width, 2 * lane + 10);
  svg += fmt::format(R"(<rect x="{}" y="5" width="{}" height="{}" fill="#fff7e6"/>)", left, width - left - 10, lane);
  svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="#eaf0fa"/>)", left, 5 + lane, width - left - 10, lane);
  svg += fmt::format(R"(<text x="4" y="{}" font-size="13">user</text><text x="4" y="{}" font-size="13">kernel</text>)", 5 + lane / 2 + 4,
                     5 + 1.5 * lane + 4);
  for (std::size_t i = 0; i < w.steps.size(); ++i) {
    const double x = left + dx * (double(i) + 0.5), y = 5 + (user[i] ? lane / 2 : 1.5 * lane);
    svg += fmt::format(R"(<circle cx="{:.1f}" cy="{}" r="2.5" fill="{}"/>)", x, y, i < w.request_steps ? "#5a6ea0" : "#96a0b4");
    if (!w.steps[i].event.crossing.empty())
      svg += fmt::format(R"(<line x1="{0:.1f}" y1="8" x2="{0:.1f}" y2="{1}" stroke="#c03030" stroke-width="2"/>)", x, 2 * lane + 2);
  }
  return svg + "</svg>";
}

std::string table_html(const WalkStep& st) {
  if (st.event.table.empty()) return {};
  std::string out = fmt::format("<div class=\"where\">[{}] <code>{}</code>{}</div><pre class=\"table\">", esc(st.event.table),
                                esc(st.table_command), st.matched_row < 0 ? " — no entry matched" : "");
  for (std::size_t r = 0; r < st.table_rows.size(); ++r) {
    const bool hit = int(r) == st.matched_row;
    out += hit ? "<span class=\"hit\">" + esc(st.table_rows[r]) + "</span>\n" : esc(st.table_rows[r]) + "\n";
  }
  return out + "</pre>";
}

std::string frame_html(const TraceEvent& e, int underlay_mtu) {
  const auto rows = wire::dissect(e.frame, e.frame_at_l3);
  const std::size_t encap = wire::encapsulation_bytes(rows);
  std::string out = fmt::format("<details open><summary>frame here: {} bytes{}</summary><table class=\"frame\">", e.frame.size(),
                                encap ? fmt::format(" — {} bytes of encapsulation in front of the pod's IP packet: the underlay's "
                                                    "MTU {} leaves the pods {}",
                                                    encap, underlay_mtu, underlay_mtu - int(encap))
                                      : "");
  out += "<tr><th>offset</th><th>bytes</th><th>header / field</th><th>value</th></tr>";
  for (const auto& r : rows) {
    const std::string cls = encap ? (r.inner ? "inner" : "outer") : "";
    const std::string name = r.field.empty() ? (encap ? cls + " " : "") + r.header : "&nbsp;&nbsp;" + esc(r.field);
    out += fmt::format("<tr class=\"{}{}\"><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"name\">{}</td><td>{}</td></tr>",
                       cls, r.field.empty() ? " hdr" : "", r.offset, r.length, name, esc(r.value));
  }
  return out + "</table></details>";
}

std::string step_html(const WalkRecording& w, std::size_t i) {
  const WalkStep& st = w.steps[i];
  const TraceEvent& e = st.event;
  const bool drop = e.verdict.starts_with("drop");
  std::string out = fmt::format("<div class=\"step{}{}\" id=\"step-{}\">", e.crossing.empty() ? "" : " crossing", drop ? " drop" : "", i + 1);
  out += fmt::format("<div><span class=\"fn\">{}. {}()</span> <span class=\"where\">{}{} · t = {:.3f} µs</span>{}</div>", i + 1,
                     esc(e.function), esc(e.netns == e.node ? "node " + e.node : "pod " + e.netns + " on " + e.node),
                     e.device.empty() ? "" : esc(", device " + e.device), double(e.time - w.result.sent_at) / 1000.0,
                     e.crossing.empty() ? "" : " <span class=\"xing\">crossing " + esc(e.crossing) + "</span>");
  out += fmt::format("<div class=\"verdict\">→ {}</div><div class=\"headers\">headers: {} ({} bytes)</div>", esc(e.verdict),
                     esc(e.headers), e.size);
  out += table_html(st);
  if (!e.frame.empty() && cluster::stack_changes_at(w.steps, i, [](const WalkStep& s) -> const TraceEvent& { return s.event; }))
    out += frame_html(e, w.underlay_mtu);
  return out + "</div>\n";
}

}  // namespace

std::string walk_html(const WalkRecording& w, const std::string& scenario) {
  const std::string title = fmt::format("{} → {} in {}", w.from, w.to, w.mode);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>overlaylab: " + esc(title) + "</title><style>" +
                    kStyle + "</style></head><body>\n";
  out += fmt::format("<h1>{}</h1><p class=\"summary\">scenario {} · {} steps one way, {} kernel/user crossings on the nodes, "
                     "{} bytes of encapsulation · <b>{}</b></p>\n",
                     esc(title), esc(scenario), w.request_steps, w.result.crossings, w.result.overhead(), esc(w.result.outcome));
  out += "<h2>The " + esc(w.mode) + " workflow</h2><ol class=\"workflow\">";
  for (const auto& s : w.stages) out += "<li>" + esc(s) + "</li>";
  out += "</ol>\n<h2>Kernel and user space</h2>" + lanes_svg(w) + "\n<h2>Step by step</h2>\n";
  int stage = -1;
  for (std::size_t i = 0; i < w.steps.size(); ++i) {
    if (i == w.request_steps) out += "<h2>The way back</h2>\n", stage = -1;
    if (const int k = w.steps[i].stage; k != stage && k >= 0)
      out += fmt::format("<div class=\"stage\">{}. {}</div>\n", k + 1, esc(w.stages[std::size_t(k)]));
    stage = w.steps[i].stage;
    out += step_html(w, i);
  }
  return out + "</body></html>\n";
}

}  // namespace ol::runner
