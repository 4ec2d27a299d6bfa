// The registry: one entry per indicator, each a thin adapter from (ParamSet, columns) to the
// streaming class, or to the typed batch function where that runs its own faster loop
// (use_batch_functions), so the CLI, the API and the tests share the kernels of the batch
// functions.
#include "tradeloop/indicators/registry.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "tradeloop/data/bar_series.hpp"
#include "tradeloop/indicators/indicators.hpp"

namespace tradeloop::ind {

void IndicatorStream::update(std::span<const std::span<const double>> inputs,
                             std::span<const std::span<double>> outputs) {
  TL_ASSERT(inputs.size() <= 8 && outputs.size() <= 8, "an indicator has at most 8 inputs and outputs");
  const std::size_t rows = inputs.empty() ? (outputs.empty() ? 0 : outputs[0].size()) : inputs[0].size();
  double in[8] = {}, out[8] = {};
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t k = 0; k < inputs.size(); ++k) in[k] = inputs[k][i];
    update(in, out);
    for (std::size_t k = 0; k < outputs.size(); ++k) outputs[k][i] = out[k];
  }
}

int IndicatorInfo::lookback(const ParamSet& resolved) const { return make_stream(resolved)->lookback(); }

namespace detail_registry {

template <class T, class Step>
class StreamOf final : public IndicatorStream {
 public:
  StreamOf(T ind, Step step) : ind_(std::move(ind)), step_(step) {}
  void update(const double* in, double* out) noexcept override { step_(ind_, in, out); }
  void reset() noexcept override { ind_.reset(); }
  int lookback() const noexcept override { return ind_.lookback(); }

 private:
  T ind_;
  Step step_;
};

using ShiftFn = std::function<std::vector<int>(const ParamSet&)>;

// Moves output k back by shift[k] rows (the value computed at bar t belongs to bar t − s).
void apply_shifts(const std::vector<int>& shifts, ColumnsOut out) {
  for (std::size_t k = 0; k < shifts.size() && k < out.size(); ++k) {
    const std::size_t s = static_cast<std::size_t>(shifts[k]), n = out[k].size();
    if (s == 0) continue;
    for (std::size_t i = 0; i + s < n; ++i) out[k][i] = out[k][i + s];
    for (std::size_t i = n > s ? n - s : 0; i < n; ++i) out[k][i] = kNaN;
  }
}

Status check_columns(const std::string& who, std::size_t nin, std::size_t nout, ColumnsIn in, ColumnsOut out) {
  if (in.size() != nin || out.size() != nout)
    return invalid_argument(who + ": expects " + std::to_string(nin) + " input and " + std::to_string(nout) +
                            " output columns");
  const std::size_t n = in.empty() ? 0 : in[0].size();
  for (auto c : in)
    if (c.size() != n) return invalid_argument(who + ": input columns differ in length");
  for (auto c : out)
    if (c.size() != n) return invalid_argument(who + ": output columns must have the input's length");
  return Status::Ok();
}

template <class T, class Make, class Step>
IndicatorInfo entry(const char* name, const char* family, const char* summary, std::vector<std::string> inputs,
                    std::vector<ParamSpec> params, std::vector<std::string> outputs, Make make, Step step,
                    ShiftFn shifts = {}) {
  IndicatorInfo info;
  info.name = name;
  info.family = family;
  info.summary = summary;
  info.inputs = std::move(inputs);
  info.params = std::move(params);
  info.outputs = std::move(outputs);
  info.shifts = shifts;
  info.make_stream = [make, step](const ParamSet& p) -> std::unique_ptr<IndicatorStream> {
    return std::make_unique<StreamOf<T, Step>>(make(p), step);
  };
  const std::size_t nin = info.inputs.size(), nout = info.outputs.size();
  const std::string who = name;
  info.compute = [make, step, nin, nout, who, shifts](const ParamSet& p, ColumnsIn in, ColumnsOut out) -> Status {
    TL_RETURN_IF_ERROR(check_columns(who, nin, nout, in, out));
    const std::size_t n = in.empty() ? 0 : in[0].size();
    try {
      const T made = make(p);
      T ind = made;  // a local copy that never escapes: state stays in registers (see batch.hpp)
      double row_in[8] = {}, row_out[8] = {};
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = 0; k < nin; ++k) row_in[k] = in[k][i];
        step(ind, row_in, row_out);
        for (std::size_t k = 0; k < nout; ++k) out[k][i] = row_out[k];
      }
      if (shifts) apply_shifts(shifts(p), out);
    } catch (const Exception& e) {
      return e.error();
    }
    return Status::Ok();
  };
  return info;
}

// Routes `compute` through the indicator's typed batch function after the same column checks:
// its own loop (blocked or vectorised passes, no row-by-row copy through the stream), so the
// CLI and the API get the batch speed. The registry harness then holds the typed function to
// the streaming class, bit for bit.
using BatchFn = std::function<Status(const ParamSet&, ColumnsIn, ColumnsOut)>;
IndicatorInfo with_batch(IndicatorInfo info, BatchFn batch) {
  // A shifted entry's typed function places the shifted outputs itself (ichimoku's chikou):
  // info.shifts stays for the streaming side (the harness lines the stream up with it).
  const std::size_t nin = info.inputs.size(), nout = info.outputs.size();
  info.compute = [batch, nin, nout, who = info.name](const ParamSet& p, ColumnsIn in, ColumnsOut out) -> Status {
    TL_RETURN_IF_ERROR(check_columns(who, nin, nout, in, out));
    try {
      return batch(p, in, out);
    } catch (const Exception& e) {
      return e.error();
    }
  };
  return info;
}

