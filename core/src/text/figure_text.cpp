// Numbers for people (see figure_text.hpp).
#include "pertoken/text/figure_text.hpp"

#include <cmath>
#include <cstdio>

namespace pertoken {
namespace {

std::string printf_string(const char* format, double v) {
  char text[64];
  std::snprintf(text, sizeof text, format, v);
  return text;
}

std::string with_separators(std::string s) {
  const std::size_t start = (!s.empty() && s[0] == '-') ? 1 : 0;
  std::size_t end = s.find('.');
  if (end == std::string::npos) end = s.size();
  for (std::size_t i = end; i > start + 3; i -= 3) s.insert(i - 3, ",");
  return s;
}

// Whole digits with separators; from a quadrillion up the digits a double spells are noise (and
// past 1e63 they would not fit the buffer), so three significant digits with an exponent.
std::string whole(double v) {
  if (std::abs(v) >= 1e15) return printf_string("%.3g", v);
  return with_separators(printf_string("%.0f", v));
}

// Three significant digits, no exponent between 1e-4 and 1e15.
std::string significant(double v) {
  const double a = std::abs(v);
  if (a == 0) return "0";
  if (a >= 100 || v == std::floor(v)) return whole(v);
  if (a < 1e-4) return printf_string("%.2e", v);
  int decimals = 2 - static_cast<int>(std::floor(std::log10(a)));
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  // Rounding that carries into a new digit (9.9996 -> "10.00") would show four: one decimal fewer.
  // This also makes the result independent of log10's last bit just below a power of ten.
  int digits = 0;
  for (const char* c = text; *c; ++c) digits += *c >= '1' || (digits > 0 && *c == '0');
  if (digits > 3) std::snprintf(text, sizeof text, "%.*f", --decimals, v);
  return text;
}

// Whether a figure keeps its unit: figures of 100 and more are written whole, so from half a unit
// below the next unit's one they would read "1,000 ms" or "1,024 MiB" (and "%.0f" writes 999.5 as
// 1000). site/src/format.ts's roundsBelow does the same arithmetic, so the two switch on the same
// double.
bool rounds_below(double figure, double next_unit) { return std::abs(figure) < next_unit - 0.5; }

}  // namespace

std::string format_number(double v) {
  if (!std::isfinite(v)) return "-";
  return significant(v);
}

std::string format_integer(double v) {
  if (!std::isfinite(v)) return "-";
  return whole(v);
}

std::string format_count(double count, std::string_view noun) {
  std::string text = format_integer(count);
  text += ' ';
  text += noun;
  if (count != 1) text += 's';
  return text;
}

std::string format_seconds(double s) {
  if (!std::isfinite(s)) return "-";
  // 999.6 ms reads "1.00 s", not "1,000 ms".
  if (s != 0 && rounds_below(s * 1e6, 1000)) return significant(s * 1e6) + " µs";
  if (rounds_below(s * 1e3, 1000)) return significant(s * 1e3) + " ms";
  return significant(s) + " s";
}

std::string format_bytes(double bytes) {
  if (!std::isfinite(bytes)) return "-";
  const double kib = bytes / 1024;  // each step exact: a power of two
  const double mib = kib / 1024;
  if (!rounds_below(mib, 1024)) return significant(mib / 1024) + " GiB";
  if (!rounds_below(kib, 1024)) return significant(mib) + " MiB";
  return significant(kib) + " KiB";
}

std::string format_usd(double usd) {
  if (!std::isfinite(usd)) return "-";
  if (usd < 0) return "-" + format_usd(-usd);  // "-$0.0237", the sign before the dollar
  if (usd >= 99.995) return "$" + whole(usd);  // not "$100.00"
  if (usd >= 1) return "$" + printf_string("%.2f", usd);
  return "$" + significant(usd);
}

std::string format_percent(double fraction) {
  if (!std::isfinite(fraction)) return "-";
  return significant(fraction * 100) + "%";
}

std::string format_bandwidth(double bytes_per_second) {
  if (!std::isfinite(bytes_per_second)) return "-";
  if (!rounds_below(bytes_per_second / 1e9, 1000)) {
    return significant(bytes_per_second / 1e12) + " TB/s";
  }
  return significant(bytes_per_second / 1e9) + " GB/s";
}

}  // namespace pertoken
