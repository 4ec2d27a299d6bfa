#include "tradeloop/analysis/metric_set.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "tradeloop/core/result.hpp"

namespace tradeloop::analysis {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(MetricSet, KeepsInsertionOrderAndReplacesInPlace) {
  MetricSet m;
  m.set("b", 1);
  m.set("a", 2);
  m.set("b", 3);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m.items()[0].first, "b");
  EXPECT_EQ(m.items()[0].second, 3);
  EXPECT_EQ(m.get("a"), 2);
  EXPECT_FALSE(m.find("c").has_value());
}

TEST(MetricSet, UnknownNameThrowsNamingIt) {
  MetricSet m;
  try {
    (void)m.get("win_rate");
    FAIL();
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(e.what()).find("'win_rate'"), std::string::npos);
  }
}

TEST(MetricSet, JsonWritesInfinityAndNanAsNullAndCountsAsIntegers) {
  MetricSet m;
  m.set("profit_factor", kInf);
  m.set("alpha_pct", std::numeric_limits<double>::quiet_NaN());
  m.set("total_trades", 12);
  m.set("sharpe_ratio", 1.25);
  EXPECT_EQ(metrics_to_json(m, -1),
            R"({"profit_factor":null,"alpha_pct":null,"total_trades":12,"sharpe_ratio":1.25})");
}

TEST(MetricSet, TextWritesInfAndAlignsValues) {
  MetricSet m;
  m.set("profit_factor", kInf);
  m.set("x", -kInf);
  m.set("alpha_pct", std::numeric_limits<double>::quiet_NaN());
  m.set("sharpe_ratio", 1.5);
  EXPECT_EQ(metrics_to_text(m), "profit_factor  inf\nx              -inf\nalpha_pct      n/a\nsharpe_ratio   1.5\n");
  EXPECT_EQ(format_metric_value(0.0001234567), "0.000123457");
  EXPECT_EQ(format_metric_value(-12.0), "-12");
  EXPECT_EQ(format_metric_value(2.1234564), "2.123456");
}

}  // namespace
}  // namespace tradeloop::analysis
