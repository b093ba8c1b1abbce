// The core's number formatters (core/src/text/figure_text.hpp) applied to each number read from
// standard input, one line of tab-separated texts per number. The browser tests hold the page's
// own formatters (site/src/format.ts) to these, value for value (tests/e2e/decimal.spec.ts).
#include <iostream>
#include <string>

#include "pertoken/text/figure_text.hpp"

int main() {
  std::string token;
  while (std::cin >> token) {
    const double v = std::stod(token);
    std::cout << pertoken::format_number(v) << '\t' << pertoken::format_integer(v) << '\t'
              << pertoken::format_usd(v) << '\t' << pertoken::format_seconds(v) << '\t'
              << pertoken::format_bytes(v) << '\t' << pertoken::format_percent(v) << '\t'
              << pertoken::format_bandwidth(v) << '\t' << pertoken::format_count(v, "figure")
              << '\n';
  }
  return 0;
}
