// The cluster drawn: each node a box holding its pods (namespaces) and its devices, the underlay
// switches and router between them, placed by the Boost.Graph layout. The current hop glows and a
// packet dot moves to it. Zoom with the wheel (or +/-), pan by dragging.
#pragma once
#include <map>
#include <string>

#include <QGraphicsView>

#include "gui/core/cluster_picture.h"
#include "gui/core/layout.h"

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
  void clear_highlight();
  // The item drawn for "netns/device" (or "netns"), for tests and the walk.
  QGraphicsRectItem* item_for(const std::string& key) const;
  QGraphicsRectItem* highlighted() const { return lit_; }

 protected:
  void wheelEvent(QWheelEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;
  void resizeEvent(QResizeEvent* e) override;

 private:
  QGraphicsRectItem* add_box(const QRectF& r, const QString& label, const QColor& fill, QGraphicsItem* parent, bool bold);
  std::map<std::string, QGraphicsRectItem*> items_;
  QGraphicsRectItem* lit_ = nullptr;
  QGraphicsEllipseItem* packet_ = nullptr;
  QVariantAnimation* move_ = nullptr;
};

}  // namespace ol::gui
