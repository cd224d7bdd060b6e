// The teaching GUI, offscreen: every bundled scenario loads and is drawn, a vxlan walk highlights
// at each step exactly the table row the trace says the step matched, the side-by-side view lines
// the three modes up, the tables inspector names each entry's command, a run fills the charts,
// and a bad scenario gives the loader's message in a dialog.
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QGraphicsRectItem>
#include <QMessageBox>
#include <QComboBox>
#include <QListWidget>
#include <QPushButton>
#include <QSlider>
#include <QTableWidget>
#include <QImage>
#include <QInputDevice>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QTreeWidget>

#include <catch2/catch.hpp>
#include <cstdio>
#include <set>
#include <fstream>
#include <memory>
#include <iostream>
#include <nlohmann/json.hpp>

#include "gui/app/challenge_view.h"
#include "gui/app/charts_view.h"
#include "gui/app/control_view.h"
#include "gui/app/lane_diagram.h"
#include "gui/app/main_window.h"
#include "gui/app/plugins_view.h"
#include "gui/app/side_by_side_view.h"
#include "gui/app/tables_view.h"
#include "gui/app/topology_view.h"
#include "gui/app/walk_panel.h"
#include "gui/core/alignment.h"
#include "gui/core/challenge.h"
#include "gui/core/cluster_picture.h"
#include "gui/core/layout.h"
#include "runner/walk_html.h"
#include "runner/walk_recording.h"
#include "models/scenario/load.h"

using namespace ol;

namespace {

QApplication& app() {
  static int argc = 1;
  static char name[] = "test_gui";
  static char* argv[] = {name, nullptr};
  qputenv("QT_QPA_PLATFORM", "offscreen");
  // Qt's list of input devices is made first, so that it outlives the application: the keyboard
  // device QTest's key events create is the application's child, and unregisters from that list
  // when the application is destroyed at exit.
  (void)QInputDevice::devices();
  static QApplication a(argc, argv);
  return a;
}

QString scenario_path(const char* name) { return QString(OVERLAYLAB_SOURCE) + "/scenarios/" + name; }

// A window on two-nodes.json in `mode` with pod-a → pod-c walked, as most tests start.
std::unique_ptr<gui::MainWindow> walked(scenario::Backend mode) {
  app();
  auto w = std::make_unique<gui::MainWindow>();
  REQUIRE(w->open_scenario(scenario_path("two-nodes.json")));
  w->set_mode(mode);
  REQUIRE(w->walk("pod-a", "pod-c"));
  return w;
}

}  // namespace

TEST_CASE("every bundled scenario loads and each node, pod and switch is drawn") {
  app();
  gui::MainWindow w;
  const QStringList files = QDir(QString(OVERLAYLAB_SOURCE) + "/scenarios").entryList({"*.json"}, QDir::Files);
  int loaded = 0;
  for (const QString& f : files) {
    if (f == "schema.json") continue;
    INFO(f.toStdString());
    REQUIRE(w.open_scenario(scenario_path(f.toStdString().c_str())));
    const auto s = scenario::load_file(scenario_path(f.toStdString().c_str()).toStdString());
    for (const auto& n : s.nodes) {  // joins have happened: the picture is of the settled cluster
      CHECK(w.topology()->item_for(n.name) != nullptr);
      for (const auto& p : n.pods) CHECK(w.topology()->item_for(p + "/eth0") != nullptr);
    }
    for (const auto& seg : s.segments) CHECK(w.topology()->item_for(seg.name) != nullptr);
    ++loaded;
  }
  CHECK(loaded == 9);
}

TEST_CASE("stepping through a vxlan walk, the highlighted table row is the trace's matched entry at every step") {
  auto window = walked(scenario::Backend::Vxlan);
  gui::MainWindow& w = *window;
  const runner::WalkRecording* walk = w.current_walk();
  REQUIRE(walk != nullptr);
  REQUIRE(w.step_count() > 40);
  int with_table = 0;
  for (int k = 0; k < w.step_count(); ++k) {
    w.go_to_step(k);
    const auto& st = walk->steps[std::size_t(k)];
    INFO("step " << k + 1 << " " << st.event.function << " [" << st.event.table << "] " << st.event.entry);
    CHECK(w.step() == k);
    if (st.matched_row >= 0) {
      ++with_table;
      CHECK(w.panel()->highlighted_row().toStdString() == st.event.entry);
    } else {
      CHECK(w.panel()->highlighted_row().isEmpty());
    }
    CHECK(w.topology()->highlighted() != nullptr);  // the hop glows
  }
  CHECK(with_table >= 10);
  // At the encapsulation: the VXLAN FDB entry is the highlighted row, and the outer headers show.
  const int x = w.find_step("vxlan_xmit");
  REQUIRE(x >= 0);
  w.go_to_step(x);
  CHECK(w.panel()->highlighted_row().toStdString() == walk->steps[std::size_t(x)].event.entry);
  CHECK_THAT(w.panel()->highlighted_row().toStdString(), Catch::Contains("dev flannel.1 dst 192.168.100.12 self permanent"));
  CHECK(w.topology()->highlighted() == w.topology()->item_for("node-1/flannel.1"));
  CHECK_THAT(w.panel()->stage_text().toStdString(),
             Catch::StartsWith("Stage 5 of 9 (vxlan): the FDB entry flanneld wrote sends that MAC to the peer node"));
  const auto outer = w.panel()->header_tree()->findItems("outer udp", Qt::MatchExactly | Qt::MatchRecursive);
  CHECK(outer.size() == 1);
}

