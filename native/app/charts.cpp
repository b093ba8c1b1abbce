// Charts with ImDrawList (see charts.hpp). Includes Dear ImGui only; no platform, no pertoken.
//
// [SECTION] Axis math (no ImGui)
// [SECTION] Drawing
#include "charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include <imgui.h>

namespace charts {

// -----------------------------------------------------------------------------------------------
// [SECTION] Axis math (no ImGui)

namespace {

bool usable(double v, bool log) { return std::isfinite(v) && (!log || v > 0); }

Range widen(double lo, double hi, bool log, bool include_zero, bool any) {
  if (!any) return log ? Range{1, 10} : Range{0, 1};
  if (include_zero && !log) {
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
  }
  if (lo < hi) return {lo, hi};
  if (log) {
    const double f = std::sqrt(10.0);
    return {lo / f, lo * f};
  }
  if (lo == 0) return {-1, 1};
  const double half = std::abs(lo) / 2;
  return {lo - half, lo + half};
}

// How many multiples of `step` lie within range (ends included, with a little slack for rounding).
long long count_multiples(Range range, double step) {
  const double eps = 1e-9;
  const double first = std::ceil(range.min / step - eps);
  const double last = std::floor(range.max / step + eps);
  return static_cast<long long>(last - first) + 1;
}

}  // namespace

Range data_range(std::span<const double> values, bool log, bool include_zero) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  bool any = false;
  for (double v : values) {
    if (!usable(v, log)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    any = true;
  }
  return widen(lo, hi, log, include_zero, any);
}

Range data_range(std::span<const std::vector<double>> series, bool log, bool include_zero) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  bool any = false;
  for (const auto& values : series) {
    for (double v : values) {
      if (!usable(v, log)) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      any = true;
    }
  }
  return widen(lo, hi, log, include_zero, any);
}

double tick_step(Range range, int max_ticks) {
  max_ticks = std::max(max_ticks, 2);
  const double span = range.max - range.min;
  if (!(span > 0) || !std::isfinite(span)) return 1;
  // Start one decade below the even split and walk up 1, 2, 5, 10, 20, 50... until the ticks fit.
  double decade = std::pow(10.0, std::floor(std::log10(span / max_ticks)) - 1);
  for (int i = 0; i < 64; ++i) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double step = m * decade;
      if (count_multiples(range, step) <= max_ticks) return step;
    }
    decade *= 10;
  }
  return span;
}

Range nice_range(Range range, int max_ticks) {
  const double step = tick_step(range, max_ticks);
  const double eps = 1e-9;
  return {std::floor(range.min / step + eps) * step, std::ceil(range.max / step - eps) * step};
}

std::vector<double> linear_ticks(Range range, int max_ticks) {
  const double step = tick_step(range, max_ticks);
  const double eps = 1e-9;
  const double first = std::ceil(range.min / step - eps);
  const double last = std::floor(range.max / step + eps);
  std::vector<double> ticks;
  for (double k = first; k <= last; k += 1) {
    const double v = k * step;
    ticks.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  }
  return ticks;
}

Range nice_log_range(Range range) {
  if (!(range.min > 0) || !(range.max > 0)) return {1, 10};
  const double eps = 1e-9;
  double lo = std::floor(std::log10(range.min) + eps);
  double hi = std::ceil(std::log10(range.max) - eps);
  if (hi <= lo) hi = lo + 1;
  return {std::pow(10.0, lo), std::pow(10.0, hi)};
}

std::vector<double> log_ticks(Range range, int max_ticks) {
  max_ticks = std::max(max_ticks, 2);
  std::vector<double> ticks;
  if (!(range.min > 0) || !(range.max > range.min)) return ticks;
  const double eps = 1e-9;
  const int first = static_cast<int>(std::floor(std::log10(range.min) + eps));
  const int last = static_cast<int>(std::floor(std::log10(range.max) + eps));
  auto within = [&](double v) { return v >= range.min * (1 - eps) && v <= range.max * (1 + eps); };
  for (int d = first; d <= last; ++d) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double v = m * std::pow(10.0, d);
      if (within(v)) ticks.push_back(v);
    }
  }
  if (static_cast<int>(ticks.size()) <= max_ticks) return ticks;
  ticks.clear();
  for (int d = first; d <= last; ++d) {
    if (within(std::pow(10.0, d))) ticks.push_back(std::pow(10.0, d));
  }
  if (static_cast<int>(ticks.size()) <= max_ticks) return ticks;
  // Every n-th decade: the multiples of n, so the ticks stay put as the range moves.
  const int decades = last - first + 1;
  const int n = (decades + max_ticks - 1) / max_ticks;
  ticks.clear();
  for (int d = first; d <= last; ++d) {
    const double v = std::pow(10.0, d);
    if (((d % n) + n) % n == 0 && within(v)) ticks.push_back(v);
  }
  return ticks;
}

