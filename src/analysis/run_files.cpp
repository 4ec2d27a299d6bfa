#include "tradeloop/analysis/run_files.hpp"

#include <cctype>
#include <cmath>
#include <optional>

#include "tradeloop/data/csv.hpp"

namespace tradeloop::analysis {

namespace detail_run_files {

Error at(const CsvTable& t, std::size_t row, const std::string& what) {
  return parse_error(t.source() + ":" + std::to_string(t.line_number(row)) + ": " + what);
}

Result<CsvTable> read_nonempty(const std::string& path, const char* what) {
  auto t = read_csv_table(path);
  if (!t.ok()) return t.error();
  if (t->row_count() == 0) return parse_error(path + ": the " + std::string(what) + " file has no data rows");
  return t;
}

Result<std::size_t> time_column(const CsvTable& t) {
  return t.require_column({"timestamp", "time", "datetime", "date", "ts"});
}

// Times must increase strictly, row after row.
Status check_increasing(const CsvTable& t, std::size_t row, Timestamp prev, Timestamp cur) {
  if (row > 0 && cur <= prev)
    return at(t, row, "timestamp " + format_timestamp(cur) + " is not after the previous row's " + format_timestamp(prev));
  return Status::Ok();
}

// An optional numeric cell: nullopt when the column is absent or the cell empty.
Result<std::optional<double>> optional_double(const CsvTable& t, std::size_t row, std::optional<std::size_t> col) {
  if (!col || t.cell(row, *col).empty()) return std::optional<double>();
  auto v = t.parse_double(row, *col);
  if (!v.ok()) return v.error();
  return std::optional<double>(*v);
}

bool is_short_side(std::string_view s) {
  std::string l(s);
  for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l == "short" || l == "sell";
}

std::optional<std::size_t> any_column(const CsvTable& t, std::initializer_list<std::string_view> names) {
  for (auto n : names)
    if (auto c = t.column_index(n)) return c;
  return std::nullopt;
}

}  // namespace detail_run_files

using namespace detail_run_files;

Result<std::vector<EquityPoint>> read_equity_csv(const std::string& path) {
  auto table = read_nonempty(path, "equity");
  if (!table.ok()) return table.error();
  const CsvTable& t = *table;
  auto tc = time_column(t);
  if (!tc.ok()) return tc.error();
  auto ec = t.require_column({"equity"});
  if (!ec.ok()) return ec.error();
  const auto cash_c = t.column_index("cash"), pos_c = t.column_index("position_value");
  std::vector<EquityPoint> out;
  out.reserve(t.row_count());
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    EquityPoint p;
    auto ts = t.parse_time(r, *tc);
    if (!ts.ok()) return ts.error();
    p.ts = *ts;
    TL_RETURN_IF_ERROR(check_increasing(t, r, out.empty() ? 0 : out.back().ts, p.ts));
    auto e = t.parse_double(r, *ec);
    if (!e.ok()) return e.error();
    if (!std::isfinite(*e) || *e <= 0)
      return at(t, r, "column 'equity': " + std::string(t.cell(r, *ec)) + " is not a finite number > 0");
    p.equity = *e;
    auto cash = optional_double(t, r, cash_c);
    if (!cash.ok()) return cash.error();
    auto pos = optional_double(t, r, pos_c);
    if (!pos.ok()) return pos.error();
    p.cash = cash->value_or(p.equity);
    p.position_value = pos->value_or(0.0);
    out.push_back(p);
  }
  return out;
}

Result<std::vector<Trade>> read_trades_csv(const std::string& path) {
  auto table = read_nonempty(path, "trades");
  if (!table.ok()) return table.error();
  const CsvTable& t = *table;
  auto pc = t.require_column({"pnl"});
  if (!pc.ok()) return pc.error();
  const auto entry_c = any_column(t, {"entry_time"}), exit_c = any_column(t, {"exit_time"});
  const auto ret_pct_c = any_column(t, {"return_pct"}), ret_c = any_column(t, {"return"});
  const auto side_c = any_column(t, {"side", "direction"}), sym_c = any_column(t, {"symbol"});
  const auto qty_c = any_column(t, {"quantity", "size", "qty"});
  const auto ep_c = any_column(t, {"entry_price"}), xp_c = any_column(t, {"exit_price"});
  const auto bars_c = any_column(t, {"bars_held", "bars"}), fees_c = any_column(t, {"fees", "fee"});
  const auto reason_c = any_column(t, {"exit_reason"});
  std::vector<Trade> out;
  out.reserve(t.row_count());
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    Trade tr;
    auto pnl = t.parse_double(r, *pc);
    if (!pnl.ok()) return pnl.error();
    if (!std::isfinite(*pnl)) return at(t, r, "column 'pnl': " + std::string(t.cell(r, *pc)) + " is not a finite number");
    tr.pnl = *pnl;
    if (entry_c && !t.cell(r, *entry_c).empty()) {
      auto v = t.parse_time(r, *entry_c);
      if (!v.ok()) return v.error();
      tr.entry_time = *v;
    }
    if (exit_c && !t.cell(r, *exit_c).empty()) {
      auto v = t.parse_time(r, *exit_c);
      if (!v.ok()) return v.error();
      tr.exit_time = *v;
    } else if (exit_c) {
      tr.is_open = true;
    }
    struct NumField {
      std::optional<std::size_t> col;
      double* dst;
      double scale;
    };
    double bars = 0;
    for (const NumField& f : {NumField{ret_pct_c, &tr.return_pct, 1.0}, NumField{ret_pct_c ? std::nullopt : ret_c, &tr.return_pct, 100.0},
                              NumField{qty_c, &tr.quantity, 1.0}, NumField{ep_c, &tr.entry_price, 1.0},
                              NumField{xp_c, &tr.exit_price, 1.0}, NumField{fees_c, &tr.fees, 1.0},
                              NumField{bars_c, &bars, 1.0}}) {
      auto v = optional_double(t, r, f.col);
      if (!v.ok()) return v.error();
      if (*v) *f.dst = **v * f.scale;
    }
    tr.bars_held = static_cast<std::int64_t>(std::llround(bars));
    if (side_c) {
      tr.side = is_short_side(t.cell(r, *side_c)) ? Side::kSell : Side::kBuy;
    }
    if (sym_c) tr.symbol = std::string(t.cell(r, *sym_c));
    if (reason_c) tr.exit_reason = std::string(t.cell(r, *reason_c));
    out.push_back(std::move(tr));
  }
  return out;
}

Result<ValueSeries> read_value_series_csv(const std::string& path) {
  auto table = read_nonempty(path, "benchmark");
  if (!table.ok()) return table.error();
  const CsvTable& t = *table;
  auto tc = time_column(t);
  if (!tc.ok()) return tc.error();
  auto vc = t.require_column({"close", "equity", "value", "price", "adj_close"});
  if (!vc.ok()) return vc.error();
  ValueSeries out;
  out.ts.reserve(t.row_count());
  out.values.reserve(t.row_count());
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    auto ts = t.parse_time(r, *tc);
    if (!ts.ok()) return ts.error();
    TL_RETURN_IF_ERROR(check_increasing(t, r, out.ts.empty() ? 0 : out.ts.back(), *ts));
    auto v = t.parse_double(r, *vc);
    if (!v.ok()) return v.error();
    if (!std::isfinite(*v) || *v <= 0)
      return at(t, r, "column '" + t.header()[*vc] + "': " + std::string(t.cell(r, *vc)) + " is not a finite number > 0");
    out.ts.push_back(*ts);
    out.values.push_back(*v);
  }
  return out;
}

}  // namespace tradeloop::analysis
