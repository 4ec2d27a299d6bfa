// The six-panel PNG dashboard (user guide §6.3, `plot_comprehensive_dashboard(save_path=...)`),
// drawn with cairo from the same prepared data as the HTML report.
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "dashboard_data.hpp"
#include "tradeloop/report/report.hpp"

namespace tradeloop::report {

namespace detail_png {

struct Rgb {
  double r, g, b;
};
constexpr Rgb kInk{0.12, 0.16, 0.22}, kMuted{0.42, 0.45, 0.50}, kGrid{0.92, 0.93, 0.95}, kBorder{0.88, 0.89, 0.91};
constexpr Rgb kBlue{0.15, 0.39, 0.92}, kGrey{0.61, 0.64, 0.69}, kGood{0.09, 0.64, 0.29}, kBad{0.86, 0.15, 0.15};
constexpr Rgb kPurple{0.49, 0.23, 0.93}, kPage{0.957, 0.965, 0.976};

struct Box {
  double x, y, w, h;
};

std::string fmt_num(double v) {
  char buf[32];
  const double a = std::fabs(v);
  if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  else if (a >= 1e4) std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  else if (a >= 100 || (a >= 1 && std::trunc(v) == v)) std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (a >= 1) std::snprintf(buf, sizeof buf, "%.2f", v);
  else std::snprintf(buf, sizeof buf, "%.3g", v);
  std::string s(buf);
  // "7.50" -> "7.5" (but never touch "2500" or "1.2k").
  if (s.find('.') != std::string::npos && s.back() == '0' && s.find_first_of("kMe") == std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

// Ticks at 1, 2, 5 x 10^k covering [lo, hi] with about `target` steps.
// `whole`: steps of at least 1 and never 2.5 x 10^k (axes that count things).
std::vector<double> nice_ticks(double lo, double hi, int target, bool whole = false) {
  if (!(hi > lo)) return {lo};
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (whole && m == 2.5) continue;
    step = m * mag;
    if (step >= raw) break;
  }
  if (whole) step = std::max(1.0, std::round(step));
  std::vector<double> t;
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) t.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  return t;
}

// Time ticks (seconds): whole months/years for long spans, else multiples of a fixed step.
std::vector<std::pair<double, std::string>> time_ticks(double t0, double t1, int target) {
  std::vector<std::pair<double, std::string>> out;
  const double span = t1 - t0;
  const double day = 86400;
  if (span <= 0) return out;
  if (span > 60 * day) {
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int step_months = 1;
    for (int m : {1, 2, 3, 6, 12, 24, 60, 120}) {
      step_months = m;
      if (span / (m * 30.44 * day) <= target) break;
    }
    CivilTime c = to_civil(static_cast<Timestamp>(t0 * 1e9));
    int y = c.year, mo = c.month;
    auto advance = [&](int k) {
      mo += k;
      while (mo > 12) { mo -= 12; ++y; }
    };
    advance(1);  // the first month start after t0
    if (step_months >= 12) {
      while (mo != 1) advance(1);
    } else {
      while ((mo - 1) % step_months != 0) advance(1);
    }
    for (;;) {
      const double t = static_cast<double>(from_civil(CivilTime{y, mo, 1}) / kNanosPerSecond);
      if (t > t1) break;
      char buf[32];
      if (step_months >= 12) std::snprintf(buf, sizeof buf, "%d", y);
      else std::snprintf(buf, sizeof buf, "%s %d", kMonths[mo - 1], y);
      out.emplace_back(t, buf);
      advance(step_months);
    }
    return out;
  }
  double step = 60;
  for (double s : {60.0, 300.0, 900.0, 1800.0, 3600.0, 3 * 3600.0, 6 * 3600.0, 12 * 3600.0, day, 2 * day, 7 * day, 14 * day}) {
    step = s;
    if (span / s <= target) break;
  }
  for (double t = std::ceil(t0 / step) * step; t <= t1; t += step) {
    const CivilTime c = to_civil(static_cast<Timestamp>(t) * kNanosPerSecond);
    char buf[32];
    if (step >= day) std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
    else if (c.hour == 0 && c.minute == 0) std::snprintf(buf, sizeof buf, "%02d-%02d", c.month, c.day);
    else std::snprintf(buf, sizeof buf, "%02d:%02d", c.hour, c.minute);
    out.emplace_back(t, buf);
  }
  return out;
}

class Painter {
 public:
  Painter(cairo_t* cr, double scale) : cr_(cr), s_(scale) {}
  double s() const { return s_; }
  void color(Rgb c, double a = 1) { cairo_set_source_rgba(cr_, c.r, c.g, c.b, a); }
  void fill_rect(Box b, Rgb c, double a = 1) {
    color(c, a);
    cairo_rectangle(cr_, b.x, b.y, b.w, b.h);
    cairo_fill(cr_);
  }
  void stroke_rect(Box b, Rgb c, double width) {
    color(c);
    cairo_set_line_width(cr_, width);
    cairo_rectangle(cr_, b.x + 0.5, b.y + 0.5, b.w - 1, b.h - 1);
    cairo_stroke(cr_);
  }
  void line(double x0, double y0, double x1, double y1, Rgb c, double width, bool dashed = false) {
    color(c);
    cairo_set_line_width(cr_, width);
    if (dashed) {
      const double d[] = {4 * s_, 3 * s_};
      cairo_set_dash(cr_, d, 2, 0);
    }
    cairo_move_to(cr_, x0, y0);
    cairo_line_to(cr_, x1, y1);
    cairo_stroke(cr_);
    cairo_set_dash(cr_, nullptr, 0, 0);
  }
  // align: 0 left, 0.5 centre, 1 right; y is the text's vertical centre.
  void text(double x, double y, const std::string& t, double size, Rgb c, double align = 0, bool bold = false) {
    cairo_select_font_face(cr_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, size * s_);
    cairo_text_extents_t e;
    cairo_text_extents(cr_, t.c_str(), &e);
    color(c);
    cairo_move_to(cr_, x - align * e.x_advance, y + size * s_ * 0.35);
    cairo_show_text(cr_, t.c_str());
  }
  double width(const std::string& t, double size, bool bold = false) {
    cairo_select_font_face(cr_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, size * s_);
    cairo_text_extents_t e;
    cairo_text_extents(cr_, t.c_str(), &e);
    return e.x_advance;
  }
  cairo_t* cr() { return cr_; }