double to_fraction(double v, Range range, bool log) {
  if (log) {
    if (!(v > 0)) return -std::numeric_limits<double>::infinity();
    const double lo = std::log10(range.min);
    return (std::log10(v) - lo) / (std::log10(range.max) - lo);
  }
  return (v - range.min) / (range.max - range.min);
}

double from_fraction(double fraction, Range range, bool log) {
  if (log) {
    const double lo = std::log10(range.min);
    return std::pow(10.0, lo + fraction * (std::log10(range.max) - lo));
  }
  return range.min + fraction * (range.max - range.min);
}

std::optional<std::size_t> nearest_index(std::span<const double> xs, double x, bool log) {
  std::optional<std::size_t> best;
  double best_distance = std::numeric_limits<double>::infinity();
  const double target = log ? std::log10(x) : x;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (!usable(xs[i], log)) continue;
    const double distance = std::abs((log ? std::log10(xs[i]) : xs[i]) - target);
    if (distance < best_distance) {
      best_distance = distance;
      best = i;
    }
  }
  return best;
}

std::string format_tick(double v, double step) {
  if (v == 0 || !std::isfinite(v)) return v == 0 ? "0" : "-";
  char text[64];
  const double magnitude = std::abs(v);
  if (magnitude >= 1e6 || magnitude < 1e-3) {
    std::snprintf(text, sizeof text, "%.3g", v);
    return text;
  }
  int decimals = 0;
  if (step > 0 && std::isfinite(step)) {
    decimals = std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 6);
  }
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  // Thousands separators in the whole part.
  std::string s = text;
  const std::size_t start = s[0] == '-' ? 1 : 0;
  std::size_t end = s.find('.');
  if (end == std::string::npos) end = s.size();
  for (std::size_t i = end; i > start + 3; i -= 3) s.insert(i - 3, ",");
  return s;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Drawing

namespace {

struct Frame {
  ImVec2 min, max;  // the plot area in pixels
  std::vector<double> x;
  Range x_range;
  bool x_log = false;
  Range y_range[2];
  bool y_log[2] = {false, false};

  float px(double v) const {
    return min.x + static_cast<float>(to_fraction(v, x_range, x_log)) * (max.x - min.x);
  }
  float py(double v, int axis) const {
    const double f = to_fraction(v, y_range[axis], y_log[axis]);
    return max.y - static_cast<float>(std::clamp(f, -0.05, 1.05)) * (max.y - min.y);
  }
};

std::string format_value(const Axis& axis, double v, double step) {
  if (!std::isfinite(v)) return "-";
  if (axis.format) return axis.format(v);
  return format_tick(v, step);
}

// The values that set an axis's range: every series on it (an area's cumulative top).
Range axis_range(const Chart& chart, bool right, const Axis& axis, int max_ticks, bool& log) {
  std::vector<std::vector<double>> values;
  bool bars = false;
  for (const Series& s : chart.series) {
    if (s.right_axis != right) continue;
    values.push_back(s.y);
    if (!s.from.empty()) values.push_back(s.from);
    bars = bars || ((s.kind == SeriesKind::bars && s.from.empty()) || s.kind == SeriesKind::area);
  }
  log = axis.log;
  const Range data = data_range(values, log, axis.include_zero || bars);
  return log ? nice_log_range(data) : nice_range(data, max_ticks);
}

std::vector<double> ticks_of(Range range, bool log, int max_ticks) {
  return log ? log_ticks(range, max_ticks) : linear_ticks(range, max_ticks);
}

void dashed_line(ImDrawList* draw, ImVec2 a, ImVec2 b, ImU32 color, float thickness, float dash) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float length = std::sqrt(dx * dx + dy * dy);
  if (length <= 0) return;
  for (float t = 0; t < length; t += 2 * dash) {
    const float t1 = std::min(t + dash, length);
    draw->AddLine(ImVec2(a.x + dx * t / length, a.y + dy * t / length),
                  ImVec2(a.x + dx * t1 / length, a.y + dy * t1 / length), color, thickness);
  }
}

}  // namespace

