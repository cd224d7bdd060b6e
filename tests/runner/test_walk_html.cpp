// The walk as a page to hand out: one self-contained HTML document with the workflow, the lanes,
// every step with its table (the matched row marked) and the frames where headers change.
#include <catch2/catch.hpp>

#include "models/scenario/load.h"
#include "runner/walk_html.h"

using namespace ol;

namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("walk HTML: self-contained, every step, the matched rows marked, the vxlan frame's fields") {
  const auto s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/two-nodes.json");
  const auto w = runner::record_walk(s, scenario::Backend::Vxlan, "pod-a", "pod-c");
  const std::string html = runner::walk_html(w, "two-nodes");
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.ends_with("</html>\n"));
  CHECK(count(html, "<script") == 0);
  CHECK(count(html, "src=\"") == 0);  // nothing fetched: no images, no stylesheets outside
  CHECK(count(html, "class=\"step") == w.steps.size());
  std::size_t matched = 0;
  for (const auto& st : w.steps) matched += st.matched_row >= 0;
  CHECK(count(html, "<span class=\"hit\">") == matched);
  CHECK(count(html, "<div class=\"stage\">") >= 2 * w.stages.size());  // both legs, each stage headed
  CHECK_THAT(html, Catch::Contains("<span class=\"hit\">" + [&] {
                     for (const auto& st : w.steps)
                       if (st.event.function == "vxlan_xmit") return st.event.entry;
                     return std::string("?");
                   }() + "</span>"));
  CHECK_THAT(html, Catch::Contains("50 bytes of encapsulation in front of the pod's IP packet: the underlay's MTU 1500 leaves the pods 1450"));
  CHECK_THAT(html, Catch::Contains("<td class=\"name\">&nbsp;&nbsp;VNI</td><td>1</td>"));
  CHECK_THAT(html, Catch::Contains("<svg"));
  CHECK_THAT(html, Catch::Contains("<b>echo reply from 10.244.2.2"));
}

TEST_CASE("walk HTML escapes what it prints") {
  const auto s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/scenarios/two-nodes.json");
  const auto w = runner::record_walk(s, scenario::Backend::Udp, "pod-a", "pod-c");
  const std::string html = runner::walk_html(w, "<b>odd & name</b>");
  CHECK_THAT(html, Catch::Contains("scenario &lt;b&gt;odd &amp; name&lt;/b&gt;"));
  CHECK_THAT(html, Catch::Contains("crossing kernel-&gt;user"));
}
