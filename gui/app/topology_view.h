// The cluster drawn: each node as the classic overlay figures draw one — a user-space band (kubelet,
// flanneld with the udp proxy inside it in udp mode) over its pods and a kernel band where the
// devices are wired as they are (each pod's veth pair, the bridge's ports, the routing decision,
// the tunnel device, eth0; crossings to flanneld dashed red, vxlan's encapsulation orange) — and
// the underlay switches and router between the nodes, placed by the Boost.Graph layout. The
// current hop glows and a packet dot moves to it. Zoom with the wheel (or +/-), pan by dragging.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <QGraphicsView>

#include "gui/core/cluster_picture.h"
#include "gui/core/layout.h"
#include "models/kernel/trace_event.h"

class QGraphicsEllipseItem;
class QGraphicsRectItem;
class QVariantAnimation;

namespace ol::gui {

class TopologyView : public QGraphicsView {
  Q_OBJECT
 public:
  explicit TopologyView(QWidget* parent = nullptr);
  void show_cluster(const TopologyLayout& layout, const ClusterPicture& pic);
  // Lights the device (or, without one, the namespace) of a step and moves the packet there.
  void highlight(const std::string& netns, const std::string& device, bool animate);
  // A walk's step: on a node, a user-space step lights flanneld and a route lookup the routing box.
  void highlight(const TraceEvent& e, bool in_user_space, bool animate);
  void clear_highlight();
  // The item drawn for "netns/device" (or "netns"), for tests and the walk.
  QGraphicsRectItem* item_for(const std::string& key) const;
  QGraphicsRectItem* highlighted() const { return lit_; }
  // The item keys the packet passes from one lit hop to another, following the wires.
  std::vector<std::string> road(const std::string& from, const std::string& to) const;
  struct Wire {
    std::string a, b, kind;  // item keys ("node-1/cni0", "pod-a/eth0", "node-1/#route"), "veth pair", …
  };
  const std::vector<Wire>& wires() const { return wires_; }

 protected:
  void wheelEvent(QWheelEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;
  void resizeEvent(QResizeEvent* e) override;

 private:
  QGraphicsRectItem* add_box(const QRectF& r, const QString& label, const QColor& fill, QGraphicsItem* parent, bool bold);
  void draw_node(const NamespacePicture& ns, const std::vector<const NamespacePicture*>& pods, const QPointF& centre);
  void add_wire(const std::string& a, const std::string& b, const std::string& kind);
  double node_width(const NamespacePicture& ns, std::size_t pods) const;
  std::vector<Wire> wires_;
  QPointF along(double t) const;
  std::string lit_key_;
  std::vector<QPointF> road_points_;  // the animation's path
  std::map<std::string, QGraphicsRectItem*> items_;
  QGraphicsRectItem* lit_ = nullptr;
  QGraphicsEllipseItem* packet_ = nullptr;
  QVariantAnimation* move_ = nullptr;
};

}  // namespace ol::gui
