// Numbers for people: SI figures in the units a reader takes them in ($, ms, GiB, %), one rule
// for the core's own sentences (the plan's answer, the limits), the CLI and the app's panels. The
// web page writes the same rules again in site/src/format.ts (a call into the module per figure
// would cost its first view), and tests/e2e/decimal.spec.ts holds the two equal over 40,000
// values through tests/core/figure_text_dump.
#pragma once

#include <string>
#include <string_view>

namespace pertoken {

// "1,234", "123", "12.3", "0.0123" (three significant digits below 100); "-" for NaN. From 1e15
// up, and below 1e-4, three significant digits with an exponent ("1e+17", "1.20e-05").
std::string format_number(double v);
// A whole number with thousands separators: "1,000,000" ("1e+17" from 1e15 up, as above).
std::string format_integer(double v);
// A count and its noun, plural unless the count is one: "1 accelerator", "2,000 tokens", "0 models"
// (nouns whose plural adds an "s").
std::string format_count(double count, std::string_view noun);
// "850 µs", "73.6 ms", "22.1 s". Seconds, bytes and bandwidth write a figure that would round to
// 1,000 of a unit in the next unit ("1.00 s", not "1,000 ms"; "1.00 GiB", not "1,024 MiB").
std::string format_seconds(double seconds);
// "15 GiB", "1.50 GiB", "320 MiB".
std::string format_bytes(double bytes);
// "$0.0940", "$6.88", "$1,095" (three significant digits below $1; whole dollars from $99.995,
// so "$100", not "$100.00").
std::string format_usd(double usd);
// A fraction as a percent, three significant digits as format_number: "47%", "61.9%", "1.25%".
std::string format_percent(double fraction);
// "3.35 TB/s".
std::string format_bandwidth(double bytes_per_second);

}  // namespace pertoken
