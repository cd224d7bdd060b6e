#include "models/netconfig/parse.h"

#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

namespace ol::netconfig {

ParseError::ParseError(std::string f, int l, std::string t, std::string w)
    : std::runtime_error(fmt::format("{}:{}: {}\n    {}", f, l, w, t)),
      file(std::move(f)), line(l), text(std::move(t)), why(std::move(w)) {}

namespace {

struct Bad {
  std::string why;
};

class Tokens {
 public:
  explicit Tokens(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      std::size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
      if (j > i) words_.emplace_back(line.substr(i, j - i));
      i = j;
    }
  }
  bool done() const { return pos_ >= words_.size(); }
  const std::string& peek() const {
    static const std::string none;
    return done() ? none : words_[pos_];
  }
  std::string next(const char* what) {
    if (done()) throw Bad{fmt::format("missing {}", what)};
    return words_[pos_++];
  }
  bool accept(std::string_view w) {
    if (!done() && words_[pos_] == w) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(std::string_view w) {
    if (!accept(w)) throw Bad{fmt::format("expected '{}' but found '{}'", w, done() ? "end of line" : peek())};
  }
  [[noreturn]] void unexpected() const { throw Bad{fmt::format("unsupported word '{}'", peek())}; }
  void finish() const {
    if (!done()) unexpected();
  }

 private:
  std::vector<std::string> words_;
  std::size_t pos_ = 0;
};

template <class T>
T number(const std::string& s, const char* what, T max) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v > max)
    throw Bad{fmt::format("'{}' is not a valid {}", s, what)};
  return v;
}

Ipv4Addr ipv4(const std::string& s) {
  auto a = Ipv4Addr::parse(s);
  if (!a) throw Bad{fmt::format("'{}' is not an IPv4 address", s)};
  return *a;
}

Ipv4Prefix prefix(const std::string& s) {
  if (s == "default") return Ipv4Prefix{{0}, 0};
  auto p = Ipv4Prefix::parse(s);
  if (!p) throw Bad{fmt::format("'{}' is not an IPv4 prefix", s)};
  return *p;
}

MacAddr mac(const std::string& s) {
  auto m = MacAddr::parse(s);
  if (!m) throw Bad{fmt::format("'{}' is not a MAC address", s)};
  return *m;
}

std::uint64_t scaled(const std::string& s, const char* what,
                     std::initializer_list<std::pair<std::string_view, std::uint64_t>> units) {
  for (auto [suffix, mult] : units) {
    if (s.size() > suffix.size() && s.ends_with(suffix)) {
      auto v = number<std::uint64_t>(s.substr(0, s.size() - suffix.size()), what, UINT64_MAX / mult);
      return v * mult;
    }
  }
  throw Bad{fmt::format("'{}' is not a valid {}", s, what)};
}

// Link attributes that may follow "link add NAME" or "peer name NAME".
void link_attrs(Tokens& t, std::optional<MacAddr>& address, std::optional<int>& mtu,
                std::optional<std::uint32_t>& txqueuelen) {
  for (;;) {
    if (t.accept("address")) address = mac(t.next("MAC after 'address'"));
    else if (t.accept("mtu")) mtu = number<int>(t.next("value after 'mtu'"), "MTU", 65535);
    else if (t.accept("txqueuelen") || t.accept("qlen"))
      txqueuelen = number<std::uint32_t>(t.next("value after 'txqueuelen'"), "txqueuelen", UINT32_MAX);
    else return;
  }
}

Verb verb(Tokens& t, std::initializer_list<Verb> allowed) {
  auto w = t.next("a verb (add, replace, del)");
  Verb v;
  if (w == "add") v = Verb::Add;
  else if (w == "replace") v = Verb::Replace;
  else if (w == "append") v = Verb::Append;
  else if (w == "del" || w == "delete") v = Verb::Del;
  else throw Bad{fmt::format("unsupported verb '{}'", w)};
  for (Verb a : allowed)
    if (a == v) return v;
  throw Bad{fmt::format("unsupported verb '{}' here", w)};
}

