#include "gui/app/walk_panel.h"

#include <algorithm>

#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "gui/app/lane_diagram.h"
#include "gui/app/frame_tree.h"

namespace ol::gui {

namespace {

QLabel* label(QWidget* parent, double pt, bool bold) {
  auto* l = new QLabel(parent);
  QFont f = l->font();
  f.setPointSizeF(pt);
  f.setBold(bold);
  l->setFont(f);
  l->setWordWrap(true);
  l->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return l;
}

}  // namespace

WalkPanel::WalkPanel(QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  stage_ = label(this, 11, true);
  stage_->setStyleSheet("color: #205080");
  function_ = label(this, 15, true);
  where_ = label(this, 10, false);
  verdict_ = label(this, 10, false);
  crossing_ = label(this, 10, true);
  crossing_->setStyleSheet("color: #b02020");
  table_title_ = label(this, 9.5, true);
  table_ = new QListWidget(this);
  QFont mono("DejaVu Sans Mono");
  mono.setPointSizeF(9);
  table_->setFont(mono);
  table_->setSelectionMode(QAbstractItemView::NoSelection);
  table_->setMinimumHeight(120);
  headers_ = new QTreeWidget(this);
  headers_->setHeaderLabels({"header", "bytes"});
  headers_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  headers_->setMinimumHeight(150);
  frames_ = new_frame_tree(this);
  frames_->setMinimumHeight(150);
  costs_ = label(this, 10, false);
  lanes_ = new LaneDiagram(this);
  for (QWidget* w : std::initializer_list<QWidget*>{stage_, function_, where_, verdict_, crossing_, table_title_}) v->addWidget(w);
  v->addWidget(table_, 3);
  auto* ht = label(this, 9.5, true);
  ht->setText("Header stack (outermost first)");
  v->addWidget(ht);
  v->addWidget(headers_, 2);
  auto* ft = label(this, 9.5, true);
  ft->setText("Frame: each header's fields, byte offsets and values");
  v->addWidget(ft);
  v->addWidget(frames_, 4);
  v->addWidget(costs_);
  v->addWidget(lanes_, 1);
  function_->setText("No walk yet");
  where_->setText("Choose a mode and two pods in the bar above, then press Walk ▶.\n"
                  "Then → and ← step the packet (Home and End jump, Space plays), wherever the focus is: "
                  "each step shows the table it consulted, with the matched row, and the headers the packet carries.");
}

void WalkPanel::set_walk(const runner::WalkRecording* walk) {
  walk_ = walk;
  lanes_->set_walk(walk);
}

QString WalkPanel::stage_text() const { return stage_->text(); }

QString WalkPanel::highlighted_row() const {
  for (int i = 0; i < table_->count(); ++i)
    if (table_->item(i)->data(Qt::UserRole).toBool()) return table_->item(i)->text();
  return {};
}

// One header stack under a title: each header holds the next, as Wireshark nests them; the pod's
// own packet inside an encapsulation is marked inner.
void WalkPanel::add_stack(const std::string& title, const std::vector<runner::HeaderLayer>& stack) {
  auto* top = new QTreeWidgetItem(headers_);
  int total = 0;
  for (const auto& h : stack) total += h.bytes;
  top->setText(0, QString::fromStdString(title));
  top->setText(1, QString::number(total));
  QFont f = top->font(0);
  f.setBold(true);
  top->setFont(0, f);
  QTreeWidgetItem* parent = top;
  const bool encapsulated = std::any_of(stack.begin(), stack.end(), [](const runner::HeaderLayer& h) { return h.inner; });
  for (const auto& h : stack) {
    auto* item = new QTreeWidgetItem(parent);
    item->setText(0, QString::fromStdString((h.inner ? "inner " : encapsulated ? "outer " : "") + h.name));
    item->setText(1, QString::number(h.bytes));
    if (h.inner) item->setForeground(0, QColor(30, 90, 160));
    if (!h.inner && encapsulated) item->setForeground(0, QColor(170, 70, 0));
    parent = item;
  }
}

int WalkPanel::next_change(int k) const {
  const TraceEvent& e = walk_->steps[std::size_t(k)].event;
  for (std::size_t j = std::size_t(k) + 1, seen = 0; j < walk_->steps.size() && seen < 3; ++j) {
    const TraceEvent& next = walk_->steps[j].event;
    if (next.packet != e.packet || next.netns != e.netns) continue;
    ++seen;
    if (next.headers != e.headers) return int(j);
  }
  return -1;
}

void WalkPanel::show_step(int k) {
  table_->clear();
  headers_->clear();
  frames_->clear();
  if (!walk_ || k < 0 || k >= int(walk_->steps.size())) return;
  const runner::WalkStep& st = walk_->steps[std::size_t(k)];
  const TraceEvent& e = st.event;
  stage_->setText(st.stage < 0 ? QString()
                               : QString("Stage %1 of %2 (%3): %4")
                                     .arg(st.stage + 1)
                                     .arg(walk_->stages.size())
                                     .arg(QString::fromStdString(walk_->mode))
                                     .arg(QString::fromStdString(walk_->stages[std::size_t(st.stage)])));
  function_->setText(QString::fromStdString(e.function) + "()");
  const std::string where = e.netns == e.node ? "node " + e.node : "pod " + e.netns + " on " + e.node;
  where_->setText(QString::fromStdString(where + (e.device.empty() ? "" : ", device " + e.device)) +
                  QString(" — step %1 of %2%3").arg(k + 1).arg(walk_->steps.size()).arg(std::size_t(k) < walk_->request_steps ? " (request)" : " (answer)"));
  verdict_->setText("→ " + QString::fromStdString(e.verdict));
  crossing_->setText(e.crossing.empty() ? QString() : QString::fromStdString("crossing " + e.crossing));
  crossing_->setVisible(!e.crossing.empty());
  if (e.table.empty()) {
    table_title_->setText("No table consulted at this step");
  } else {
    table_title_->setText(QString::fromStdString("[" + e.table + "]  " + st.table_command + (st.matched_row < 0 ? "   — no entry matched" : "")));
    for (std::size_t i = 0; i < st.table_rows.size(); ++i) {
      auto* item = new QListWidgetItem(QString::fromStdString(st.table_rows[i]), table_);
      const bool hit = int(i) == st.matched_row;
      item->setData(Qt::UserRole, hit);
      if (hit) {
        item->setBackground(QColor(255, 214, 150));
        QFont f = item->font();
        f.setBold(true);
        item->setFont(f);
        table_->scrollToItem(item);
      }
    }
  }
  add_stack("at " + e.function, st.headers);
  add_frame(frames_, "at " + e.function, e, walk_->underlay_mtu);
  // What this step is about to make of the packet (an encapsulation, a decapsulation): the stack
  // a little later (up to 3 steps of the same packet on), when it differs.
  if (const int j = next_change(k); j >= 0) {
    const runner::WalkStep& next = walk_->steps[std::size_t(j)];
    const std::string title = "next: at " + next.event.function + " (step " + std::to_string(j + 1) + ")";
    add_stack(title, next.headers);
    add_frame(frames_, title, next.event, walk_->underlay_mtu);
  }
  headers_->expandAll();
  frames_->expandAll();
  const double t_us = double(e.time - walk_->result.sent_at) / 1000.0;
  costs_->setText(QString("%1 bytes here · t = %2 µs after the send · modelled CPU so far %3 ns · crossings on the nodes: %4")
                      .arg(e.size)
                      .arg(t_us, 0, 'f', 3)
                      .arg(st.cpu_ns_so_far, 0, 'f', 0)
                      .arg(walk_->result.crossings));
  lanes_->set_current(k);
}

}  // namespace ol::gui
