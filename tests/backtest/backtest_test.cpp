// Backtest layer: configuration keys, registry, built-in strategies, the guide's
// TradingStrategy API (as an adapter it must equal the event-driven built-in), CSV layouts.
#include <gtest/gtest.h>

#include <cmath>

#include "backtest/random_series.hpp"
#include "test_util.hpp"
#include "tradeloop/backtest/builtin.hpp"
#include "tradeloop/backtest/trading_strategy.hpp"
#include "tradeloop/data/csv.hpp"

namespace tradeloop::testing {
namespace {

Config cfg(std::initializer_list<const char*> sets) {
  Config c;
  for (const char* s : sets) c.set_from_arg(s).check();
  return c;
}

TEST(BacktestConfig, GuideKeysAreFractionsWithRangeChecks) {
  const auto c = backtest_config_from(cfg({"initial_capital=10000", "risk_per_trade=0.02", "stop_loss_pct=0.02",
                                           "take_profit_pct=0.04", "commission_pct=0.001", "slippage_pct=0.0005"}))
                     .value();
  EXPECT_EQ(c.strategy.stop_loss_pct, 0.02);
  EXPECT_EQ(c.sim.fees.taker, 0.001);
  EXPECT_EQ(c.sim.fees.maker, 0.001);
  EXPECT_EQ(c.sim.slippage.fraction, 0.0005);
  for (const char* bad : {"commission_pct=2", "stop_loss_pct=2", "slippage_pct=0.5", "risk_per_trade=5", "participation=3"}) {
    auto r = backtest_config_from(cfg({bad}));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("fraction"), std::string::npos) << r.error().message;
  }
}

TEST(BacktestConfig, ChoicesTablesAndUnknownKeys) {
  const auto c = backtest_config_from(cfg({"sizing=fixed_units", "units=100", "fill=close", "backtest.allow_short=true",
                                           "intrabar=path", "slippage_model=ticks", "tick_size=0.01", "optimize.jobs=4"}))
                     .value();
  EXPECT_EQ(c.strategy.sizing, Sizing::kUnits);
  EXPECT_EQ(c.strategy.units, 100);
  EXPECT_EQ(c.strategy.fill, FillTiming::kClose);
  EXPECT_TRUE(c.strategy.allow_short);
  EXPECT_EQ(c.sim.priority, IntrabarPriority::kPath);
  EXPECT_EQ(c.sim.slippage.model, SlippageModel::kTicks);
  auto typo = backtest_config_from(cfg({"comission_pct=0.001"}));
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.error().message.find("unknown key 'comission_pct'"), std::string::npos);
  EXPECT_FALSE(backtest_config_from(cfg({"sizing=risk"})).ok());  // needs stop_loss_pct
  EXPECT_FALSE(backtest_config_from(cfg({"fill=tomorrow"})).ok());
  auto toml = Config::parse_toml("[backtest]\ncommission_pct = 0.002\n", "t.toml").value();
  EXPECT_EQ(backtest_config_from(toml).value().sim.fees.taker, 0.002);
}