 private:
  cairo_t* cr_;
  double s_;
};

// A panel: card, title, and the inner plot box.
Box panel(Painter& p, Box b, const std::string& title, const std::string& subtitle = "") {
  p.fill_rect(b, {1, 1, 1});
  p.stroke_rect(b, kBorder, 1);
  p.text(b.x + 14 * p.s(), b.y + 18 * p.s(), title, 13, kInk, 0, true);
  if (!subtitle.empty()) p.text(b.x + b.w - 14 * p.s(), b.y + 18 * p.s(), subtitle, 10.5, kMuted, 1);
  return {b.x + 70 * p.s(), b.y + 38 * p.s(), b.w - 88 * p.s(), b.h - 68 * p.s()};
}

struct Scale {
  double lo, hi, px0, px1;
  double operator()(double v) const { return hi > lo ? px0 + (v - lo) / (hi - lo) * (px1 - px0) : (px0 + px1) / 2; }
};

// A tick label with just the decimals its step needs: 10250 with step 250 -> "10.25k".
std::string tick_label(double v, double step) {
  const double a = std::fabs(v);
  double unit = 1;
  const char* suffix = "";
  if (a >= 1e6 && step >= 1e4) {
    unit = 1e6;
    suffix = "M";
  } else if (a >= 1e4 && step >= 10) {
    unit = 1e3;
    suffix = "k";
  }
  // The fewest decimals that write the step exactly (0.25 -> 2), so neighbouring ticks differ.
  int decimals = 0;
  for (double scaled = step / unit; decimals < 6 && std::fabs(scaled - std::round(scaled)) > 1e-9 * std::max(1.0, scaled);
       scaled *= 10)
    ++decimals;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f%s", decimals, v / unit, suffix);
  return buf;
}

void y_axis(Painter& p, Box a, const Scale& ys, double lo, double hi, const std::string& suffix = "",
            bool whole = false) {
  const std::vector<double> ticks = nice_ticks(lo, hi, 5, whole);
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1.0;
  for (double t : ticks) {
    const double y = ys(t);
    p.line(a.x, y, a.x + a.w, y, kGrid, 1);
    p.text(a.x - 8 * p.s(), y, tick_label(t, step) + suffix, 10, kMuted, 1);
  }
}

void time_axis(Painter& p, Box a, const Scale& xs, double t0, double t1) {
  const int target = std::max(2, static_cast<int>(a.w / (110 * p.s())));
  for (const auto& [t, label] : time_ticks(t0, t1, target)) {
    const double x = xs(t);
    p.line(x, a.y, x, a.y + a.h, kGrid, 1);
    p.text(x, a.y + a.h + 14 * p.s(), label, 10, kMuted, 0.5);
  }
}

void range_of(const std::vector<double>& v, double* lo, double* hi) {
  for (double x : v)
    if (std::isfinite(x)) {
      *lo = std::min(*lo, x);
      *hi = std::max(*hi, x);
    }
}

void pad_range(double* lo, double* hi) {
  if (!(*hi > *lo)) {
    const double d = std::max(1.0, std::fabs(*lo) * 0.01);
    *lo -= d;
    *hi += d;
    return;
  }
  const double d = (*hi - *lo) * 0.05;
  *lo -= d;
  *hi += d;
}

void polyline(Painter& p, const std::vector<double>& x, const std::vector<double>& y, const Scale& xs, const Scale& ys,
              Rgb c, double width, bool dashed = false) {
  cairo_t* cr = p.cr();
  bool pen = false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(y[i])) {
      pen = false;
      continue;
    }
    if (pen) cairo_line_to(cr, xs(x[i]), ys(y[i]));
    else cairo_move_to(cr, xs(x[i]), ys(y[i]));
    pen = true;
  }
  p.color(c);
  cairo_set_line_width(cr, width);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  if (dashed) {
    const double d[] = {6 * p.s(), 4 * p.s()};
    cairo_set_dash(cr, d, 2, 0);
  }
  cairo_stroke(cr);
  cairo_set_dash(cr, nullptr, 0, 0);
}

