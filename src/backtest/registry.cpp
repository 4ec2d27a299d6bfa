#include "tradeloop/backtest/registry.hpp"

#include "tradeloop/backtest/builtin.hpp"

namespace tradeloop {

void StrategyRegistry::add(StrategyInfo info) { items_.push_back(std::move(info)); }

const StrategyInfo* StrategyRegistry::find(std::string_view name) const noexcept {
  for (const auto& i : items_)
    if (i.name == name) return &i;
  return nullptr;
}

Result<std::unique_ptr<RealtimeStrategy>> StrategyRegistry::create(std::string_view name, const ParamSet& params) const {
  const StrategyInfo* info = find(name);
  if (!info) {
    std::string list;
    for (const auto& i : items_) list += (list.empty() ? "" : ", ") + i.name;
    return not_found("unknown strategy '" + std::string(name) + "'; known: " + list);
  }
  auto resolved = resolve_params(info->params, params, name);
  if (!resolved.ok()) return resolved.error();
  try {
    return info->factory(*resolved);
  } catch (const Exception& e) {
    return e.error();
  }
}

namespace detail_registry {

ParamSpec int_param(std::string name, double def, double lo, double hi, double step, std::string desc) {
  return ParamSpec{std::move(name), ParamType::kInt, def, lo, hi, step, {}, std::move(desc)};
}
ParamSpec float_param(std::string name, double def, double lo, double hi, double step, std::string desc) {
  return ParamSpec{std::move(name), ParamType::kFloat, def, lo, hi, step, {}, std::move(desc)};
}
int geti(const ParamSet& p, const char* n) { return static_cast<int>(p.get_int(n)); }

void require_less(const ParamSet& p, const char* a, const char* b, const char* who) {
  if (p.get_double(a) >= p.get_double(b))
    throw Exception(ErrorCode::kInvalidArgument, std::string(who) + ": " + a + " (" + format_number(p.get_double(a)) +
                                                     ") must be less than " + b + " (" +
                                                     format_number(p.get_double(b)) + ")");
}

StrategyRegistry make_builtins() {
  using namespace builtin;
  StrategyRegistry r;
  r.add({"ma_crossover",
         "The user guide's example: long while EMA(fast) > EMA(slow) and RSI < overbought, exit while EMA(fast) < EMA(slow)",
         {int_param("fast", 12, 2, 500, 1, "fast EMA period (bars)"), int_param("slow", 26, 3, 1000, 1, "slow EMA period (bars)"),
          int_param("rsi_period", 14, 2, 200, 1, "RSI period (bars)"),
          float_param("overbought", 70, 1, 100, 5, "no entry while RSI is at or above this level (0-100)")},
         [](const ParamSet& p) -> std::unique_ptr<RealtimeStrategy> {
           require_less(p, "fast", "slow", "ma_crossover");
           return std::make_unique<MaCrossover>(geti(p, "fast"), geti(p, "slow"), geti(p, "rsi_period"),
                                                p.get_double("overbought"));
         }});
  r.add({"sma_cross",
         "SMA crossover: enter long when SMA(fast) crosses above SMA(slow), exit when it crosses below (exact ties = equal)",
         {int_param("fast", 10, 1, 1000, 1, "fast SMA period (bars)"), int_param("slow", 30, 2, 5000, 1, "slow SMA period (bars)")},
         [](const ParamSet& p) -> std::unique_ptr<RealtimeStrategy> {
           require_less(p, "fast", "slow", "sma_cross");
           return std::make_unique<SmaCross>(geti(p, "fast"), geti(p, "slow"));
         }});
  r.add({"rsi_reversion", "RSI mean reversion: buy while RSI < oversold, sell while RSI > overbought",
         {int_param("period", 14, 2, 200, 1, "RSI period (bars)"),
          float_param("oversold", 30, 0, 100, 5, "buy below this RSI level (0-100)"),
          float_param("overbought", 70, 0, 100, 5, "sell above this RSI level (0-100)")},
         [](const ParamSet& p) -> std::unique_ptr<RealtimeStrategy> {
           require_less(p, "oversold", "overbought", "rsi_reversion");
           return std::make_unique<RsiReversion>(geti(p, "period"), p.get_double("oversold"), p.get_double("overbought"));
         }});
  r.add({"bollinger_reversion", "Bollinger mean reversion: buy below the lower band, sell above the upper, exit at the middle",
         {int_param("period", 20, 2, 500, 1, "SMA / standard deviation window (bars)"),
          float_param("k", 2, 0.1, 10, 0.5, "band width in population standard deviations")},
         [](const ParamSet& p) -> std::unique_ptr<RealtimeStrategy> {
           return std::make_unique<BollingerReversion>(geti(p, "period"), p.get_double("k"));
         }});
  r.add({"macd_cross", "MACD crossover: buy when MACD crosses above its signal line, sell when it crosses below",
         {int_param("fast", 12, 2, 200, 1, "fast EMA period (bars)"), int_param("slow", 26, 3, 500, 1, "slow EMA period (bars)"),
          int_param("signal", 9, 1, 200, 1, "signal EMA period (bars)")},
         [](const ParamSet& p) -> std::unique_ptr<RealtimeStrategy> {
           require_less(p, "fast", "slow", "macd_cross");
           return std::make_unique<MacdCross>(geti(p, "fast"), geti(p, "slow"), geti(p, "signal"));
         }});
  r.add({"donchian_breakout", "Donchian breakout (turtle style): buy above the prior N-bar high, exit below the prior M-bar low",
         {int_param("period", 20, 2, 1000, 1, "entry channel (bars before the current one)"),
          int_param("exit_period", 10, 1, 1000, 1, "exit channel (bars before the current one)")},
         [](const ParamSet& p) -> std::unique_ptr<RealtimeStrategy> {
           return std::make_unique<DonchianBreakout>(geti(p, "period"), geti(p, "exit_period"));
         }});
  r.add({"supertrend", "Supertrend direction changes: buy when it turns bullish, sell when it turns bearish",
         {int_param("period", 10, 1, 500, 1, "ATR period (bars)"),
          float_param("multiplier", 3, 0.1, 20, 0.5, "band distance in ATRs")},
         [](const ParamSet& p) -> std::unique_ptr<RealtimeStrategy> {
           return std::make_unique<SupertrendStrategy>(geti(p, "period"), p.get_double("multiplier"));
         }});
  r.add({"trend_following_ema", "EMA trend following with an ATR trailing stop",
         {int_param("fast", 20, 2, 500, 1, "fast EMA period (bars)"), int_param("slow", 50, 3, 1000, 1, "slow EMA period (bars)"),
          int_param("atr_period", 14, 1, 500, 1, "ATR period (bars)"),
          float_param("atr_mult", 3, 0.1, 20, 0.5, "trailing distance in ATRs")},
         [](const ParamSet& p) -> std::unique_ptr<RealtimeStrategy> {
           require_less(p, "fast", "slow", "trend_following_ema");
           return std::make_unique<TrendFollowingEma>(geti(p, "fast"), geti(p, "slow"), geti(p, "atr_period"),
                                                      p.get_double("atr_mult"));
         }});
  r.add({"mean_reversion_lr",
         "Linear-regression z-score mean reversion with ATR stops (long; short too with allow_short = true)",
         {int_param("period", 20, 3, 1000, 1, "regression window (bars)"),
          float_param("entry_z", 2, 0.1, 10, 0.25, "enter when |z| exceeds this"),
          float_param("exit_z", 0.5, 0, 10, 0.25, "exit when z comes back within this of 0"),
          int_param("atr_period", 14, 1, 500, 1, "ATR period (bars)"),
          float_param("atr_mult", 2, 0.1, 20, 0.5, "stop distance in ATRs")},
         [](const ParamSet& p) -> std::unique_ptr<RealtimeStrategy> {
           require_less(p, "exit_z", "entry_z", "mean_reversion_lr");
           return std::make_unique<MeanReversionLr>(geti(p, "period"), p.get_double("entry_z"), p.get_double("exit_z"),
                                                    geti(p, "atr_period"), p.get_double("atr_mult"));
         }});
  return r;
}

}  // namespace detail_registry

const StrategyRegistry& builtin_strategies() {
  static const StrategyRegistry registry = detail_registry::make_builtins();
  return registry;
}

}  // namespace tradeloop