void draw(const char* id, const Chart& chart, float width, float height, const Colors& colors) {
  ImGui::PushID(id);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  width = std::max(width, 120.0f);
  height = std::max(height, 100.0f);
  ImGui::InvisibleButton("chart", ImVec2(width, height));
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 end(origin.x + width, origin.y + height);
  if ((colors.background >> 24) != 0) draw->AddRectFilled(origin, end, colors.background);
  draw->PushClipRect(origin, end, true);

  const float line = ImGui::GetTextLineHeight();
  const float pad = line * 0.4f;
  float top = origin.y + pad;
  draw->AddText(ImVec2(origin.x + pad, top), colors.text, chart.title.c_str());
  top += line + pad;

  if (!chart.empty.empty() || chart.x.empty()) {
    const std::string text = chart.empty.empty() ? "Nothing to plot." : chart.empty;
    draw->AddText(nullptr, 0, ImVec2(origin.x + pad, top + line), colors.text, text.c_str(),
                  nullptr, width - 2 * pad);
    draw->PopClipRect();
    ImGui::PopID();
    return;
  }

  // Legend: a swatch and a label per series, wrapped to the width.
  float lx = origin.x + pad;
  for (const Series& s : chart.series) {
    const float w = line + ImGui::CalcTextSize(s.label.c_str()).x + line;
    if (lx + w > end.x - pad && lx > origin.x + pad) {
      lx = origin.x + pad;
      top += line + 2;
    }
    const ImVec2 a(lx, top + line * 0.25f), b(lx + line * 0.7f, top + line * 0.75f);
    if (s.kind == SeriesKind::line) {
      draw->AddLine(ImVec2(a.x, (a.y + b.y) / 2), ImVec2(b.x, (a.y + b.y) / 2), s.color, 2.5f);
    } else {
      draw->AddRectFilled(a, b, s.color);
    }
    draw->AddText(ImVec2(lx + line, top), colors.text, s.label.c_str());
    lx += w;
  }
  top += line + pad;

  // Axes: ranges first, then margins from the widest tick label.
  const int y_max_ticks = std::max(2, static_cast<int>((end.y - top) / (line * 2.2f)));
  Frame f;
  f.x = chart.x;
  const bool categorical = !chart.categories.empty();
  if (categorical) {
    f.x_range = {chart.x.front() - 0.5, chart.x.back() + 0.5};
  } else {
    f.x_log = chart.x_axis.log;
    const Range data = data_range(chart.x, f.x_log);
    f.x_range = f.x_log ? data : Range{data.min, data.max};
  }
  f.y_range[0] = axis_range(chart, false, chart.y_axis, y_max_ticks, f.y_log[0]);
  if (chart.y2_axis)
    f.y_range[1] = axis_range(chart, true, *chart.y2_axis, y_max_ticks, f.y_log[1]);
  const std::vector<double> y_ticks = ticks_of(f.y_range[0], f.y_log[0], y_max_ticks);
  const double y_step = f.y_log[0] ? 0 : tick_step(f.y_range[0], y_max_ticks);
  std::vector<double> y2_ticks;
  double y2_step = 0;
  if (chart.y2_axis) {
    y2_ticks = ticks_of(f.y_range[1], f.y_log[1], y_max_ticks);
    y2_step = f.y_log[1] ? 0 : tick_step(f.y_range[1], y_max_ticks);
  }
  auto tick_label = [](const Axis& axis, double v, double step, bool log) {
    return axis.tick_prefix + format_tick(v, log ? v : step) + axis.tick_suffix;
  };
  float left = 0, right = 0;
  for (double t : y_ticks) {
    left = std::max(left,
                    ImGui::CalcTextSize(tick_label(chart.y_axis, t, y_step, f.y_log[0]).c_str()).x);
  }
  for (double t : y2_ticks) {
    right = std::max(
        right, ImGui::CalcTextSize(tick_label(*chart.y2_axis, t, y2_step, f.y_log[1]).c_str()).x);
  }
  f.min = ImVec2(origin.x + pad + left + pad, top + line * 0.5f);
  f.max = ImVec2(end.x - pad - (chart.y2_axis ? right + pad : line), end.y - 2 * line - pad);
  if (f.max.x - f.min.x < 20 || f.max.y - f.min.y < 20) {
    draw->PopClipRect();
    ImGui::PopID();
    return;
  }

  // Grid and tick labels.
  for (double t : y_ticks) {
    const float y = f.py(t, 0);
    draw->AddLine(ImVec2(f.min.x, y), ImVec2(f.max.x, y), colors.grid);
    const std::string label = tick_label(chart.y_axis, t, y_step, f.y_log[0]);
    const float w = ImGui::CalcTextSize(label.c_str()).x;
    draw->AddText(ImVec2(f.min.x - pad - w, y - line / 2), colors.text, label.c_str());
  }
  for (double t : y2_ticks) {
    const float y = f.py(t, 1);
    const std::string label = tick_label(*chart.y2_axis, t, y2_step, f.y_log[1]);
    draw->AddText(ImVec2(f.max.x + pad, y - line / 2), colors.text, label.c_str());
  }
  const float x_label_y = f.max.y + pad / 2;
  if (categorical) {
    // Category names where they fit, every n-th otherwise.
    float widest = 0;
    for (const auto& c : chart.categories)
      widest = std::max(widest, ImGui::CalcTextSize(c.c_str()).x);
    const float slot = (f.max.x - f.min.x) / static_cast<float>(chart.x.size());
    const std::size_t every =
        std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((widest + pad) / slot)));
    for (std::size_t i = 0; i < chart.x.size() && i < chart.categories.size(); i += every) {
      const float w = ImGui::CalcTextSize(chart.categories[i].c_str()).x;
      draw->AddText(ImVec2(f.px(chart.x[i]) - w / 2, x_label_y), colors.text,
                    chart.categories[i].c_str());
    }
  } else {
    const int x_max_ticks = std::max(2, static_cast<int>((f.max.x - f.min.x) / (line * 5)));
    const std::vector<double> x_ticks = ticks_of(f.x_range, f.x_log, x_max_ticks);
    const double x_step = f.x_log ? 0 : tick_step(f.x_range, x_max_ticks);
    for (double t : x_ticks) {
      const float x = f.px(t);
      draw->AddLine(ImVec2(x, f.min.y), ImVec2(x, f.max.y), colors.grid);
      const std::string label = tick_label(chart.x_axis, t, x_step, f.x_log);
      const float w = ImGui::CalcTextSize(label.c_str()).x;
      draw->AddText(ImVec2(x - w / 2, x_label_y), colors.text, label.c_str());
    }
  }
  {
    const std::string x_title = chart.x_axis.label + (chart.x_axis.log ? " (log scale)" : "");
    const float w = ImGui::CalcTextSize(x_title.c_str()).x;
    draw->AddText(ImVec2((f.min.x + f.max.x - w) / 2, x_label_y + line), colors.axis,
                  x_title.c_str());
  }
  draw->AddRect(f.min, f.max, colors.axis);

  // Series: areas first (under everything), then bars, lines and points.
  draw->PushClipRect(ImVec2(f.min.x, f.min.y - 4), ImVec2(f.max.x, f.max.y + 1), true);
  const float slot = categorical ? (f.max.x - f.min.x) / static_cast<float>(chart.x.size()) : 0;
  for (int pass = 0; pass < 4; ++pass) {
    for (const Series& s : chart.series) {
      const int axis = s.right_axis ? 1 : 0;
      const auto n = std::min(s.y.size(), chart.x.size());
      if (pass == 0 && s.kind == SeriesKind::area) {
        const Series* below =
            s.stacked_on >= 0 && s.stacked_on < static_cast<int>(chart.series.size())
                ? &chart.series[s.stacked_on]
                : nullptr;
        const ImU32 fill = (s.color & 0x00ffffff) | 0x90000000;
        for (std::size_t i = 0; i + 1 < n; ++i) {
          const double a = s.y[i], b = s.y[i + 1];
          if (!std::isfinite(a) || !std::isfinite(b)) continue;
          const double base_a = below && i < below->y.size() ? below->y[i] : f.y_range[axis].min;
          const double base_b =
              below && i + 1 < below->y.size() ? below->y[i + 1] : f.y_range[axis].min;
          const float x0 = f.px(chart.x[i]), x1 = f.px(chart.x[i + 1]);
          draw->AddQuadFilled(ImVec2(x0, f.py(a, axis)), ImVec2(x1, f.py(b, axis)),
                              ImVec2(x1, f.py(std::isfinite(base_b) ? base_b : 0, axis)),
                              ImVec2(x0, f.py(std::isfinite(base_a) ? base_a : 0, axis)), fill);
          draw->AddLine(ImVec2(x0, f.py(a, axis)), ImVec2(x1, f.py(b, axis)), s.color, 1.5f);
        }
      } else if (pass == 1 && s.kind == SeriesKind::bars) {
        const float half = std::max(1.0f, (categorical ? slot : 8.0f) * 0.38f);
        const float axis_base = f.py(f.y_log[axis] ? f.y_range[axis].min : 0.0, axis);
        for (std::size_t i = 0; i < n; ++i) {
          if (!std::isfinite(s.y[i])) continue;
          const bool floating = i < s.from.size() && std::isfinite(s.from[i]);
          const float base = floating ? f.py(s.from[i], axis) : axis_base;
          const float x = f.px(chart.x[i]);
          const float y = f.py(s.y[i], axis);
          draw->AddRectFilled(ImVec2(x - half, std::min(y, base)),
                              ImVec2(x + half, std::max(y, base)), s.color);
        }
      } else if (pass == 2 && s.kind == SeriesKind::line) {
        for (std::size_t i = 0; i + 1 < n; ++i) {
          if (!std::isfinite(s.y[i]) || !std::isfinite(s.y[i + 1])) continue;
          if (f.y_log[axis] && (s.y[i] <= 0 || s.y[i + 1] <= 0)) continue;
          const ImVec2 a(f.px(chart.x[i]), f.py(s.y[i], axis));
          const ImVec2 b(f.px(chart.x[i + 1]), f.py(s.y[i + 1], axis));
          if (s.dashed) {
            dashed_line(draw, a, b, s.color, 2.0f, 5.0f);
          } else {
            draw->AddLine(a, b, s.color, 2.0f);
          }
        }
      } else if (pass == 3 && s.kind == SeriesKind::points) {
        for (std::size_t i = 0; i < n; ++i) {
          if (!std::isfinite(s.y[i])) continue;
          const ImVec2 c(f.px(chart.x[i]), f.py(s.y[i], axis) - line * 0.35f);
          const float r = line * 0.3f;
          draw->AddLine(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), s.color, 2.0f);
          draw->AddLine(ImVec2(c.x - r, c.y + r), ImVec2(c.x + r, c.y - r), s.color, 2.0f);
        }
      }
    }
  }
  if (chart.marker && std::isfinite(*chart.marker)) {
    const float x = f.px(*chart.marker);
    dashed_line(draw, ImVec2(x, f.min.y), ImVec2(x, f.max.y), colors.marker, 1.0f, 3.0f);
  }
  draw->PopClipRect();

  // The values under the cursor.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (hovered && mouse.x >= f.min.x && mouse.x <= f.max.x && mouse.y >= f.min.y - 4 &&
      mouse.y <= f.max.y) {
    const double x = from_fraction((mouse.x - f.min.x) / (f.max.x - f.min.x), f.x_range, f.x_log);
    if (const auto i = nearest_index(chart.x, x, f.x_log)) {
      const float px = f.px(chart.x[*i]);
      draw->AddLine(ImVec2(px, f.min.y), ImVec2(px, f.max.y), colors.axis);
      ImGui::BeginTooltip();
      const std::string where = categorical && *i < chart.categories.size()
                                    ? chart.categories[*i]
                                    : format_value(chart.x_axis, chart.x[*i], 1);
      ImGui::Text("%s: %s", chart.x_axis.label.c_str(), where.c_str());
      for (const Series& s : chart.series) {
        const Axis& axis = s.right_axis && chart.y2_axis ? *chart.y2_axis : chart.y_axis;
        const std::vector<double>& values = s.raw.empty() ? s.y : s.raw;
        const double v = *i < values.size() ? values[*i] : std::nan("");
        if (!std::isfinite(v) && s.kind == SeriesKind::bars) continue;
        ImGui::ColorButton(s.label.c_str(), ImGui::ColorConvertU32ToFloat4(s.color),
                           ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoDragDrop,
                           ImVec2(line * 0.7f, line * 0.7f));
        ImGui::SameLine();
        ImGui::Text("%s: %s", s.label.c_str(),
                    format_value(axis, v, s.right_axis ? y2_step : y_step).c_str());
      }
      ImGui::EndTooltip();
    }
  }
  draw->PopClipRect();
  ImGui::PopID();
}

}  // namespace charts
