#include "gui/core/layout.h"

#include <algorithm>
#include <cmath>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/circle_layout.hpp>
#include <boost/graph/kamada_kawai_spring_layout.hpp>
#include <boost/graph/topology.hpp>

namespace ol::gui {

namespace {

using Topology = boost::square_topology<>;
using Point = Topology::point_type;
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::property<boost::vertex_index_t, int>,
                                    boost::property<boost::edge_weight_t, double>>;

// Kamada–Kawai stops when the largest energy gradient is small, or after a bounded number of
// moves: on a symmetric graph (a star: one switch, N nodes) it can otherwise circle forever.
struct BoundedDone {
  std::size_t moves = 0, limit;
  explicit BoundedDone(std::size_t n) : limit(200 * n) {}
  template <class Graph_>
  bool operator()(double delta_p, typename boost::graph_traits<Graph_>::vertex_descriptor, const Graph_&, bool global) {
    return (global && delta_p < 1e-3) || ++moves > limit;
  }
};

}  // namespace

const LayoutItem* TopologyLayout::find(const std::string& name) const {
  for (const auto& i : items)
    if (i.name == name) return &i;
  return nullptr;
}

TopologyLayout layout_topology(const scenario::Scenario& s) {
  TopologyLayout out;
  for (const auto& seg : s.segments) out.items.push_back({LayoutItem::Kind::Segment, seg.name});
  if (s.router) out.items.push_back({LayoutItem::Kind::Router, *s.router});
  const std::size_t first_node = out.items.size();
  for (const auto& n : s.nodes) out.items.push_back({LayoutItem::Kind::Node, n.name});
  for (std::size_t i = 0; i < s.nodes.size(); ++i) out.edges.push_back({first_node + i, s.nodes[i].segment});
  if (s.router)
    for (std::size_t g = 0; g < s.segments.size(); ++g) out.edges.push_back({s.segments.size(), g});

  const std::size_t n = out.items.size();
  Graph g(n);
  for (const auto& e : out.edges) boost::add_edge(e.a, e.b, 1.0, g);
  std::vector<Point> pos(n);
  auto pmap = boost::make_iterator_property_map(pos.begin(), boost::get(boost::vertex_index, g));
  boost::circle_graph_layout(g, pmap, 1.0);
  const bool connected = out.edges.size() + 1 >= n && n > 2;
  if (connected)
    boost::kamada_kawai_spring_layout(g, pmap, boost::get(boost::edge_weight, g), Topology(), boost::side_length(2.0),
                                      BoundedDone(n));
  double minx = 1e9, maxx = -1e9, miny = 1e9, maxy = -1e9;
  for (const auto& p : pos) minx = std::min(minx, p[0]), maxx = std::max(maxx, p[0]), miny = std::min(miny, p[1]), maxy = std::max(maxy, p[1]);
  for (std::size_t i = 0; i < n; ++i) {
    out.items[i].x = maxx - minx < 1e-9 ? 0.5 : (pos[i][0] - minx) / (maxx - minx);
    out.items[i].y = maxy - miny < 1e-9 ? 0.5 : (pos[i][1] - miny) / (maxy - miny);
  }
  return out;
}

}  // namespace ol::gui
