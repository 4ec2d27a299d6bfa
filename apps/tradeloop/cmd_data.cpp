// `tradeloop data info|validate|resample|import|export|list`: the data layer from the shell.
// Reading options are shared by every subcommand that reads a CSV; errors are one line naming
// the input (cli.hpp); exit 0 ok, 1 bad data / problems found, 2 usage.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "tradeloop/core/progress.hpp"
#include "tradeloop/data/csv.hpp"
#include "tradeloop/data/resample.hpp"
#include "tradeloop/data/store.hpp"
#include "tradeloop/data/validate.hpp"

namespace tradeloop::cli {
namespace {

using nlohmann::json;

// Options for reading a CSV, shared by info, validate, resample and import.
struct ReadArgs {
  std::string file;
  std::string symbol;
  std::string time_format;
  std::string epoch_unit = "auto";
  std::string delimiter;
  std::string timeframe;
  std::vector<std::string> columns;

  void add_to(CLI::App& app, bool timeframe_option = true) {
    app.add_option("file", file, "CSV file (.csv, .txt, .tsv, .csv.gz)")->required();
    app.add_option("--symbol", symbol, "Symbol of the series (default: a symbol column, else the file name)");
    app.add_option("--time-format", time_format, "strptime-like layout for non-ISO times, e.g. '%m/%d/%y %H:%M:%S'");
    app.add_option("--epoch-unit", epoch_unit, "Unit of epoch-number times: auto, s, ms, us, ns")
        ->check(CLI::IsMember({"auto", "s", "ms", "us", "ns"}));
    app.add_option("--delimiter", delimiter, "Field delimiter: ',', ';' or 'tab' (default: detected)");
    app.add_option("--column", columns,
                   "Map a field to a header name: --column close=Last (fields: time, date, clock, open, high, "
                   "low, close, volume; repeatable)");
    if (timeframe_option)
      app.add_option("--data-timeframe", timeframe, "Timeframe of the data (default: detected from the spacing)");
  }

