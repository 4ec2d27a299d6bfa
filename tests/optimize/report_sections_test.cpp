// Report sections and result tables of the optimiser.
#include "tradeloop/optimize/report_sections.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace tradeloop::optimize {
namespace {

OptimizationResult small_grid(bool three_params) {
  ParameterSpace s;
  EXPECT_TRUE(s.add_parameter("a", ParamKind::kInt, 1, 3).ok());
  EXPECT_TRUE(s.add_parameter("b", ParamKind::kInt, 10, 20, 10).ok());
  if (three_params) {
    EXPECT_TRUE(s.add_categorical("c", {"x", "y"}).ok());
  }
  FunctionEvaluator f([](const ParamSet& p) {
    const double bonus = p.has("c") && p.get_string("c") == "y" ? 100 : 0;
    if (p.get_double("a") == 2 && p.get_double("b") == 20) return Evaluation::failure("bad, set");
    return Evaluation{{{"value", p.get_double("a") * p.get_double("b") + bonus}, {"total_trades", 3}}, true, {}};
  });
  OptimizerOptions o;
  o.objective.metric = "value";
  Optimizer opt(s, f, o);
  return opt.grid().value();
}

TEST(ReportSections, HeatmapCellsAndBestOverOtherParameters) {
  const auto r = small_grid(false);
  auto sec = heatmap_section(r, "a", "b");
  ASSERT_TRUE(sec.ok());
  const auto& h = std::get<report::HeatmapChart>(sec->content);
  EXPECT_EQ(h.x_labels, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(h.y_labels, (std::vector<std::string>{"10", "20"}));
  ASSERT_EQ(h.values.size(), 6u);
  EXPECT_EQ(h.values[0], 10);  // a=1, b=10
  EXPECT_EQ(h.values[5], 60);  // a=3, b=20
  EXPECT_TRUE(std::isnan(h.values[4]));  // a=2, b=20 failed
  EXPECT_FALSE(heatmap_section(r, "a", "zz").ok());
  const auto r3 = small_grid(true);
  const auto h3 = std::get<report::HeatmapChart>(heatmap_section(r3, "a", "b")->content);
  EXPECT_EQ(h3.values[0], 110);  // best over c: c = y
  EXPECT_NE(heatmap_section(r3, "a", "b")->note.find("best over the other parameters"), std::string::npos);
}

TEST(ReportSections, EvaluationsTableAndCsv) {
  const auto r = small_grid(false);
  const auto t = evaluations_table(r);
  EXPECT_EQ(t.header, (std::vector<std::string>{"a", "b", "valid", "rejected", "value", "total_trades"}));
  ASSERT_EQ(t.rows.size(), 6u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"1", "10", "true", "", "10", "3"}));
  EXPECT_EQ(t.rows[3], (std::vector<std::string>{"2", "20", "false", "error: bad, set", "", ""}));
  const std::string csv = table_csv(t);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "a,b,valid,rejected,value,total_trades");
  EXPECT_NE(csv.find("2,20,false,\"error: bad, set\",,\n"), std::string::npos);
}

TEST(ReportSections, ConvergenceAndWalkForwardSections) {
  const auto r = small_grid(false);
  const auto c = convergence_section(r);
  const auto& chart = std::get<report::LineChart>(c.content);
  EXPECT_EQ(chart.x.size(), r.evaluations.size());
  EXPECT_EQ(chart.series[0].y.back(), 60);
  WalkForwardResult wf;
  wf.objective.metric = "value";
  WalkForwardSplitResult s;
  s.found = true;
  s.params = {{"a", 1.0}};
  s.in_sample.metrics = {{"value", 2.0}};
  s.out_of_sample.metrics = {{"value", 1.0}};
  wf.splits.push_back(s);
  wf.stitched_oos_equity = {{1'000'000'000, 100, 100, 0, 0}, {2'000'000'000, 110, 110, 0, 0}};
  const auto secs = walk_forward_sections(wf);
  ASSERT_EQ(secs.size(), 3u);
  EXPECT_EQ(std::get<report::LineChart>(secs[0].content).x, (std::vector<double>{1, 2}));
  EXPECT_EQ(std::get<report::TableData>(secs[2].content).rows.size(), 1u);
}

}  // namespace
}  // namespace tradeloop::optimize
