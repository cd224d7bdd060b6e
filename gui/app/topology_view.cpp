#include "gui/app/topology_view.h"

#include <QGraphicsDropShadowEffect>
#include <QGraphicsEllipseItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QKeyEvent>
#include <tuple>
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

namespace {

// A node drawn as the classic figures draw it: user space on top (kubelet; flanneld, with the udp
// proxy inside in udp mode), the pods, then the kernel: each pod's veth pair, the bridge's ports,
// the routing decision, the tunnel device and eth0, wired as packets travel between them.
struct NodeGeometry {
  static constexpr double kTitle = 26, kBand = 40, kRow = kDevH, kRowGap = 16, kPad = 10;
  static double height() { return kTitle + kBand + kGap + kPodH + kRowGap + 18 + 4 * kRow + 3 * kRowGap + kPad; }
};

// The endpoints of a wire between two boxes: bottom to top when one is below the other, else side to side.
QLineF wire_between(const QRectF& a, const QRectF& b) {
  if (b.top() >= a.bottom() - 1) return {QPointF(a.center().x(), a.bottom()), QPointF(b.center().x(), b.top())};
  if (a.top() >= b.bottom() - 1) return {QPointF(a.center().x(), a.top()), QPointF(b.center().x(), b.bottom())};
  if (b.left() >= a.right()) return {QPointF(a.right(), a.center().y()), QPointF(b.left(), b.center().y())};
  return {QPointF(a.left(), a.center().y()), QPointF(b.right(), b.center().y())};
}

QPen wire_pen(const std::string& kind) {
  if (kind == "crossing") return QPen(QColor(190, 40, 40), 2, Qt::DashLine);
  if (kind == "encapsulation") return QPen(QColor(200, 110, 0), 2.5);
  if (kind == "veth pair") return QPen(QColor(60, 70, 90), 2.5);
  return QPen(QColor(90, 100, 120), 1.6);
}

}  // namespace

void TopologyView::add_wire(const std::string& a, const std::string& b, const std::string& kind) {
  QGraphicsRectItem* ia = item_for(a);
  QGraphicsRectItem* ib = item_for(b);
  if (!ia || !ib) return;
  auto* line = scene()->addLine(wire_between(ia->sceneBoundingRect(), ib->sceneBoundingRect()), wire_pen(kind));
  line->setZValue(2);
  line->setToolTip(QString::fromStdString(kind + ": " + a + " — " + b));
  wires_.push_back({a, b, kind});
}

double TopologyView::node_width(const NamespacePicture& ns, std::size_t pods) const {
  return std::max({460.0, double(pods) * (kPodW + kGap) + kGap, double(ns.devices.size() - std::min(ns.devices.size(), pods)) * (kDevW + kGap) + 2 * kDevW});
}

