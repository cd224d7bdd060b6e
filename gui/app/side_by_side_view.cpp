#include "gui/app/side_by_side_view.h"

#include "gui/app/frame_tree.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QSplitter>
#include <QTreeWidget>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ol::gui {

SideBySideView::SideBySideView(QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  summary_ = new QLabel(this);
  summary_->setWordWrap(true);
  summary_->setTextFormat(Qt::RichText);
  table_ = new QTableWidget(this);
  table_->setColumnCount(3);
  table_->setHorizontalHeaderLabels({"host-gw", "udp", "vxlan"});
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setWordWrap(true);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(table_);
  auto* frames = new QWidget(split);
  auto* h = new QHBoxLayout(frames);
  h->setContentsMargins(0, 0, 0, 0);
  for (auto& t : frames_) h->addWidget(t = new_frame_tree(frames));
  split->addWidget(frames);
  split->setSizes({500, 300});
  v->addWidget(summary_);
  v->addWidget(split, 1);
}

namespace {

// The request as it leaves the sending node: the first frame from that node's eth0 that carries
// the echo (udp's is a new packet, flanneld's datagram; ARP frames go first).
const TraceEvent* leaving_frame(const runner::WalkRecording& w) {
  for (std::size_t i = 0; i < w.request_steps; ++i) {
    const TraceEvent& e = w.steps[i].event;
    if (e.netns == w.result.from_node && e.device == "eth0" && e.function == "veth_xmit" && e.headers.find("icmp") != std::string::npos)
      return &e;
  }
  return nullptr;
}

}  // namespace

void SideBySideView::set_walks(const std::array<const runner::WalkRecording*, 3>& walks) {
  std::array<std::vector<std::string>, 3> names;
  for (std::size_t k = 0; k < 3; ++k)
    for (std::size_t i = 0; i < walks[k]->request_steps; ++i) names[k].push_back(walks[k]->steps[i].event.function);
  rows_ = align_walks(names);
  table_->clearContents();
  table_->setRowCount(int(rows_.size()));
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    int present = 0;
    std::array<std::uint32_t, 3> sizes{};
    for (std::size_t k = 0; k < 3; ++k)
      if (rows_[r][k] >= 0) ++present, sizes[k] = walks[k]->steps[std::size_t(rows_[r][k])].event.size;
    for (std::size_t k = 0; k < 3; ++k) {
      auto* item = new QTableWidgetItem;
      if (rows_[r][k] >= 0) {
        const TraceEvent& e = walks[k]->steps[std::size_t(rows_[r][k])].event;
        item->setText(QString::fromStdString(e.node + (e.netns != e.node ? "/" + e.netns : "") + "  " + e.function + "  (" +
                                             std::to_string(e.size) + " B)" + (e.crossing.empty() ? "" : "  ⇅ " + e.crossing)));
        if (!e.crossing.empty()) item->setBackground(QColor(255, 200, 200));
        else if (present < 3) item->setBackground(QColor(255, 236, 190));  // a step not every mode takes
        else if (sizes[0] != sizes[1] || sizes[1] != sizes[2]) item->setBackground(QColor(225, 235, 255));  // headers differ
      } else {
        item->setText("—");
        item->setForeground(QColor(160, 160, 160));
      }
      table_->setItem(int(r), int(k), item);
    }
  }
  QString s = "<b>The same ICMP echo, request leg</b> — orange: a step only some modes take; red: a kernel/user crossing; "
              "blue: same step, different size (headers).<br>";
  for (std::size_t k = 0; k < 3; ++k) {
    const auto& w = *walks[k];
    s += QString("<b>%1</b>: %2 steps, %3 crossings on the nodes, %4 B of IP on the underlay (+%5 B encapsulation), %6<br>")
             .arg(QString::fromStdString(w.mode))
             .arg(w.request_steps)
             .arg(w.result.crossings)
             .arg(w.result.wire_bytes)
             .arg(w.result.overhead())
             .arg(QString::fromStdString(w.result.outcome).toHtmlEscaped());
  }
  summary_->setText(s);
  for (std::size_t k = 0; k < 3; ++k) {
    frames_[k]->clear();
    if (const TraceEvent* e = leaving_frame(*walks[k]))
      add_frame(frames_[k], walks[k]->mode + ": leaving " + walks[k]->result.from_node + "'s eth0", *e, walks[k]->underlay_mtu);
    frames_[k]->expandToDepth(0);
  }
  // Start where the modes part ways (a little above it, for context).
  for (std::size_t r = 0; r < rows_.size(); ++r)
    if (rows_[r][0] < 0 || rows_[r][1] < 0 || rows_[r][2] < 0) {
      table_->scrollToItem(table_->item(std::max(0, int(r) - 2), 0), QAbstractItemView::PositionAtTop);
      table_->selectRow(int(r));
      break;
    }
}

int SideBySideView::follow(int column, int step) {
  for (std::size_t r = 0; r < rows_.size(); ++r)
    if (rows_[r][std::size_t(column)] == step) {
      select_row(int(r));
      return int(r);
    }
  return -1;
}

void SideBySideView::select_row(int row) {
  if (row < 0 || row >= int(rows_.size())) return;
  table_->selectRow(row);
  table_->scrollToItem(table_->item(row, 0), QAbstractItemView::PositionAtCenter);
}

}  // namespace ol::gui
