// bridge and ptp side by side for the walk's sending pod: what each plugin creates for it (a veth
// pair both; cni0 and its gateway /24 only bridge; the gateway /32 and a host route on the veth
// only ptp), and the walk's steps on the sending node aligned, the steps only one plugin takes
// coloured. It answers the common misreading that ptp makes the veth the bridge plugin plugs in.
#pragma once
#include <array>

#include <QWidget>

#include "runner/plugin_compare.h"

class QLabel;
class QListWidget;
class QTableWidget;

namespace ol::gui {

class PluginsView : public QWidget {
  Q_OBJECT
 public:
  explicit PluginsView(QWidget* parent = nullptr);
  void set_comparison(const runner::PluginComparison& c);
  void set_unavailable(const QString& why);  // e.g. the conflist does not start with flannel
  QTableWidget* table() const { return table_; }
  QListWidget* created(int side) const { return created_[std::size_t(side)]; }

 private:
  QLabel* summary_;
  std::array<QListWidget*, 2> created_;
  QTableWidget* table_;
};

}  // namespace ol::gui