  CsvReadOptions options() const {
    CsvReadOptions o;
    o.symbol = symbol;
    o.time.format = time_format;
    static const std::map<std::string, EpochUnit> kUnits = {{"auto", EpochUnit::kAuto},
                                                            {"s", EpochUnit::kSeconds},
                                                            {"ms", EpochUnit::kMilliseconds},
                                                            {"us", EpochUnit::kMicroseconds},
                                                            {"ns", EpochUnit::kNanoseconds}};
    o.time.epoch_unit = kUnits.at(epoch_unit);
    if (delimiter == "tab" || delimiter == "\\t") o.delimiter = '\t';
    else if (delimiter.size() == 1) o.delimiter = delimiter[0];
    else if (!delimiter.empty()) throw Exception(ErrorCode::kInvalidArgument, "--delimiter must be one character or 'tab'");
    for (const auto& c : columns) {
      const auto eq = c.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == c.size())
        throw Exception(ErrorCode::kInvalidArgument, "--column expects field=name, got '" + c + "'");
      o.columns[c.substr(0, eq)] = c.substr(eq + 1);
    }
    if (!timeframe.empty()) o.timeframe = unwrap(Timeframe::parse(timeframe));
    return o;
  }
};

std::string thousands(std::size_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

// Human number: thousands separators from 10,000 up, no decimals from a million up, and
// significant digits (not fixed decimals) for small prices such as 0.00162008.
std::string num(double v) {
  char buf[64];
  const double a = std::fabs(v);
  if (!std::isfinite(v) || (a != 0 && (a >= 1e15 || a < 1e-4))) {
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
  }
  if (a < 10000) {
    std::snprintf(buf, sizeof buf, "%.8g", v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, a >= 1e6 ? "%.0f" : "%.2f", v);
  std::string s = buf;
  const std::size_t dot = s.find('.');
  if (dot != std::string::npos && s.substr(dot) == ".00") s.erase(dot);
  const std::size_t digits_end = std::min(s.find('.'), s.size());
  const std::size_t digits_begin = s[0] == '-' ? 1 : 0;
  for (std::size_t i = digits_end; i > digits_begin + 3; i -= 3) s.insert(i - 3, ",");
  return s;
}

// Strict read for info/resample/import; a data error points to `validate` for the full list.
BarSeries read_strict(const ReadArgs& args) {
  auto s = read_csv(args.file, args.options());
  if (s) return std::move(*s);
  Error e = std::move(s).error();
  if (e.code == ErrorCode::kParse) e.message += " ('tradeloop data validate " + args.file + "' lists every problem)";
  throw Exception(std::move(e));
}

std::string tf_text(const BarSeries& s) { return s.timeframe() ? s.timeframe()->to_string() : "unknown"; }

json gaps_json(const GapReport& g, std::size_t max_listed) {
  json list = json::array();
  for (std::size_t i = 0; i < g.gaps.size() && i < max_listed; ++i)
    list.push_back({{"after", format_timestamp(g.gaps[i].after)},
                    {"before", format_timestamp(g.gaps[i].before)},
                    {"missing_bars", g.gaps[i].missing}});
  return {{"timeframe", g.timeframe ? g.timeframe->to_string() : ""},
          {"count", g.gaps.size()},
          {"missing_bars", g.missing_bars},
          {"expected_bars", g.expected_bars},
          {"largest", format_duration(g.largest)},
          {"gaps", list}};
}

// ------------------------------------------------------------------------------------------ info

int run_info(const ReadArgs& args, bool as_json) {
  const BarSeries s = read_strict(args);
  const GapReport gaps = find_gaps(s);
  const auto lo = std::min_element(s.low().begin(), s.low().end());
  const auto hi = std::max_element(s.high().begin(), s.high().end());
  const std::size_t lo_i = static_cast<std::size_t>(lo - s.low().begin());
  const std::size_t hi_i = static_cast<std::size_t>(hi - s.high().begin());
  double volume = 0;
  for (double v : s.volume()) volume += v;
  const double first_close = s.close().front(), last_close = s.close().back();
  const double change_pct = (last_close / first_close - 1) * 100;
  std::vector<std::string> columns = {"timestamp", "open", "high", "low", "close", "volume"};
  for (const auto& [name, col] : s.extra_columns()) columns.push_back(name);
  if (as_json) {
    print_json({{"file", args.file},
                {"symbol", s.symbol()},
                {"rows", s.size()},
                {"first", format_timestamp(s.front().ts)},
                {"last", format_timestamp(s.back().ts)},
                {"timeframe", tf_text(s)},
                {"columns", columns},
                {"low", *lo},
                {"low_time", format_timestamp(s.timestamps()[lo_i])},
                {"high", *hi},
                {"high_time", format_timestamp(s.timestamps()[hi_i])},
                {"first_close", first_close},
                {"last_close", last_close},
                {"change_pct", change_pct},
                {"total_volume", volume},
                {"gaps", gaps_json(gaps, 100)}});
    return kExitOk;
  }
  std::string cols;
  for (const auto& c : columns) cols += (cols.empty() ? "" : ", ") + c;
  std::printf("%s\n", args.file.c_str());
  std::printf("  symbol       %s\n", s.symbol().c_str());
  std::printf("  rows         %s\n", thousands(s.size()).c_str());
  std::printf("  first        %s\n", format_timestamp(s.front().ts).c_str());
  std::printf("  last         %s\n", format_timestamp(s.back().ts).c_str());
  std::printf("  span         %s\n", format_duration(s.back().ts - s.front().ts).c_str());
  std::printf("  timeframe    %s%s\n", tf_text(s).c_str(),
              !args.timeframe.empty() ? " (given)"
              : s.timeframe()         ? " (detected from the spacing)"
                                      : " (no regular spacing; give --data-timeframe)");
  if (!gaps.timeframe) {
    std::printf("  gaps         not computed (timeframe unknown)\n");
  } else if (gaps.gaps.empty()) {
    std::printf("  gaps         none: %s of %s expected bars present\n", thousands(s.size()).c_str(),
                thousands(static_cast<std::size_t>(gaps.expected_bars)).c_str());
  } else {
    std::printf("  gaps         %s gaps, %s missing bars (%.2f %% of %s expected), largest %s\n",
                thousands(gaps.gaps.size()).c_str(), thousands(static_cast<std::size_t>(gaps.missing_bars)).c_str(),
                100.0 * static_cast<double>(gaps.missing_bars) / static_cast<double>(gaps.expected_bars),
                thousands(static_cast<std::size_t>(gaps.expected_bars)).c_str(), format_duration(gaps.largest).c_str());
  }
  std::printf("  price range  %s (%s) .. %s (%s)\n", num(*lo).c_str(), format_timestamp(s.timestamps()[lo_i]).c_str(),
              num(*hi).c_str(), format_timestamp(s.timestamps()[hi_i]).c_str());
  std::printf("  close        %s -> %s (%+.2f %%)\n", num(first_close).c_str(), num(last_close).c_str(), change_pct);
  std::printf("  volume       %s total, %s per bar\n", num(volume).c_str(), num(volume / static_cast<double>(s.size())).c_str());
  std::printf("  columns      %s\n", cols.c_str());
  return kExitOk;
}

// -------------------------------------------------------------------------------------- validate

json problems_json(const std::vector<DataProblem>& problems) {
  json list = json::array();
  for (const auto& p : problems)
    list.push_back({{"kind", to_string(p.kind)},
                    {"severity", p.severity() == Severity::kError ? "error" : "warning"},
                    {"line", p.line},
                    {"column", p.column},
                    {"message", p.message}});
  return list;
}

void print_problems(const std::vector<DataProblem>& problems, std::size_t max_listed) {
  std::size_t shown = 0;
  for (const auto& p : problems) {
    if (shown++ == max_listed) {
      std::printf("  ... %s more (--max-listed N to see more, --json for all)\n",
                  thousands(problems.size() - max_listed).c_str());
      break;
    }
    std::printf("  %-7s %s\n", p.severity() == Severity::kError ? "error" : "warning", p.message.c_str());
  }
}

std::string counts_text(const ValidationReport& r) {
  std::string out;
  for (const auto& [kind, n] : r.counts()) out += (out.empty() ? "" : ", ") + std::string(to_string(kind)) + " " + thousands(n);
  return out;
}

int run_validate(const ReadArgs& args, const std::string& fix, std::size_t max_listed, bool as_json) {
  const FileValidation fv = unwrap(validate_file(args.file, args.options()));
  const ValidationReport& r = fv.report;
  std::optional<SanitiseResult> fixed;
  if (!fix.empty() && !fv.series.empty()) {
    ValidateOptions vo;
    vo.row_lines = &fv.row_lines;
    fixed = sanitise(fv.series, {}, vo);
    unwrap(write_csv(fixed->series, fix));
  }
  const bool ok = fixed ? fixed->remaining.ok() : r.ok();
  if (as_json) {
    json j = {{"file", args.file},     {"ok", ok},
              {"rows", r.rows},        {"errors", r.error_count()},
              {"warnings", r.warning_count()}, {"timeframe", tf_text(fv.series)},
              {"problems", problems_json(r.problems)}, {"gaps", gaps_json(r.gaps, 0)}};
    if (fixed)
      j["fix"] = {{"output", fix},
                  {"rows", fixed->series.size()},
                  {"dropped_invalid", fixed->dropped_invalid},
                  {"dropped_duplicates", fixed->dropped_duplicates},
                  {"moved_rows", fixed->moved_rows},
                  {"remaining_errors", fixed->remaining.error_count()},
                  {"remaining", problems_json(fixed->remaining.problems)}};
    print_json(j);
    return ok ? kExitOk : kExitFailure;
  }
  std::printf("%s: %s row%s read", args.file.c_str(), thousands(r.rows).c_str(), r.rows == 1 ? "" : "s");
  if (fv.series.timeframe()) std::printf(", %s bars", fv.series.timeframe()->to_string().c_str());
  if (!fv.series.empty())
    std::printf(", %s .. %s", format_timestamp(fv.series.front().ts).c_str(), format_timestamp(fv.series.back().ts).c_str());
  std::printf("\n");
  if (r.error_count() == 0) {
    std::printf("  ok       every row parses; prices finite and positive; high/low consistent with open/close;\n"
                "           volumes >= 0; timestamps strictly ascending, no duplicates\n");
  }
  if (r.gaps.timeframe && r.gaps.gaps.empty())
    std::printf("  ok       no gaps against the %s grid\n", r.gaps.timeframe->to_string().c_str());
  else if (r.gaps.timeframe)
    std::printf("  gaps     %s gaps, %s missing %s bars (%.2f %% of %s expected), largest %s\n",
                thousands(r.gaps.gaps.size()).c_str(), thousands(static_cast<std::size_t>(r.gaps.missing_bars)).c_str(),
                r.gaps.timeframe->to_string().c_str(),
                100.0 * static_cast<double>(r.gaps.missing_bars) / static_cast<double>(r.gaps.expected_bars),
                thousands(static_cast<std::size_t>(r.gaps.expected_bars)).c_str(), format_duration(r.gaps.largest).c_str());
  if (!r.problems.empty()) {
    std::printf("\n%s error%s, %s warning%s:\n", thousands(r.error_count()).c_str(), r.error_count() == 1 ? "" : "s",
                thousands(r.warning_count()).c_str(), r.warning_count() == 1 ? "" : "s");
    print_problems(r.problems, max_listed);
    std::printf("\nby kind: %s\n", counts_text(r).c_str());
    if (r.warning_count() > 0)
      std::printf("(gaps are warnings: sessions, weekends and exchange outages are normal; they do not fail validation)\n");
  }
  if (fixed) {
    std::printf("\nfixed: wrote %s rows to %s (dropped %s rows with invalid prices, %s exact duplicates; %s rows "
                "moved by sorting)\n",
                thousands(fixed->series.size()).c_str(), fix.c_str(), thousands(fixed->dropped_invalid).c_str(),
                thousands(fixed->dropped_duplicates).c_str(), thousands(fixed->moved_rows).c_str());
    if (!fixed->remaining.ok()) {
      std::printf("not repairable (%s): \n", counts_text(fixed->remaining).c_str());
      print_problems(fixed->remaining.problems, max_listed);
    }
  } else if (!fix.empty()) {
    std::printf("\nnothing written to %s: no row could be read\n", fix.c_str());
  }
  std::printf("\n%s\n", ok ? "OK" : "FAILED: the data has errors (see above)");
  return ok ? kExitOk : kExitFailure;
}

// -------------------------------------------------------------------------------------- resample

int run_resample(const ReadArgs& args, const std::string& tf, const std::string& output, bool drop_partial, bool as_json) {
  const Timeframe target = unwrap(Timeframe::parse(tf));
  const BarSeries s = read_strict(args);
  Resampled r = unwrap(resample(s, target));
  std::size_t dropped = 0;
  if (drop_partial) {
    const std::size_t b = r.first_partial ? 1 : 0, e = r.series.size() - (r.last_partial && r.series.size() > b ? 1 : 0);
    dropped = r.series.size() - (e - b);
    r.series = r.series.slice(b, e);
  }
  unwrap(write_csv(r.series, output));
  if (as_json) {
    print_json({{"input", args.file},
                {"output", output},
                {"from", tf_text(s)},
                {"to", target.to_string()},
                {"input_rows", s.size()},
                {"rows", r.series.size()},
                {"first_partial", r.first_partial},
                {"last_partial", r.last_partial},
                {"dropped_partial", dropped}});
    return kExitOk;
  }
  std::printf("wrote %s %s bars to %s (from %s bars, timeframe %s)\n", thousands(r.series.size()).c_str(),
              target.to_string().c_str(), output.c_str(), thousands(s.size()).c_str(), tf_text(s).c_str());
  if (r.first_partial || r.last_partial)
    std::printf("note: %s%s%s bucket%s partial (the data starts/ends inside a bucket)%s\n", r.first_partial ? "first" : "",
                r.first_partial && r.last_partial ? " and " : "", r.last_partial ? "last" : "",
                r.first_partial && r.last_partial ? "s are" : " is",
                drop_partial ? "; dropped (--drop-partial)" : "; kept (use --drop-partial to drop)");
  return kExitOk;
}

// ------------------------------------------------------------------------------------ store ops

struct KeyArgs {
  std::string exchange, symbol, timeframe;
  void add_to(CLI::App& app, bool timeframe_required) {
    app.add_option("--exchange", exchange, "Exchange or source name, e.g. binance, yahoo, file")->required();
    app.add_option("--symbol", symbol, "Symbol, e.g. BTC/USDT")->required();
    auto* tf = app.add_option("--timeframe", timeframe, "Timeframe, e.g. 1m 1h 1d");
    if (timeframe_required) tf->required();
  }
};

std::unique_ptr<DataStore> open_store(const std::string& home) {
  return unwrap(DataStore::open(DataStore::default_path(resolve_home(home))));
}

int run_import(const ReadArgs& args, const KeyArgs& k, const std::string& home, bool as_json) {
  const BarSeries s = read_strict(args);
  SeriesKey key{k.exchange, k.symbol, {}};
  if (!k.timeframe.empty()) key.timeframe = unwrap(Timeframe::parse(k.timeframe));
  else if (s.timeframe()) key.timeframe = *s.timeframe();
  else throw Exception(ErrorCode::kInvalidArgument, args.file + ": cannot detect the timeframe; give --timeframe");
  auto store = open_store(home);
  Progress progress("import " + key.to_string(), static_cast<std::int64_t>(s.size()),
                    isatty(2) ? ProgressMode::kTerminal : ProgressMode::kSilent);
  const UpsertStats st = unwrap(store->upsert(key, s, [&](std::size_t, std::size_t) {
    progress.advance(DataStore::kProgressEvery);
    return true;
  }));
  progress.finish();
  const auto info = unwrap(store->info(key));
  if (as_json) {
    print_json({{"file", args.file}, {"store", store->path()}, {"series", key.to_string()},
                {"written", st.written}, {"inserted", st.inserted}, {"replaced", st.replaced},
                {"rows", info ? info->rows : 0}});
    return kExitOk;
  }
  std::printf("imported %s bars into %s [%s]: %s new, %s replaced; the series now has %s bars (%s .. %s)\n",
              thousands(st.written).c_str(), store->path().c_str(), key.to_string().c_str(), thousands(st.inserted).c_str(),
              thousands(st.replaced).c_str(), thousands(info ? info->rows : 0).c_str(),
              info ? format_timestamp(info->first).c_str() : "-", info ? format_timestamp(info->last).c_str() : "-");
  return kExitOk;
}

std::optional<Timestamp> time_option(const std::string& text, const char* name) {
  if (text.empty()) return std::nullopt;
  auto t = parse_timestamp(text);
  if (!t) throw Exception(ErrorCode::kInvalidArgument, std::string(name) + ": " + t.error().message);
  return *t;
}

int run_export(const KeyArgs& k, const std::string& start, const std::string& end, const std::string& output,
               const std::string& home, bool as_json) {
  const SeriesKey key{k.exchange, k.symbol, unwrap(Timeframe::parse(k.timeframe))};
  const TimeRange range{time_option(start, "--start"), time_option(end, "--end")};
  auto store = open_store(home);
  const std::size_t n = unwrap(store->export_csv(key, output, range));
  if (as_json) print_json({{"series", key.to_string()}, {"output", output}, {"rows", n}});
  else std::printf("exported %s bars of [%s] to %s\n", thousands(n).c_str(), key.to_string().c_str(), output.c_str());
  return kExitOk;
}

int run_list(const std::string& home, bool as_json) {
  auto store = open_store(home);
  const auto list = unwrap(store->list());
  if (as_json) {
    json arr = json::array();
    for (const auto& i : list)
      arr.push_back({{"exchange", i.key.exchange}, {"symbol", i.key.symbol}, {"timeframe", i.key.timeframe.to_string()},
                     {"rows", i.rows}, {"first", format_timestamp(i.first)}, {"last", format_timestamp(i.last)}});
    print_json({{"store", store->path()}, {"series", arr}});
    return kExitOk;
  }
  if (list.empty()) {
    std::printf("%s: no series yet (add one with 'tradeloop data import FILE --exchange X --symbol S')\n",
                store->path().c_str());
    return kExitOk;
  }
  std::printf("%s\n", store->path().c_str());
  std::printf("  %-12s %-16s %-4s %12s  %-20s  %-20s\n", "exchange", "symbol", "tf", "rows", "first", "last");
  for (const auto& i : list)
    std::printf("  %-12s %-16s %-4s %12s  %-20s  %-20s\n", i.key.exchange.c_str(), i.key.symbol.c_str(),
                i.key.timeframe.to_string().c_str(), thousands(i.rows).c_str(), format_timestamp(i.first).c_str(),
                format_timestamp(i.last).c_str());
  return kExitOk;
}

int run_data(int argc, char** argv) {
  CLI::App app("Market data: inspect, validate, resample and store OHLCV files", argv[0]);
  app.require_subcommand(1);
  bool as_json = false;
  std::string home;
  auto add_common = [&](CLI::App* sub) { sub->add_flag("--json", as_json, "Machine-readable output on stdout"); };
  auto add_home = [&](CLI::App* sub) {
    sub->add_option("--home", home, "Data home (default: $TRADELOOP_HOME or ~/.tradeloop); the store is <home>/data.db");
  };

  ReadArgs info_args, validate_args, resample_args, import_args;
  auto* info = app.add_subcommand("info", "Rows, first/last time, timeframe, gaps and price range of a CSV file");
  info_args.add_to(*info);
  add_common(info);

  auto* val = app.add_subcommand("validate", "List every problem of a CSV file (exit 1 when there are errors)");
  validate_args.add_to(*val);
  std::string fix;
  std::size_t max_listed = 20;
  val->add_option("--fix", fix, "Write a repaired copy: invalid-price rows and exact duplicates dropped, rows sorted");
  val->add_option("--max-listed", max_listed, "How many problems to print (default 20; --json lists all)");
  add_common(val);

  auto* res = app.add_subcommand("resample", "Aggregate a CSV file to a coarser timeframe");
  resample_args.add_to(*res);
  std::string target, output;
  bool drop_partial = false;
  res->add_option("--timeframe,-t", target, "Target timeframe: 5m 15m 1h 4h 1d 1w 1M ...")->required();
  res->add_option("--output,-o", output, "Output CSV (.gz compresses)")->required();
  res->add_flag("--drop-partial", drop_partial, "Drop a first/last bucket the data does not cover fully");
  add_common(res);

  auto* imp = app.add_subcommand("import", "Import a CSV file into the data store (one transaction)");
  import_args.add_to(*imp, false);
  imp->remove_option(imp->get_option("--symbol"));
  std::string import_pick;
  imp->add_option("--pick", import_pick, "With a symbol column holding several symbols: the one to import");
  KeyArgs import_key;
  import_key.add_to(*imp, false);
  add_home(imp);
  add_common(imp);

  auto* exp = app.add_subcommand("export", "Export a stored series to CSV");
  KeyArgs export_key;
  export_key.add_to(*exp, true);
  std::string start, end, export_out;
  exp->add_option("--start", start, "First bar time (inclusive), e.g. 2024-01-01");
  exp->add_option("--end", end, "End time (exclusive)");
  exp->add_option("--output,-o", export_out, "Output CSV")->required();
  add_home(exp);
  add_common(exp);

  auto* lst = app.add_subcommand("list", "Series in the data store with rows and first/last time");
  add_home(lst);
  add_common(lst);

  return run_command(app, argc, argv, [&]() -> int {
    if (info->parsed()) return run_info(info_args, as_json);
    if (val->parsed()) return run_validate(validate_args, fix, max_listed, as_json);
    if (res->parsed()) return run_resample(resample_args, target, output, drop_partial, as_json);
    if (imp->parsed()) {
      import_args.symbol = import_pick;
      return run_import(import_args, import_key, home, as_json);
    }
    if (exp->parsed()) return run_export(export_key, start, end, export_out, home, as_json);
    return run_list(home, as_json);
  });
}

}  // namespace
}  // namespace tradeloop::cli

TL_COMMAND("data", "Inspect, validate, resample, import and export market data", tradeloop::cli::run_data);
