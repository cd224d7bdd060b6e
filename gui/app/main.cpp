// overlaylab-gui [SCENARIO] [--mode M] [--walk POD:POD] [--step K|FUNCTION] [--view walk|side|tables|charts]
//                [--screenshot FILE]
// With --screenshot it renders that view to FILE and exits (QT_QPA_PLATFORM=offscreen needs no display).
#include <cstdio>
#include <iostream>

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include "gui/app/main_window.h"
#include "models/scenario/load.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("overlaylab-gui");
  QCommandLineParser cli;
  cli.setApplicationDescription("overlaylab: walk a packet between pods in host-gw, udp and vxlan");
  cli.addHelpOption();
  cli.addPositionalArgument("SCENARIO", "a scenario JSON file");
  cli.addOption({"mode", "host-gw, udp or vxlan (default vxlan)", "M", "vxlan"});
  cli.addOption({"walk", "walk a packet from POD to POD", "POD:POD"});
  cli.addOption({"step", "go to step K (1-based) or to the first step running FUNCTION (e.g. vxlan_xmit)", "K"});
  cli.addOption({"view", "walk, side, tables or charts (charts runs the workloads first)", "V", "walk"});
  cli.addOption({"screenshot", "render the window to FILE (PNG) and exit", "FILE"});
  cli.process(app);

  ol::gui::MainWindow w;
  const QStringList args = cli.positionalArguments();
  const bool shot = cli.isSet("screenshot");
  auto fail = [&](const QString& why) {
    std::cerr << "overlaylab-gui: " << why.toStdString() << "\n";
    return 2;
  };
  if (!args.isEmpty() && !w.open_scenario(args.front())) {
    if (shot) return fail(w.last_error());
  }
  const auto mode = ol::scenario::parse_backend(cli.value("mode").toStdString());
  if (!mode) return fail("--mode: \"" + cli.value("mode") + "\" is not a mode (host-gw, udp or vxlan)");
  w.set_mode(*mode);
  if (cli.isSet("walk")) {
    const QStringList pods = cli.value("walk").split(':');
    if (pods.size() != 2) return fail("--walk: write POD:POD");
    if (!w.walk(pods[0].toStdString(), pods[1].toStdString()) && shot) return fail(w.last_error());
  }
  if (cli.isSet("step")) {
    bool number = false;
    const int k = cli.value("step").toInt(&number);
    const int target = number ? k - 1 : w.find_step(cli.value("step").toStdString());
    if (target < 0 || target >= w.step_count()) return fail("--step: no step " + cli.value("step") + " in this walk");
    w.go_to_step(target);
  }
  if (cli.value("view") == "charts") w.run_all_modes(true);
  w.show_view(cli.value("view"));
  w.show();
  if (!shot) return app.exec();
  QTimer::singleShot(200, &w, [&] {
    const bool ok = w.save_png(cli.value("screenshot"));
    if (!ok) std::cerr << "overlaylab-gui: cannot write " << cli.value("screenshot").toStdString() << "\n";
    app.exit(ok ? 0 : 2);
  });
  return app.exec();
}
