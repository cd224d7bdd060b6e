#include "gui/app/control_view.h"

#include <map>

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ol::gui {

ControlView::ControlView(QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  auto* bar = new QHBoxLayout;
  subjects_ = new QComboBox(this);
  subjects_->setMinimumWidth(260);
  auto* back = new QPushButton("◀ Command", this);
  auto* fwd = new QPushButton("Command ▶", this);
  title_ = new QLabel("Choose a pod to watch its creation, or a node to watch its join, command by command.", this);
  title_->setWordWrap(true);
  bar->addWidget(new QLabel("Show:", this));
  bar->addWidget(subjects_);
  bar->addWidget(back);
  bar->addWidget(fwd);
  bar->addWidget(title_, 1);
  v->addLayout(bar);
  auto* split = new QSplitter(this);
  commands_ = new QListWidget(split);
  QFont mono("DejaVu Sans Mono");
  mono.setPointSizeF(9);
  commands_->setFont(mono);
  inspector_ = new QTreeWidget(split);
  inspector_->setHeaderLabels({"rows written so far (as ip / bridge print them)", "written by"});
  inspector_->header()->setSectionResizeMode(0, QHeaderView::Interactive);
  inspector_->setColumnWidth(0, 620);
  inspector_->setFont(mono);
  split->setSizes({620, 820});
  v->addWidget(split, 1);
  connect(subjects_, &QComboBox::textActivated, this, [this](const QString& s) { show_subject(s); });
  connect(commands_, &QListWidget::currentRowChanged, this, [this](int r) {
    if (r >= 0 && r != step_) go_to(r);
  });
  connect(back, &QPushButton::clicked, this, [this] { go_to(step_ - 1); });
  connect(fwd, &QPushButton::clicked, this, [this] { go_to(step_ + 1); });
}

void ControlView::set_scenario(const scenario::Scenario* s, scenario::Backend mode) {
  scenario_ = s;
  mode_ = mode;
  walk_.reset();
  step_ = -1;
  commands_->clear();
  inspector_->clear();
  subjects_->clear();
  if (!s) return;
  for (const auto& n : s->nodes)
    for (const auto& p : n.pods) subjects_->addItem(QString::fromStdString("pod " + p));
  for (const auto& n : s->nodes) subjects_->addItem(QString::fromStdString("node " + n.name));
  subjects_->setCurrentIndex(-1);
}

bool ControlView::show_subject(const QString& subject) {
  if (!scenario_) return false;
  const std::string name = subject.section(' ', 1).toStdString();
  try {
    walk_ = subject.startsWith("pod ") ? runner::record_pod_creation(*scenario_, mode_, name)
                                       : runner::record_node_join(*scenario_, mode_, name);
  } catch (const std::invalid_argument& e) {
    title_->setText(QString::fromStdString(e.what()));
    return false;
  }
  if (subjects_->currentText() != subject) subjects_->setCurrentText(subject);
  title_->setText(QString::fromStdString(walk_->subject + ": " + std::to_string(walk_->steps.size()) + " commands and notes"));
  commands_->clear();
  for (const auto& st : walk_->steps)
    commands_->addItem(QString("t=%1s  ").arg(double(st.time) / 1e9, 0, 'f', 6) +
                       QString::fromStdString(st.component + " on " + st.node + (st.netns.empty() ? ":  # " : ":  $ ") + st.command));
  step_ = -1;
  go_to(0);
  return true;
}

void ControlView::go_to(int k) {
  if (!walk_ || walk_->steps.empty()) return;
  step_ = std::clamp(k, 0, step_count() - 1);
  if (commands_->currentRow() != step_) commands_->setCurrentRow(step_);
  fill_inspector();
}

// The rows written by the steps up to the current one, by namespace and table, each with who wrote
// it; the current step's own changes highlighted, its removals shown struck through.
void ControlView::fill_inspector() {
  inspector_->clear();
  struct Row {
    std::string text, by;
  };
  std::map<std::string, std::map<std::string, std::vector<Row>>> rows;  // netns → table → rows
  for (int i = 0; i <= step_; ++i)
    for (const auto& c : walk_->steps[std::size_t(i)].changes) {
      auto& list = rows[c.netns][c.table];
      std::erase_if(list, [&](const Row& r) { return r.text == c.row; });
      if (c.added) list.push_back({c.row, walk_->steps[std::size_t(i)].component});
    }
  const runner::ControlStep& now = walk_->steps[std::size_t(step_)];
  for (const auto& c : now.changes)
    if (!c.added) rows[c.netns][c.table].push_back({c.row, "removed by " + now.component});
  for (const auto& [ns, tables] : rows) {
    auto* top = new QTreeWidgetItem(inspector_, {QString::fromStdString("netns " + ns)});
    QFont f = top->font(0);
    f.setBold(true);
    top->setFont(0, f);
    for (const auto& [table, list] : tables) {
      auto* t = new QTreeWidgetItem(top, {QString::fromStdString(table)});
      for (const auto& r : list) {
        auto* item = new QTreeWidgetItem(t, {QString::fromStdString(r.text), QString::fromStdString(r.by)});
        for (const auto& c : now.changes)
          if (c.netns == ns && c.table == table && c.row == r.text) {
            item->setBackground(0, c.added ? QColor(200, 236, 200) : QColor(244, 196, 196));
            QFont rf = item->font(0);
            rf.setBold(c.added);
            rf.setStrikeOut(!c.added);
            item->setFont(0, rf);
            item->setData(0, Qt::UserRole, c.added ? "added" : "removed");
          }
      }
    }
  }
  inspector_->expandAll();
}

}  // namespace ol::gui
