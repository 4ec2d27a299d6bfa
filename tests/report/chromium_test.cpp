// The HTML report opened in real headless Chromium (installed by scripts/bootstrap.sh), driven over
// the DevTools protocol by tests/browser/page_check.mjs: the page's own self-check
// (web/report/report.js) must report every chart canvas non-blank and no script error, the page
// must write no console message and throw no exception, and full-page screenshots are kept under
// <build>/test-artifacts/report/. A few seconds each, hence "Slow" in the names; they fail when
// Chromium or Node.js is absent.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>

#include "report_fixture.hpp"
#include "tradeloop/report/report.hpp"

namespace tradeloop::report {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

// Opens `html` at 1400x1000, waits (in real time, up to a minute) for the self-check, then takes
// a 1400x3600 screenshot. page_check.mjs prints "check <text>", one "console ..." or
// "exception ..." line per message, and "screenshot <path> <bytes>".
void check_in_chromium(const std::filesystem::path& html, const std::string& expected_check,
                       const std::filesystem::path& shot) {
  std::filesystem::remove(shot);
  const std::string script = std::string(TRADELOOP_SOURCE_DIR) + "/tests/browser/page_check.mjs";
  const auto r = tradeloop::testing::run_shell(
      "node " + script + " --chromium " + kChromium + " --url file://" + html.string() +
      " --selector '#tl-selfcheck' --width 1400 --height 1000 --screenshot " + shot.string() +
      " --shot-height 3600 2>&1");
  ASSERT_EQ(r.code, 0) << r.out.substr(0, 4000);
  std::istringstream lines(r.out);
  std::string check;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("check ", 0) == 0) check = line.substr(6);
    EXPECT_NE(line.rfind("console ", 0), 0u) << html << ": " << line;
    EXPECT_NE(line.rfind("exception ", 0), 0u) << html << ": " << line;
  }
  EXPECT_EQ(check, expected_check) << html;
  ASSERT_TRUE(std::filesystem::exists(shot)) << r.out.substr(0, 4000);
  EXPECT_GT(std::filesystem::file_size(shot), 50'000u);
}

std::filesystem::path artefacts() {
  const auto dir = std::filesystem::path(TRADELOOP_BINARY_DIR) / "test-artifacts" / "report";
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(SlowChromium, ChartsDrawWithoutErrorsInARealBrowser) {
  ASSERT_TRUE(std::filesystem::exists(kChromium)) << kChromium << " not installed: run scripts/bootstrap.sh";
  const auto html = artefacts() / "report_chromium.html";
  const testing::Run run = testing::sma_cross_run();
  ReportInputs in = testing::inputs_of(run);
  HeatmapChart hm;
  hm.x_labels = {"5", "10", "15"};
  hm.y_labels = {"20", "30"};
  hm.values = {0.4, 0.9, 0.1, -0.2, std::nan(""), 1.1};
  hm.x_label = "fast";
  hm.y_label = "slow";
  hm.value_label = "Sharpe ratio";
  in.extra_sections.push_back({"Parameter heatmap", "", hm});
  LineChart lc;
  lc.x = {1, 2, 3, 4};
  lc.x_label = "window";
  lc.series = {{"IS Sharpe", {1.2, 1.0, 1.4, 0.9}, ""}, {"OOS Sharpe", {0.6, 0.2, 0.9, 0.4}, ""}};
  in.extra_sections.push_back({"Walk-forward", "", lc});
  ASSERT_TRUE(write_html_report(in, html.string()).ok());
  // Price + the six panels + the two extra sections.
  check_in_chromium(html, "charts-ok 9", artefacts() / "report_screenshot.png");
}

// 1,000,000 one-minute bars and 100,000 trades: downsampled charts, merged candles, 2,000 rows.
TEST(SlowChromium, MillionBarReportOpens) {
  ASSERT_TRUE(std::filesystem::exists(kChromium)) << kChromium << " not installed: run scripts/bootstrap.sh";
  const auto html = artefacts() / "report_1m_bars.html";
  const testing::Run run = testing::big_run(1'000'000, 100'000);
  ReportInputs in;
  in.title = "1,000,000 bars";
  in.bars = &run.bars;
  in.equity = run.equity;
  in.trades = run.trades;
  ASSERT_TRUE(write_html_report(in, html.string()).ok());
  check_in_chromium(html, "charts-ok 7", artefacts() / "report_1m_bars_screenshot.png");
}

}  // namespace
}  // namespace tradeloop::report