void fill_to(Painter& p, const std::vector<double>& x, const std::vector<double>& y, const Scale& xs, const Scale& ys,
             double base, Rgb c, double alpha) {
  if (x.empty()) return;
  cairo_t* cr = p.cr();
  cairo_move_to(cr, xs(x.front()), ys(base));
  for (std::size_t i = 0; i < x.size(); ++i) cairo_line_to(cr, xs(x[i]), ys(std::isfinite(y[i]) ? y[i] : base));
  cairo_line_to(cr, xs(x.back()), ys(base));
  cairo_close_path(cr);
  p.color(c, alpha);
  cairo_fill(cr);
}

void empty_note(Painter& p, Box a, const std::string& msg) { p.text(a.x + a.w / 2, a.y + a.h / 2, msg, 12, kMuted, 0.5); }

void legend(Painter& p, Box a, const std::vector<std::pair<std::string, Rgb>>& items) {
  double x = a.x + 8 * p.s();
  for (const auto& [name, c] : items) {
    p.fill_rect({x, a.y + 6 * p.s(), 14 * p.s(), 3 * p.s()}, c);
    p.text(x + 18 * p.s(), a.y + 8 * p.s(), name, 10, kInk);
    x += (26 + 7 * static_cast<double>(name.size())) * p.s();
  }
}

void equity_panel(Painter& p, Box b, const detail::DashboardData& d, const std::string& bench_name) {
  const Box a = panel(p, b, d.has_benchmark ? "Equity curve vs " + bench_name : "Equity curve");
  const auto& x = d.equity.x;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& y : d.equity.ys) range_of(y, &lo, &hi);
  pad_range(&lo, &hi);
  const Scale xs{x.front(), x.back(), a.x, a.x + a.w}, ys{lo, hi, a.y + a.h, a.y};
  y_axis(p, a, ys, lo, hi);
  time_axis(p, a, xs, x.front(), x.back());
  fill_to(p, x, d.equity.ys[0], xs, ys, lo, kBlue, 0.07);
  if (d.has_benchmark) polyline(p, x, d.equity.ys[1], xs, ys, kGrey, 1.3 * p.s(), true);
  polyline(p, x, d.equity.ys[0], xs, ys, kBlue, 1.6 * p.s());
  const double start = d.initial_capital;
  if (start > lo && start < hi) p.line(a.x, ys(start), a.x + a.w, ys(start), kMuted, 0.8, true);
  std::vector<std::pair<std::string, Rgb>> items = {{"Equity", kBlue}};
  if (d.has_benchmark) items.emplace_back(bench_name, kGrey);
  legend(p, a, items);
}

