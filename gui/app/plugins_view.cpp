#include "gui/app/plugins_view.h"

#include <QBrush>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <fmt/format.h>

namespace ol::gui {

namespace {

QString step_text(const TraceEvent& e, const std::string& node) {
  const auto [function, where, what] = runner::way_out_cells(e, node);
  return QString::fromStdString(fmt::format("{}  {}  {}", function, where, what));
}

}  // namespace

PluginsView::PluginsView(QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  summary_ = new QLabel(tr("Walk a packet: its sending pod is then set up by bridge and by ptp, side by side."), this);
  summary_->setWordWrap(true);
  v->addWidget(summary_);
  auto* split = new QSplitter(Qt::Vertical, this);
  auto* lists = new QWidget(split);
  auto* h = new QHBoxLayout(lists);
  h->setContentsMargins(0, 0, 0, 0);
  for (auto& l : created_) h->addWidget(l = new QListWidget(lists));
  table_ = new QTableWidget(split);
  table_->setColumnCount(2);
  table_->setHorizontalHeaderLabels({"bridge", "ptp"});
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  split->addWidget(lists);
  split->addWidget(table_);
  split->setSizes({250, 550});
  v->addWidget(split, 1);
}

void PluginsView::set_unavailable(const QString& why) {
  summary_->setText(why);
  for (auto* l : created_) l->clear();
  table_->setRowCount(0);
}

void PluginsView::set_comparison(const runner::PluginComparison& c) {
  summary_->setText(QString::fromStdString(fmt::format(
      "{} on {}: the flannel plugin delegating to bridge (left) and to ptp (right). Both make a veth pair; only bridge "
      "makes cni0, only ptp puts the gateway on the host end. Below, the echo to {} on {} until it leaves: bridge {} steps, "
      "ptp {}. Coloured rows: a step only one plugin's packet takes.",
      c.from, c.node, c.to, c.node, c.sides[0].way_out.size(), c.sides[1].way_out.size())));
  for (std::size_t k = 0; k < 2; ++k) {
    created_[k]->clear();
    created_[k]->addItem(QString::fromStdString(fmt::format("{} creates ({} commands):", c.sides[k].plugin, c.sides[k].created.size())));
    for (const auto& cmd : c.sides[k].created) created_[k]->addItem(QString::fromStdString(cmd));
  }
  table_->clearContents();
  table_->setRowCount(int(c.rows.size()));
  for (int r = 0; r < int(c.rows.size()); ++r) {
    const auto& row = c.rows[std::size_t(r)];
    const bool one_sided = row[0] < 0 || row[1] < 0;
    for (std::size_t k = 0; k < 2; ++k) {
      auto* item = new QTableWidgetItem(
          row[k] < 0 ? QString() : step_text(c.sides[k].walk.steps[c.sides[k].way_out[std::size_t(row[k])]].event, c.node));
      if (one_sided) item->setBackground(QBrush(QColor(row[k] < 0 ? "#eeeeee" : "#ffe0b2")));
      table_->setItem(r, int(k), item);
    }
  }
}

}  // namespace ol::gui