TEST_CASE("each step of the udp walk names its stage of the workflow - flanneld's read is stage 4") {
  auto window = walked(scenario::Backend::Udp);
  gui::MainWindow& w = *window;
  for (int k = 0; k < w.step_count(); ++k) {
    w.go_to_step(k);
    CHECK(w.panel()->stage_text().startsWith("Stage "));
  }
  w.go_to_step(w.find_step("tun_do_read"));
  CHECK(w.panel()->stage_text().startsWith("Stage 4 of 8 (udp): flanneld reads it from /dev/net/tun in user space"));
}

TEST_CASE("the udp walk marks its four crossings on the nodes in the lanes") {
  auto window = walked(scenario::Backend::Udp);
  gui::MainWindow& w = *window;
  CHECK(w.current_walk()->result.crossings == 4);
  const int read = w.find_step("tun_do_read");
  REQUIRE(read >= 0);
  w.go_to_step(read);
  CHECK(w.current_walk()->steps[std::size_t(read)].event.crossing == "kernel->user");
  CHECK(w.topology()->highlighted() == w.topology()->item_for("node-1/#flanneld"));  // the read brings it up to flanneld
  CHECK(w.panel()->lanes()->crossings_shown() >= 8);  // 4 each way, plus the pods' own send and receive
  const auto user = runner::user_space_steps(*w.current_walk());
  CHECK(user[std::size_t(read) + 1]);  // the proxy runs in user space after its read
}

TEST_CASE("side by side: the three walks aligned, extra steps shown as gaps, crossings only in udp") {
  app();
  gui::MainWindow w;
  REQUIRE(w.open_scenario(scenario_path("two-nodes.json")));
  REQUIRE(w.walk("pod-a", "pod-c"));
  QTableWidget* t = w.side_by_side()->table();
  REQUIRE(t->rowCount() > 20);
  int gaps_hostgw = 0, crossings_udp = 0, crossings_other = 0;
  for (int r = 0; r < t->rowCount(); ++r) {
    gaps_hostgw += t->item(r, 0)->text() == "—";
    crossings_udp += t->item(r, 1)->text().contains("kernel->user") || t->item(r, 1)->text().contains("user->kernel");
    crossings_other += t->item(r, 0)->text().contains("->user") + t->item(r, 2)->text().contains("->user");
  }
  CHECK(gaps_hostgw > 5);        // vxlan's and udp's own steps
  CHECK(crossings_udp >= 3);     // tun_do_read, udp_sendmsg, … (the pod's own sendmsg is in every mode)
  CHECK(crossings_other == 0);
  // In lockstep: stepping the (vxlan) walk selects the row with that step in the vxlan column.
  const int x = w.find_step("vxlan_xmit");
  w.go_to_step(x);
  const int row = t->currentRow();
  REQUIRE(row >= 0);
  CHECK_THAT(t->item(row, 2)->text().toStdString(), Catch::Contains("vxlan_xmit"));
  CHECK(t->item(row, 0)->text() == "—");
}

TEST_CASE("the tables inspector names the command and the component behind each entry") {
  app();
  gui::MainWindow w;
  REQUIRE(w.open_scenario(scenario_path("two-nodes.json")));
  w.set_mode(scenario::Backend::Vxlan);
  w.tables()->show_namespace("node-1");
  const auto hits = w.tables()->entries()->findItems("10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink", Qt::MatchExactly | Qt::MatchRecursive, 0);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]->text(1).toStdString() == "flanneld vxlan backend");
  CHECK(hits[0]->text(2).toStdString() == "ip -n node-1 route replace 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink");
  const auto kernel = w.tables()->entries()->findItems("10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1",
                                                       Qt::MatchExactly | Qt::MatchRecursive, 0);
  REQUIRE(kernel.size() == 1);
  CHECK_THAT(kernel[0]->text(1).toStdString(), Catch::StartsWith("kernel, for the address of: CNI bridge"));
}

TEST_CASE("a run of the three modes, off the UI thread, fills the charts") {
  app();
  gui::MainWindow w;
  REQUIRE(w.open_scenario(scenario_path("two-nodes.json")));
  w.run_all_modes(true);
  CHECK(w.charts()->charts() == 6);
}

TEST_CASE("an invalid scenario gives a dialog with the loader's message, and the window stays usable") {
  app();
  gui::MainWindow w;
  const QString bad = QString(OVERLAYLAB_SOURCE) + "/tests/data/bad/unknown-backend.json";
  std::string expected;
  try {
    scenario::load_file(bad.toStdString());
  } catch (const scenario::ScenarioError& e) {
    expected = e.what();
  }
  REQUIRE(!expected.empty());
  CHECK_FALSE(w.open_scenario(bad));
  REQUIRE(w.error_box() != nullptr);
  CHECK(w.error_box()->isVisible());
  CHECK(w.error_box()->informativeText().toStdString() == expected);
  CHECK(w.open_scenario(scenario_path("two-nodes.json")));
}

