// One generic harness driven by the registry: every entry, with its default parameters and
// with one-at-a-time variants (each alternative choice, small windows), gets
//   - batch == streaming fed in chunks of 1, 2, 7 and all rows (bit for bit),
//   - batch == a naive reference (reference.hpp) within 1e-9 relative,
//   - lookback() == index of the first bar where every output is defined,
//   - range coherence: the output at bar i does not depend on where the input starts,
//   - hostile inputs: empty, one bar, constant prices, NaN inside, windows longer than the data,
//     zero and negative windows,
// on a seeded random series and on real sample data (examples/data).
#include <gtest/gtest.h>

#include <set>

#include "harness.hpp"
#include "reference.hpp"

namespace tradeloop::ind::testing {
namespace {

std::vector<std::string> entry_names() {
  std::vector<std::string> names;
  for (const auto& info : registry()) names.push_back(info.name);
  return names;
}

ParamSet defaults(const IndicatorInfo& info) { return resolve_params(info.params, {}, info.name).value(); }

// Default parameters, then each alternative choice and a small value of each integer window.
std::vector<ParamSet> variants(const IndicatorInfo& info) {
  std::vector<ParamSet> out{defaults(info)};
  for (const auto& ps : info.params) {
    std::vector<ParamValue> alts;
    if (ps.type == tradeloop::ParamType::kChoice)
      for (const auto& c : ps.choices)
        if (ParamValue(c) != ps.default_value) alts.emplace_back(c);
    if (ps.type == tradeloop::ParamType::kInt && ps.min >= 1) alts.emplace_back(std::max(ps.min, 2.0));
    if (ps.type == tradeloop::ParamType::kInt && ps.name == "period" && ps.min == 0) alts.emplace_back(5.0);  // rolling vwap
    for (const auto& v : alts) {
      ParamSet p = defaults(info);
      p.set(ps.name, v);
      try {
        (void)info.lookback(p);  // skip cross-parameter-invalid combinations (fast >= slow)
        out.push_back(p);
      } catch (const Exception&) {
      }
    }
  }
  return out;
}

std::vector<int> shifts_of(const IndicatorInfo& info, const ParamSet& p) {
  return info.shifts ? info.shifts(p) : std::vector<int>(info.outputs.size(), 0);
}

const std::vector<BarSeries>& datasets() {
  static const std::vector<BarSeries> d = [] {
    std::vector<BarSeries> v;
    v.push_back(random_series(700));
    v.push_back(real_series("backtestingpy_GOOG-1d.csv", 2200));
    v.push_back(real_series("nautilus_BTC-PERP-1m.csv", 1500));
    return v;
  }();
  return d;
}

class Harness : public ::testing::TestWithParam<std::string> {
 protected:
  const IndicatorInfo& info() const { return *find_indicator(GetParam()); }
};

TEST_P(Harness, BatchEqualsStreamingInChunks) {
  for (const BarSeries& s : datasets()) {
    for (const ParamSet& p : variants(info())) {
      const Cols in = input_columns(info(), s);
      const Cols batch = compute(info(), p, in);
      const auto shifts = shifts_of(info(), p);
      for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{7}, s.size()}) {
        auto stream = info().make_stream(p);
        Cols got(info().outputs.size(), Col(s.size()));
        for (std::size_t b = 0; b < s.size(); b += chunk) {
          const std::size_t e = std::min(s.size(), b + chunk);
          std::vector<std::span<const double>> ins;
          for (const auto& c : in) ins.emplace_back(c.data() + b, e - b);
          std::vector<std::span<double>> outs;
          for (auto& c : got) outs.emplace_back(c.data() + b, e - b);
          stream->update(ins, outs);
        }
        for (std::size_t k = 0; k < got.size(); ++k)
          for (std::size_t i = static_cast<std::size_t>(shifts[k]); i < s.size(); ++i) {
            const double a = batch[k][i - shifts[k]], g = got[k][i];
            ASSERT_TRUE((std::isnan(a) && std::isnan(g)) || a == g)
                << info().name << "(" << p.to_string() << ")." << info().outputs[k] << " row " << i << " chunk "
                << chunk << ": batch " << a << " stream " << g << " on " << s.symbol();
          }
      }
    }
  }
}

