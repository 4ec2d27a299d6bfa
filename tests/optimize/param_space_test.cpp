#include "tradeloop/optimize/param_space.hpp"

#include <gtest/gtest.h>

namespace tradeloop::optimize {
namespace {

TEST(ParamSpace, GridEnumeratesLatticeWithConstraint) {
  ParameterSpace s;
  ASSERT_TRUE(s.add_parameter("fast", ParamKind::kInt, 5, 50, 5).ok());
  ASSERT_TRUE(s.add_parameter("slow", ParamKind::kInt, 20, 200, 20).ok());
  EXPECT_EQ(s.grid_size().value(), 10u * 10u);
  ASSERT_TRUE(s.add_constraint("fast < slow").ok());
  auto g = s.grid();
  ASSERT_TRUE(g.ok());
  // Pairs with fast >= slow: fast in {20..50 step 5} vs slow=20 (7), fast=40..50 vs slow=40 (3).
  EXPECT_EQ(g->size(), 100u - 7u - 3u);
  EXPECT_EQ(g->front().to_string(), "fast=5,slow=20");
  EXPECT_EQ(g->back().to_string(), "fast=50,slow=200");
  for (const auto& p : *g) EXPECT_LT(p.get_double("fast"), p.get_double("slow"));
}

TEST(ParamSpace, FloatStepsAreExactDecimals) {
  ParameterSpace s;
  ASSERT_TRUE(s.add_parameter("x", ParamKind::kFloat, 0.1, 0.5, 0.1).ok());
  auto g = s.grid();
  ASSERT_TRUE(g.ok());
  ASSERT_EQ(g->size(), 5u);
  EXPECT_EQ((*g)[2].to_string(), "x=0.3");
  EXPECT_EQ((*g)[4].to_string(), "x=0.5");
}

TEST(ParamSpace, ConstraintExpressions) {
  ParameterSpace s;
  ASSERT_TRUE(s.add_parameter("a", ParamKind::kInt, 1, 10).ok());
  ASSERT_TRUE(s.add_parameter("b", ParamKind::kInt, 1, 10).ok());
  ASSERT_TRUE(s.add_constraint("b >= 2 * a + 1").ok());
  ASSERT_TRUE(s.add_constraint("(a - b) / 2 != -3").ok());
  EXPECT_TRUE(s.satisfies({{"a", 2.0}, {"b", 5.0}}));
  EXPECT_FALSE(s.satisfies({{"a", 2.0}, {"b", 4.0}}));
  EXPECT_FALSE(s.satisfies({{"a", 2.0}, {"b", 8.0}}));  // (2-8)/2 == -3
}

TEST(ParamSpace, BadConstraintsNameTheProblem) {
  ParameterSpace s;
  ASSERT_TRUE(s.add_parameter("fast", ParamKind::kInt, 1, 10).ok());
  ASSERT_TRUE(s.add_categorical("ma", {"sma", "ema"}).ok());
  auto e1 = s.add_constraint("fast < slwo");
  ASSERT_FALSE(e1.ok());
  EXPECT_NE(e1.error().message.find("unknown parameter 'slwo'"), std::string::npos) << e1.error().message;
  EXPECT_FALSE(s.add_constraint("fast 10").ok());
  EXPECT_FALSE(s.add_constraint("fast < 10 )").ok());
  EXPECT_FALSE(s.add_constraint("ma < 3").ok());
}

TEST(ParamSpace, RejectsBadParameters) {
  ParameterSpace s;
  EXPECT_FALSE(s.add_parameter("x", ParamKind::kInt, 5, 1).ok());
  EXPECT_FALSE(s.add_parameter("x", ParamKind::kInt, 1.5, 3).ok());
  EXPECT_FALSE(s.add_parameter("x", ParamKind::kInt, 1, 3, -1).ok());
  EXPECT_FALSE(s.add_parameter("x", ParamKind::kInt, 1, 3, 5).ok());
  ASSERT_TRUE(s.add_parameter("x", ParamKind::kFloat, 0, 1).ok());
  EXPECT_FALSE(s.add_parameter("x", ParamKind::kInt, 1, 3).ok());  // duplicate
  EXPECT_FALSE(s.grid().ok());                                    // continuous float
  EXPECT_FALSE(s.add_categorical("c", {}).ok());
}

TEST(ParamSpace, SampleIsFeasibleAndSeeded) {
  ParameterSpace s;
  ASSERT_TRUE(s.add_parameter("fast", ParamKind::kInt, 2, 50).ok());
  ASSERT_TRUE(s.add_parameter("slow", ParamKind::kInt, 2, 50).ok());
  ASSERT_TRUE(s.add_categorical("kind", {"sma", "ema"}).ok());
  ASSERT_TRUE(s.add_constraint("fast + 5 <= slow").ok());
  Rng a(7), b(7);
  for (int i = 0; i < 200; ++i) {
    auto x = s.sample(a), y = s.sample(b);
    ASSERT_TRUE(x.ok());
    EXPECT_EQ(*x, *y);
    EXPECT_LE(x->get_double("fast") + 5, x->get_double("slow"));
  }
  ParameterSpace impossible;
  ASSERT_TRUE(impossible.add_parameter("a", ParamKind::kInt, 1, 3).ok());
  ASSERT_TRUE(impossible.add_constraint("a > 3").ok());
  Rng r(1);
  EXPECT_FALSE(impossible.sample(r, 100).ok());
}

TEST(ParamSpace, EncodeDecodeRoundTrip) {
  ParameterSpace s;
  ASSERT_TRUE(s.add_parameter("n", ParamKind::kInt, 10, 100, 10).ok());
  ASSERT_TRUE(s.add_parameter("x", ParamKind::kFloat, -1, 1).ok());
  ASSERT_TRUE(s.add_categorical("c", {"a", "b", "c"}).ok());
  s.add_fixed("fee", 0.001);
  EXPECT_EQ(s.encoded_dims(), 5u);
  ParamSet p{{"n", 40.0}, {"x", 0.5}, {"c", std::string("b")}, {"fee", 0.001}};
  const auto x = s.encode(p);
  EXPECT_DOUBLE_EQ(x[0], 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(x[1], 0.75);
  EXPECT_EQ(x[3], 1.0);
  EXPECT_EQ(s.decode(x), p);
  // Off-lattice points snap to the nearest level.
  EXPECT_EQ(s.decode({0.36, 0.75, 0.2, 0.9, 0.1}).get_double("n"), 40.0);
}

TEST(ParamSpace, ParseRange) {
  auto r = parse_range("5:50:5");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->low, 5);
  EXPECT_EQ(r->high, 50);
  EXPECT_EQ(r->step, 5);
  EXPECT_EQ(parse_range("0.1:0.9")->step, 0);
  EXPECT_FALSE(parse_range("5").ok());
  EXPECT_FALSE(parse_range("5:x").ok());
  EXPECT_FALSE(parse_range("1:2:3:4").ok());
}

}  // namespace
}  // namespace tradeloop::optimize