TEST_CASE("the layout puts every node, switch and router at its own place in the unit square") {
  for (const char* f : {"two-nodes.json", "l3-separated.json", "three-nodes-join.json"}) {
    const auto s = scenario::load_file(scenario_path(f).toStdString());
    const auto l = gui::layout_topology(s);
    CHECK(l.items.size() == s.nodes.size() + s.segments.size() + (s.router ? 1 : 0));
    for (const auto& a : l.items) {
      CHECK(a.x >= 0);
      CHECK(a.x <= 1);
      CHECK(a.y >= 0);
      CHECK(a.y <= 1);
      for (const auto& b : l.items)
        if (&a != &b) CHECK(std::hypot(a.x - b.x, a.y - b.y) > 0.05);
    }
  }
}

TEST_CASE("eight nodes on one switch (a symmetric star) are laid out apart, promptly, and drawn") {
  app();
  const auto s = scenario::load_file(std::string(OVERLAYLAB_SOURCE) + "/tests/data/eight-nodes.json");
  const auto l = gui::layout_topology(s);  // Kamada–Kawai once circled forever on this graph
  REQUIRE(l.items.size() == 9);
  for (const auto& a : l.items)
    for (const auto& b : l.items)
      if (&a != &b) CHECK(std::hypot(a.x - b.x, a.y - b.y) > 0.2);
  gui::MainWindow w;
  REQUIRE(w.open_scenario(QString(OVERLAYLAB_SOURCE) + "/tests/data/eight-nodes.json"));
  for (int i = 1; i <= 8; ++i) CHECK(w.topology()->item_for("node-" + std::to_string(i)) != nullptr);
  REQUIRE(w.walk("p1a", "p8b"));
  CHECK(w.current_walk()->result.delivered);
}

TEST_CASE("aligning walks: common steps share a row, a mode's own steps get rows with gaps") {
  const auto rows = gui::align_walks({std::vector<std::string>{"a", "b", "c"}, {"a", "x", "b", "c"}, {"a", "b", "y", "c"}});
  const std::vector<gui::AlignedRow> want = {{0, 0, 0}, {-1, 1, -1}, {1, 2, 1}, {-1, -1, 2}, {2, 3, 3}};
  CHECK(rows == want);
}

TEST_CASE("header stacks: the pod's packet inside an encapsulation is inner") {
  const auto h = runner::parse_headers("eth 14 | ipv4 20 | udp 8 | vxlan 8 | eth 14 | ipv4 20 | icmp 8 | data 56");
  REQUIRE(h.size() == 8);
  CHECK_FALSE(h[3].inner);
  CHECK(h[4].inner);
  CHECK(h[4].name == "eth");
  const auto u = runner::parse_headers("ipv4 20 | udp 8 | ipv4 20 | icmp 8 | data 56");
  CHECK_FALSE(u[1].inner);
  CHECK(u[2].inner);
}

TEST_CASE("a scenario opens in its own Backend.Type, as the command line runs it") {
  app();
  // two-nodes with "Backend": {"Type": "udp"}, written beside the test's working directory.
  auto j = nlohmann::json::parse(std::ifstream(scenario_path("two-nodes.json").toStdString()));
  j["net-conf.json"]["Backend"] = {{"Type", "udp"}};
  const std::string file = "gui-two-nodes-udp.json";
  std::ofstream(file) << j.dump(2);
  gui::MainWindow w;
  REQUIRE(w.open_scenario(QString::fromStdString(file)));
  CHECK(w.mode() == scenario::Backend::Udp);
  REQUIRE(w.open_scenario(scenario_path("two-nodes.json")));
  CHECK(w.mode() == scenario::Backend::Vxlan);
  std::remove(file.c_str());
}

TEST_CASE("after Walk, the arrow keys, Home, End and Space step the walk whichever widget has the focus") {
  app();
  gui::MainWindow w;
  w.show();
  REQUIRE(w.open_scenario(scenario_path("two-nodes.json")));
  REQUIRE(w.walk("pod-a", "pod-c"));
  REQUIRE(w.step_count() > 45);
  auto* slider = w.findChild<QSlider*>();
  auto* combo = w.findChild<QComboBox*>();
  REQUIRE(slider);
  REQUIRE(combo);
  const int speed = slider->value();
  // Forty presses on the speed slider: the walk moves forty steps, the slider not at all.
  slider->setFocus();
  for (int i = 0; i < 40; ++i) QTest::keyClick(slider, Qt::Key_Right);
  CHECK(w.step() == 40);
  CHECK(slider->value() == speed);
  QTest::keyClick(slider, Qt::Key_Left);
  CHECK(w.step() == 39);
  // On a combo box (which would change the mode) and on the topology (which scrolls).
  const QString mode = combo->currentText();
  QTest::keyClick(combo, Qt::Key_Right);
  CHECK(w.step() == 40);
  CHECK(combo->currentText() == mode);
  QTest::keyClick(w.topology(), Qt::Key_Right);
  CHECK(w.step() == 41);
  QTest::keyClick(w.panel(), Qt::Key_End);
  CHECK(w.step() == w.step_count() - 1);
  QTest::keyClick(slider, Qt::Key_Home);
  CHECK(w.step() == 0);
  // Space plays; Space again pauses; while paused the arrows still step.
  QTest::keyClick(combo, Qt::Key_Space);
  QTest::qWait(700);
  QTest::keyClick(combo, Qt::Key_Space);
  const int played = w.step();
  CHECK(played > 0);
  QTest::qWait(400);
  CHECK(w.step() == played);
  // A modifier leaves the key to the widget: Shift+→ is not a step.
  QTest::keyClick(slider, Qt::Key_Right, Qt::ShiftModifier);
  CHECK(w.step() == played);
  // On the Tables tab the arrows are the tree's again.
  w.show_view("tables");
  QTest::keyClick(w.tables()->entries(), Qt::Key_Right);
  CHECK(w.step() == played);
}