Op link_add(Tokens& t, const std::string& ns) {
  LinkAdd o;
  o.netns = ns;
  t.accept("name");
  o.name = t.next("interface name");
  link_attrs(t, o.address, o.mtu, o.txqueuelen);
  t.expect("type");
  auto type = t.next("link type");
  if (type == "veth") {
    o.kind = LinkKind::Veth;
    VethPeer p;
    t.expect("peer");
    t.expect("name");
    p.name = t.next("peer name");
    link_attrs(t, p.address, p.mtu, p.txqueuelen);
    if (t.accept("netns")) p.netns = t.next("namespace after 'netns'");
    o.peer = p;
  } else if (type == "bridge") {
    o.kind = LinkKind::Bridge;
  } else if (type == "vxlan") {
    o.kind = LinkKind::Vxlan;
    VxlanOptions v;
    t.expect("id");
    v.vni = number<std::uint32_t>(t.next("VNI"), "VNI (0-16777215)", 0xffffff);
    for (;;) {
      if (t.accept("local")) v.local = ipv4(t.next("address after 'local'"));
      else if (t.accept("dev")) v.dev = t.next("device after 'dev'");
      else if (t.accept("dstport")) v.dstport = number<std::uint16_t>(t.next("port"), "port", 65535);
      else if (t.accept("nolearning")) v.nolearning = true;
      else break;
    }
    o.vxlan = v;
  } else {
    throw Bad{fmt::format("unsupported link type '{}' (veth, bridge, vxlan; TUN via 'ip tuntap')", type)};
  }
  t.finish();
  return o;
}

Op link_set(Tokens& t, const std::string& ns) {
  LinkSet o;
  o.netns = ns;
  t.accept("dev");
  o.dev = t.next("device");
  while (!t.done()) {
    if (t.accept("netns")) o.to_netns = t.next("namespace after 'netns'");
    else if (t.accept("address")) o.address = mac(t.next("MAC after 'address'"));
    else if (t.accept("mtu")) o.mtu = number<int>(t.next("value after 'mtu'"), "MTU", 65535);
    else if (t.accept("master")) o.master = t.next("bridge after 'master'");
    else if (t.accept("nomaster")) o.master = "";
    else if (t.accept("up")) o.up = true;
    else if (t.accept("down")) o.up = false;
    else t.unexpected();
  }
  return o;
}

Op ip_link(Tokens& t, const std::string& ns) {
  auto w = t.next("link command");
  if (w == "add") return link_add(t, ns);
  if (w == "set") return link_set(t, ns);
  if (w == "del" || w == "delete") {
    t.accept("dev");
    LinkDel o{ns, t.next("device")};
    t.finish();
    return o;
  }
  throw Bad{fmt::format("unsupported 'ip link {}'", w)};
}

Op ip_tuntap(Tokens& t, const std::string& ns) {
  t.expect("add");
  TuntapAdd o;
  o.netns = ns;
  t.accept("dev");
  o.name = t.next("device");
  t.expect("mode");
  if (t.next("mode") != "tun") throw Bad{"only 'mode tun' is modelled"};
  t.finish();
  return o;
}

Op ip_addr(Tokens& t, const std::string& ns) {
  t.expect("add");
  AddrAdd o;
  o.netns = ns;
  o.local = prefix(t.next("address"));
  while (!t.done()) {
    if (t.accept("brd") || t.accept("broadcast")) o.broadcast = ipv4(t.next("broadcast address"));
    else if (t.accept("dev")) o.dev = t.next("device");
    else t.unexpected();
  }
  if (o.dev.empty()) throw Bad{"missing 'dev DEVICE'"};
  return o;
}

Op ip_route(Tokens& t, const std::string& ns) {
  RouteOp o;
  o.netns = ns;
  o.verb = verb(t, {Verb::Add, Verb::Replace, Verb::Del});
  o.dst = prefix(t.next("destination"));
  while (!t.done()) {
    if (t.accept("via")) o.via = ipv4(t.next("gateway"));
    else if (t.accept("dev")) o.dev = t.next("device");
    else if (t.accept("onlink")) o.onlink = true;
    else if (t.accept("metric") || t.accept("priority"))
      o.metric = number<std::uint32_t>(t.next("metric"), "metric", UINT32_MAX);
    else if (t.accept("src")) o.src = ipv4(t.next("source address"));
    else if (t.accept("scope")) {
      auto s = t.next("scope");
      if (s == "global" || s == "universe") o.scope = RouteScope::Universe;
      else if (s == "link") o.scope = RouteScope::Link;
      else if (s == "host") o.scope = RouteScope::Host;
      else throw Bad{fmt::format("unsupported scope '{}'", s)};
    } else t.unexpected();
  }
  return o;
}