TEST(Registry, NineBuiltinsWithSchemas) {
  const auto& all = builtin_strategies().all();
  ASSERT_EQ(all.size(), 9u);
  for (const char* n : {"ma_crossover", "sma_cross", "rsi_reversion", "bollinger_reversion", "macd_cross",
                        "donchian_breakout", "supertrend", "trend_following_ema", "mean_reversion_lr"}) {
    const StrategyInfo* i = builtin_strategies().find(n);
    ASSERT_NE(i, nullptr) << n;
    EXPECT_FALSE(i->params.empty());
    for (const auto& p : i->params) EXPECT_TRUE(p.validate(p.default_value).ok()) << n << "." << p.name;
  }
  EXPECT_EQ(builtin_strategies().create("nope", {}).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(builtin_strategies().create("sma_cross", {{"fast", 50.0}, {"slow", 20.0}}).ok());
  EXPECT_FALSE(builtin_strategies().create("sma_cross", {{"fsat", 5.0}}).ok());
  EXPECT_FALSE(builtin_strategies().create("rsi_reversion", {{"period", 0.0}}).ok());
}

TEST(Builtins, EveryStrategyRunsOnRealDataAndTrades) {
  const BarSeries goog = read_csv(source_path("examples/data/backtestingpy_GOOG-1d.csv")).value();
  BacktestConfig c = default_backtest_config();
  c.strategy.allow_short = true;
  for (const auto& info : builtin_strategies().all()) {
    auto r = run_backtest({goog}, info.name, {}, c);
    ASSERT_TRUE(r.ok()) << info.name << ": " << r.error().message;
    EXPECT_EQ(r->bars_processed, goog.size());
    EXPECT_EQ(r->equity_curve.size(), goog.size());
    EXPECT_GT(r->closed_trades(), 0u) << info.name;
    EXPECT_TRUE(std::isfinite(r->final_equity));
  }
}

TEST(SmaCross, RelationCountsTiesWithinTheToleranceAsEqual) {
  EXPECT_EQ(builtin::relation(0.1 + 0.2, 0.3), 0);  // 5.5e-17 apart
  EXPECT_EQ(builtin::relation(100.0, 100.0), 0);
  EXPECT_EQ(builtin::relation(100 + 1e-8, 100.0), 1);
  EXPECT_EQ(builtin::relation(100 - 1e-8, 100.0), -1);
  builtin::Turn t;
  EXPECT_EQ(t.step(1), Signal::kHold);  // no previous relation: no signal
  EXPECT_EQ(t.step(0), Signal::kHold);
  EXPECT_EQ(t.step(1), Signal::kBuy);  // +1 after 0
  EXPECT_EQ(t.step(1), Signal::kHold);
  EXPECT_EQ(t.step(-1), Signal::kSell);
  EXPECT_EQ(t.step(0), Signal::kHold);
  EXPECT_EQ(t.step(-1), Signal::kSell);  // -1 after 0 (>= 0) is a turn down too
}

TEST(SmaCross, HandComputedEntryAndExit) {
  // fast 2, slow 3. Closes: 10 10 10 11 12 11 9 9. Relations from bar 2: 0, +1 (bar 3: 10.5 vs
  // 10.333), +1, +1 (11.5 vs 11.333), -1 (bar 6: 10 vs 10.667). Buy decided on bar 3 fills at
  // bar 4's open; sell decided on bar 6 fills at bar 7's open.
  std::vector<Ohlcv> rows;
  const double closes[] = {10, 10, 10, 11, 12, 11, 9, 9};
  for (double c : closes) rows.push_back({c, c, c, c});
  rows[4].o = 11.5;
  rows[7].o = 8.5;
  const BarSeries s = make_series(rows);
  BacktestConfig c = frictionless();
  c.strategy.sizing = Sizing::kUnits;
  c.strategy.units = 100;
  c.strategy.allow_short = false;  // long-only: the sell only exits
  const BacktestResult r = run_backtest({s}, "sma_cross", {{"fast", 2.0}, {"slow", 3.0}}, c).value();
  ASSERT_EQ(r.fills.size(), 2u);
  EXPECT_EQ(r.fills[0].bar_index, 4u);
  EXPECT_EQ(r.fills[0].price, 11.5);
  EXPECT_EQ(r.fills[1].bar_index, 7u);
  EXPECT_EQ(r.fills[1].price, 8.5);
  EXPECT_DOUBLE_EQ(r.trades.at(0).pnl, -300);
  EXPECT_EQ(r.trades.at(0).bars_held, 3);
}

TEST(SmaCross, AccurateOverALongSeries) {
  // The streaming SMA (compensated window sum) against a fresh sum of the window.
  const BarSeries s = random_walk(200000, 5, 0.002);
  ind::Sma sma(50);
  double worst = 0;
  const auto c = s.close();
  for (std::size_t i = 0; i < c.size(); ++i) {
    const double v = sma.update(c[i] * 1000);
    if (i < 49 || i % 97 != 0) continue;
    long double sum = 0;
    for (std::size_t k = i - 49; k <= i; ++k) sum += static_cast<long double>(c[k] * 1000);
    const double exact = static_cast<double>(sum / 50);
    worst = std::max(worst, std::fabs(v - exact) / std::fabs(exact));
  }
  EXPECT_LT(worst, 1e-13);
}

// The user guide §4.1 strategy written in the TradingStrategy style.
class GuideStrategy : public TradingStrategy {
 public:
  GuideStrategy(int fast, int slow) : fast_(fast), slow_(slow) {}
  void calculate_indicators() override {
    const auto close = data().close();
    std::vector<double> f(close.size()), s(close.size()), r(close.size());
    ind::ema(close, fast_, f).check();
    ind::ema(close, slow_, s).check();
    ind::rsi(close, 14, r).check();
    data().set_column("ema_fast", f).check();
    data().set_column("ema_slow", s).check();
    data().set_column("rsi", r).check();
  }
  std::vector<TradeSignal> generate_signals() override {
    std::vector<TradeSignal> out;
    for (std::size_t i = 0; i < data().size(); ++i) {
      const double f = at("ema_fast", i), s = at("ema_slow", i), r = at("rsi", i);
      TradeSignal sig{data().timestamps()[i], Signal::kHold, 0.5, {}};
      if (f > s && r < 70)
        sig = {data().timestamps()[i], Signal::kBuy, 0.8, {{"reason", "EMA crossover + RSI ok"}}};
      else if (f < s)
        sig = {data().timestamps()[i], Signal::kSell, 0.8, {{"reason", "EMA crossover down"}}};
      out.push_back(sig);
    }
    return out;
  }

 private:
  int fast_, slow_;
};

TEST(TradingStrategy, GuideExampleEqualsTheEventDrivenBuiltin) {
  const BarSeries btc = read_csv(source_path("examples/data/backtestingpy_SOLUSDT-1h.csv")).value();
  GuideStrategy g(12, 26);
  g.config.initial_capital = 10000;
  g.config.risk_per_trade = 0.02;
  g.config.stop_loss_pct = 0.02;
  g.config.take_profit_pct = 0.04;
  g.config.commission_pct = 0.001;
  g.config.slippage_pct = 0.0005;
  g.load_data(btc);
  const std::vector<Trade> trades = g.backtest().value();
  EXPECT_GT(trades.size(), 5u);
  EXPECT_EQ(g.equity_curve().size(), btc.size());
  const auto m = g.get_performance_metrics();
  EXPECT_TRUE(m.count("total_return_pct") && m.count("win_rate") && m.count("max_drawdown_pct"));
  EXPECT_EQ(g.get_trades_csv().substr(0, 10), "entry_time");

  BacktestConfig c = default_backtest_config();
  c.strategy = g.config;
  const BacktestResult r = run_backtest({btc}, "ma_crossover", {}, c).value();
  EXPECT_EQ(r.trades, trades);
  EXPECT_EQ(r.order_list_sha256(), g.result().order_list_sha256());
}

TEST(Results, CsvLayouts) {
  const BarSeries s = make_series({{100, 100, 100, 100}, {100, 110, 100, 110}, {110, 120, 110, 120}});
  ScriptedStrategy st;
  st.script[0] = {req(Side::kBuy, 10)};
  const BacktestResult r = run_script(s, st);
  EXPECT_EQ(trades_csv(r.trades),
            "entry_time,exit_time,symbol,side,quantity,entry_price,exit_price,pnl,return_pct,fees,exit_reason,bars_held\n"
            "2024-01-01T00:01:00Z,,TEST/USD,long,10,100,,200,20,0,,1\n");
  const std::string head = "timestamp,equity,cash,position_value,drawdown_pct\n2024-01-01T00:00:00Z,1000000,1000000,0,0\n";
  EXPECT_EQ(equity_csv(r.equity_curve).substr(0, head.size()), head);
  EXPECT_EQ(orders_csv(r.orders),
            "id,parent_id,created_time,symbol,side,type,tif,quantity,limit_price,stop_price,status,filled_quantity,"
            "avg_fill_price,updated_time,tag\n"
            "1,0,2024-01-01T00:00:00Z,TEST/USD,buy,market,gtc,10,,,filled,10,100,2024-01-01T00:01:00Z,signal\n");
  EXPECT_EQ(r.order_list_sha256(), sha256_hex(r.canonical_order_list()));
}

}  // namespace
}  // namespace tradeloop::testing