TEST_CASE("the first screen says what to do before any walk") {
  app();
  gui::MainWindow w;
  REQUIRE(w.open_scenario(scenario_path("two-nodes.json")));
  const auto labels = w.panel()->findChildren<QLabel*>();
  bool says = false;
  for (const QLabel* l : labels) says = says || (l->text().contains("Walk ▶") && l->text().contains("→"));
  CHECK(says);
  QTest::keyClick(w.panel(), Qt::Key_Right);  // no walk: nothing to step, nothing breaks
  CHECK(w.step() == -1);
}

TEST_CASE("what if: Delete on the VXLAN FDB row in the tables, and the walk stops at vxlan_xmit with NO_TX_TARGET - Reset restores") {
  auto window = walked(scenario::Backend::Vxlan);
  gui::MainWindow& w = *window;
  REQUIRE(w.current_walk()->result.delivered);
  w.show_view("tables");
  w.tables()->show_namespace("node-1");
  QTreeWidgetItem* fdb = nullptr;
  for (const char* mac_start : {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"}) {
    QTreeWidgetItem* row = w.tables()->find_row("bridge fdb", mac_start);
    if (row && row->text(0).contains("dev flannel.1 dst 192.168.100.12")) fdb = row;
  }
  REQUIRE(fdb);
  const std::string mac = fdb->text(0).section(' ', 0, 0).toStdString();
  w.tables()->entries()->setCurrentItem(fdb);
  QTest::keyClick(w.tables()->entries(), Qt::Key_Delete);
  REQUIRE(w.edits() == std::vector<std::string>{"bridge -n node-1 fdb del " + mac + " dev flannel.1 dst 192.168.100.12 self"});
  const runner::WalkRecording* walk = w.current_walk();
  CHECK_FALSE(walk->result.delivered);
  int drops = 0;
  for (const auto& st : walk->steps)
    drops += st.event.function == "vxlan_xmit" && st.event.verdict == "drop SKB_DROP_REASON_NO_TX_TARGET";
  CHECK(drops == 1);
  CHECK(w.tables()->find_row("bridge fdb", mac) == nullptr);  // the inspector shows the table without it
  // The other modes are not edited: they still deliver side by side.
  // Reset: the entry and the delivery are back.
  w.reset_edits();
  CHECK(w.edits().empty());
  CHECK(w.current_walk()->result.delivered);
  CHECK(w.tables()->find_row("bridge fdb", mac) != nullptr);
}

TEST_CASE("what if: the delete and change commands for each kind of row, none for rows no command removes") {
  struct Case {
    const char *ns, *table, *row;
    std::optional<std::string> del, change;
  };
  const Case cases[] = {
      {"node-1", "ip route", "10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink",
       "ip -n node-1 route del 10.244.2.0/24 via 10.244.2.0 dev flannel.1",
       "ip -n node-1 route replace 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink"},
      {"node-1", "ip route", "default via 192.168.100.1 dev eth0 metric 100",
       "ip -n node-1 route del default via 192.168.100.1 dev eth0 metric 100",
       "ip -n node-1 route replace default via 192.168.100.1 dev eth0 metric 100"},
      {"pod-a", "ip neigh", "10.244.1.1 dev eth0 lladdr 26:1e:65:dc:b4:31 REACHABLE", "ip -n pod-a neigh del 10.244.1.1 dev eth0",
       "ip -n pod-a neigh replace 10.244.1.1 dev eth0 lladdr 26:1e:65:dc:b4:31 nud reachable"},
      {"node-1", "bridge fdb", "46:99:de:83:8a:da dev veth420ff6d8 master cni0",
       "bridge -n node-1 fdb del 46:99:de:83:8a:da dev veth420ff6d8 master",
       "bridge -n node-1 fdb replace 46:99:de:83:8a:da dev veth420ff6d8 master cni0"},
      {"node-1", "bridge fdb", "12:d6:00:3a:82:c1 dev flannel.1 dst 192.168.100.12 self permanent",
       "bridge -n node-1 fdb del 12:d6:00:3a:82:c1 dev flannel.1 dst 192.168.100.12 self",
       "bridge -n node-1 fdb replace 12:d6:00:3a:82:c1 dev flannel.1 dst 192.168.100.12 self permanent"},
      {"node-1", "ip link", "3: flannel.1: <BROADCAST> mtu 1450", std::nullopt, std::nullopt},
      {"node-1", "ip route show table local", "local 10.244.1.0 dev flannel.1 proto kernel", std::nullopt, std::nullopt}};
  for (const Case& c : cases) {
    INFO(c.table << ": " << c.row);
    CHECK(gui::delete_command(c.ns, c.table, c.row) == c.del);
    CHECK(gui::change_command(c.ns, c.table, c.row) == c.change);
  }
}

TEST_CASE("what if: the VXLAN FDB entry changed to a remote that is not there: the echo is sent to it and never answered") {
  auto window = walked(scenario::Backend::Vxlan);
  gui::MainWindow& w = *window;
  w.tables()->show_namespace("node-1");
  const auto rows = w.tables()->entries()->findItems("dst 192.168.100.12", Qt::MatchContains | Qt::MatchRecursive, 0);
  REQUIRE(rows.size() == 1);
  // The window's dialog is left out (it would wait for a person): the command it offers, changed as
  // a person would change it, goes to add_edit as the dialog's OK does.
  REQUIRE(QObject::disconnect(w.tables(), &gui::TablesView::change_requested, &w, nullptr));
  QString offered;
  QObject::connect(w.tables(), &gui::TablesView::change_requested, [&](const QString& c) { offered = c; });
  CHECK_FALSE(w.tables()->request_change(nullptr));
  REQUIRE(w.tables()->request_change(rows.front()));
  REQUIRE(offered.endsWith("dev flannel.1 dst 192.168.100.12 self permanent"));
  REQUIRE(w.add_edit(offered.replace("192.168.100.12", "192.168.100.99").toStdString()));
  const auto* walk = w.current_walk();
  CHECK_FALSE(walk->result.delivered);
  int solicits = 0;
  for (const auto& st : walk->steps)
    solicits += st.event.function == "arp_solicit" && st.event.verdict == "who-has 192.168.100.99 tell 192.168.100.11";
  CHECK(solicits == 3);
}

TEST_CASE("what if: an edit the kernel refuses gives a dialog and leaves the walk as it was") {
  auto window = walked(scenario::Backend::Vxlan);
  gui::MainWindow& w = *window;
  CHECK_FALSE(w.add_edit("ip -n node-1 route del 10.9.9.0/24 dev flannel.1"));
  CHECK(w.edits().empty());
  CHECK(w.last_error().contains("No such process"));
  CHECK(w.current_walk()->result.delivered);
}

namespace {

// "offset bytes value" of a field of a header in the frame tree's `frame`-th frame, or "missing".
std::string frame_field(QTreeWidget* tree, int frame, const QString& header, const QString& field) {
  if (frame >= tree->topLevelItemCount()) return "missing";
  QTreeWidgetItem* top = tree->topLevelItem(frame);
  for (int h = 0; h < top->childCount(); ++h) {
    QTreeWidgetItem* hdr = top->child(h);
    if (hdr->text(0) != header) continue;
    for (int f = 0; f < hdr->childCount(); ++f)
      if (hdr->child(f)->text(0) == field)
        return (hdr->child(f)->text(1) + " " + hdr->child(f)->text(2) + " " + hdr->child(f)->text(3)).toStdString();
  }
  return "missing";
}

}  // namespace

TEST_CASE("the frame view at vxlan_xmit: the inner frame now, and next the 50 bytes vxlan_xmit_one puts in front (MTU 1450)") {
  auto window = walked(scenario::Backend::Vxlan);
  gui::MainWindow& w = *window;
  w.go_to_step(w.find_step("vxlan_xmit"));
  QTreeWidget* t = w.panel()->frame_tree();
  REQUIRE(t->topLevelItemCount() == 2);
  CHECK(t->topLevelItem(0)->text(0).toStdString() == "at vxlan_xmit: 98 bytes");
  CHECK(frame_field(t, 0, "Ethernet", "ethertype") == "12 2 0x0800 (IPv4)");
  CHECK(frame_field(t, 0, "IPv4", "destination") == "30 4 10.244.2.2");
  CHECK_THAT(t->topLevelItem(1)->text(0).toStdString(),
             Catch::StartsWith("next: at vxlan_xmit_one") &&
                 Catch::EndsWith("134 bytes — 50 bytes of encapsulation in front of the pod's IP packet: the underlay's MTU "
                                 "1500 leaves the pods 1450"));
  CHECK(frame_field(t, 1, "outer IPv4", "destination") == "16 4 192.168.100.12");
  CHECK(frame_field(t, 1, "outer UDP", "destination port") == "22 2 8472 (VXLAN, Linux's port)");
  CHECK(frame_field(t, 1, "outer VXLAN", "VNI") == "32 3 1");
  CHECK(frame_field(t, 1, "inner Ethernet", "ethertype") == "48 2 0x0800 (IPv4)");
  CHECK(frame_field(t, 1, "inner IPv4", "source") == "62 4 10.244.1.2");
  CHECK(frame_field(t, 1, "inner ICMP", "type") == "70 1 8 (echo request)");
}

TEST_CASE("the frame view in udp: flanneld's 28 bytes, the pods left 1472") {
  auto window = walked(scenario::Backend::Udp);
  gui::MainWindow& w = *window;
  w.go_to_step(w.find_step("udp_sendmsg"));
  QTreeWidget* t = w.panel()->frame_tree();
  bool found = false;
  for (int i = 0; i < t->topLevelItemCount(); ++i) {
    if (!t->topLevelItem(i)->text(0).contains("28 bytes of encapsulation")) continue;
    found = true;
    CHECK(t->topLevelItem(i)->text(0).endsWith("the underlay's MTU 1500 leaves the pods 1472"));
    CHECK(frame_field(t, i, "outer UDP", "destination port") == "22 2 8285 (flannel udp)");
    CHECK(frame_field(t, i, "inner IPv4", "destination") == "44 4 10.244.2.2");
  }
  CHECK(found);
}

TEST_CASE("side by side, each mode's frame leaving node-1: host-gw bare, udp 28 bytes (1472 left), vxlan 50 (1450 left)") {
  app();
  gui::MainWindow w;
  REQUIRE(w.open_scenario(scenario_path("two-nodes.json")));
  REQUIRE(w.walk("pod-a", "pod-c"));
  auto title = [&](int k) { return w.side_by_side()->frame_tree(k)->topLevelItem(0)->text(0).toStdString(); };
  CHECK(title(0) == "host-gw: leaving node-1's eth0: 98 bytes");
  CHECK(title(1) == "udp: leaving node-1's eth0: 126 bytes — 28 bytes of encapsulation in front of the pod's IP packet: the "
                    "underlay's MTU 1500 leaves the pods 1472");
  CHECK(title(2) == "vxlan: leaving node-1's eth0: 148 bytes — 50 bytes of encapsulation in front of the pod's IP packet: the "
                    "underlay's MTU 1500 leaves the pods 1450");
  CHECK(frame_field(w.side_by_side()->frame_tree(2), 0, "outer VXLAN", "VNI") == "46 3 1");
  CHECK(frame_field(w.side_by_side()->frame_tree(1), 0, "inner IPv4", "destination") == "58 4 10.244.2.2");
}

TEST_CASE("File ▸ Export walk as HTML: the page, rendered by headless Chromium, shows the steps and the marked rows") {
  app();
  gui::MainWindow w;
  REQUIRE(w.open_scenario(scenario_path("two-nodes.json")));
  w.set_mode(scenario::Backend::Vxlan);
  CHECK_FALSE(w.export_html("/nonexistent/x.html"));  // no walk yet: a dialog, no file
  REQUIRE(w.walk("pod-a", "pod-c"));
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  const QString html = dir.filePath("walk.html"), png = dir.filePath("walk.png");
  REQUIRE(w.export_html(html));
  {
    std::ifstream in(html.toStdString());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text == runner::walk_html(*w.current_walk(), "two-nodes (" + scenario_path("two-nodes.json").toStdString() + ")"));
  }
  const QString chromium = QStandardPaths::findExecutable("chromium");
  INFO("Chromium comes from Debian's chromium package, which scripts/setup.sh installs");
  REQUIRE_FALSE(chromium.isEmpty());
  QProcess p;
  p.start(chromium, {"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + dir.filePath("profile"),
                     "--window-size=1200,1600", "--screenshot=" + png, QUrl::fromLocalFile(html).toString()});
  REQUIRE(p.waitForFinished(120000));
  INFO(p.readAllStandardError().toStdString());
  const QImage shot(png);
  REQUIRE_FALSE(shot.isNull());
  CHECK(shot.width() == 1200);
  CHECK(shot.height() == 1600);
  // The first screen holds the workflow, the lanes and the first steps: dark text, the lanes'
  // colours and the matched row's highlight (#ffd696) must all be there.
  int text = 0, kernel_lane = 0, highlight = 0;
  for (int y = 0; y < shot.height(); ++y)
    for (int x = 0; x < shot.width(); ++x) {
      const QColor c = shot.pixelColor(x, y);
      text += c.red() < 80 && c.green() < 80 && c.blue() < 80;
      kernel_lane += c == QColor(0xea, 0xf0, 0xfa);
      highlight += c == QColor(0xff, 0xd6, 0x96);
    }
  CHECK(text > 5000);
  CHECK(kernel_lane > 20000);
  CHECK(highlight > 5000);
}