void line_panel(Painter& p, Box a, const detail::XYSeries& s, Rgb c, bool fill_zero, const std::string& suffix) {
  const auto& x = s.x;
  double lo = fill_zero ? 0.0 : std::numeric_limits<double>::infinity(), hi = fill_zero ? 0.0 : -lo;
  range_of(s.ys[0], &lo, &hi);
  if (!fill_zero) {
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
  }
  pad_range(&lo, &hi);
  if (fill_zero) hi = std::max(0.0, std::min(hi, 0.0 + (hi - lo) * 0.02));
  const Scale xs{x.front(), x.back(), a.x, a.x + a.w}, ys{lo, hi, a.y + a.h, a.y};
  y_axis(p, a, ys, lo, hi, suffix);
  time_axis(p, a, xs, x.front(), x.back());
  if (fill_zero) fill_to(p, x, s.ys[0], xs, ys, 0.0, c, 0.18);
  p.line(a.x, ys(0), a.x + a.w, ys(0), kMuted, 0.9, !fill_zero);
  polyline(p, x, s.ys[0], xs, ys, c, 1.3 * p.s());
}

Rgb diverging(double t) {
  t = std::clamp(t, -1.0, 1.0);
  const double a = std::pow(std::fabs(t), 0.7);
  const Rgb c = t >= 0 ? Rgb{0.09, 0.64, 0.29} : Rgb{0.86, 0.15, 0.15};
  return {1 + (c.r - 1) * a, 1 + (c.g - 1) * a, 1 + (c.b - 1) * a};
}

