// The HTML tearsheet: one file = the embedded libraries + a JSON blob of prepared data + the page
// script (web/report/report.js) that draws it. All formatting of numbers for tables happens here
// so the HTML and the CLI agree; the page only lays out and draws.
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "assets.hpp"
#include "dashboard_data.hpp"
#include "tradeloop/report/report.hpp"

namespace tradeloop::report {

namespace detail_html {

using Json = nlohmann::ordered_json;

// Non-finite numbers are JSON null (charts show gaps); 6 significant digits are plenty on screen
// and keep a 4,000-point series small.
Json num(double v) {
  if (!std::isfinite(v)) return nullptr;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return std::strtod(buf, nullptr);
}

Json num_array(const std::vector<double>& v) {
  Json a = Json::array();
  for (double x : v) a.push_back(num(x));
  return a;
}

// Times keep full precision (seconds since the epoch).
Json time_array(const std::vector<double>& v) {
  Json a = Json::array();
  for (double x : v) a.push_back(static_cast<std::int64_t>(std::llround(x)));
  return a;
}

std::string escape_html(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string price_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

Json metrics_json(const analysis::MetricSet& m) {
  Json groups = Json::array();
  Json current = {{"name", "Returns"}, {"items", Json::array()}};
  for (const auto& [key, v] : m.items()) {
    if (const char* g = detail::metric_group_start(key); g && !current["items"].empty()) {
      groups.push_back(current);
      current = {{"name", g}, {"items", Json::array()}};
    }
    current["items"].push_back(Json::array({key, detail::metric_label(key), detail::display_value(key, v), num(v)}));
  }
  groups.push_back(current);
  return groups;
}

Json trades_json(const ReportInputs& in, const detail::DashboardData& d) {
  Json rows = Json::array();
  for (std::size_t i : d.shown_trades) {
    const Trade& t = in.trades[i];
    rows.push_back(Json::array({i + 1, t.side == Side::kBuy ? "long" : "short", format_timestamp(t.entry_time),
                                t.is_open ? "open" : format_timestamp(t.exit_time), price_text(t.entry_price),
                                t.is_open ? "" : price_text(t.exit_price), price_text(t.quantity),
                                detail::display_value("pnl", t.pnl), detail::display_value("return_pct", t.return_pct),
                                t.bars_held, t.exit_reason}));
  }
  Json out = {{"total", in.trades.size()}, {"rows", rows}};
  if (d.shown_trades.size() < in.trades.size()) {
    out["note"] = "Showing the first and last " + std::to_string(kMaxTradeRows / 2) + " of " +
                  std::to_string(in.trades.size()) + " trades.";
  }
  return out;
}

Json price_json(const ReportInputs& in, const detail::DashboardData& d) {
  if (d.candles.t.empty()) return nullptr;
  Json candles = Json::array();
  for (std::size_t i = 0; i < d.candles.t.size(); ++i) {
    candles.push_back(Json::array({static_cast<std::int64_t>(d.candles.t[i]), num(d.candles.open[i]), num(d.candles.high[i]),
                                   num(d.candles.low[i]), num(d.candles.close[i])}));
  }
  Json markers = Json::array();
  for (const auto& m : d.markers) {
    markers.push_back(Json::array({static_cast<std::int64_t>(m.t), m.entry ? 1 : 0, m.long_side ? 1 : 0, m.win ? 1 : 0,
                                   num(m.price)}));
  }
  return {{"symbol", in.bars->symbol()}, {"candles", candles}, {"markers", markers},
          {"merged", in.bars->size() > d.candles.t.size()}, {"markers_omitted", d.markers_omitted}};
}

Json section_json(const HtmlSection& s) {
  Json j = {{"title", s.title}, {"note", s.note}};
  if (const auto* line = std::get_if<LineChart>(&s.content)) {
    j["type"] = "line";
    j["x"] = line->x_is_time ? time_array(line->x) : num_array(line->x);
    j["x_is_time"] = line->x_is_time;
    j["x_label"] = line->x_label;
    j["y_label"] = line->y_label;
    Json series = Json::array();
    for (const auto& ls : line->series) series.push_back({{"name", ls.name}, {"color", ls.color}, {"y", num_array(ls.y)}});
    j["series"] = series;
  } else if (const auto* hm = std::get_if<HeatmapChart>(&s.content)) {
    j["type"] = "heatmap";
    j["x_labels"] = hm->x_labels;
    j["y_labels"] = hm->y_labels;
    j["values"] = num_array(hm->values);
    j["x_label"] = hm->x_label;
    j["y_label"] = hm->y_label;
    j["value_label"] = hm->value_label;
    j["center"] = hm->center;
    j["higher_is_better"] = hm->higher_is_better;
  } else {
    const auto& t = std::get<TableData>(s.content);
    j["type"] = "table";
    j["header"] = t.header;
    j["rows"] = t.rows;
  }
  return j;
}

// "2004-08-19 → 2013-03-01" for daily data, full ISO times otherwise.
std::string period_text(Timestamp a, Timestamp b) {
  const bool dates = a % kNanosPerDay == 0 && b % kNanosPerDay == 0;
  return (dates ? format_date(a) : format_timestamp(a)) + " \xE2\x86\x92 " + (dates ? format_date(b) : format_timestamp(b));
}

Json page_data(const ReportInputs& in, const detail::DashboardData& d) {
  Json monthly_rows = Json::array();
  for (std::size_t r = 0; r < d.monthly.years.size(); ++r) {
    Json row = Json::array();
    for (std::size_t c = 0; c < 13; ++c) row.push_back(num(d.monthly.values[r * 13 + c]));
    monthly_rows.push_back(row);
  }
  Json equity = {{"x", time_array(d.equity.x)}, {"equity", num_array(d.equity.ys[0])}};
  if (d.has_benchmark) {
    equity["benchmark"] = num_array(d.equity.ys[1]);
    equity["benchmark_name"] = in.benchmark_name;
  }
  const auto& w = d.win_loss;
  Json sections = Json::array();
  for (const auto& s : in.extra_sections) sections.push_back(section_json(s));
  return {
      {"title", in.title},
      {"strategy", in.strategy_name},
      {"params", in.params_text},
      {"period", period_text(d.start, d.end)},
      {"initial_capital", num(d.initial_capital)},
      {"metrics", metrics_json(d.metrics)},
      {"equity", equity},
      {"underwater", {{"x", time_array(d.underwater.x)}, {"y", num_array(d.underwater.ys[0])}}},
      {"rolling_sharpe",
       {{"x", time_array(d.rolling_sharpe.x)}, {"y", num_array(d.rolling_sharpe.ys[0])}, {"window", d.rolling_window}}},
      {"monthly", {{"years", d.monthly.years}, {"values", monthly_rows}}},
      {"pnl_histogram",
       {{"centers", num_array(d.pnl_histogram.centers)}, {"counts", num_array(d.pnl_histogram.counts)},
        {"width", num(d.pnl_histogram.width)}}},
      {"win_loss",
       {{"wins", w.wins}, {"losses", w.losses}, {"breakeven", w.breakeven}, {"avg_win", num(w.avg_win)},
        {"avg_loss", num(w.avg_loss)}, {"largest_win", num(w.largest_win)}, {"largest_loss", num(w.largest_loss)},
        {"gross_profit", num(w.gross_profit)}, {"gross_loss", num(w.gross_loss)}}},
      {"price", price_json(in, d)},
      {"trades", trades_json(in, d)},
      {"sections", sections},
  };
}

// JSON inside <script type="application/json">: "</" would end the element early.
std::string script_safe(std::string s) {
  for (std::size_t p = s.find("</"); p != std::string::npos; p = s.find("</", p + 3)) s.replace(p, 2, "<\\/");
  return s;
}

}  // namespace detail_html

Result<std::string> render_html_report(const ReportInputs& in) {
  using namespace detail_html;
  detail::DashboardData d;
  try {
    d = detail::prepare_dashboard(in);
  } catch (const Exception& e) {
    return e.error();
  }
  std::string html;
  html.reserve(600'000);
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<meta name=\"generator\" content=\"tradeloop\">\n<title>" + escape_html(in.title) + "</title>\n";
  html += "<style>\n" + assets::uplot_css() + "\n" + assets::report_css() + "\n</style>\n</head>\n<body>\n";
  html += "<div id=\"app\"><noscript>This report needs JavaScript to draw its charts.</noscript></div>\n";
  html += "<pre id=\"tl-selfcheck\" hidden></pre>\n";
  html += "<script id=\"tl-data\" type=\"application/json\">" + script_safe(page_data(in, d).dump()) + "</script>\n";
  // The libraries keep their licence headers (uPlot: MIT; Lightweight Charts: Apache-2.0 with
  // the TradingView attribution notice, repeated in the page footer).
  html += "<script>\n" + assets::uplot_js() + "\n</script>\n";
  html += "<script>\n" + assets::lightweight_charts_js() + "\n</script>\n";
  html += "<script>\n" + assets::report_js() + "\n</script>\n</body>\n</html>\n";
  return html;
}

Status write_html_report(const ReportInputs& in, const std::string& path) {
  auto html = render_html_report(in);
  if (!html.ok()) return html.error();
  std::ofstream out(path, std::ios::binary);
  if (!out) return io_error(path + ": cannot open for writing");
  out.write(html->data(), static_cast<std::streamsize>(html->size()));
  out.close();
  if (!out) return io_error(path + ": write failed");
  return Status::Ok();
}

}  // namespace tradeloop::report