Op ip_neigh(Tokens& t, const std::string& ns) {
  NeighOp o;
  o.netns = ns;
  o.verb = verb(t, {Verb::Add, Verb::Replace, Verb::Del});
  o.ip = ipv4(t.next("neighbour address"));
  bool nud_given = false;
  while (!t.done()) {
    if (t.accept("lladdr")) o.lladdr = mac(t.next("link-layer address"));
    else if (t.accept("dev")) o.dev = t.next("device");
    else if (t.accept("nud")) {
      auto s = t.next("state");
      nud_given = true;
      if (s == "permanent") o.nud = Nud::Permanent;
      else if (s == "noarp") o.nud = Nud::Noarp;
      else if (s == "reachable") o.nud = Nud::Reachable;
      else if (s == "stale") o.nud = Nud::Stale;
      else throw Bad{fmt::format("unsupported nud state '{}'", s)};
    } else t.unexpected();
  }
  if (o.dev.empty()) throw Bad{"missing 'dev DEVICE'"};
  if (o.verb != Verb::Del && !o.lladdr) throw Bad{"missing 'lladdr MAC'"};
  if (o.verb != Verb::Del && !nud_given) throw Bad{"missing 'nud STATE' (overlaylab wants it explicit)"};
  return o;
}

Op bridge_cmd(Tokens& t, const std::string& ns) {
  auto obj = t.next("bridge object");
  if (obj == "link") {
    t.expect("set");
    t.expect("dev");
    BridgeLinkSet o{ns, t.next("device"), false};
    t.expect("hairpin");
    auto v = t.next("on|off");
    if (v != "on" && v != "off") throw Bad{"hairpin takes 'on' or 'off'"};
    o.hairpin = v == "on";
    t.finish();
    return o;
  }
  if (obj != "fdb") throw Bad{fmt::format("unsupported 'bridge {}'", obj)};
  FdbOp o;
  o.netns = ns;
  o.verb = verb(t, {Verb::Add, Verb::Replace, Verb::Append, Verb::Del});
  o.mac = mac(t.next("MAC address"));
  while (!t.done()) {
    if (t.accept("dev")) o.dev = t.next("device");
    else if (t.accept("dst")) o.dst = ipv4(t.next("destination"));
    else if (t.accept("self")) o.self = true;
    else if (t.accept("master")) o.master = true;
    else if (t.accept("permanent")) o.permanent = true;
    else t.unexpected();
  }
  if (o.dev.empty()) throw Bad{"missing 'dev DEVICE'"};
  return o;
}

// netem's "loss 12.5%": a percentage from 0 to 100, the '%' required.
double percent(const std::string& text) {
  double v = -1;
  if (text.size() < 2 || text.back() != '%') throw Bad{fmt::format("loss '{}' is not a percentage such as 10%", text)};
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, v);
  if (ec != std::errc() || p != text.data() + text.size() - 1 || !(v >= 0 && v <= 100))
    throw Bad{fmt::format("loss '{}' is not a percentage from 0% to 100%", text)};
  return v;
}

std::uint64_t rate(Tokens& t) {
  return scaled(t.next("rate"), "rate", {{"gbit", 1'000'000'000}, {"mbit", 1'000'000}, {"kbit", 1'000}, {"bit", 1}});
}

// tc's sizes: bytes, or with a b/k/m suffix ("5000000", "64k", "5mb" as tc takes them).
std::uint64_t bytes(Tokens& t, const char* what) {
  return scaled(t.next(what), what, {{"kb", 1024}, {"mb", 1024 * 1024}, {"k", 1024}, {"m", 1024 * 1024}, {"b", 1}, {"", 1}});
}

Op tbf_cmd(Tokens& t, Tbf o) {
  bool has_rate = false, has_burst = false, has_limit = false;
  while (!t.done()) {
    if (t.accept("rate")) o.rate_bps = rate(t), has_rate = true;
    else if (t.accept("burst") || t.accept("buffer") || t.accept("maxburst")) o.burst = bytes(t, "burst"), has_burst = true;
    else if (t.accept("limit")) o.limit = bytes(t, "limit"), has_limit = true;
    else if (t.accept("overhead")) o.packet_overhead = number<std::uint32_t>(t.next("overhead"), "overhead", 1500);
    else t.unexpected();
  }
  if (!has_rate || !has_burst || !has_limit) throw Bad{"tbf needs 'rate R burst BYTES limit BYTES' (as tc itself does)"};
  if (o.rate_bps == 0 || o.burst == 0) throw Bad{"tbf's rate and burst must be above zero"};
  return o;
}