TEST_CASE("challenges from a walk: the route, the device, flanneld's entries, the outer destination - each answer is the walk's") {
  const auto s = scenario::load_file(scenario_path("two-nodes.json").toStdString());
  for (auto mode : {scenario::Backend::HostGw, scenario::Backend::Udp, scenario::Backend::Vxlan}) {
    const auto w = runner::record_walk(s, mode, "pod-a", "pod-c");
    const auto qs = gui::make_challenges(w);
    INFO(w.mode);
    std::vector<std::string> kinds;
    for (const auto& c : qs) {
      kinds.push_back(c.kind);
      REQUIRE(c.answer >= 0);
      REQUIRE(std::size_t(c.answer) < c.choices.size());
      CHECK(c.choices.size() >= 2);
      CHECK(c.choices.size() <= 4);
      const TraceEvent& e = w.steps[std::size_t(c.step)].event;
      if (c.kind == "table row") CHECK(c.choices[std::size_t(c.answer)] == e.entry);  // what the kernel matched
      if (c.kind == "next device") CHECK_THAT(e.verdict, Catch::Contains(" out " + c.choices[std::size_t(c.answer)] + " "));
      if (std::getenv("OVERLAYLAB_SHOW_CHALLENGES")) {
        std::cout << w.mode << " step " << c.step << " [" << c.kind << "] " << c.question << "\n";
        for (std::size_t k = 0; k < c.choices.size(); ++k) std::cout << (int(k) == c.answer ? "  * " : "    ") << c.choices[k] << "\n";
        std::cout << "  => " << c.explanation << "\n";
      }
    }
    if (mode == scenario::Backend::HostGw) CHECK(kinds == std::vector<std::string>{"table row", "next device"});
    if (mode == scenario::Backend::Udp) CHECK(kinds == std::vector<std::string>{"table row", "next device", "outer destination"});
    if (mode == scenario::Backend::Vxlan)
      CHECK(kinds == std::vector<std::string>{"table row", "next device", "table row", "table row", "outer destination"});
  }
}

