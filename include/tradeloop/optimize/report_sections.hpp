// Optimisation results as sections of the HTML report (report/report.hpp) and as tables.
//
//  * `heatmap_section`: the objective over two parameters (x = columns, y = rows). When the
//    search has more parameters, each cell shows the best valid value over the others (and says
//    so in the note); cells never evaluated are empty.
//  * `convergence_section`: best-so-far objective after each evaluation.
//  * `walk_forward_sections`: the stitched out-of-sample equity curve (a time line chart), the
//    in-sample vs out-of-sample objective per split, and the per-split table with the chosen
//    parameters and the overfitting verdict.
//  * `evaluations_table`: one row per evaluation (parameters, valid, rejected, every metric) --
//    the CSV/JSON rows of `tradeloop optimize`.
#pragma once

#include <string>
#include <vector>

#include "tradeloop/core/result.hpp"
#include "tradeloop/optimize/optimizer.hpp"
#include "tradeloop/optimize/walk_forward.hpp"
#include "tradeloop/report/report.hpp"

namespace tradeloop::optimize {

// kInvalidArgument when a name is not a parameter of the result.
Result<report::HtmlSection> heatmap_section(const OptimizationResult& r, const std::string& x_param,
                                            const std::string& y_param);
report::HtmlSection convergence_section(const OptimizationResult& r);
std::vector<report::HtmlSection> walk_forward_sections(const WalkForwardResult& r);

// Header: parameter names, "valid", "rejected", then the metric names in the order of the
// first evaluation that has metrics (later new names are appended). Numbers in shortest
// round-trip form; NaN as empty.
report::TableData evaluations_table(const OptimizationResult& r);
// RFC 4180 CSV of a table (fields with a comma, quote or newline are quoted).
std::string table_csv(const report::TableData& t);

}  // namespace tradeloop::optimize
