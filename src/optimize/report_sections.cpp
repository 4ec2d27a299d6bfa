#include "tradeloop/optimize/report_sections.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace tradeloop::optimize {

namespace detail_rs {

std::string cell(double v) { return std::isnan(v) ? std::string() : format_number(v); }

std::string fixed2(double v) {
  if (std::isnan(v)) return "n/a";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// Distinct values of one parameter over the evaluations, in lattice order.
std::vector<ParamValue> axis_values(const OptimizationResult& r, const std::string& name) {
  std::vector<ParamValue> v;
  for (const auto& e : r.evaluations)
    if (const auto* x = e.params.find(name); x && std::find(v.begin(), v.end(), *x) == v.end()) v.push_back(*x);
  std::stable_sort(v.begin(), v.end(), [](const ParamValue& a, const ParamValue& b) {
    if (a.index() != b.index()) return a.index() < b.index();
    if (const auto* da = std::get_if<double>(&a)) return *da < std::get<double>(b);
    return false;  // choices keep their first-seen order
  });
  return v;
}

}  // namespace detail_rs

Result<report::HtmlSection> heatmap_section(const OptimizationResult& r, const std::string& xp, const std::string& yp) {
  using namespace detail_rs;
  for (const auto* p : {&xp, &yp})
    if (std::find(r.parameter_names.begin(), r.parameter_names.end(), *p) == r.parameter_names.end())
      return invalid_argument("heatmap: '" + *p + "' is not a searched parameter");
  if (xp == yp) return invalid_argument("heatmap: x and y must be different parameters");
  const auto xs = axis_values(r, xp), ys = axis_values(r, yp);
  report::HeatmapChart h;
  for (const auto& v : xs) h.x_labels.push_back(format_param_value(v));
  for (const auto& v : ys) h.y_labels.push_back(format_param_value(v));
  h.values.assign(xs.size() * ys.size(), std::numeric_limits<double>::quiet_NaN());
  for (const auto& e : r.evaluations) {
    if (!e.valid) continue;
    const auto xi = std::find(xs.begin(), xs.end(), *e.params.find(xp)) - xs.begin();
    const auto yi = std::find(ys.begin(), ys.end(), *e.params.find(yp)) - ys.begin();
    double& c = h.values[static_cast<std::size_t>(yi) * xs.size() + static_cast<std::size_t>(xi)];
    if (better(r.objective, e.value, c)) c = e.value;
  }
  h.x_label = xp;
  h.y_label = yp;
  h.value_label = r.objective.metric;
  h.higher_is_better = !r.objective.minimize;
  // Centre the colours on the median cell so that good and bad regions stand apart.
  std::vector<double> vals;
  for (double v : h.values)
    if (!std::isnan(v)) vals.push_back(v);
  if (!vals.empty()) {
    std::nth_element(vals.begin(), vals.begin() + static_cast<std::ptrdiff_t>(vals.size() / 2), vals.end());
    h.center = vals[vals.size() / 2];
  }
  std::string note = r.objective.metric + " by " + xp + " and " + yp + " (" + r.method + " search, " +
                     std::to_string(r.evaluations.size()) + " evaluations";
  if (r.parameter_names.size() > 2) note += "; each cell is the best over the other parameters";
  note += ")";
  return report::HtmlSection{"Optimisation heatmap: " + xp + " x " + yp, note, std::move(h)};
}

report::HtmlSection convergence_section(const OptimizationResult& r) {
  report::LineChart c;
  report::LineSeries s{"best " + r.objective.metric, {}, ""};
  for (std::size_t i = 0; i < r.convergence.size(); ++i) {
    c.x.push_back(static_cast<double>(i + 1));
    s.y.push_back(r.convergence[i]);
  }
  c.x_label = "evaluation";
  c.y_label = r.objective.metric;
  c.series.push_back(std::move(s));
  return {"Optimisation convergence", "best valid value after each evaluation (" + r.method + ")", std::move(c)};
}

std::vector<report::HtmlSection> walk_forward_sections(const WalkForwardResult& r) {
  using namespace detail_rs;
  std::vector<report::HtmlSection> out;
  report::LineChart eq;
  eq.x_is_time = true;
  eq.x_label = "time";
  eq.y_label = "equity";
  report::LineSeries es{"stitched out-of-sample equity", {}, ""};
  for (const auto& p : r.stitched_oos_equity) {
    eq.x.push_back(static_cast<double>(p.ts) / 1e9);
    es.y.push_back(p.equity);
  }
  eq.series.push_back(std::move(es));
  out.push_back({"Walk-forward: out-of-sample equity",
                 std::to_string(r.splits.size()) + (r.options.anchored ? " anchored" : " rolling") +
                     " splits, each test window traded with the parameters chosen on its training window",
                 std::move(eq)});

  const std::string& m = r.objective.metric;
  report::LineChart io;
  io.x_label = "split";
  io.y_label = m;
  report::LineSeries is{"in-sample " + m, {}, ""}, oos{"out-of-sample " + m, {}, ""};
  report::TableData t;
  t.header = {"split", "train bars", "test bars", "parameters", "IS " + m, "OOS " + m};
  for (const auto& s : r.splits) {
    io.x.push_back(static_cast<double>(s.split.index + 1));
    is.y.push_back(s.found ? s.in_sample.get(m) : std::numeric_limits<double>::quiet_NaN());
    oos.y.push_back(s.found ? s.out_of_sample.get(m) : std::numeric_limits<double>::quiet_NaN());
    t.rows.push_back({std::to_string(s.split.index + 1),
                      std::to_string(s.split.train_begin) + "-" + std::to_string(s.split.train_end),
                      std::to_string(s.split.test_begin) + "-" + std::to_string(s.split.test_end),
                      s.found ? s.params.to_string() : "(nothing valid)", fixed2(is.y.back()), fixed2(oos.y.back())});
  }
  io.series.push_back(std::move(is));
  io.series.push_back(std::move(oos));
  out.push_back({"Walk-forward: in-sample vs out-of-sample", "the objective of the chosen parameters per split",
                 std::move(io)});
  const auto& v = r.overfitting;
  std::string note = "Overfitting risk: " + std::string(to_string(v.overfitting_risk)) + ". " + v.verdict +
                     " Degradation " + fixed2(v.performance_degradation) + " %, parameter stability " +
                     fixed2(v.parameter_stability) + ".";
  out.push_back({"Walk-forward splits", std::move(note), std::move(t)});
  return out;
}

report::TableData evaluations_table(const OptimizationResult& r) {
  using namespace detail_rs;
  report::TableData t;
  t.header = r.parameter_names;
  // Fixed parameters carried in the sets come after the searched ones.
  if (!r.evaluations.empty())
    for (const auto& [k, v] : r.evaluations.front().params.items())
      if (std::find(t.header.begin(), t.header.end(), k) == t.header.end()) t.header.push_back(k);
  const std::size_t n_params = t.header.size();
  t.header.push_back("valid");
  t.header.push_back("rejected");
  std::vector<std::string> metrics;
  for (const auto& e : r.evaluations)
    for (const auto& [k, v] : e.evaluation.metrics)
      if (std::find(metrics.begin(), metrics.end(), k) == metrics.end()) metrics.push_back(k);
  t.header.insert(t.header.end(), metrics.begin(), metrics.end());
  for (const auto& e : r.evaluations) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < n_params; ++i) {
      const ParamValue* v = e.params.find(t.header[i]);
      row.push_back(v ? format_param_value(*v) : "");
    }
    row.push_back(e.valid ? "true" : "false");
    row.push_back(e.rejected);
    for (const auto& name : metrics) row.push_back(cell(e.evaluation.get(name)));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string table_csv(const report::TableData& t) {
  auto field = [](const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  std::string out;
  auto line = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + field(row[i]);
    out += "\n";
  };
  line(t.header);
  for (const auto& r : t.rows) line(r);
  return out;
}

}  // namespace tradeloop::optimize
