#include "tradeloop/backtest/config.hpp"

#include <array>
#include <string>

#include "tradeloop/core/params.hpp"

namespace tradeloop {

namespace detail_btconfig {

constexpr std::array<std::string_view, 28> kKeys = {
    "initial_capital", "risk_per_trade", "stop_loss_pct",  "take_profit_pct", "commission_pct", "slippage_pct",
    "max_positions",   "allow_short",    "sizing",         "fraction",        "units",          "notional",
    "fill",            "close_at_end",   "max_leverage",   "taker_fee_pct",   "maker_fee_pct",  "fixed_fee",
    "slippage_model",  "slippage_ticks", "slippage_impact", "participation",  "intrabar",       "tick_size",
    "lot_size",        "min_quantity",   "min_notional",   "multiplier"};

// A key is read bare or under the [backtest] table; the table wins when both are given.
class Reader {
 public:
  explicit Reader(const Config& c) : c_(c) {}
  std::string key(std::string_view k) const {
    std::string t = "backtest." + std::string(k);
    return c_.has(t) ? t : std::string(k);
  }
  Result<double> number(std::string_view k, double fallback, double lo, double hi, bool lo_open = false) const {
    auto v = c_.get_double(key(k), fallback);
    if (!v.ok()) return v;
    if (*v < lo || *v > hi || (lo_open && *v == lo))
      return invalid_argument(c_.source_of(key(k)) + ": " + key(k) + " = " + format_number(*v) + " is out of range " +
                              (lo_open ? "(" : "[") + format_number(lo) + ", " + format_number(hi) + "]");
    return v;
  }
  Result<double> fraction(std::string_view k, double fallback, double lo, double hi) const {
    return c_.get_fraction(key(k), fallback, lo, hi);
  }
  Result<std::string> choice(std::string_view k, std::string fallback, std::initializer_list<std::string_view> ok) const {
    auto v = c_.get_string(key(k));
    if (!v) return fallback;
    std::string list;
    for (auto o : ok) {
      if (*v == o) return *v;
      list += (list.empty() ? "" : ", ") + std::string(o);
    }
    return invalid_argument(c_.source_of(key(k)) + ": " + key(k) + " = '" + *v + "' is not one of: " + list);
  }
  const Config& config() const { return c_; }