TEST_CASE("a challenge round, clicked through: a right answer scores, a wrong one shows the right answer and why") {
  app();
  gui::MainWindow w;
  w.show();  // clicks land on laid-out buttons
  REQUIRE(w.open_scenario(scenario_path("two-nodes.json")));
  w.set_mode(scenario::Backend::Vxlan);
  CHECK_FALSE(w.start_challenge());  // no walk yet
  REQUIRE(w.walk("pod-a", "pod-c"));
  REQUIRE(w.start_challenge());
  gui::ChallengeView* c = w.challenge();
  REQUIRE(c->round());
  REQUIRE(c->round()->size() == 5);
  CHECK(c->score_text() == "score 0 / 5");
  // Question 1: the route. The walk stands on the step before the lookup.
  const gui::Challenge q1 = c->round()->current();
  CHECK(w.step() == q1.step - 1);
  CHECK(c->question_text().startsWith("Question 1 of 5 (table row): The packet for 10.244.2.2 is in node-1's IP stack"));
  QTest::mouseClick(c->choice_button(q1.answer), Qt::LeftButton);
  CHECK(c->score_text() == "score 1 / 5");
  CHECK(c->feedback_text().startsWith("Right. fib_lookup takes the longest prefix that holds 10.244.2.2"));
  CHECK(w.step() == q1.step);  // the evidence: the lookup itself
  CHECK_FALSE(c->choice_button(q1.answer)->isEnabled());  // one answer per question
  QTest::mouseClick(c->choice_button((q1.answer + 1) % int(q1.choices.size())), Qt::LeftButton);
  CHECK(c->score_text() == "score 1 / 5");
  // Question 2: the device, answered wrong.
  QTest::mouseClick(c->next_button(), Qt::LeftButton);
  const gui::Challenge q2 = c->round()->current();
  CHECK(q2.kind == "next device");
  CHECK(q2.choices[std::size_t(q2.answer)] == "flannel.1");
  const int wrong = q2.answer == 0 ? 1 : 0;
  QTest::mouseClick(c->choice_button(wrong), Qt::LeftButton);
  CHECK(c->score_text() == "score 1 / 5");
  CHECK(c->feedback_text().toStdString() ==
        "Not quite: the answer is flannel.1. The route fib_lookup matched names the device: 10.244.2.0/24 via 10.244.2.0 dev "
        "flannel.1 onlink");
  // The rest right, to the end.
  for (int k = 2; k < 5; ++k) {
    QTest::mouseClick(c->next_button(), Qt::LeftButton);
    QTest::mouseClick(c->choice_button(c->round()->current().answer), Qt::LeftButton);
  }
  QTest::mouseClick(c->next_button(), Qt::LeftButton);
  CHECK(c->round()->done());
  CHECK(c->question_text() == "Done: 4 of 5 right.");
}