Op tc_cmd(Tokens& t, const std::string& ns) {
  t.expect("qdisc");
  Netem o;
  if (t.accept("change")) o.change = true;
  else t.expect("add");
  t.expect("dev");
  o.netns = ns;
  o.dev = t.next("device");
  t.expect("root");
  if (t.accept("tbf")) return tbf_cmd(t, Tbf{.change = o.change, .netns = o.netns, .dev = o.dev});
  t.expect("netem");
  while (!t.done()) {
    if (t.accept("delay"))
      o.delay_ns = scaled(t.next("delay"), "delay", {{"ns", 1}, {"us", 1'000}, {"ms", 1'000'000}, {"s", 1'000'000'000}});
    else if (t.accept("rate")) {
      o.rate_bps = rate(t);
      if (!t.done() && !t.peek().empty() && std::isdigit(static_cast<unsigned char>(t.peek()[0])))
        o.packet_overhead = number<std::uint32_t>(t.next("packet overhead"), "packet overhead", 1500);
    }
    else if (t.accept("limit")) o.limit = number<std::uint32_t>(t.next("limit"), "limit", UINT32_MAX);
    else if (t.accept("loss")) o.loss_percent = percent(t.next("loss"));
    else t.unexpected();
  }
  return o;
}

Op sysctl_cmd(Tokens& t, const std::string& ns) {
  t.expect("-w");
  auto kv = t.next("KEY=VALUE");
  auto eq = kv.find('=');
  if (eq == std::string::npos || eq == 0) throw Bad{fmt::format("'{}' is not KEY=VALUE", kv)};
  t.finish();
  return Sysctl{ns, kv.substr(0, eq), kv.substr(eq + 1)};
}

Op ip_object(Tokens& t, const std::string& ns) {
  auto obj = t.next("object (link, addr, route, neigh, tuntap)");
  if (obj == "link" || obj == "l") return ip_link(t, ns);
  if (obj == "tuntap") return ip_tuntap(t, ns);
  if (obj == "addr" || obj == "address" || obj == "a") return ip_addr(t, ns);
  if (obj == "route" || obj == "r") return ip_route(t, ns);
  if (obj == "neigh" || obj == "neighbor" || obj == "neighbour" || obj == "n") return ip_neigh(t, ns);
  throw Bad{fmt::format("unsupported 'ip {}'", obj)};
}

const char* kNoNetns =
    "every command must name a network namespace (ip -n NS …, bridge -n NS …, ip netns exec NS …): "
    "overlaylab never configures the root namespace";

std::string netns_flag(Tokens& t) {
  if (t.accept("-n") || t.accept("-netns")) return t.next("namespace after '-n'");
  return {};
}

Op command(Tokens& t, const std::string& exec_ns) {
  auto tool = t.next("command");
  std::string ns = exec_ns;
  if (tool == "ip") {
    if (auto flag = netns_flag(t); !flag.empty()) ns = flag;
    if (ns.empty() && t.accept("netns")) {
      auto w = t.next("'add', 'del' or 'exec'");
      if (w == "add") {
        NetnsAdd o{t.next("namespace name")};
        t.finish();
        return o;
      }
      if (w == "del" || w == "delete") {
        NetnsDel o{t.next("namespace name")};
        t.finish();
        return o;
      }
      if (w == "exec") {
        auto target = t.next("namespace after 'exec'");
        return command(t, target);
      }
      throw Bad{fmt::format("unsupported 'ip netns {}'", w)};
    }
    if (ns.empty()) throw Bad{kNoNetns};
    return ip_object(t, ns);
  }
  if (tool == "bridge" || tool == "tc") {
    if (auto flag = netns_flag(t); !flag.empty()) ns = flag;
    if (ns.empty()) throw Bad{kNoNetns};
    return tool == "bridge" ? bridge_cmd(t, ns) : tc_cmd(t, ns);
  }
  if (tool == "sysctl") {
    if (ns.empty()) throw Bad{kNoNetns};
    return sysctl_cmd(t, ns);
  }
  throw Bad{fmt::format("unsupported command '{}' (ip, bridge, tc and sysctl are understood)", tool)};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

NetConfig parse_script(std::string_view script, const std::string& file) {
  NetConfig cfg;
  std::string origin;
  int lineno = 0;
  while (!script.empty()) {
    auto nl = script.find('\n');
    auto raw = script.substr(0, nl);
    script = nl == std::string_view::npos ? std::string_view{} : script.substr(nl + 1);
    ++lineno;
    auto line = trim(raw);
    if (line.empty() || line.starts_with("#!") || line == "set -e" || line.starts_with("set -e")) continue;
    if (line.starts_with("#")) {
      origin = std::string(trim(line.substr(1)));
      continue;
    }
    try {
      Tokens t(line);
      cfg.add(command(t, {}), origin);
    } catch (const Bad& b) {
      throw ParseError(file, lineno, std::string(line), b.why);
    }
  }
  return cfg;
}

NetConfig parse_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read the file", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_script(ss.str(), path);
}

}  // namespace ol::netconfig