ParamSpec int_param(const char* name, int def, int min, int max, const char* desc) {
  ParamSpec p;
  p.name = name;
  p.type = ParamType::kInt;
  p.default_value = static_cast<double>(def);
  p.min = min;
  p.max = max;
  p.step = 1;
  p.description = desc;
  return p;
}
ParamSpec period_param(int def, int min = 1, const char* name = "period") {
  return int_param(name, def, min, kMaxPeriod, "window length in bars");
}
ParamSpec real_param(const char* name, double def, double min, double max, double step, const char* desc) {
  ParamSpec p;
  p.name = name;
  p.type = ParamType::kFloat;
  p.default_value = def;
  p.min = min;
  p.max = max;
  p.step = step;
  p.description = desc;
  return p;
}
ParamSpec choice_param(const char* name, const char* def, std::vector<std::string> choices, const char* desc) {
  ParamSpec p;
  p.name = name;
  p.type = ParamType::kChoice;
  p.default_value = std::string(def);
  p.choices = std::move(choices);
  p.description = desc;
  return p;
}

int geti(const ParamSet& p, const char* name) { return static_cast<int>(p.get_int(name)); }
double getd(const ParamSet& p, const char* name) { return p.get_double(name); }
EmaSeed ema_seed(const ParamSet& p) { return p.get_string("seed") == "first" ? EmaSeed::kFirst : EmaSeed::kSma; }
AtrSeed atr_seed(const ParamSet& p, const char* name = "seed") {
  return p.get_string(name) == "tradingview" ? AtrSeed::kTradingView : AtrSeed::kTaLib;
}
MaType ma_type(const ParamSet& p) { return p.get_string("ma") == "ema" ? MaType::kEma : MaType::kSma; }
ParamSpec ema_seed_param() {
  return choice_param("seed", "sma", {"sma", "first"},
                      "sma: seeded with the SMA of the first n values (TA-Lib); first: with the first value (pandas/TradingView)");
}
ParamSpec atr_seed_param(const char* def = "talib", const char* name = "seed") {
  return choice_param(name, def, {"talib", "tradingview"},
                      "talib: ATR first at n from TR1..TRn; tradingview: TR0 = H0-L0, first at n-1");
}
ParamSpec ddof_param() { return int_param("ddof", 0, 0, 1, "0: population deviation (TA-Lib); 1: sample (pandas)"); }

// Steps for the common shapes of update().
constexpr auto step_c = [](auto& ind, const double* in, double* out) { out[0] = ind.update(in[0]); };
constexpr auto step_hlc = [](auto& ind, const double* in, double* out) { out[0] = ind.update(in[0], in[1], in[2]); };
constexpr auto step_hlcv = [](auto& ind, const double* in, double* out) {
  out[0] = ind.update(in[0], in[1], in[2], in[3]);
};
constexpr auto step_2 = [](auto& ind, const double* in, double* out) { out[0] = ind.update(in[0], in[1]); };

const std::vector<std::string> kC = {"close"}, kHL = {"high", "low"}, kHLC = {"high", "low", "close"},
                               kHLCV = {"high", "low", "close", "volume"}, kOHLC = {"open", "high", "low", "close"};
const std::vector<std::string> kValue = {"value"};

// A single-input single-output indicator with one `period` parameter.
template <class T>
IndicatorInfo simple(const char* name, const char* family, const char* summary, int def, int min = 1) {
  return entry<T>(name, family, summary, kC, {period_param(def, min)}, kValue,
                  [](const ParamSet& p) { return T(geti(p, "period")); }, step_c);
}

