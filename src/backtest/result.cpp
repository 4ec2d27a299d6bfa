#include "tradeloop/backtest/result.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "tradeloop/core/params.hpp"
#include "tradeloop/core/time.hpp"
#include "tradeloop/engine/kernel.hpp"

namespace tradeloop {

namespace detail_result {
// Numbers in the shortest fixed-notation text that round-trips (1000000, 0.1, never 1e+06:
// spreadsheets and pandas read it as is); 0 for "not set" prices is written as empty.
std::string num(double v) {
  if (!std::isfinite(v)) return format_number(v);
  char buf[400];
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return res.ec == std::errc() ? std::string(buf, res.ptr) : format_number(v);
}
std::string price_or_empty(double v) { return v == 0 ? std::string() : num(v); }
std::string time_or_empty(Timestamp t) { return t == 0 ? std::string() : format_timestamp(t); }
// Text fields never contain the delimiter in practice; quote defensively when they do.
std::string text(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}
}  // namespace detail_result

double BacktestResult::total_return_pct() const noexcept {
  return initial_capital > 0 ? (final_equity / initial_capital - 1.0) * 100.0 : 0.0;
}

double BacktestResult::max_drawdown_pct() const noexcept {
  double worst = 0;
  for (const auto& p : equity_curve) worst = std::min(worst, p.drawdown_pct);
  return worst;
}

std::size_t BacktestResult::closed_trades() const noexcept {
  return static_cast<std::size_t>(std::count_if(trades.begin(), trades.end(), [](const Trade& t) { return !t.is_open; }));
}

std::string trades_csv(const std::vector<Trade>& trades) {
  using namespace detail_result;
  std::string out =
      "entry_time,exit_time,symbol,side,quantity,entry_price,exit_price,pnl,return_pct,fees,exit_reason,bars_held\n";
  for (const Trade& t : trades) {
    out += format_timestamp(t.entry_time) + ',' + (t.is_open ? "" : format_timestamp(t.exit_time)) + ',' + text(t.symbol) +
           ',' + (t.side == Side::kBuy ? "long" : "short") + ',' + num(t.quantity) + ',' + num(t.entry_price) + ',' +
           (t.is_open ? "" : num(t.exit_price)) + ',' + num(t.pnl) + ',' + num(t.return_pct) + ',' + num(t.fees) + ',' +
           (t.is_open ? "" : text(t.exit_reason)) + ',' + std::to_string(t.bars_held) + '\n';
  }
  return out;
}

std::string equity_csv(const std::vector<EquityPoint>& curve) {
  using namespace detail_result;
  std::string out = "timestamp,equity,cash,position_value,drawdown_pct\n";
  out.reserve(out.size() + curve.size() * 64);
  for (const EquityPoint& p : curve)
    out += format_timestamp(p.ts) + ',' + num(p.equity) + ',' + num(p.cash) + ',' + num(p.position_value) + ',' +
           num(p.drawdown_pct) + '\n';
  return out;
}

namespace detail_result {
std::string order_rows(const std::vector<Order>& orders) {
  std::string out;
  for (const Order& o : orders)
    out += std::to_string(o.id) + ',' + std::to_string(o.parent_id) + ',' + format_timestamp(o.created_ts) + ',' +
           text(o.symbol) + ',' + to_string(o.side) + ',' + to_string(o.type) + ',' + to_string(o.tif) + ',' +
           num(o.quantity) + ',' + price_or_empty(o.limit_price) + ',' + price_or_empty(o.stop_price) + ',' +
           to_string(o.status) + ',' + num(o.filled_quantity) + ',' + price_or_empty(o.avg_fill_price) + ',' +
           format_timestamp(o.updated_ts) + ',' + text(o.tag) + '\n';
  return out;
}
}  // namespace detail_result

std::string orders_csv(const std::vector<Order>& orders) {
  return "id,parent_id,created_time,symbol,side,type,tif,quantity,limit_price,stop_price,status,filled_quantity,"
         "avg_fill_price,updated_time,tag\n" +
         detail_result::order_rows(orders);
}

std::string fills_csv(const std::vector<Fill>& fills) {
  using namespace detail_result;
  std::string out = "order_id,time,symbol,side,quantity,price,fee,liquidity\n";
  for (const Fill& f : fills)
    out += std::to_string(f.order_id) + ',' + format_timestamp(f.ts) + ',' + text(f.symbol) + ',' + to_string(f.side) +
           ',' + num(f.quantity) + ',' + num(f.price) + ',' + num(f.fee) + ',' + to_string(f.liquidity) + '\n';
  return out;
}

std::string BacktestResult::canonical_order_list() const { return detail_result::order_rows(orders); }

std::string BacktestResult::order_list_sha256() const { return sha256_hex(canonical_order_list()); }

Status write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return io_error(path + ": cannot open for writing");
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return io_error(path + ": write failed");
  return Status::Ok();
}

}  // namespace tradeloop
