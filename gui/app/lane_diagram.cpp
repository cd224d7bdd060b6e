#include "gui/app/lane_diagram.h"

#include <QPainter>

namespace ol::gui {

LaneDiagram::LaneDiagram(QWidget* parent) : QWidget(parent) { setMinimumHeight(100); }

void LaneDiagram::set_walk(const runner::WalkRecording* walk) {
  walk_ = walk;
  current_ = -1;
  update();
}

void LaneDiagram::set_current(int step) {
  current_ = step;
  update();
}

int LaneDiagram::crossings_shown() const {
  if (!walk_) return 0;
  int n = 0;
  for (const auto& s : walk_->steps) n += !s.event.crossing.empty();
  return n;
}

void LaneDiagram::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QRectF all = rect().adjusted(70, 8, -8, -8);
  const double lane_h = all.height() / 2;
  const QRectF user(all.left(), all.top(), all.width(), lane_h), kern(all.left(), all.top() + lane_h, all.width(), lane_h);
  p.fillRect(user, QColor(255, 247, 230));
  p.fillRect(kern, QColor(234, 240, 250));
  p.setPen(QColor(60, 60, 60));
  p.drawText(QRectF(4, user.top(), 64, lane_h), Qt::AlignVCenter | Qt::AlignLeft, "user");
  p.drawText(QRectF(4, kern.top(), 64, lane_h), Qt::AlignVCenter | Qt::AlignLeft, "kernel");
  if (!walk_ || walk_->steps.empty()) return;
  const auto in_user = runner::user_space_steps(*walk_);
  const double dx = all.width() / double(walk_->steps.size());
  for (std::size_t i = 0; i < walk_->steps.size(); ++i) {
    const double x = all.left() + dx * (double(i) + 0.5);
    const QRectF& lane = in_user[i] ? user : kern;
    const bool cur = int(i) == current_;
    p.setPen(Qt::NoPen);
    p.setBrush(cur ? QColor(255, 120, 30) : (i < walk_->request_steps ? QColor(90, 110, 160) : QColor(150, 160, 180)));
    const double r = cur ? 5 : 2.5;
    p.drawEllipse(QPointF(x, lane.center().y()), r, r);
    const auto& c = walk_->steps[i].event.crossing;
    if (!c.empty()) {
      const bool up = c == "kernel->user";
      p.setPen(QPen(QColor(200, 40, 40), 2));
      const double y1 = up ? kern.center().y() : user.center().y(), y2 = up ? user.center().y() : kern.center().y();
      p.drawLine(QPointF(x, y1), QPointF(x, y2));
      const double h = up ? 6 : -6;
      p.drawLine(QPointF(x, y2), QPointF(x - 4, y2 + h));
      p.drawLine(QPointF(x, y2), QPointF(x + 4, y2 + h));
    }
  }
}

}  // namespace ol::gui
