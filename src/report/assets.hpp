// Browser assets embedded at build time (src/report/CMakeLists.txt generates their definitions
// from web/node_modules and web/report). Each returns the file's text verbatim.
#pragma once

#include <string>

namespace tradeloop::report::assets {

std::string uplot_js();               // web/node_modules/uplot/dist/uPlot.iife.min.js (MIT)
std::string uplot_css();              // web/node_modules/uplot/dist/uPlot.min.css
std::string lightweight_charts_js();  // lightweight-charts standalone production build (Apache-2.0)
std::string report_js();              // web/report/report.js: draws the page from its JSON data
std::string report_css();             // web/report/report.css

}  // namespace tradeloop::report::assets