TEST_CASE("built-in challenges for every bundled scenario and mode: each cross-node walk has questions, each answer checks out") {
  const QStringList files = QDir(QString(OVERLAYLAB_SOURCE) + "/scenarios").entryList({"*.json"}, QDir::Files);
  for (const QString& f : files) {
    if (f == "schema.json") continue;
    const auto s = scenario::load_file(scenario_path(f.toStdString().c_str()).toStdString());
    // The first pair of pods on different nodes that both exist once the cluster has settled.
    std::string from, to;
    for (const auto& a : s.nodes)
      for (const auto& b : s.nodes)
        if (from.empty() && a.name != b.name && !a.pods.empty() && !b.pods.empty() && !a.joins_at && !b.joins_at)
          from = a.pods.front(), to = b.pods.front();
    if (from.empty()) continue;
    for (auto mode : {scenario::Backend::HostGw, scenario::Backend::Udp, scenario::Backend::Vxlan}) {
      INFO(f.toStdString() << " " << scenario::backend_name(mode) << " " << from << " -> " << to);
      const auto w = runner::record_walk(s, mode, from, to);
      const auto qs = gui::make_challenges(w);
      CHECK(qs.size() >= 2);
      for (const auto& q : qs) {
        CHECK(q.choices.size() >= 2);
        CHECK(std::set<std::string>(q.choices.begin(), q.choices.end()).size() == q.choices.size());
      }
    }
  }
}

TEST_CASE("the control-plane walk: stepping pod-a's creation, each row appears in the inspector when its command runs, with its writer") {
  app();
  gui::MainWindow w;
  REQUIRE(w.open_scenario(scenario_path("two-nodes.json")));
  gui::ControlView* c = w.control();
  REQUIRE(c->show_subject("pod pod-a"));
  REQUIRE(c->step_count() == 15);
  // Where a row sits in the inspector, and how it is marked ("" when it is not there).
  auto row = [&](const std::string& text) -> std::pair<std::string, std::string> {
    for (QTreeWidgetItem* it : c->inspector()->findItems(QString::fromStdString(text), Qt::MatchExactly | Qt::MatchRecursive, 0))
      return {it->text(1).toStdString(), it->data(0, Qt::UserRole).toString().toStdString()};
    return {"", ""};
  };
  const std::string route = "10.244.0.0/16 via 10.244.1.1 dev eth0";
  c->go_to(9);  // the address: the route is not there yet
  CHECK(row(route).first.empty());
  CHECK(row("inet 10.244.1.2/24 brd 10.244.1.255 scope global eth0") == std::pair<std::string, std::string>{"CNI bridge", "added"});
  c->go_to(10);  // `ip -n pod-a route add 10.244.0.0/16 …`: it appears, highlighted, written by the bridge plugin
  CHECK(row(route) == std::pair<std::string, std::string>{"CNI bridge", "added"});
  c->go_to(11);  // still there, no longer the current step's
  CHECK(row(route) == std::pair<std::string, std::string>{"CNI bridge", ""});
  CHECK(row("default via 10.244.1.1 dev eth0").second == "added");
  // A node's join, on the same tab.
  REQUIRE(c->show_subject("node node-2"));
  c->go_to(c->step_count() - 1);
  CHECK(c->commands()->currentRow() == c->step_count() - 1);
  CHECK(row("10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink").first == "flanneld vxlan backend");
}