TEST_P(Harness, MatchesNaiveReference) {
  const auto& refs = ref::references();
  const auto it = refs.find(info().name);
  if (it == refs.end()) GTEST_SKIP() << info().name << " is pinned by hand-made cases instead";
  std::size_t signals = 0;  // candlestick patterns: bars where the pattern fires
  for (const BarSeries& s : datasets()) {
    for (const ParamSet& p : variants(info())) {
      const Cols in = input_columns(info(), s);
      const Cols got = compute(info(), p, in);
      const Cols want = it->second(p, in);
      for (double v : want[0]) signals += v == 100 || v == -100;
      ASSERT_EQ(want.size(), got.size());
      for (std::size_t k = 0; k < got.size(); ++k)
        for (std::size_t i = 0; i < s.size(); ++i)
          ASSERT_TRUE(close_enough(got[k][i], want[k][i], 1e-9))
              << info().name << "(" << p.to_string() << ")." << info().outputs[k] << " row " << i << ": got "
              << got[k][i] << " reference " << want[k][i] << " on " << s.symbol();
    }
  }
  // The comparison must not be vacuous: every pattern fires somewhere in the data.
  if (info().family == "candlestick") {
    EXPECT_GT(signals, 0u) << info().name << " never fires on the test data";
  }
}

TEST_P(Harness, LookbackIsTheFirstDefinedBar) {
  const BarSeries& s = datasets()[0];
  for (const ParamSet& p : variants(info())) {
    const int lb = info().lookback(p);
    const Cols out = compute(info(), p, input_columns(info(), s));
    const auto shifts = shifts_of(info(), p);
    bool some_nan_before = lb == 0;
    for (std::size_t k = 0; k < out.size(); ++k) {
      if (shifts[k] != 0) continue;  // chikou: defined from bar 0, NaN at the end
      if (lb > 0 && std::isnan(out[k][lb - 1])) some_nan_before = true;
      for (std::size_t i = lb; i < s.size(); ++i)
        ASSERT_FALSE(std::isnan(out[k][i])) << info().name << "(" << p.to_string() << ")." << info().outputs[k]
                                            << " is NaN at " << i << " past lookback " << lb;
    }
    EXPECT_TRUE(some_nan_before) << info().name << "(" << p.to_string() << "): lookback " << lb
                                 << " but every output is defined at " << lb - 1;
  }
}

// Indicators with memory of the whole past (recursive smoothing, state machines) converge to the
// same values from any start but do not agree immediately. Cumulative sums (OBV, A/D) started
// later differ from the full run by one constant, so the check is on the differences; cumulative
// VWAP is checked in its rolling form (period = n), the only form that forgets the start.
const std::set<std::string> kCumulativeSums = {"obv", "ad"};
const std::set<std::string> kRecursive = {"ema", "rma", "dema", "tema", "kama", "zlema", "rsi", "cmo", "trix",
                                          "macd", "stochrsi", "atr", "natr", "keltner", "adx", "supertrend",
                                          "psar", "adosc", "apo", "ppo"};

TEST_P(Harness, RangeCoherence) {
  const BarSeries full = random_series(1600, 11);
  const std::size_t start = 123;
  const BarSeries part = full.slice(start, full.size());
  const bool recursive = kRecursive.count(info().name) > 0;
  const bool cumulative_sum = kCumulativeSums.count(info().name) > 0;
  std::size_t checked = 0;
  for (const ParamSet& p : variants(info())) {
    if (p.find("anchor") && p.get_string("anchor") != "none") continue;
    if (info().name == "vwap" && p.get_int("period") == 0) continue;  // cumulative from the first bar
    const Cols a = compute(info(), p, input_columns(info(), full));
    const Cols b = compute(info(), p, input_columns(info(), part));
    const std::size_t settle = static_cast<std::size_t>(info().lookback(p)) + (recursive ? 1200 : 0);
    const double tol = recursive ? 1e-6 : 1e-9;
    for (std::size_t k = 0; k < a.size(); ++k) {
      const double offset = cumulative_sum ? a[k][start + settle] - b[k][settle] : 0.0;
      for (std::size_t i = settle; i < part.size(); ++i)
        ASSERT_TRUE(close_enough(b[k][i] + offset, a[k][i + start], tol))
            << info().name << "(" << p.to_string() << ")." << info().outputs[k] << " row " << i + start
            << " from start " << start << ": " << b[k][i] << " (+ " << offset << ") vs " << a[k][i + start];
    }
    ++checked;
  }
  EXPECT_GT(checked, 0u) << info().name << ": no variant was checked";
}

BarSeries constant_series(std::size_t n) {
  BarSeries s("FLAT");
  for (std::size_t i = 0; i < n; ++i) s.push_back(Bar{static_cast<Timestamp>(i) * kNanosPerHour, 100, 100, 100, 100, 10});
  (void)s.set_column("benchmark", std::vector<double>(n, 50.0));
  return s;
}