void TopologyView::draw_node(const NamespacePicture& ns, const std::vector<const NamespacePicture*>& pods, const QPointF& c) {
  using G = NodeGeometry;
  const double w = node_width(ns, pods.size()), h = G::height();
  const double left = c.x() - w / 2, top = c.y() - h / 2;
  const std::string& name = ns.name;
  auto* node = add_box(QRectF(left, top, w, h), QString::fromStdString("node " + name), kNodeFill, nullptr, true);
  items_[name] = node;
  // The bands: user space (orange) over the kernel (blue).
  const QRectF user(left + 4, top + G::kTitle, w - 8, G::kBand);
  const double kernel_top = top + G::kTitle + G::kBand + kGap + kPodH + G::kRowGap / 2;
  const QRectF kernel(left + 4, kernel_top, w - 8, top + h - 4 - kernel_top);
  for (const auto& [r, fill, label] : {std::tuple{user, QColor(255, 240, 214), "user space"}, std::tuple{kernel, QColor(222, 232, 246), "kernel"}}) {
    auto* band = new QGraphicsRectItem(r, node);
    band->setBrush(fill);
    band->setPen(Qt::NoPen);
    auto* t = new QGraphicsSimpleTextItem(label, band);
    QFont f = t->font();
    f.setPointSizeF(7.5);
    f.setItalic(true);
    t->setFont(f);
    t->setBrush(QColor(110, 110, 130));
    t->setPos(r.center().x() - t->boundingRect().width() / 2, r.top() + 1);  // clear of kubelet and flanneld
  }
  std::string tunnel;
  for (const auto& d : ns.devices)
    if (ns.kind.count(d) && (ns.kind.at(d) == "tun" || ns.kind.at(d) == "vxlan")) tunnel = d;
  const bool udp = !tunnel.empty() && ns.kind.at(tunnel) == "tun";
  items_[name + "/#kubelet"] = add_box(QRectF(left + kGap, user.top() + 8, 90, kDevH), "kubelet", kDevFill, node, false);
  const double flanneld_w = udp ? 250 : 120;  // on the right, over the tunnel device: the crossings run clear of the pods
  items_[name + "/#flanneld"] = add_box(QRectF(left + w - kGap - flanneld_w, user.top() + 8, flanneld_w, kDevH),
                                        udp ? "flanneld: udp proxy (TUN ↔ UDP)" : "flanneld", QColor(255, 228, 190), node, false);
  // Pods, each over its veth's host end.
  const double pods_top = user.bottom() + kGap;
  std::map<std::string, double> veth_x;  // host end → x under its pod
  double x = left + kGap;
  for (const auto* pod : pods) {
    auto* pb = add_box(QRectF(x, pods_top, kPodW, kPodH), QString::fromStdString("pod " + pod->name), kPodFill, node, false);
    pb->childItems().front()->setPos(x + 6, pods_top + 3);
    items_[pod->name] = pb;
    double dx = x + 6;
    for (const auto& d : pod->devices) {
      items_[pod->name + "/" + d] = add_box(QRectF(dx, pods_top + kPodH - kDevH - 6, kPodW - 12, kDevH), QString::fromStdString(d), kDevFill, pb, false);
      for (const auto& [host, peer] : ns.veth_peer)
        if (peer == pod->name + "/" + d) veth_x[host] = dx;
      dx += kPodW;
    }
    x += kPodW + kGap;
  }
  // Kernel rows: veth host ends; the bridge; the routing decision and the tunnel; eth0 and the rest.
  const double row1 = kernel.top() + 16, row2 = row1 + G::kRow + G::kRowGap, row3 = row2 + G::kRow + G::kRowGap,
               row4 = row3 + G::kRow + G::kRowGap;
  double bridge_l = 1e18, bridge_r = -1e18;
  for (const auto& [dev, vx] : veth_x) {
    items_[name + "/" + dev] = add_box(QRectF(vx, row1, kPodW - 12, kDevH), QString::fromStdString(dev), kDevFill, node, false);
    bridge_l = std::min(bridge_l, vx), bridge_r = std::max(bridge_r, vx + kPodW - 12);
  }
  double other_x = left + w / 2 + kDevW / 2 + kGap;
  for (const auto& d : ns.devices) {
    if (veth_x.count(d)) continue;
    const std::string kind = ns.kind.count(d) ? ns.kind.at(d) : "";
    QRectF r;
    if (kind == "bridge") r = bridge_l < bridge_r ? QRectF(bridge_l, row2, bridge_r - bridge_l, kDevH) : QRectF(left + kGap, row2, kDevW, kDevH);
    else if (d == tunnel) r = QRectF(left + w - kGap - kDevW, row3, kDevW, kDevH);
    else if (d == "eth0") r = QRectF(left + w / 2 - kDevW / 2, row4, kDevW, kDevH);
    else r = QRectF(other_x, row4, kDevW, kDevH), other_x += kDevW + kGap;
    items_[name + "/" + d] = add_box(r, QString::fromStdString(d), kind == "bridge" ? QColor(232, 244, 232) : kDevFill, node, false);
  }
  items_[name + "/#route"] = add_box(QRectF(left + kGap, row3, 150, kDevH), "routing (fib_lookup)", QColor(246, 246, 210), node, false);
  // The wires.
  for (const auto& [host, peer] : ns.veth_peer)
    if (veth_x.count(host)) add_wire(peer, name + "/" + host, "veth pair");
  for (const auto& [port, bridge] : ns.master) add_wire(name + "/" + port, name + "/" + bridge, "bridge port");
  for (const auto& d : ns.devices)
    if (ns.kind.count(d) && ns.kind.at(d) == "bridge") add_wire(name + "/" + d, name + "/#route", "route");
  add_wire(name + "/#route", name + "/eth0", "route");
  if (!tunnel.empty()) add_wire(name + "/#route", name + "/" + tunnel, "route");
  if (udp) {
    add_wire(name + "/" + tunnel, name + "/#flanneld", "crossing");  // read from /dev/net/tun
    add_wire(name + "/#flanneld", name + "/eth0", "crossing");       // sendmsg on its UDP socket
  } else if (!tunnel.empty()) {
    add_wire(name + "/" + tunnel, name + "/eth0", "encapsulation");
  }
}