void monthly_panel(Painter& p, Box b, const detail::MonthlyTable& m) {
  Box a = panel(p, b, "Monthly returns (%)", "last column: year");
  static const char* kCols[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Year"};
  const std::size_t rows = m.years.size();
  a.x -= 20 * p.s();
  a.w += 20 * p.s();
  a.y += 12 * p.s();  // room for the month names under the title
  a.h += 4 * p.s();
  const double cw = a.w / 13, ch = std::min(a.h / static_cast<double>(rows), 26 * p.s());
  double max_abs = 0;
  for (double v : m.values)
    if (std::isfinite(v)) max_abs = std::max(max_abs, std::fabs(v));
  for (std::size_t c = 0; c < 13; ++c) p.text(a.x + (static_cast<double>(c) + 0.5) * cw, a.y - 8 * p.s(), kCols[c], 10, kMuted, 0.5, c == 12);
  const std::size_t label_every = static_cast<std::size_t>(std::ceil(12 * p.s() / ch));
  for (std::size_t r = 0; r < rows; ++r) {
    const double y = a.y + static_cast<double>(r) * ch;
    if (r % label_every == 0) p.text(a.x - 8 * p.s(), y + ch / 2, std::to_string(m.years[r]), 10, kMuted, 1);
    for (std::size_t c = 0; c < 13; ++c) {
      const double v = m.values[r * 13 + c];
      const Box cell{a.x + static_cast<double>(c) * cw + 1, y + 1, cw - 2, ch - 2};
      if (!std::isfinite(v)) {
        p.fill_rect(cell, {0.95, 0.96, 0.97});
        continue;
      }
      const double t = max_abs > 0 ? v / max_abs : 0;
      p.fill_rect(cell, diverging(t));
      if (ch >= 12 * p.s()) {
        char buf[16];
        std::snprintf(buf, sizeof buf, std::fabs(v) >= 1000 ? "%.0f" : "%.1f", v);
        const double size = std::min(10.0, ch / p.s() * 0.45);
        if (p.width(buf, size, c == 12) < cell.w - 4)
          p.text(cell.x + cell.w / 2, cell.y + cell.h / 2, buf, size, std::fabs(t) > 0.65 ? Rgb{1, 1, 1} : kInk, 0.5, c == 12);
      }
    }
  }
}

void histogram_panel(Painter& p, Box b, const detail::Histogram& h) {
  const Box a = panel(p, b, "Trade P&L distribution", h.centers.empty() ? "" : "bin width " + fmt_num(h.width));
  if (h.centers.empty()) return empty_note(p, a, "No closed trades");
  const double x0 = h.centers.front() - h.width / 2, x1 = h.centers.back() + h.width / 2;
  const double top = *std::max_element(h.counts.begin(), h.counts.end()) * 1.08;
  const Scale xs{x0, x1, a.x, a.x + a.w}, ys{0, top, a.y + a.h, a.y};
  y_axis(p, a, ys, 0, top, "", true);
  const std::vector<double> xt = nice_ticks(x0, x1, std::max(2, static_cast<int>(a.w / (90 * p.s()))));
  for (double t : xt) p.text(xs(t), a.y + a.h + 14 * p.s(), tick_label(t, xt.size() > 1 ? xt[1] - xt[0] : 1.0), 10, kMuted, 0.5);
  for (std::size_t i = 0; i < h.centers.size(); ++i) {
    const double l = xs(h.centers[i] - h.width / 2), r = xs(h.centers[i] + h.width / 2);
    const double y = ys(h.counts[i]);
    p.fill_rect({l + 0.5, y, std::max(1.0, r - l - 1), a.y + a.h - y}, h.centers[i] < 0 ? kBad : kGood, 0.8);
  }
  if (x0 < 0 && x1 > 0) p.line(xs(0), a.y, xs(0), a.y + a.h, kInk, 1);
  p.text(a.x + a.w / 2, a.y + a.h + 28 * p.s(), "P&L per trade", 10, kMuted, 0.5);
}

void win_loss_panel(Painter& p, Box b, const detail::WinLoss& w) {
  const Box a = panel(p, b, "Win / loss analysis");
  cairo_t* cr = p.cr();
  const double total = w.wins + w.losses + w.breakeven;
  const double cx = a.x + std::min(a.w * 0.18, 110 * p.s()), cy = a.y + a.h / 2;
  const double radius = std::min(a.h / 2 - 10 * p.s(), 90 * p.s()), inner = radius * 0.62;
  double ang = -M_PI / 2;
  const std::pair<double, Rgb> parts[] = {{w.wins, kGood}, {w.losses, kBad}, {w.breakeven, kGrey}};
  for (const auto& [v, c] : parts) {
    if (total <= 0 || v <= 0) continue;
    const double end = ang + 2 * M_PI * v / total;
    cairo_new_path(cr);
    cairo_arc(cr, cx, cy, radius, ang, end);
    cairo_arc_negative(cr, cx, cy, inner, end, ang);
    cairo_close_path(cr);
    p.color(c);
    cairo_fill(cr);
    ang = end;
  }
  if (total <= 0) {
    cairo_new_path(cr);
    cairo_arc(cr, cx, cy, radius, 0, 2 * M_PI);
    cairo_arc_negative(cr, cx, cy, inner, 2 * M_PI, 0);
    p.color(kBorder);
    cairo_fill(cr);
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, total > 0 ? "%.1f%%" : "-", total > 0 ? 100 * w.wins / total : 0.0);
  p.text(cx, cy - 6 * p.s(), buf, 17, kInk, 0.5, true);
  p.text(cx, cy + 14 * p.s(), "win rate", 10, kMuted, 0.5);
  std::snprintf(buf, sizeof buf, "%.0f won / %.0f lost", w.wins, w.losses);
  p.text(cx, a.y + a.h + 14 * p.s(), buf, 10, kMuted, 0.5);

  struct Group {
    const char* name;
    double win, loss;
  };
  const Group groups[] = {{"Trades", w.wins, w.losses},
                          {"Average P&L", w.avg_win, std::fabs(w.avg_loss)},
                          {"Largest P&L", w.largest_win, std::fabs(w.largest_loss)},
                          {"Gross P&L", w.gross_profit, std::fabs(w.gross_loss)}};
  const double x0 = cx + radius + 40 * p.s(), bw = a.x + a.w - x0 - 60 * p.s();
  const double gh = a.h / 4;
  for (int i = 0; i < 4; ++i) {
    const Group& g = groups[i];
    const double y = a.y + i * gh;
    const double m = std::max({g.win, g.loss, 1e-300});
    p.text(x0, y + 6 * p.s(), g.name, 10.5, kInk, 0, true);
    for (int j = 0; j < 2; ++j) {
      const double v = j == 0 ? g.win : g.loss;
      const double len = std::max(1.0, bw * v / m);
      const double yy = y + (16 + 14 * j) * p.s();
      p.fill_rect({x0, yy, len, 11 * p.s()}, j == 0 ? kGood : kBad, 0.85);
      // Losses are money below zero; the trade count is a count.
      p.text(x0 + len + 6 * p.s(), yy + 5.5 * p.s(), (i > 0 && j == 1 && v > 0 ? "-" : "") + fmt_num(v), 10, kInk);
    }
  }
}

std::string headline(const analysis::MetricSet& m) {
  std::string s;
  auto add = [&](const char* label, const char* key, const char* unit) {
    const auto v = m.find(key);
    if (!v) return;
    if (!s.empty()) s += "    ";
    char buf[48];
    if (!std::isfinite(*v)) {
      s += std::string(label) + " " + detail::display_value(key, *v);
      return;
    }
    std::snprintf(buf, sizeof buf, std::string(key) == "total_trades" ? "%.0f" : "%.2f", *v);
    s += std::string(label) + " " + buf + unit;
  };
  add("Return", "total_return_pct", "%");
  add("CAGR", "cagr_pct", "%");
  add("Sharpe", "sharpe_ratio", "");
  add("Sortino", "sortino_ratio", "");
  add("Max DD", "max_drawdown_pct", "%");
  add("Win rate", "win_rate_pct", "%");
  add("Profit factor", "profit_factor", "");
  add("Trades", "total_trades", "");
  return s;
}

}  // namespace detail_png