// The entries whose typed batch function runs its own loop (see with_batch); the others' typed
// functions feed the streaming class too, which the generic path already does.
void use_batch_functions(std::vector<IndicatorInfo>& r) {
  using In = ColumnsIn;
  using Out = ColumnsOut;
  const auto n_of = [](In in) { return in.empty() ? std::size_t{0} : in[0].size(); };
  const std::pair<const char*, BatchFn> fns[] = {
      {"sma", [](const ParamSet& p, In in, Out out) { return sma(in[0], geti(p, "period"), out[0]); }},
      {"ema", [](const ParamSet& p, In in, Out out) { return ema(in[0], geti(p, "period"), out[0], ema_seed(p)); }},
      {"wma", [](const ParamSet& p, In in, Out out) { return wma(in[0], geti(p, "period"), out[0]); }},
      {"rma", [](const ParamSet& p, In in, Out out) { return rma(in[0], geti(p, "period"), out[0]); }},
      {"dema", [](const ParamSet& p, In in, Out out) { return dema(in[0], geti(p, "period"), out[0]); }},
      {"tema", [](const ParamSet& p, In in, Out out) { return tema(in[0], geti(p, "period"), out[0]); }},
      {"trima", [](const ParamSet& p, In in, Out out) { return trima(in[0], geti(p, "period"), out[0]); }},
      {"trix", [](const ParamSet& p, In in, Out out) { return trix(in[0], geti(p, "period"), out[0]); }},
      {"kama", [](const ParamSet& p, In in, Out out) { return kama(in[0], geti(p, "period"), out[0]); }},
      {"hma", [](const ParamSet& p, In in, Out out) { return hma(in[0], geti(p, "period"), out[0]); }},
      {"vwma", [](const ParamSet& p, In in, Out out) { return vwma(in[0], in[1], geti(p, "period"), out[0]); }},
      {"rsi", [](const ParamSet& p, In in, Out out) { return rsi(in[0], geti(p, "period"), out[0]); }},
      {"roc", [](const ParamSet& p, In in, Out out) { return roc(in[0], geti(p, "period"), out[0]); }},
      {"mom", [](const ParamSet& p, In in, Out out) { return mom(in[0], geti(p, "period"), out[0]); }},
      {"apo",
       [](const ParamSet& p, In in, Out out) {
         return apo(in[0], geti(p, "fast"), geti(p, "slow"), out[0], ma_type(p));
       }},
      {"cci", [](const ParamSet& p, In in, Out out) { return cci(in[0], in[1], in[2], geti(p, "period"), out[0]); }},
      {"psar",
       [](const ParamSet& p, In in, Out out) {
         return parabolic_sar(in[0], in[1], getd(p, "acceleration"), getd(p, "maximum"), out[0]);
       }},
      {"ppo",
       [](const ParamSet& p, In in, Out out) {
         return ppo(in[0], geti(p, "fast"), geti(p, "slow"), out[0], ma_type(p));
       }},
      {"macd",
       [](const ParamSet& p, In in, Out out) {
         return macd(in[0], geti(p, "fast"), geti(p, "slow"), geti(p, "signal"), out[0], out[1], out[2], ema_seed(p));
       }},
      {"trange",
       [](const ParamSet& p, In in, Out out) { return true_range(in[0], in[1], in[2], out[0], atr_seed(p)); }},
      {"atr",
       [](const ParamSet& p, In in, Out out) {
         return atr(in[0], in[1], in[2], geti(p, "period"), out[0], atr_seed(p));
       }},
      {"var",
       [](const ParamSet& p, In in, Out out) { return variance(in[0], geti(p, "period"), out[0], geti(p, "ddof")); }},
      {"stddev",
       [](const ParamSet& p, In in, Out out) {
         return stddev(in[0], geti(p, "period"), out[0], getd(p, "k"), geti(p, "ddof"));
       }},
      {"bbands",
       [](const ParamSet& p, In in, Out out) {
         return bollinger_bands(in[0], geti(p, "period"), getd(p, "k"), out[0], out[1], out[2], out[3], out[4],
                                geti(p, "ddof"));
       }},
      {"donchian",
       [](const ParamSet& p, In in, Out out) { return donchian(in[0], in[1], geti(p, "period"), out[0], out[1], out[2]); }},
      {"willr",
       [](const ParamSet& p, In in, Out out) { return williams_r(in[0], in[1], in[2], geti(p, "period"), out[0]); }},
      {"stoch",
       [](const ParamSet& p, In in, Out out) {
         return stochastic(in[0], in[1], in[2], geti(p, "k_period"), geti(p, "k_smooth"), geti(p, "d_period"), out[0],
                           out[1], out[2]);
       }},
      {"stochrsi",
       [](const ParamSet& p, In in, Out out) {
         return stoch_rsi(in[0], geti(p, "rsi_period"), geti(p, "stoch_period"), geti(p, "k_smooth"),
                          geti(p, "d_period"), out[0], out[1]);
       }},
      {"ichimoku",
       [](const ParamSet& p, In in, Out out) {
         return ichimoku(in[0], in[1], in[2], geti(p, "tenkan"), geti(p, "kijun"), geti(p, "senkou_b"),
                         geti(p, "displacement"), out[0], out[1], out[2], out[3], out[4]);
       }},
      {"aroon",
       [n_of](const ParamSet& p, In in, Out out) {
         std::vector<double> osc(n_of(in));
         return aroon(in[0], in[1], geti(p, "period"), out[0], out[1], osc);
       }},
      {"linreg",
       [](const ParamSet& p, In in, Out out) {
         return linear_regression(in[0], geti(p, "period"), out[0], out[1], out[2], out[3], out[4], out[5]);
       }},
      {"ad", [](const ParamSet&, In in, Out out) { return ad_line(in[0], in[1], in[2], in[3], out[0]); }},
      {"ultosc",
       [](const ParamSet& p, In in, Out out) {
         return ultimate_oscillator(in[0], in[1], in[2], geti(p, "p1"), geti(p, "p2"), geti(p, "p3"), out[0]);
       }},
      {"aroonosc",
       [n_of](const ParamSet& p, In in, Out out) {
         std::vector<double> up(n_of(in)), down(n_of(in));
         return aroon(in[0], in[1], geti(p, "period"), up, down, out[0]);
       }},
  };
  for (const auto& [name, fn] : fns) {
    const auto it = std::find_if(r.begin(), r.end(), [&](const IndicatorInfo& e) { return e.name == name; });
    TL_ASSERT(it != r.end(), "use_batch_functions names an entry that does not exist");
    *it = with_batch(std::move(*it), fn);
  }
}

