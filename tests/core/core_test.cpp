#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <vector>

#include "tradeloop/core/config.hpp"
#include "tradeloop/core/log.hpp"
#include "tradeloop/core/params.hpp"
#include "tradeloop/core/progress.hpp"
#include "tradeloop/core/result.hpp"
#include "tradeloop/core/rng.hpp"
#include "tradeloop/core/thread_pool.hpp"

namespace tradeloop {
namespace {

TEST(Result, ValueOrError) {
  Result<int> ok = 3;
  Result<int> bad = invalid_argument("period must be >= 1, got 0");
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 3);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THROW((void)bad.value(), Exception);
  EXPECT_EQ(bad.value_or(7), 7);
  Status s = parse_error("x");
  EXPECT_FALSE(s.ok());
  EXPECT_THROW(s.check(), Exception);
}

TEST(Rng, IsDeterministicAndUniform) {
  Rng a(123), b(123), c(124);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(a.next(), b.next());
  EXPECT_NE(Rng(123).next(), c.next());
  // Known first output for seed 0 pins the algorithm (xoshiro256** seeded by splitmix64).
  Rng r(7);
  double sum = 0, sq = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double z = r.normal();
    sum += z;
    sq += z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sq / n, 1.0, 0.01);
  std::vector<int> counts(10);
  for (int i = 0; i < 100000; ++i) ++counts[r.below(10)];
  for (int k : counts) EXPECT_NEAR(k, 10000, 500);
  for (int i = 0; i < 1000; ++i) {
    const auto v = r.integer(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
  }
  EXPECT_NE(Rng(5).fork(1).next(), Rng(5).fork(2).next());
  EXPECT_EQ(Rng(5).fork(1).next(), Rng(5).fork(1).next());
}

TEST(ThreadPool, ResultsDoNotDependOnThreadCount) {
  for (std::size_t threads : {1u, 2u, 4u}) {
    ThreadPool pool(threads);
    std::vector<double> out(1000);
    pool.parallel_for(out.size(), [&](std::size_t i) { out[i] = Rng(99).fork(i).uniform(); });
    std::vector<double> expected(1000);
    for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = Rng(99).fork(i).uniform();
    EXPECT_EQ(out, expected);
    // Reusable.
    std::atomic<int> count{0};
    pool.parallel_for(57, [&](std::size_t) { ++count; });
    EXPECT_EQ(count.load(), 57);
  }
}

TEST(ThreadPool, RethrowsTaskErrors) {
  ThreadPool pool(2);
  EXPECT_THROW(pool.parallel_for(100, [](std::size_t i) {
    if (i == 42) throw Exception(ErrorCode::kInternal, "boom");
  }), Exception);
  std::atomic<int> count{0};
  pool.parallel_for(10, [&](std::size_t) { ++count; });
  EXPECT_EQ(count.load(), 10);
}

TEST(Progress, CallbackCanCancel) {
  int calls = 0;
  Progress p("work", 1000, [&](const ProgressUpdate& u) {
    ++calls;
    EXPECT_EQ(u.label, "work");
    return false;
  });
  p.finish();
  EXPECT_GE(calls, 1);
  EXPECT_TRUE(p.cancelled());
  Progress silent("quiet", 10, ProgressMode::kSilent);
  silent.advance(10);
  EXPECT_EQ(silent.snapshot().done, 10);
  EXPECT_FALSE(silent.cancelled());
}

TEST(Params, ValidateAndResolve) {
  std::vector<ParamSpec> schema = {
      {"fast", ParamType::kInt, 10.0, 1, 500, 1, {}, "fast SMA period (bars)"},
      {"slow", ParamType::kInt, 30.0, 2, 1000, 1, {}, "slow SMA period (bars)"},
      {"ma", ParamType::kChoice, std::string("sma"), 0, 0, 0, {"sma", "ema"}, "average type"},
  };
  auto r = resolve_params(schema, ParamSet{{"fast", 5.0}}, "sma_cross");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->get_int("fast"), 5);
  EXPECT_EQ(r->get_int("slow"), 30);
  EXPECT_EQ(r->get_string("ma"), "sma");
  EXPECT_EQ(r->to_string(), "fast=5,slow=30,ma=sma");
  auto unknown = resolve_params(schema, ParamSet{{"fsat", 5.0}}, "sma_cross");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown parameter 'fsat'"), std::string::npos);
  auto range = resolve_params(schema, ParamSet{{"fast", 0.0}}, "sma_cross");
  ASSERT_FALSE(range.ok());
  EXPECT_NE(range.error().message.find("out of range [1, 500]"), std::string::npos);
  EXPECT_FALSE(resolve_params(schema, ParamSet{{"fast", 2.5}}, "x").ok());
  EXPECT_FALSE(resolve_params(schema, ParamSet{{"ma", std::string("wma")}}, "x").ok());
  EXPECT_FALSE(schema[0].parse("abc").ok());
  EXPECT_EQ(std::get<double>(*schema[0].parse("14")), 14.0);
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(14), "14");
}

TEST(Config, TomlAndOverrides) {
  auto c = Config::parse_toml("initial_capital = 10000\ncommission_pct = 0.001\n[backtest]\nfill = \"next_open\"\n",
                              "test.toml");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(*c->get_double("initial_capital", 0), 10000);
  EXPECT_EQ(*c->get_string("backtest.fill"), "next_open");
  ASSERT_TRUE(c->set_from_arg("commission_pct=2").ok());
  auto f = c->get_fraction("commission_pct", 0, 0, 0.1);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("fraction"), std::string::npos);
  EXPECT_FALSE(c->set_from_arg("novalue").ok());
  auto bad = Config::parse_toml("x = = 3", "bad.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("bad.toml:1"), std::string::npos);
  ASSERT_TRUE(c->set_from_arg("units=abc").ok());
  EXPECT_FALSE(c->get_double("units", 0).ok());
}

TEST(Log, RedactsSecrets) {
  register_secret("sk-live-12345");
  EXPECT_EQ(redact("key=sk-live-12345&x=sk-live-12345"), "key=***&x=***");
  EXPECT_EQ(redact("nothing here"), "nothing here");
}

}  // namespace
}  // namespace tradeloop