Status write_png_dashboard(const ReportInputs& in, const std::string& path, int width, int height) {
  using namespace detail_png;
  if (width < 400 || height < 400 || width > 8000 || height > 8000)
    return invalid_argument("PNG size must be within 400..8000 pixels per side, got " + std::to_string(width) + "x" +
                            std::to_string(height));
  detail::DashboardData d;
  try {
    d = detail::prepare_dashboard(in);
  } catch (const Exception& e) {
    return e.error();
  }
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
  cairo_t* cr = cairo_create(surface);
  const double scale = std::min(width / 1600.0, height / 1200.0);
  Painter p(cr, scale);
  p.fill_rect({0, 0, static_cast<double>(width), static_cast<double>(height)}, kPage);

  const double margin = 20 * scale, gap = 14 * scale, head = 70 * scale;
  std::string sub = in.strategy_name;
  if (!in.params_text.empty()) sub += (sub.empty() ? "" : "  \xC2\xB7  ") + in.params_text;
  p.text(margin, margin + 12 * scale, in.title, 20, kInk, 0, true);
  p.text(width - margin, margin + 12 * scale, format_date(d.start) + " \xE2\x86\x92 " + format_date(d.end), 11, kMuted, 1);
  p.text(margin, margin + 38 * scale, (sub.empty() ? "" : sub + "    ") + headline(d.metrics), 11.5, kInk);

  const double pw = (width - 2 * margin - gap) / 2;
  const double ph = (height - head - margin - 2 * gap - margin) / 3;
  auto cell = [&](int r, int c) { return Box{margin + c * (pw + gap), head + margin + r * (ph + gap), pw, ph}; };
  equity_panel(p, cell(0, 0), d, in.benchmark_name);
  {
    const Box a = panel(p, cell(0, 1), "Drawdown (underwater)", "equity below its running peak");
    line_panel(p, a, d.underwater, kBad, true, "%");
  }
  monthly_panel(p, cell(1, 0), d.monthly);
  histogram_panel(p, cell(1, 1), d.pnl_histogram);
  {
    const Box a = panel(p, cell(2, 0), "Rolling Sharpe ratio", "annualised, " + std::to_string(d.rolling_window) + "-bar window");
    if (d.rolling_sharpe.x.empty()) empty_note(p, a, "Too few bars for the rolling window");
    else line_panel(p, a, d.rolling_sharpe, kPurple, false, "");
  }
  win_loss_panel(p, cell(2, 1), d.win_loss);

  cairo_destroy(cr);
  const cairo_status_t st = cairo_surface_write_to_png(surface, path.c_str());
  cairo_surface_destroy(surface);
  if (st != CAIRO_STATUS_SUCCESS) return io_error(path + ": cannot write PNG (" + cairo_status_to_string(st) + ")");
  return Status::Ok();
}

}  // namespace tradeloop::report