std::vector<IndicatorInfo> build() {
  std::vector<IndicatorInfo> r;
  // ---- moving averages ----
  r.push_back(simple<Sma>("sma", "moving_average", "Simple moving average (exact compensated sum)", 20));
  r.push_back(entry<Ema>("ema", "moving_average", "Exponential MA, alpha = 2/(n+1), SMA-seeded (TA-Lib)", kC,
                         {period_param(20), ema_seed_param()}, kValue,
                         [](const ParamSet& p) { return Ema(geti(p, "period"), ema_seed(p)); }, step_c));
  r.push_back(simple<Rma>("rma", "moving_average", "Wilder's smoothing, alpha = 1/n, SMA-seeded (TradingView ta.rma)", 14));
  r.push_back(simple<Wma>("wma", "moving_average", "Linearly weighted MA (TA-Lib WMA)", 20));
  r.push_back(simple<Dema>("dema", "moving_average", "Double EMA 2E1 - E2 (Mulloy; TA-Lib DEMA)", 20));
  r.push_back(simple<Tema>("tema", "moving_average", "Triple EMA 3E1 - 3E2 + E3 (Mulloy; TA-Lib TEMA)", 20));
  r.push_back(simple<Trima>("trima", "moving_average", "Triangular MA, SMA of SMA (TA-Lib TRIMA)", 20));
  r.push_back(simple<Kama>("kama", "moving_average", "Kaufman adaptive MA, fast 2 / slow 30 (TA-Lib KAMA)", 30));
  r.push_back(simple<Hma>("hma", "moving_average", "Hull MA: WMA(2 WMA(n/2) - WMA(n), sqrt n)", 20, 2));
  r.push_back(simple<Zlema>("zlema", "moving_average", "Zero-lag EMA of x + (x - x[(n-1)/2])", 20));
  r.push_back(entry<Vwma>("vwma", "moving_average", "Volume-weighted MA sum(C*V)/sum(V) (TradingView ta.vwma)",
                          {"close", "volume"}, {period_param(20)}, kValue,
                          [](const ParamSet& p) { return Vwma(geti(p, "period")); }, step_2));
  // ---- momentum ----
  r.push_back(simple<Rsi>("rsi", "momentum", "Wilder RSI, first at n (TA-Lib RSI)", 14));
  r.push_back(simple<Cmo>("cmo", "momentum", "Chande momentum oscillator with Wilder smoothing (TA-Lib CMO)", 14));
  r.push_back(simple<Roc>("roc", "momentum", "Rate of change 100*(x/x[n] - 1) (TA-Lib ROC)", 10));
  r.push_back(simple<Mom>("mom", "momentum", "Momentum x - x[n] (TA-Lib MOM)", 10));
  r.push_back(simple<Trix>("trix", "momentum", "1-bar ROC of a triple EMA, percent (TA-Lib TRIX)", 30));
  r.push_back(entry<Macd>(
      "macd", "momentum", "MACD: EMA(fast) - EMA(slow), signal EMA, histogram (TA-Lib MACD)", kC,
      {period_param(12, 1, "fast"), period_param(26, 2, "slow"), period_param(9, 1, "signal"), ema_seed_param()},
      {"macd", "signal", "hist"},
      [](const ParamSet& p) { return Macd(geti(p, "fast"), geti(p, "slow"), geti(p, "signal"), ema_seed(p)); },
      [](Macd& m, const double* in, double* out) {
        const MacdValue v = m.update(in[0]);
        out[0] = v.macd;
        out[1] = v.signal;
        out[2] = v.hist;
      }));
  const auto fast_slow_params = [] {
    return std::vector<ParamSpec>{period_param(12, 1, "fast"), period_param(26, 2, "slow"),
                                  choice_param("ma", "sma", {"sma", "ema"}, "moving average type (TA-Lib default: sma)")};
  };
  r.push_back(entry<Apo>("apo", "momentum", "Absolute price oscillator fast MA - slow MA (TA-Lib APO)", kC,
                         fast_slow_params(), kValue,
                         [](const ParamSet& p) { return Apo(geti(p, "fast"), geti(p, "slow"), ma_type(p)); }, step_c));
  r.push_back(entry<Ppo>("ppo", "momentum", "Percentage price oscillator 100*(fast - slow)/slow (TA-Lib PPO)", kC,
                         fast_slow_params(), kValue,
                         [](const ParamSet& p) { return Ppo(geti(p, "fast"), geti(p, "slow"), ma_type(p)); }, step_c));
  r.push_back(entry<Stochastic>(
      "stoch", "momentum", "Stochastic: fast %K, slow %K = SMA(fast %K), %D = SMA(k) (TA-Lib STOCH)", kHLC,
      {period_param(14, 1, "k_period"), period_param(3, 1, "k_smooth"), period_param(3, 1, "d_period")},
      {"fast_k", "k", "d"},
      [](const ParamSet& p) { return Stochastic(geti(p, "k_period"), geti(p, "k_smooth"), geti(p, "d_period")); },
      [](Stochastic& s, const double* in, double* out) {
        const StochValue v = s.update(in[0], in[1], in[2]);
        out[0] = v.fast_k;
        out[1] = v.k;
        out[2] = v.d;
      }));
  r.push_back(entry<StochRsi>(
      "stochrsi", "momentum", "Stochastic RSI with %K and %D smoothing (TradingView)", kC,
      {period_param(14, 1, "rsi_period"), period_param(14, 1, "stoch_period"), period_param(3, 1, "k_smooth"),
       period_param(3, 1, "d_period")},
      {"k", "d"},
      [](const ParamSet& p) {
        return StochRsi(geti(p, "rsi_period"), geti(p, "stoch_period"), geti(p, "k_smooth"), geti(p, "d_period"));
      },
      [](StochRsi& s, const double* in, double* out) {
        const StochRsiValue v = s.update(in[0]);
        out[0] = v.k;
        out[1] = v.d;
      }));
  r.push_back(entry<Cci>("cci", "momentum", "Commodity channel index, 0.015 * mean deviation (TA-Lib CCI)", kHLC,
                         {period_param(20)}, kValue, [](const ParamSet& p) { return Cci(geti(p, "period")); }, step_hlc));
  r.push_back(entry<WilliamsR>("willr", "momentum", "Williams %R in [-100, 0] (TA-Lib WILLR)", kHLC, {period_param(14)},
                               kValue, [](const ParamSet& p) { return WilliamsR(geti(p, "period")); }, step_hlc));
  r.push_back(entry<UltimateOscillator>(
      "ultosc", "momentum", "Ultimate oscillator 7/14/28 weighted 4:2:1 (TA-Lib ULTOSC)", kHLC,
      {period_param(7, 1, "p1"), period_param(14, 1, "p2"), period_param(28, 1, "p3")}, kValue,
      [](const ParamSet& p) { return UltimateOscillator(geti(p, "p1"), geti(p, "p2"), geti(p, "p3")); }, step_hlc));
  r.push_back(entry<Aroon>("aroon", "momentum", "Aroon up/down over n+1 bars (TA-Lib AROON)", kHL, {period_param(14)},
                           {"up", "down"}, [](const ParamSet& p) { return Aroon(geti(p, "period")); },
                           [](Aroon& a, const double* in, double* out) {
                             const AroonValue v = a.update(in[0], in[1]);
                             out[0] = v.up;
                             out[1] = v.down;
                           }));
  r.push_back(entry<Aroon>("aroonosc", "momentum", "Aroon oscillator up - down (TA-Lib AROONOSC)", kHL,
                           {period_param(14)}, kValue, [](const ParamSet& p) { return Aroon(geti(p, "period")); },
                           [](Aroon& a, const double* in, double* out) { out[0] = a.update(in[0], in[1]).oscillator; }));
  // ---- volatility ----
  r.push_back(entry<TrueRange>("trange", "volatility", "True range max(H, C[1]) - min(L, C[1]) (TA-Lib TRANGE)", kHLC,
                               {atr_seed_param()}, kValue, [](const ParamSet& p) { return TrueRange(atr_seed(p)); },
                               step_hlc));
  r.push_back(entry<Atr>("atr", "volatility", "Wilder ATR, first at n (TA-Lib ATR)", kHLC,
                         {period_param(14), atr_seed_param()}, kValue,
                         [](const ParamSet& p) { return Atr(geti(p, "period"), atr_seed(p)); }, step_hlc));
  r.push_back(entry<Natr>("natr", "volatility", "ATR in percent of the close (TA-Lib NATR)", kHLC,
                          {period_param(14), atr_seed_param()}, kValue,
                          [](const ParamSet& p) { return Natr(geti(p, "period"), atr_seed(p)); }, step_hlc));
  r.push_back(entry<Variance>("var", "volatility", "Rolling variance, population by default (TA-Lib VAR)", kC,
                              {period_param(20), ddof_param()}, kValue,
                              [](const ParamSet& p) { return Variance(geti(p, "period"), geti(p, "ddof")); }, step_c));
  r.push_back(entry<StdDev>("stddev", "volatility", "Rolling standard deviation times k (TA-Lib STDDEV)", kC,
                            {period_param(20), real_param("k", 1.0, 0, 1e6, 0.5, "multiplier (TA-Lib nbdev)"), ddof_param()},
                            kValue,
                            [](const ParamSet& p) { return StdDev(geti(p, "period"), getd(p, "k"), geti(p, "ddof")); },
                            step_c));
  r.push_back(entry<BollingerBands>(
      "bbands", "volatility", "Bollinger bands SMA +- k population sigma, %B and width (TA-Lib BBANDS)", kC,
      {period_param(20), real_param("k", 2.0, 0, 1e6, 0.5, "band width in standard deviations"), ddof_param()},
      {"upper", "middle", "lower", "pctb", "width"},
      [](const ParamSet& p) { return BollingerBands(geti(p, "period"), getd(p, "k"), geti(p, "ddof")); },
      [](BollingerBands& b, const double* in, double* out) {
        const BandsValue v = b.update(in[0]);
        out[0] = v.upper;
        out[1] = v.middle;
        out[2] = v.lower;
        out[3] = v.pctb;
        out[4] = v.width;
      }));
  const auto channel_out = [](const ChannelValue& v, double* out) {
    out[0] = v.upper;
    out[1] = v.middle;
    out[2] = v.lower;
  };
  r.push_back(entry<Donchian>("donchian", "volatility", "Donchian channel, current bar included", kHL,
                              {period_param(20)}, {"upper", "middle", "lower"},
                              [](const ParamSet& p) { return Donchian(geti(p, "period")); },
                              [channel_out](Donchian& d, const double* in, double* out) {
                                channel_out(d.update(in[0], in[1]), out);
                              }));
  r.push_back(entry<KeltnerChannels>(
      "keltner", "volatility", "Keltner channel EMA(20) +- 2 ATR(10) (TradingView ta.kc)", kHLC,
      {period_param(20), period_param(10, 1, "atr_period"),
       real_param("multiplier", 2.0, 0, 1e6, 0.5, "ATR multiple"), atr_seed_param("tradingview", "atr_seed")},
      {"upper", "middle", "lower"},
      [](const ParamSet& p) {
        return KeltnerChannels(geti(p, "period"), geti(p, "atr_period"), getd(p, "multiplier"), atr_seed(p, "atr_seed"));
      },
      [channel_out](KeltnerChannels& k, const double* in, double* out) {
        channel_out(k.update(in[0], in[1], in[2]), out);
      }));
  // ---- trend ----
  r.push_back(entry<Adx>("adx", "trend", "Wilder ADX with +DI, -DI, DX, first ADX at 2n-1 (TA-Lib ADX)", kHLC,
                         {period_param(14, 2)}, {"plus_di", "minus_di", "dx", "adx"},
                         [](const ParamSet& p) { return Adx(geti(p, "period")); },
                         [](Adx& a, const double* in, double* out) {
                           const AdxValue v = a.update(in[0], in[1], in[2]);
                           out[0] = v.plus_di;
                           out[1] = v.minus_di;
                           out[2] = v.dx;
                           out[3] = v.adx;
                         }));
  r.push_back(entry<Supertrend>(
      "supertrend", "trend", "Supertrend exactly as TradingView ta.supertrend; direction +1 bullish", kHLC,
      {period_param(10), real_param("multiplier", 3.0, 0, 1e6, 0.5, "ATR multiple")}, {"value", "direction"},
      [](const ParamSet& p) { return Supertrend(geti(p, "period"), getd(p, "multiplier")); },
      [](Supertrend& s, const double* in, double* out) {
        const SupertrendValue v = s.update(in[0], in[1], in[2]);
        out[0] = v.value;
        out[1] = v.direction;
      }));
  r.push_back(entry<ParabolicSar>(
      "psar", "trend", "Parabolic SAR (TA-Lib SAR)", kHL,
      {real_param("acceleration", 0.02, 0, 1, 0.01, "acceleration factor step"),
       real_param("maximum", 0.2, 0, 1, 0.05, "acceleration factor cap")},
      kValue, [](const ParamSet& p) { return ParabolicSar(getd(p, "acceleration"), getd(p, "maximum")); }, step_2));
  r.push_back(entry<Ichimoku>(
      "ichimoku", "trend", "Ichimoku cloud; senkou displaced forward, chikou = close shifted back", kHLC,
      {period_param(9, 1, "tenkan"), period_param(26, 1, "kijun"), period_param(52, 1, "senkou_b"),
       int_param("displacement", 26, 0, kMaxPeriod, "forward displacement of the cloud, in bars")},
      {"tenkan", "kijun", "senkou_a", "senkou_b", "chikou"},
      [](const ParamSet& p) {
        return Ichimoku(geti(p, "tenkan"), geti(p, "kijun"), geti(p, "senkou_b"), geti(p, "displacement"));
      },
      [](Ichimoku& ich, const double* in, double* out) {
        const IchimokuValue v = ich.update(in[0], in[1], in[2]);
        out[0] = v.tenkan;
        out[1] = v.kijun;
        out[2] = v.senkou_a;
        out[3] = v.senkou_b;
        out[4] = v.chikou;
      },
      [](const ParamSet& p) { return std::vector<int>{0, 0, 0, 0, geti(p, "displacement")}; }));
  // ---- statistics ----
  r.push_back(entry<LinearRegression>(
      "linreg", "statistics", "Rolling least-squares line: value, slope, intercept, angle, forecast, residual z-score",
      kC, {period_param(14, 2)}, {"value", "slope", "intercept", "angle", "forecast", "zscore"},
      [](const ParamSet& p) { return LinearRegression(geti(p, "period")); },
      [](LinearRegression& lr, const double* in, double* out) {
        const LinRegValue v = lr.update(in[0]);
        out[0] = v.value;
        out[1] = v.slope;
        out[2] = v.intercept;
        out[3] = v.angle;
        out[4] = v.forecast;
        out[5] = v.zscore;
      }));
  r.push_back(simple<ZScore>("zscore", "statistics", "(x - SMA)/population sigma over n", 20));
  r.push_back(entry<Correlation>("correl", "statistics", "Pearson correlation of close and the benchmark column (TA-Lib CORREL)",
                                 {"close", "benchmark"}, {period_param(30)}, kValue,
                                 [](const ParamSet& p) { return Correlation(geti(p, "period")); }, step_2));
  r.push_back(entry<Beta>("beta", "statistics", "Beta of close returns to benchmark returns over n", {"close", "benchmark"},
                          {period_param(5)}, kValue, [](const ParamSet& p) { return Beta(geti(p, "period")); }, step_2));
  // ---- volume ----
  r.push_back(entry<Obv>("obv", "volume", "On-balance volume, 0 on the first bar", {"close", "volume"}, {}, kValue,
                         [](const ParamSet&) { return Obv(); }, step_2));
  r.push_back(entry<Vwap>(
      "vwap", "volume", "VWAP of (H+L+C)/3: cumulative, anchored (1d/1w/1M) or rolling n bars",
      {"time", "high", "low", "close", "volume"},
      {choice_param("anchor", "none", {"none", "1d", "1w", "1M"}, "restart the sums each UTC day/week/month"),
       int_param("period", 0, 0, kMaxPeriod, "rolling window in bars (0 = not rolling)")},
      kValue,
      [](const ParamSet& p) {
        const std::string& a = p.get_string("anchor");
        std::optional<Timeframe> tf;
        if (a != "none") tf = Timeframe::parse(a).value();
        return Vwap(tf, geti(p, "period"));
      },
      [](Vwap& w, const double* in, double* out) {
        out[0] = w.update(static_cast<Timestamp>(in[0]), in[1], in[2], in[3], in[4]);
      }));
  r.push_back(entry<Mfi>("mfi", "volume", "Money flow index on the typical price, ties in neither flow (TA-Lib MFI)",
                         kHLCV, {period_param(14)}, kValue, [](const ParamSet& p) { return Mfi(geti(p, "period")); },
                         step_hlcv));
  r.push_back(entry<AdLine>("ad", "volume", "Chaikin accumulation/distribution line (TA-Lib AD)", kHLCV, {}, kValue,
                            [](const ParamSet&) { return AdLine(); }, step_hlcv));
  r.push_back(entry<AdOsc>("adosc", "volume", "Chaikin A/D oscillator EMA3(AD) - EMA10(AD) (TA-Lib ADOSC)", kHLCV,
                           {period_param(3, 1, "fast"), period_param(10, 1, "slow")}, kValue,
                           [](const ParamSet& p) { return AdOsc(geti(p, "fast"), geti(p, "slow")); }, step_hlcv));
  r.push_back(entry<Cmf>("cmf", "volume", "Chaikin money flow over n bars", kHLCV, {period_param(20)}, kValue,
                         [](const ParamSet& p) { return Cmf(geti(p, "period")); }, step_hlcv));
  // ---- pivots ----
  r.push_back(entry<PivotPoints>(
      "pivots", "pivots", "Pivot points from the previous bar: classic, fibonacci, woodie, camarilla", kHLC,
      {choice_param("method", "classic", {"classic", "fibonacci", "woodie", "camarilla"}, "pivot formula")},
      {"pp", "r1", "r2", "r3", "s1", "s2", "s3"},
      [](const ParamSet& p) {
        const std::string& m = p.get_string("method");
        return PivotPoints(m == "fibonacci" ? PivotMethod::kFibonacci
                           : m == "woodie"  ? PivotMethod::kWoodie
                           : m == "camarilla" ? PivotMethod::kCamarilla
                                              : PivotMethod::kClassic);
      },
      [](PivotPoints& pp, const double* in, double* out) {
        const PivotValue v = pp.update(in[0], in[1], in[2]);
        const double vals[7] = {v.pp, v.r1, v.r2, v.r3, v.s1, v.s2, v.s3};
        std::copy(vals, vals + 7, out);
      }));
  // ---- candlestick patterns ----
  for (int k = 0; k < kCandlePatternCount; ++k) {
    const auto pattern = static_cast<CandlePattern>(k);
    static std::vector<std::string> names;  // stable storage for the entry names
    names.push_back(std::string("cdl_") + to_string(pattern));
    r.push_back(entry<CandleDetector>(names.back().c_str(), "candlestick",
                                      "Candlestick pattern: +100 bullish, -100 bearish, 0 none", kOHLC, {}, kValue,
                                      [pattern](const ParamSet&) { return CandleDetector(pattern); },
                                      [](CandleDetector& d, const double* in, double* out) {
                                        out[0] = d.update(in[0], in[1], in[2], in[3]);
                                      }));
  }
  use_batch_functions(r);
  std::stable_sort(r.begin(), r.end(), [](const IndicatorInfo& a, const IndicatorInfo& b) {
    return a.family != b.family ? a.family < b.family : a.name < b.name;
  });
  return r;
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace detail_registry

const std::vector<IndicatorInfo>& registry() {
  static const std::vector<IndicatorInfo> r = detail_registry::build();
  return r;
}

const IndicatorInfo* find_indicator(std::string_view name) noexcept {
  for (const auto& info : registry())
    if (info.name == name) return &info;
  return nullptr;
}

std::vector<std::string> IndicatorSpec::column_names() const {
  std::vector<std::string> names;
  if (!info) return names;
  if (!info->multi_output()) return {text};
  for (const auto& o : info->outputs) names.push_back(text + "." + o);
  return names;
}

Result<IndicatorSpec> parse_spec(std::string_view raw) {
  using detail_registry::trim;
  IndicatorSpec spec;
  spec.text = trim(raw);
  const std::string& text = spec.text;
  const auto fail = [&](const std::string& what) { return invalid_argument("indicator '" + text + "': " + what); };
  if (text.empty()) return invalid_argument("empty indicator spec");
  const std::size_t open = text.find('(');
  std::string name = trim(text.substr(0, open));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  spec.info = find_indicator(name);
  if (!spec.info) return fail("unknown indicator '" + name + "' (tradeloop indicators --list shows them all)");
  const IndicatorInfo& info = *spec.info;
  ParamSet given;
  if (open != std::string::npos) {
    if (text.back() != ')') return fail("missing ')' at the end");
    const std::string args = text.substr(open + 1, text.size() - open - 2);
    if (args.find_first_of("()") != std::string::npos) return fail("unexpected parenthesis");
    std::size_t positional = 0;
    bool named_seen = false;
    std::size_t pos = 0;
    while (!trim(args).empty() && pos <= args.size()) {
      const std::size_t comma = std::min(args.find(',', pos), args.size());
      const std::string item = trim(std::string_view(args).substr(pos, comma - pos));
      pos = comma + 1;
      if (item.empty()) return fail("empty value between commas");
      const std::size_t eq = item.find('=');
      const ParamSpec* ps = nullptr;
      std::string value;
      if (eq == std::string::npos) {
        if (named_seen) return fail("positional value '" + item + "' after a named one");
        if (positional >= info.params.size()) {
          std::string list;
          for (const auto& p : info.params) list += (list.empty() ? "" : ", ") + p.name;
          return fail(info.name + " takes " + std::to_string(info.params.size()) + " parameter" +
                      (info.params.size() == 1 ? "" : "s") + (list.empty() ? "" : " (" + list + ")") + ", got more");
        }
        ps = &info.params[positional++];
        value = item;
      } else {
        named_seen = true;
        const std::string key = trim(item.substr(0, eq));
        value = trim(item.substr(eq + 1));
        for (const auto& p : info.params)
          if (p.name == key) ps = &p;
        if (!ps) {
          std::string list;
          for (const auto& p : info.params) list += (list.empty() ? "" : ", ") + p.name;
          return fail("unknown parameter '" + key + "'; known: " + (list.empty() ? "none" : list));
        }
        if (given.has(key)) return fail("parameter '" + key + "' given twice");
      }
      auto v = ps->parse(value);
      if (!v.ok()) return fail(v.error().message);
      given.set(ps->name, std::move(v).value());
    }
  }
  auto resolved = resolve_params(info.params, given, info.name);
  if (!resolved.ok()) return fail(resolved.error().message);
  spec.params = std::move(resolved).value();
  try {
    (void)info.lookback(spec.params);  // cross-parameter checks (fast < slow, ...)
  } catch (const Exception& e) {
    return fail(e.what());
  }
  return spec;
}

Status add_indicator(BarSeries& series, const IndicatorSpec& spec) {
  TL_ASSERT(spec.info != nullptr, "add_indicator needs a parsed spec");
  const IndicatorInfo& info = *spec.info;
  const std::size_t n = series.size();
  std::vector<std::vector<double>> owned;
  owned.reserve(info.inputs.size());
  std::vector<std::span<const double>> ins;
  for (const std::string& col : info.inputs) {
    if (col == "time") {
      const auto ts = series.timestamps();
      owned.emplace_back(ts.begin(), ts.end());  // exact for whole seconds until 2116
      ins.emplace_back(owned.back());
      continue;
    }
    auto c = series.column(col);
    if (!c.ok())
      return invalid_argument("indicator '" + spec.text + "': needs a column '" + col + "' which " +
                              (series.source().empty() ? std::string("the series") : series.source()) + " lacks");
    const auto values = c.value();
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!std::isfinite(values[i]))
        return invalid_argument("indicator '" + spec.text + "': column '" + col + "' has a non-finite value at row " +
                                std::to_string(i + 1) + "; clean the data first (tradeloop data validate)");
    ins.push_back(values);
  }
  int lb = 0;
  try {
    lb = info.lookback(spec.params);
  } catch (const Exception& e) {
    return invalid_argument("indicator '" + spec.text + "': " + e.what());
  }
  if (static_cast<long long>(n) <= lb)
    return invalid_argument("indicator '" + spec.text + "': needs at least " + std::to_string(lb + 1) +
                            " bars, the data has " + std::to_string(n));
  std::vector<std::vector<double>> outs(info.outputs.size(), std::vector<double>(n));
  std::vector<std::span<double>> out_spans(outs.begin(), outs.end());
  TL_RETURN_IF_ERROR(info.compute(spec.params, ins, out_spans));
  const auto names = spec.column_names();
  for (std::size_t k = 0; k < names.size(); ++k) TL_RETURN_IF_ERROR(series.set_column(names[k], std::move(outs[k])));
  return Status::Ok();
}

Status add_indicator(BarSeries& series, std::string_view spec_text) {
  auto spec = parse_spec(spec_text);
  if (!spec.ok()) return spec.error();
  return add_indicator(series, spec.value());
}

}  // namespace tradeloop::ind
