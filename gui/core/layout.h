// Where to draw the cluster: the nodes, the underlay switches (segments) and the router as a
// graph, laid out by Boost.Graph's Kamada–Kawai spring layout (from a circle), scaled into the
// unit square. Deterministic for a scenario.
#pragma once
#include <string>
#include <vector>

#include "models/scenario/spec.h"

namespace ol::gui {

struct LayoutItem {
  enum class Kind { Node, Segment, Router } kind = Kind::Node;
  std::string name;
  double x = 0, y = 0;  // in [0, 1]
};

struct LayoutEdge {
  std::size_t a = 0, b = 0;  // indices into items
};

struct TopologyLayout {
  std::vector<LayoutItem> items;
  std::vector<LayoutEdge> edges;
  const LayoutItem* find(const std::string& name) const;
};

TopologyLayout layout_topology(const scenario::Scenario& s);

}  // namespace ol::gui