void TopologyView::show_cluster(const TopologyLayout& layout, const ClusterPicture& pic) {
  scene()->clear();
  items_.clear();
  wires_.clear();
  lit_ = nullptr;
  packet_ = nullptr;
  std::map<std::string, std::vector<const NamespacePicture*>> pods;
  for (const auto& ns : pic.namespaces)
    if (ns.is_pod) pods[ns.node].push_back(&ns);
  double max_w = 460;
  for (const auto& it : layout.items)
    if (const auto* ns = pic.find(it.name); it.kind == LayoutItem::Kind::Node && ns) max_w = std::max(max_w, node_width(*ns, pods[it.name].size()));
  // Spread the layout just enough that no two node boxes overlap (the layout is in [0,1]²).
  const double box_w = max_w + 40, box_h = NodeGeometry::height() + 60;
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
  for (const auto& it : layout.items) {
    const QPointF c = centers[it.name];
    if (it.kind != LayoutItem::Kind::Node) {
      const QString label = QString::fromStdString((it.kind == LayoutItem::Kind::Router ? "router " : "switch ") + it.name);
      items_[it.name] = add_box(QRectF(c.x() - 75, c.y() - 20, 150, 40), label, kSwitchFill, nullptr, true);
      continue;
    }
    if (const auto* ns = pic.find(it.name)) draw_node(*ns, pods[it.name], c);
  }
  // The underlay cables: from each node's eth0 (else its box) to its switch; switch to router.
  for (const auto& e : layout.edges) {
    const std::string& a = layout.items[e.a].name;
    const std::string& b = layout.items[e.b].name;
    QGraphicsRectItem* ia = item_for(a + "/eth0") ? item_for(a + "/eth0") : item_for(a);
    QGraphicsRectItem* ib = item_for(b + "/eth0") ? item_for(b + "/eth0") : item_for(b);
    if (!ia || !ib) continue;
    auto* line = scene()->addLine(QLineF(ia->sceneBoundingRect().center(), ib->sceneBoundingRect().center()), QPen(QColor(120, 130, 150), 2));
    line->setZValue(-1);
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
  lit_key_.clear();
  if (packet_) packet_->setVisible(false);
}

void TopologyView::highlight(const TraceEvent& e, bool in_user_space, bool animate) {
  // A node's user-space steps are flanneld's (the udp proxy); its route lookups the routing box.
  const bool on_node = e.netns == e.node;
  if (on_node && in_user_space && item_for(e.netns + "/#flanneld")) return highlight(e.netns, "#flanneld", animate);
  if (on_node && (e.function == "fib_lookup" || e.function == "ip_forward") && e.device != "eth0" && item_for(e.netns + "/#route"))
    return highlight(e.netns, "#route", animate);
  highlight(e.netns, e.device, animate);
}

// The items between two, along the wires (breadth-first over them): the packet's road from the
// last hop to this one. Empty when no wires join them (the hop is on another node or a switch).
std::vector<std::string> TopologyView::road(const std::string& from, const std::string& to) const {
  std::map<std::string, std::string> came_from{{from, ""}};
  std::vector<std::string> frontier{from};
  for (std::size_t i = 0; i < frontier.size() && !came_from.count(to); ++i)
    for (const Wire& w : wires_) {
      const std::string* next = w.a == frontier[i] ? &w.b : w.b == frontier[i] ? &w.a : nullptr;
      if (next && came_from.emplace(*next, frontier[i]).second) frontier.push_back(*next);
    }
  if (!came_from.count(to)) return {};
  std::vector<std::string> path;
  for (std::string at = to; !at.empty(); at = came_from[at]) path.insert(path.begin(), at);
  return path;
}

void TopologyView::highlight(const std::string& netns, const std::string& device, bool animate) {
  std::string key = netns + "/" + device;
  QGraphicsRectItem* item = item_for(key);
  if (!item) item = item_for(key = netns);
  const QPointF from = packet_ && packet_->isVisible() ? packet_->pos() : QPointF();
  const bool had = packet_ && packet_->isVisible();
  const std::string came_from = lit_key_;
  clear_highlight();
  if (!item) return;
  lit_ = item;
  lit_key_ = key;
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
  // Along the wires when they join the two hops (through the boxes between), else straight.
  std::vector<QPointF> points{from};
  const auto via = road(came_from, key);
  for (std::size_t i = 1; i + 1 < via.size(); ++i) points.push_back(item_for(via[i])->sceneBoundingRect().center());
  points.push_back(to);
  if (!move_) {
    move_ = new QVariantAnimation(this);
    connect(move_, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) { packet_->setPos(along(v.toDouble())); });
  }
  move_->stop();
  road_points_ = std::move(points);
  move_->setDuration(250 * int(road_points_.size() - 1));
  move_->setStartValue(0.0);
  move_->setEndValue(1.0);
  move_->start();
}

// The point a fraction `t` of the way along the road (by length).
QPointF TopologyView::along(double t) const {
  double total = 0;
  for (std::size_t i = 1; i < road_points_.size(); ++i) total += QLineF(road_points_[i - 1], road_points_[i]).length();
  double left = t * total;
  for (std::size_t i = 1; i < road_points_.size(); ++i) {
    const QLineF seg(road_points_[i - 1], road_points_[i]);
    if (left <= seg.length() || i + 1 == road_points_.size()) return seg.pointAt(seg.length() > 0 ? std::min(1.0, left / seg.length()) : 1.0);
    left -= seg.length();
  }
  return road_points_.empty() ? QPointF() : road_points_.back();
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
