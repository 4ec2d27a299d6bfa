// HTML tearsheet and PNG dashboard: self-contained output, embedded libraries byte-exact, size
// bounds on a 1M-bar run, extra sections, bad input. The artefacts (report.html, dashboard.png)
// are left under <build>/test-artifacts/report/ for people to look at.
#include "tradeloop/report/report.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "report_fixture.hpp"

namespace tradeloop::report {
namespace {

std::string artefact_dir() {
  const auto dir = std::filesystem::path(TRADELOOP_BINARY_DIR) / "test-artifacts" / "report";
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

using testing::inputs_of;

TEST(HtmlReport, IsOneSelfContainedFileWithTheLibrariesVerbatim) {
  const testing::Run run = testing::sma_cross_run();
  ASSERT_GT(run.trades.size(), 10u);
  const std::string path = artefact_dir() + "/report.html";
  ASSERT_TRUE(write_html_report(inputs_of(run), path).ok());
  const std::string html = slurp(path);
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  // The npm files are embedded byte for byte, licence headers included.
  for (const char* lib : {"web/node_modules/uplot/dist/uPlot.iife.min.js",
                          "web/node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.js",
                          "web/report/report.js"}) {
    const std::string js = slurp(tradeloop::testing::source_path(lib));
    ASSERT_FALSE(js.empty()) << lib;
    EXPECT_NE(html.find(js), std::string::npos) << lib;
  }
  EXPECT_NE(html.find("Copyright (c) 2026 TradingView, Inc."), std::string::npos);
  EXPECT_NE(html.find("\"total_return_pct\""), std::string::npos);
  EXPECT_NE(html.find("\"benchmark_name\":\"GOOG buy & hold\""), std::string::npos);
  EXPECT_NE(html.find("fast=10 slow=30"), std::string::npos);
}

TEST(HtmlReport, JsonCannotCloseItsScriptElement) {
  testing::Run run = testing::sma_cross_run();
  ReportInputs in = inputs_of(run);
  in.title = "</script><script>alert(1)</script>";
  const std::string html = render_html_report(in).value();
  EXPECT_EQ(html.find("</script><script>alert"), std::string::npos);
  EXPECT_NE(html.find("<title>&lt;/script&gt;"), std::string::npos);
}

TEST(HtmlReport, ExtraSectionsAreCarried) {
  testing::Run run = testing::sma_cross_run();
  ReportInputs in = inputs_of(run);
  HeatmapChart hm;
  hm.x_labels = {"10", "20"};
  hm.y_labels = {"30", "50"};
  hm.values = {1.2, -0.3, std::nan(""), 0.8};
  hm.x_label = "fast";
  hm.y_label = "slow";
  hm.value_label = "Sharpe";
  in.extra_sections.push_back({"Parameter heatmap", "Sharpe per (fast, slow)", hm});
  LineChart lc;
  lc.x = {1, 2, 3};
  lc.series.push_back({"OOS Sharpe", {0.5, 0.7, 0.2}, ""});
  in.extra_sections.push_back({"Walk-forward", "", lc});
  in.extra_sections.push_back({"Windows", "", TableData{{"window", "sharpe"}, {{"1", "0.5"}}}});
  const std::string html = render_html_report(in).value();
  EXPECT_NE(html.find("\"type\":\"heatmap\""), std::string::npos);
  EXPECT_NE(html.find("\"values\":[1.2,-0.3,null,0.8]"), std::string::npos);
  EXPECT_NE(html.find("\"type\":\"line\""), std::string::npos);
  EXPECT_NE(html.find("\"type\":\"table\""), std::string::npos);
}

using testing::big_run;

TEST(HtmlReport, MillionBarRunStaysSmall) {
  const testing::Run run = big_run(1'000'000, 100'000);
  ReportInputs in;
  in.bars = &run.bars;
  in.equity = run.equity;
  in.trades = run.trades;
  const std::string html = render_html_report(in).value();
  EXPECT_LT(html.size(), 10u * 1000 * 1000);
  EXPECT_NE(html.find("Showing the first and last 1000 of 99999 trades."), std::string::npos);
}

// Width and height from the PNG IHDR chunk (big-endian at bytes 16..23).
std::pair<int, int> png_size(const std::string& bytes) {
  auto be32 = [&](std::size_t o) {
    return (static_cast<unsigned char>(bytes[o]) << 24) | (static_cast<unsigned char>(bytes[o + 1]) << 16) |
           (static_cast<unsigned char>(bytes[o + 2]) << 8) | static_cast<unsigned char>(bytes[o + 3]);
  };
  return {be32(16), be32(20)};
}

TEST(PngDashboard, WritesAPngOfTheRequestedSize) {
  const testing::Run run = testing::sma_cross_run();
  const std::string path = artefact_dir() + "/dashboard.png";
  ASSERT_TRUE(write_png_dashboard(inputs_of(run), path).ok());
  const std::string png = slurp(path);
  ASSERT_GT(png.size(), 30'000u);  // six drawn panels, not an empty canvas
  EXPECT_EQ(png.substr(1, 3), "PNG");
  EXPECT_EQ(png_size(png), std::make_pair(1600, 1200));
  const std::string small = artefact_dir() + "/dashboard_small.png";
  ASSERT_TRUE(write_png_dashboard(inputs_of(run), small, 800, 600).ok());
  EXPECT_EQ(png_size(slurp(small)), std::make_pair(800, 600));
}

TEST(PngDashboard, RunWithoutTradesOrBenchmarkStillDraws) {
  const testing::Run run = big_run(5000, 2);
  ReportInputs in;
  in.equity = run.equity;
  const std::string path = artefact_dir() + "/dashboard_no_trades.png";
  ASSERT_TRUE(write_png_dashboard(in, path).ok());
  ASSERT_TRUE(render_html_report(in).ok());
}

TEST(Reports, DegenerateCurvesStillDraw) {
  // One point; a flat curve; a curve that only falls (never recovers).
  for (const std::vector<double>& values :
       {std::vector<double>{100}, std::vector<double>(50, 100.0), std::vector<double>{100, 90, 80, 70, 60}}) {
    std::vector<EquityPoint> eq;
    for (std::size_t i = 0; i < values.size(); ++i)
      eq.push_back({1704067200LL * kNanosPerSecond + static_cast<Timestamp>(i) * kNanosPerDay, values[i], values[i], 0, 0});
    ReportInputs in;
    in.equity = eq;
    const std::string path = artefact_dir() + "/degenerate_" + std::to_string(values.size()) + ".png";
    EXPECT_TRUE(write_png_dashboard(in, path).ok()) << values.size();
    EXPECT_TRUE(render_html_report(in).ok()) << values.size();
  }
}

TEST(Reports, BadInputIsAStatusNamingTheProblem) {
  ReportInputs in;
  const Status s = write_html_report(in, artefact_dir() + "/never.html");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("equity curve is empty"), std::string::npos) << s.error().message;
  const testing::Run run = testing::sma_cross_run();
  ReportInputs ok = inputs_of(run);
  EXPECT_FALSE(write_png_dashboard(ok, artefact_dir() + "/x.png", 100, 100).ok());
  const Status io = write_html_report(ok, "/nonexistent-dir/report.html");
  ASSERT_FALSE(io.ok());
  EXPECT_NE(io.error().message.find("/nonexistent-dir/report.html"), std::string::npos);
}

}  // namespace
}  // namespace tradeloop::report
