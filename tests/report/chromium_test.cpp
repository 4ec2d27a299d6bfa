// The HTML report opened in real headless Chromium (installed by scripts/bootstrap.sh): the page's
// own self-check (web/report/report.js) must report every chart canvas non-blank and no script
// error, the browser log must hold no console message, and full-page screenshots are kept under
// <build>/test-artifacts/report/. About 10 s each, hence "Slow" in the names; skipped when
// Chromium is absent.
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "report_fixture.hpp"
#include "tradeloop/report/report.hpp"

namespace tradeloop::report {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

using Output = tradeloop::testing::CommandResult;

Output run_shell(const std::string& cmd) { return tradeloop::testing::run_shell(cmd + " 2>&1"); }

std::string chromium(const std::filesystem::path& profile, const std::string& args) {
  // A fresh profile, no network services, a virtual time budget so timers and animation frames
  // run before the DOM is dumped.
  return std::string(kChromium) +
         " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
         " --disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars"
         " --user-data-dir=" + profile.string() + " --virtual-time-budget=10000 " + args;
}

// Opens `html` twice in a fresh profile: --dump-dom for the page's self-check and the browser
// log, then --screenshot (kept under the build tree).
void check_in_chromium(const std::filesystem::path& html, const std::string& expected_check,
                       const std::filesystem::path& shot) {
  const auto profile = std::filesystem::temp_directory_path() /
                       ("tl-chromium-" + std::to_string(::getpid()) + "-" + html.stem().string());
  std::filesystem::remove_all(profile);
  const std::string url = "file://" + html.string();
  const Output dom = run_shell(chromium(profile, "--window-size=1400,1000 --enable-logging=stderr --v=0 --dump-dom " + url));
  ASSERT_EQ(dom.code, 0) << dom.out.substr(0, 4000);
  const std::string open_tag = "<pre id=\"tl-selfcheck\" hidden=\"\">";
  const auto at = dom.out.find(open_tag);
  ASSERT_NE(at, std::string::npos) << dom.out.substr(0, 4000);
  const auto from = at + open_tag.size();
  const std::string check = dom.out.substr(from, dom.out.find("</pre>", from) - from);
  EXPECT_EQ(check, expected_check) << html;
  // Chromium logs every page console message as a "CONSOLE(line)" line and uncaught exceptions
  // as "Uncaught ..."; the page writes neither when all is well.
  std::istringstream log(dom.out);
  for (std::string line; std::getline(log, line);) {
    EXPECT_EQ(line.find("CONSOLE"), std::string::npos) << line;
    EXPECT_EQ(line.find("Uncaught"), std::string::npos) << line;
  }
  std::filesystem::remove(shot);
  const Output s = run_shell(chromium(profile, "--window-size=1400,3600 --screenshot=" + shot.string() + " " + url));
  std::filesystem::remove_all(profile);
  ASSERT_TRUE(std::filesystem::exists(shot)) << s.out.substr(0, 4000);
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