TEST_P(Harness, HostileShortAndConstantInputs) {
  const ParamSet p = defaults(info());
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{2}}) {
    Status st;
    const Cols out = compute(info(), p, input_columns(info(), constant_series(n)), &st);
    ASSERT_TRUE(st.ok()) << st.error().message;
    for (const auto& c : out)
      for (double v : c) EXPECT_TRUE(std::isnan(v) || std::isfinite(v));
  }
  // Constant prices (HH = LL, zero variance, zero true range): defined finite values.
  const BarSeries flat = constant_series(400);
  const Cols out = compute(info(), p, input_columns(info(), flat));
  const int lb = info().lookback(p);
  const auto shifts = shifts_of(info(), p);
  for (std::size_t k = 0; k < out.size(); ++k)
    for (std::size_t i = lb; i + shifts[k] < out[k].size(); ++i)
      ASSERT_TRUE(std::isfinite(out[k][i])) << info().name << "." << info().outputs[k] << " row " << i << " = "
                                            << out[k][i] << " on a constant series";
}

TEST_P(Harness, NanInsideTheDataNeverTouchesEarlierBars) {
  const ParamSet p = defaults(info());
  BarSeries s = random_series(300);
  const Cols clean = compute(info(), p, input_columns(info(), s));
  Cols dirty_in = input_columns(info(), s);
  for (auto& c : dirty_in) c[200] = std::numeric_limits<double>::quiet_NaN();
  Status st;
  const Cols dirty = compute(info(), p, dirty_in, &st);
  ASSERT_TRUE(st.ok());
  const auto shifts = shifts_of(info(), p);
  for (std::size_t k = 0; k < clean.size(); ++k)
    for (std::size_t i = 0; i + shifts[k] < 200; ++i)
      ASSERT_TRUE(close_enough(clean[k][i], dirty[k][i], 0)) << info().name << " row " << i;
  // The registry's series path refuses the NaN with the row named.
  BarSeries bad = s;
  if (!info().inputs.empty() && info().inputs[0] != "time" && info().inputs[0] != "benchmark") {
    bad.mutable_close()[200] = std::numeric_limits<double>::quiet_NaN();
    bad.mutable_high()[200] = bad.mutable_low()[200] = bad.mutable_open()[200] = bad.mutable_close()[200];
    bad.mutable_volume()[200] = bad.mutable_close()[200];
    const Status add = add_indicator(bad, info().name);
    ASSERT_FALSE(add.ok());
    EXPECT_NE(add.error().message.find("row 201"), std::string::npos) << add.error().message;
  }
}

TEST_P(Harness, BadWindowsAreClearErrors) {
  for (const auto& ps : info().params) {
    if (ps.type != tradeloop::ParamType::kInt || ps.min < 1) continue;
    for (double bad : {0.0, -1.0}) {
      ParamSet p = defaults(info());
      p.set(ps.name, bad);
      try {
        (void)info().make_stream(p);
        ADD_FAILURE() << info().name << ": " << ps.name << " = " << bad << " accepted";
      } catch (const Exception& e) {
        EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
        EXPECT_NE(std::string(e.what()).find(ps.name), std::string::npos) << e.what();
      }
      const std::string spec = info().name + "(" + ps.name + "=" + format_number(bad) + ")";
      EXPECT_FALSE(parse_spec(spec).ok()) << spec;
    }
    // A window longer than the data: the batch form gives NaN or values, the series path a
    // clear "needs at least" error.
    ParamSet p = defaults(info());
    p.set(ps.name, 50.0);
    BarSeries s = random_series(30);
    try {
      if (info().lookback(p) < 30) continue;
    } catch (const Exception&) {
      continue;  // fast >= slow and the like
    }
    Status st;
    (void)compute(info(), p, input_columns(info(), s), &st);
    EXPECT_TRUE(st.ok());
    IndicatorSpec spec;
    spec.info = &info();
    spec.text = info().name;
    spec.params = p;
    const Status add = add_indicator(s, spec);
    ASSERT_FALSE(add.ok());
    EXPECT_NE(add.error().message.find("needs at least"), std::string::npos) << add.error().message;
  }
}

INSTANTIATE_TEST_SUITE_P(Registry, Harness, ::testing::ValuesIn(entry_names()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

TEST(Registry, HasTheBreadthTheIssueAsksFor) {
  std::size_t candles = 0;
  for (const auto& info : registry()) candles += info.family == "candlestick";
  EXPECT_GE(registry().size(), 60u);
  EXPECT_GE(candles, 12u);
}

}  // namespace
}  // namespace tradeloop::ind::testing