TEST_CASE("the topology draws each node's insides wired: veth pairs, bridge ports, routing, the tunnel, flanneld's crossings in udp") {
  app();
  gui::MainWindow w;
  REQUIRE(w.open_scenario(scenario_path("two-nodes.json")));
  auto has = [&](const std::string& a, const std::string& b, const std::string& kind) {
    for (const auto& x : w.topology()->wires())
      if (x.kind == kind && ((x.a == a && x.b == b) || (x.a == b && x.b == a))) return true;
    return false;
  };
  auto host_end = [&](const std::string& pod) {  // the node's end of the pod's veth pair
    for (const auto& x : w.topology()->wires())
      if (x.kind == "veth pair" && x.a == pod + "/eth0") return x.b;
    return std::string();
  };
  w.set_mode(scenario::Backend::Vxlan);
  for (const char* pod : {"pod-a", "pod-b"}) {
    const std::string veth = host_end(pod);
    INFO(pod << " " << veth);
    REQUIRE(veth.starts_with("node-1/veth"));
    CHECK(w.topology()->item_for(veth) != nullptr);
    CHECK(has(veth, "node-1/cni0", "bridge port"));
  }
  CHECK(has("node-1/cni0", "node-1/#route", "route"));
  CHECK(has("node-1/#route", "node-1/flannel.1", "route"));
  // The packet's road from the pod to the routing decision runs along the wires: veth, bridge.
  CHECK(w.topology()->road("pod-a/eth0", "node-1/#route") ==
        std::vector<std::string>{"pod-a/eth0", host_end("pod-a"), "node-1/cni0", "node-1/#route"});
  CHECK(w.topology()->road("pod-a/eth0", "node-2/cni0").empty());  // across the underlay: no wire inside a node joins them
  CHECK(has("node-1/flannel.1", "node-1/eth0", "encapsulation"));
  CHECK_FALSE(has("node-1/flannel.1", "node-1/#flanneld", "crossing"));  // vxlan: the kernel does it all
  CHECK(w.topology()->item_for("node-1/#flanneld") != nullptr);
  CHECK(w.topology()->item_for("node-1/#kubelet") != nullptr);
  w.set_mode(scenario::Backend::Udp);
  CHECK(has("node-1/flannel0", "node-1/#flanneld", "crossing"));
  CHECK(has("node-1/#flanneld", "node-1/eth0", "crossing"));
  CHECK(has("node-2/flannel0", "node-2/#flanneld", "crossing"));
  w.set_mode(scenario::Backend::HostGw);
  CHECK(has("node-1/#route", "node-1/eth0", "route"));
  std::size_t tunnels = 0;
  for (const auto& x : w.topology()->wires()) tunnels += x.kind == "encapsulation" || x.kind == "crossing";
  CHECK(tunnels == 0);
  // Walking udp, flanneld's own steps light flanneld, the lookups the routing box.
  w.set_mode(scenario::Backend::Udp);
  REQUIRE(w.walk("pod-a", "pod-c"));
  w.go_to_step(w.find_step("find_route"));
  CHECK(w.topology()->highlighted() == w.topology()->item_for("node-1/#flanneld"));
  w.go_to_step(w.find_step("ip_forward"));
  CHECK(w.topology()->highlighted() == w.topology()->item_for("node-1/#route"));
}

TEST_CASE("bridge vs ptp: shown, each plugin's creations listed, the steps only bridge takes coloured, recomputed on a new walk") {
  auto window = walked(scenario::Backend::Vxlan);
  gui::MainWindow& w = *window;
  w.show_view("plugins");
  gui::PluginsView* v = w.plugins();
  REQUIRE(v->table()->rowCount() > 20);
  auto texts = [](QListWidget* l) {
    QStringList t;
    for (int i = 0; i < l->count(); ++i) t << l->item(i)->text();
    return t.join("\n");
  };
  CHECK(texts(v->created(0)).contains("link add cni0"));
  CHECK_FALSE(texts(v->created(1)).contains("cni0"));
  CHECK(texts(v->created(1)).contains("addr add 10.244.1.1/32 dev veth"));
  CHECK(texts(v->created(1)).contains("scope host"));
  // The bridge's flood of the ARP request is a step ptp's packet never takes.
  bool flood_only_on_bridge = false;
  for (int r = 0; r < v->table()->rowCount(); ++r)
    flood_only_on_bridge |= v->table()->item(r, 0)->text().startsWith("br_handle_frame_finish") && v->table()->item(r, 1)->text().isEmpty();
  CHECK(flood_only_on_bridge);
  REQUIRE(w.walk("pod-b", "pod-a"));  // same node: ptp still goes through the host
  CHECK(texts(v->created(0)).contains("pod-b"));
}