 private:
  const Config& c_;
};

#define TL_READ(var, expr)      \
  do {                          \
    auto tl_r_ = (expr);        \
    if (!tl_r_.ok()) return tl_r_.error(); \
    var = *tl_r_;               \
  } while (0)

}  // namespace detail_btconfig

BacktestConfig default_backtest_config() {
  BacktestConfig c;
  c.sim.fees.taker = c.sim.fees.maker = c.strategy.commission_pct;
  c.sim.slippage.fraction = c.strategy.slippage_pct;
  return c;
}

Result<BacktestConfig> backtest_config_from(const Config& config) {
  using detail_btconfig::Reader;
  const Reader r(config);
  for (const std::string& k : config.keys()) {
    std::string_view name = k;
    if (name.starts_with("backtest.")) {
      name.remove_prefix(9);
    } else if (name.find('.') != std::string_view::npos) {
      continue;  // another command's table
    }
    bool known = false;
    for (auto kk : detail_btconfig::kKeys) known |= kk == name;
    if (!known) {
      std::string list;
      for (auto kk : detail_btconfig::kKeys) list += (list.empty() ? "" : ", ") + std::string(kk);
      return invalid_argument(config.source_of(k) + ": unknown key '" + k + "'; known keys: " + list);
    }
  }
  BacktestConfig c = default_backtest_config();
  StrategyConfig& s = c.strategy;
  TL_READ(s.initial_capital, r.number("initial_capital", s.initial_capital, 0, 1e15, true));
  TL_READ(s.risk_per_trade, r.fraction("risk_per_trade", s.risk_per_trade, 1e-6, 1));
  TL_READ(s.stop_loss_pct, r.fraction("stop_loss_pct", s.stop_loss_pct, 0, 0.99));
  TL_READ(s.take_profit_pct, r.fraction("take_profit_pct", s.take_profit_pct, 0, 10));
  TL_READ(s.commission_pct, r.fraction("commission_pct", s.commission_pct, 0, 0.1));
  TL_READ(s.slippage_pct, r.fraction("slippage_pct", s.slippage_pct, 0, 0.1));
  double max_positions = 0;
  TL_READ(max_positions, r.number("max_positions", 1, 1, 1e6));
  s.max_positions = static_cast<int>(max_positions);
  TL_READ(s.allow_short, config.get_bool(r.key("allow_short"), s.allow_short));
  std::string sizing;
  TL_READ(sizing, r.choice("sizing", "fraction",
                           {"fraction", "risk", "units", "notional", "all_in", "fixed_fraction", "risk_based",
                            "fixed_units", "fixed_notional"}));
  s.sizing = sizing == "risk" || sizing == "risk_based"          ? Sizing::kRisk
             : sizing == "units" || sizing == "fixed_units"       ? Sizing::kUnits
             : sizing == "notional" || sizing == "fixed_notional" ? Sizing::kNotional
             : sizing == "all_in"                                 ? Sizing::kAllIn
                                                                  : Sizing::kFraction;
  TL_READ(s.fraction, r.fraction("fraction", s.fraction, 1e-9, 100));
  TL_READ(s.units, r.number("units", s.units, 0, 1e15, true));
  TL_READ(s.notional, r.number("notional", s.notional, 0, 1e15, true));
  std::string fill;
  TL_READ(fill, r.choice("fill", "next_open", {"next_open", "close"}));
  s.fill = fill == "close" ? FillTiming::kClose : FillTiming::kNextOpen;
  TL_READ(s.close_at_end, config.get_bool(r.key("close_at_end"), s.close_at_end));
  if (s.sizing == Sizing::kRisk && s.stop_loss_pct <= 0)
    return invalid_argument("sizing = risk needs stop_loss_pct > 0 (a fraction, e.g. 0.02 = 2 %)");
  TL_READ(c.max_leverage, r.number("max_leverage", 1, 1, 100));
  TL_READ(c.sim.fees.taker, r.fraction("taker_fee_pct", s.commission_pct, -0.01, 0.1));
  TL_READ(c.sim.fees.maker, r.fraction("maker_fee_pct", s.commission_pct, -0.01, 0.1));
  TL_READ(c.sim.fees.fixed_per_order, r.number("fixed_fee", 0, 0, 1e9));
  std::string model;
  TL_READ(model, r.choice("slippage_model", "fraction", {"fraction", "ticks", "volume_share", "none"}));
  c.sim.slippage.model = model == "ticks"          ? SlippageModel::kTicks
                         : model == "volume_share" ? SlippageModel::kVolumeShare
                         : model == "none"         ? SlippageModel::kNone
                                                   : SlippageModel::kFraction;
  c.sim.slippage.fraction = s.slippage_pct;
  TL_READ(c.sim.slippage.ticks, r.number("slippage_ticks", 1, 0, 1e6));
  TL_READ(c.sim.slippage.impact, r.number("slippage_impact", 0.1, 0, 10));
  TL_READ(c.sim.participation, r.fraction("participation", 0, 0, 1));
  std::string intrabar;
  TL_READ(intrabar, r.choice("intrabar", "stop_first", {"stop_first", "path"}));
  c.sim.priority = intrabar == "path" ? IntrabarPriority::kPath : IntrabarPriority::kStopFirst;
  TL_READ(c.tick_size, r.number("tick_size", 0, 0, 1e9));
  TL_READ(c.lot_size, r.number("lot_size", 0, 0, 1e9));
  TL_READ(c.min_quantity, r.number("min_quantity", 0, 0, 1e15));
  TL_READ(c.min_notional, r.number("min_notional", 0, 0, 1e15));
  TL_READ(c.multiplier, r.number("multiplier", 1, 0, 1e9, true));
  return c;
}

Instrument instrument_for(const BacktestConfig& config, const std::string& symbol) {
  Instrument ins = guess_instrument(symbol);
  ins.tick_size = config.tick_size;
  ins.lot_size = config.lot_size;
  ins.min_quantity = config.min_quantity;
  ins.min_notional = config.min_notional;
  ins.multiplier = config.multiplier;
  return ins;
}

}  // namespace tradeloop
