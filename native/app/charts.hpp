// Charts drawn with Dear ImGui's ImDrawList: lines, stacked areas, bars and points over a linear or
// log axis, ticks at 1-2-5, a legend and the values under the cursor. Knows nothing of pertoken:
// arrays of numbers, axes and labels in; its math (ranges, ticks, mapping, nearest point) is
// plain functions that need no ImGui context (tests/app/charts_test.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace charts {

// A closed interval of an axis, in data units.
struct Range {
  double min = 0;  // = 0
  double max = 1;  // = 1, > min once made by data_range or nice_range
};

// The span of the finite values (only the positive ones on a log axis; NaN marks a missing value),
// widened so that min < max: a single value v gives [v - 1, v + 1] on a linear axis (|v| / 2
// around v when v != 0) and [v / 10^0.5, v x 10^0.5] on a log axis. No usable value: {0, 1}
// linear, {1, 10} log. `include_zero` (linear only) stretches the span to reach 0.
Range data_range(std::span<const double> values, bool log, bool include_zero = false);

// The span of several series at once.
Range data_range(std::span<const std::vector<double>> series, bool log, bool include_zero = false);

// The tick step of a linear axis: the smallest of 1, 2 or 5 x 10^k that puts at most `max_ticks`
// ticks on `range` (max_ticks >= 2).
double tick_step(Range range, int max_ticks);

// `range` widened outwards to whole multiples of its tick step.
Range nice_range(Range range, int max_ticks);

// The ticks of a linear axis: the multiples of tick_step within range (ends included).
std::vector<double> linear_ticks(Range range, int max_ticks);

// `range` (positive) widened outwards to whole decades.
Range nice_log_range(Range range);

// The ticks of a log axis within range: the powers of ten, and also 2 and 5 x 10^k while that
// keeps at most `max_ticks`; when even the decades exceed it, every n-th decade.
std::vector<double> log_ticks(Range range, int max_ticks);

// Where v falls on the axis, from 0 (range.min) to 1 (range.max); on a log axis by log10.
// Values outside the range map outside [0, 1]; a non-positive value on a log axis maps to -inf.
double to_fraction(double v, Range range, bool log);
// The inverse of to_fraction.
double from_fraction(double fraction, Range range, bool log);

// The index of the finite x nearest to `x` (by distance on the axis: log10 on a log axis), or
// nullopt when there is none.
std::optional<std::size_t> nearest_index(std::span<const double> xs, double x, bool log);

// A tick label: v with no more decimals than `step` needs ("0.25", "1,500", "2e+06", "1e-05").
std::string format_tick(double v, double step);

// --- Drawing (needs an ImGui frame) ----------------------------------------------------------

enum class SeriesKind {
  line,   // a polyline through the finite points (a gap at each missing one)
  area,   // filled down to the series `stacked_on` (or the axis), outlined on top
  bars,   // one bar per x, side by side with the other bar series
  points  // a marker per finite point
};

struct Series {
  std::string label;
  std::vector<double> y;     // one per x; NaN = missing
  std::vector<double> raw;   // the value the read-out shows when not y (stacked areas); or empty
  std::vector<double> from;  // bars: where each bar starts (floating bars); empty: at 0 (linear)
                             // or the axis bottom (log)
  SeriesKind kind = SeriesKind::line;
  std::uint32_t color = 0xff000000;  // ImU32 (ABGR)
  bool right_axis = false;           // = false: the left axis
  bool dashed = false;               // = false
  int stacked_on = -1;               // area: the series below it (-1: the axis)
};

using Formatter = std::function<std::string(double)>;

struct Axis {
  std::string label;
  bool log = false;           // = false
  bool include_zero = false;  // = false (linear only)
  Formatter format;           // values under the cursor; empty: format_tick with the tick step
  std::string tick_prefix;    // tick labels are prefix + format_tick(v, step) + suffix ("$", " s")
  std::string tick_suffix;
};

struct Chart {
  std::string title;
  std::vector<double> x;                // one per point, ascending
  std::vector<std::string> categories;  // a name per point: a category axis (bars); else empty
  Axis x_axis;
  Axis y_axis;
  std::optional<Axis> y2_axis;  // the right axis, when a series uses it
  std::vector<Series> series;
  std::optional<double> marker;  // an x to mark with a vertical line (the scenario itself)
  std::string empty;             // when set, drawn instead of the chart
};

struct Colors {
  std::uint32_t text = 0xffffffff;
  std::uint32_t grid = 0x40ffffff;
  std::uint32_t axis = 0xa0ffffff;
  std::uint32_t background = 0x00000000;
  std::uint32_t marker = 0xa0ffffff;
};

// Draws `chart` into a region of `width` x `height` pixels at the cursor (an ImGui item: it
// takes keyboard focus and shows the values under the mouse in a tooltip). `id` must be unique
// in the window.
void draw(const char* id, const Chart& chart, float width, float height, const Colors& colors);

}  // namespace charts
