#include "gui/app/topology_view.h"

#include <QGraphicsDropShadowEffect>
#include <QGraphicsEllipseItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QKeyEvent>
#include <QVariantAnimation>
#include <QWheelEvent>

namespace ol::gui {

namespace {

constexpr double kDevW = 110, kDevH = 26, kGap = 8, kPodW = 130, kPodH = 62;

const QColor kNodeFill(236, 241, 248), kPodFill(255, 250, 235), kDevFill(255, 255, 255), kSwitchFill(228, 236, 228);

}  // namespace

TopologyView::TopologyView(QWidget* parent) : QGraphicsView(parent) {
  setScene(new QGraphicsScene(this));
  setRenderHint(QPainter::Antialiasing);
  setDragMode(QGraphicsView::ScrollHandDrag);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setFocusPolicy(Qt::StrongFocus);
}

QGraphicsRectItem* TopologyView::add_box(const QRectF& r, const QString& label, const QColor& fill, QGraphicsItem* parent, bool bold) {
  auto* box = new QGraphicsRectItem(r, parent);
  if (!parent) scene()->addItem(box);
  box->setBrush(fill);
  box->setPen(QPen(QColor(90, 100, 120), bold ? 1.5 : 1));
  auto* text = new QGraphicsSimpleTextItem(label, box);
  QFont f = text->font();
  f.setPointSizeF(bold ? 10 : 8.5);
  f.setBold(bold);
  text->setFont(f);
  const QRectF tb = text->boundingRect();
  text->setPos(r.left() + (r.width() - tb.width()) / 2, bold ? r.top() + 4 : r.top() + (r.height() - tb.height()) / 2);
  return box;
}

void TopologyView::show_cluster(const TopologyLayout& layout, const ClusterPicture& pic) {
  scene()->clear();
  items_.clear();
  lit_ = nullptr;
  packet_ = nullptr;
  // Each node's box: its pods in a row on top, its own devices in a row below.
  std::map<std::string, std::vector<const NamespacePicture*>> pods;
  for (const auto& ns : pic.namespaces)
    if (ns.is_pod) pods[ns.node].push_back(&ns);
  // A node's box is as wide as its row of pods or its row of devices, whichever is longer.
  const auto node_width = [&](const std::string& node, const NamespacePicture& ns) {
    return std::max({300.0, double(pods[node].size()) * (kPodW + kGap) + kGap, double(ns.devices.size()) * (kDevW + kGap) + kGap});
  };
  double max_w = 300;
  for (const auto& it : layout.items)
    if (const auto* ns = pic.find(it.name); it.kind == LayoutItem::Kind::Node && ns) max_w = std::max(max_w, node_width(it.name, *ns));
  // Spread the layout just enough that no two node boxes overlap (the layout is in [0,1]²).
  const double box_w = max_w + 40, box_h = 28 + kPodH + kDevH + 3 * kGap + 60;
  double spread = 300;
  for (const auto& a : layout.items)
    for (const auto& b : layout.items) {
      if (&a == &b) continue;
      const double dx = std::abs(a.x - b.x), dy = std::abs(a.y - b.y);
      const double need = std::min(dx > 1e-6 ? box_w / dx : 1e9, dy > 1e-6 ? box_h / dy : 1e9);
      spread = std::max(spread, std::min(need, 6000.0));
    }
  std::map<std::string, QPointF> centers;
  for (const auto& it : layout.items) centers[it.name] = QPointF(it.x * spread, it.y * spread * 0.8);
  for (const auto& e : layout.edges) {
    auto* line = scene()->addLine(QLineF(centers[layout.items[e.a].name], centers[layout.items[e.b].name]), QPen(QColor(120, 130, 150), 2));
    line->setZValue(-1);
  }
  for (const auto& it : layout.items) {
    const QPointF c = centers[it.name];
    if (it.kind != LayoutItem::Kind::Node) {
      const QString label = QString::fromStdString((it.kind == LayoutItem::Kind::Router ? "router " : "switch ") + it.name);
      auto* box = add_box(QRectF(c.x() - 75, c.y() - 20, 150, 40), label, kSwitchFill, nullptr, true);
      items_[it.name] = box;
      continue;
    }
    const auto* ns = pic.find(it.name);
    if (!ns) continue;
    const auto& node_pods = pods[it.name];
    const double w = node_width(it.name, *ns);
    const double h = 28 + kPodH + kGap + kDevH + 2 * kGap;
    auto* node = add_box(QRectF(c.x() - w / 2, c.y() - h / 2, w, h), QString::fromStdString("node " + it.name), kNodeFill, nullptr, true);
    items_[it.name] = node;
    double x = c.x() - w / 2 + kGap;
    const double top = c.y() - h / 2 + 28;
    for (const auto* pod : node_pods) {
      auto* pb = add_box(QRectF(x, top, kPodW, kPodH), QString::fromStdString("pod " + pod->name), kPodFill, node, false);
      pb->childItems().front()->setPos(x + 6, top + 3);
      items_[pod->name] = pb;
      double dx = x + 6;
      for (const auto& d : pod->devices) {
        items_[pod->name + "/" + d] = add_box(QRectF(dx, top + kPodH - kDevH - 6, kPodW - 12, kDevH), QString::fromStdString(d), kDevFill, pb, false);
        dx += kPodW;
      }
      x += kPodW + kGap;
    }
    x = c.x() - w / 2 + kGap;
    for (const auto& d : ns->devices) {
      items_[it.name + "/" + d] = add_box(QRectF(x, top + kPodH + kGap, kDevW, kDevH), QString::fromStdString(d), kDevFill, node, false);
      x += kDevW + kGap;
    }
  }
  packet_ = scene()->addEllipse(QRectF(-7, -7, 14, 14), QPen(QColor(150, 40, 0), 1.5), QBrush(QColor(255, 120, 30)));
  packet_->setZValue(10);
  packet_->setVisible(false);
  setSceneRect(scene()->itemsBoundingRect().adjusted(-40, -40, 40, 40));
  fitInView(sceneRect(), Qt::KeepAspectRatio);
}

QGraphicsRectItem* TopologyView::item_for(const std::string& key) const {
  auto it = items_.find(key);
  return it == items_.end() ? nullptr : it->second;
}

void TopologyView::clear_highlight() {
  if (lit_) {
    lit_->setGraphicsEffect(nullptr);
    lit_->setPen(QPen(QColor(90, 100, 120), 1));
  }
  lit_ = nullptr;
  if (packet_) packet_->setVisible(false);
}

void TopologyView::highlight(const std::string& netns, const std::string& device, bool animate) {
  QGraphicsRectItem* item = item_for(netns + "/" + device);
  if (!item) item = item_for(netns);
  const QPointF from = packet_ && packet_->isVisible() ? packet_->pos() : QPointF();
  const bool had = packet_ && packet_->isVisible();
  clear_highlight();
  if (!item) return;
  lit_ = item;
  auto* glow = new QGraphicsDropShadowEffect;
  glow->setColor(QColor(255, 140, 0));
  glow->setBlurRadius(28);
  glow->setOffset(0);
  item->setGraphicsEffect(glow);
  item->setPen(QPen(QColor(230, 110, 0), 3));
  const QPointF to = item->mapToScene(item->rect().topRight() + QPointF(-8, 0));  // beside the label, not on it
  packet_->setVisible(true);
  if (!animate || !had) {
    packet_->setPos(to);
    return;
  }
  if (!move_) {
    move_ = new QVariantAnimation(this);
    connect(move_, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) { packet_->setPos(v.toPointF()); });
  }
  move_->stop();
  move_->setDuration(250);
  move_->setStartValue(from);
  move_->setEndValue(to);
  move_->start();
}

void TopologyView::resizeEvent(QResizeEvent* e) {
  QGraphicsView::resizeEvent(e);
  fitInView(sceneRect(), Qt::KeepAspectRatio);  // the whole cluster in view; zoom in from there
}

void TopologyView::wheelEvent(QWheelEvent* e) {
  const double f = e->angleDelta().y() > 0 ? 1.15 : 1 / 1.15;
  scale(f, f);
}

void TopologyView::keyPressEvent(QKeyEvent* e) {
  if (e->key() == Qt::Key_Plus || e->key() == Qt::Key_Equal) return scale(1.15, 1.15);
  if (e->key() == Qt::Key_Minus) return scale(1 / 1.15, 1 / 1.15);
  if (e->key() == Qt::Key_0) return fitInView(sceneRect(), Qt::KeepAspectRatio);
  QGraphicsView::keyPressEvent(e);
}

}  // namespace ol::gui
