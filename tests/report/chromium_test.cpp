// The HTML report opened in real headless Chromium (installed by scripts/bootstrap.sh): the
// page's own self-check (web/report/report.js) must report every chart canvas non-blank and no
// script error, the browser log must hold no console error, and a full-page screenshot is kept
// at <build>/test-artifacts/report/report_screenshot.png. Skipped when Chromium is absent.
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "report_fixture.hpp"
#include "tradeloop/report/report.hpp"

namespace tradeloop::report {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

struct Output {
  int status = -1;
  std::string text;  // stdout and stderr together
};

Output run_shell(const std::string& cmd) {
  Output out;
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.text.append(buf.data(), n);
  out.status = pclose(pipe);
  return out;
}

std::string chromium(const std::filesystem::path& profile, const std::string& args) {
  // A fresh profile, no network services, a virtual time budget so timers and animation frames
  // run before the DOM is dumped.
  return std::string(kChromium) +
         " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
         " --disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars"
         " --user-data-dir=" + profile.string() + " --virtual-time-budget=10000 " + args;
}

TEST(ChromiumReport, ChartsDrawWithoutErrorsInARealBrowser) {
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << kChromium << " not installed (scripts/bootstrap.sh)";
  const auto dir = std::filesystem::path(TRADELOOP_BINARY_DIR) / "test-artifacts" / "report";
  std::filesystem::create_directories(dir);
  const auto html = dir / "report_chromium.html";

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

  const auto profile = std::filesystem::temp_directory_path() / ("tl-chromium-" + std::to_string(::getpid()));
  std::filesystem::remove_all(profile);
  const std::string url = "file://" + html.string();
  const Output dom = run_shell(chromium(profile, "--window-size=1400,1000 --enable-logging=stderr --v=0 --dump-dom " + url));
  ASSERT_EQ(dom.status, 0) << dom.text.substr(0, 4000);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(dom.text, m, std::regex("<pre id=\"tl-selfcheck\"[^>]*>([^<]*)</pre>"))) << dom.text.substr(0, 4000);
  const std::string check = m[1].str();
  // price + six panels + two extra sections.
  EXPECT_EQ(check, "charts-ok 9") << check;
  // Chromium logs page console messages as `CONSOLE(...)` / "Uncaught" lines.
  EXPECT_EQ(dom.text.find("Uncaught"), std::string::npos) << dom.text.substr(0, 4000);
  EXPECT_EQ(std::regex_search(dom.text, std::regex("CONSOLE.*(rror|arn)")), false) << dom.text.substr(0, 4000);

  const auto shot = dir / "report_screenshot.png";
  std::filesystem::remove(shot);
  const Output s = run_shell(chromium(profile, "--window-size=1400,3600 --screenshot=" + shot.string() + " " + url));
  std::filesystem::remove_all(profile);
  ASSERT_TRUE(std::filesystem::exists(shot)) << s.text.substr(0, 4000);
  EXPECT_GT(std::filesystem::file_size(shot), 50'000u);
}

}  // namespace
}  // namespace tradeloop::report
