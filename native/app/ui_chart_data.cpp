// The charts' data (see ui_panels.hpp): the calculator's four sweeps, the plan's Pareto front and
// savings waterfall and its best's tornado, as charts::Chart for charts.cpp to draw.
#include <algorithm>
#include <cmath>
#include <tuple>

#include "format.hpp"
#include "pertoken/plan/plan_words.hpp"
#include "ui_panels.hpp"

namespace pertoken::app::panels {

namespace {

// Memory is charted in GiB (ticks at round GiB), read out as format_bytes shows it.
constexpr double bytes_per_gib = 1073741824.0;
std::string format_gib(double gib) { return format_bytes(gib * bytes_per_gib); }

std::vector<double> points_of(const Json& sweep, const char* key) {
  std::vector<double> values;
  if (!sweep.is_object() || !sweep.contains("points")) return values;
  for (const Json& p : sweep["points"]) values.push_back(number_at(p, key));
  return values;
}

std::vector<double> memory_gib_of(const Json& sweep, const char* key) {
  std::vector<double> values;
  if (!sweep.is_object() || !sweep.contains("points")) return values;
  for (const Json& p : sweep["points"]) {
    values.push_back(p.contains("memory") ? number_at(p["memory"], key) / bytes_per_gib
                                          : nan_value);
  }
  return values;
}

charts::Axis axis(std::string label, bool log, charts::Formatter format = {},
                  std::string prefix = "", std::string suffix = "") {
  charts::Axis a;
  a.label = std::move(label);
  a.log = log;
  a.format = std::move(format);
  a.tick_prefix = std::move(prefix);
  a.tick_suffix = std::move(suffix);
  return a;
}

void chart_frame(charts::Chart& chart, const Json& sweep, bool log_x) {
  chart.x = points_of(sweep, "x");
  const Json& x = sweep.is_object() && sweep.contains("x") ? sweep["x"] : Json();
  std::string label = string_at(x, "label");
  const std::string unit = string_at(x, "unit");
  if (!unit.empty()) label += " (" + unit + ")";
  chart.x_axis = axis(label, log_x, format_number);
  if (sweep.is_object() && sweep.contains("marker")) {
    const double m = number_of(sweep["marker"]);
    if (std::isfinite(m)) chart.marker = m;
  }
  chart.empty = string_at(sweep, "empty");
  if (!sweep.is_object()) chart.empty = "No data yet.";
}

charts::Series series(std::string label, std::vector<double> y, charts::SeriesKind kind,
                      ImU32 color, bool right = false) {
  charts::Series s;
  s.label = std::move(label);
  s.y = std::move(y);
  s.kind = kind;
  s.color = color;
  s.right_axis = right;
  return s;
}

}  // namespace

// The four charts, each from one of the core's sweeps (as the web page's chart-data.ts maps them).
charts::Chart calculator_chart(const Model& model, SweepKind kind, bool dark) {
  using charts::SeriesKind;
  charts::Chart c;
  const Json& sweep = model.sweep(kind);
  switch (kind) {
    case SweepKind::batching:
      c.title = "Batching trade-off";
      chart_frame(c, sweep, true);
      c.y_axis = axis("$ per million tokens", true, format_usd, "$");
      c.y2_axis = axis("Tokens/s per user", false, format_number);
      c.y2_axis->include_zero = true;
      c.series.push_back(series("$ per million tokens", points_of(sweep, "usd_per_million_tokens"),
                                SeriesKind::line, palette(0, dark)));
      c.series.push_back(series("Tokens/s per user", points_of(sweep, "tokens_per_second_per_user"),
                                SeriesKind::line, palette(1, dark), true));
      break;
    case SweepKind::memory: {
      c.title = "Memory per GPU";
      chart_frame(c, sweep, true);
      c.y_axis = axis("Memory per GPU", false, format_gib, "", " GiB");
      c.y_axis.include_zero = true;
      const std::tuple<const char*, const char*, int> stack[] = {
          {"Weights", "weights_bytes", 2},
          {"Activations", "activation_bytes", 3},
          {"Runtime reserve", "runtime_reserved_bytes", 4},
          {"KV cache in use", "kv_cache_used_bytes", 0}};
      std::vector<double> below(c.x.size(), 0.0);
      int index = 0;
      for (const auto& [label, key, color] : stack) {
        std::vector<double> raw = memory_gib_of(sweep, key);
        std::vector<double> top(raw.size());
        for (std::size_t i = 0; i < raw.size(); ++i) {
          top[i] = (std::isfinite(raw[i]) ? raw[i] : 0) + (i < below.size() ? below[i] : 0);
        }
        charts::Series s = series(label, top, SeriesKind::area, palette(color, dark));
        s.raw = raw;
        s.stacked_on = index - 1;
        c.series.push_back(std::move(s));
        if (index < 3) below = top;
        ++index;
      }
      // The KV pool sits on weights + workspace + reserve: drawn where it ends, read as its size.
      std::vector<double> pool = memory_gib_of(sweep, "kv_cache_pool_bytes");
      std::vector<double> pool_top(pool.size());
      for (std::size_t i = 0; i < pool.size(); ++i) pool_top[i] = pool[i] + below[i];
      charts::Series limit = series("KV pool limit", pool_top, SeriesKind::line, palette(1, dark));
      limit.raw = pool;
      limit.dashed = true;
      c.series.push_back(std::move(limit));
      c.series.push_back(series("Capacity", memory_gib_of(sweep, "capacity_bytes"),
                                SeriesKind::line, palette(5, dark)));
      break;
    }
    case SweepKind::context:
      c.title = "Context length";
      chart_frame(c, sweep, true);
      c.y_axis = axis("Time to first token", true, format_seconds, "", " s");
      c.y2_axis = axis("$ per million tokens", false, format_usd, "$");
      c.y2_axis->include_zero = true;
      c.series.push_back(series("Time to first token", points_of(sweep, "ttft_seconds"),
                                SeriesKind::line, palette(1, dark)));
      c.series.push_back(series("$ per million tokens", points_of(sweep, "usd_per_million_tokens"),
                                SeriesKind::line, palette(0, dark), true));
      break;
    case SweepKind::gpus: {
      c.title = "Accelerator comparison (cheapest layout each)";
      chart_frame(c, sweep, false);
      c.x_axis.label = "Accelerator";
      c.y_axis = axis("$ per million tokens", false, format_usd, "$");
      c.y_axis.include_zero = true;
      std::vector<double> others, mine, no_fit, unknown;
      if (sweep.is_object() && sweep.contains("points")) {
        for (const Json& p : sweep["points"]) {
          c.categories.push_back(string_at(p, "gpu"));
          const std::string status = string_at(p, "status");
          const double cost = status == "fits" ? number_at(p, "usd_per_million_tokens") : nan_value;
          const bool selected = p.value("selected", false);
          others.push_back(selected ? nan_value : cost);
          mine.push_back(selected ? cost : nan_value);
          no_fit.push_back(status == "does_not_fit" ? 0 : nan_value);
          unknown.push_back(status == "unknown" ? 0 : nan_value);
        }
      }
      c.series.push_back(
          series("$ per million tokens", others, SeriesKind::bars, palette(0, dark)));
      c.series.push_back(series("Your accelerator", mine, SeriesKind::bars, palette(1, dark)));
      c.series.push_back(series("Does not fit", no_fit, SeriesKind::points, palette(5, dark)));
      c.series.push_back(
          series("Cannot be estimated", unknown, SeriesKind::points, palette(2, dark)));
      c.marker.reset();
      break;
    }
  }
  return c;
}

charts::Chart pareto_chart(const Json& plan, bool dark) {
  charts::Chart c;
  c.title = "Pareto: throughput per GPU against speed per user";
  c.x_axis = axis("Tokens/s per user", true, format_number);
  c.y_axis = axis("Output tokens/s per GPU", false, format_number);
  c.y_axis.include_zero = true;
  const Json& pareto = plan.contains("pareto") ? plan["pareto"] : Json();
  const Json& points = pareto.is_object() && pareto.contains("throughput_vs_interactivity")
                           ? pareto["throughput_vs_interactivity"]
                           : Json::array();
  // Drawn left to right (the frontier's order on the x axis).
  std::vector<std::pair<double, const Json*>> order;
  for (const Json& p : points) order.push_back({number_at(p, "tokens_per_second_per_user"), &p});
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<double> y;
  for (const auto& [x, p] : order) {
    c.x.push_back(x);
    y.push_back(number_at(*p, "output_tokens_per_second_per_gpu"));
  }
  charts::Series line = series("Pareto frontier", y, charts::SeriesKind::line, palette(0, dark));
  charts::Series marks =
      series("Its configurations", y, charts::SeriesKind::points, palette(1, dark));
  c.series = {line, marks};
  if (c.x.empty()) c.empty = "No Pareto points in this plan.";
  return c;
}

charts::Chart waterfall_chart(const Json& plan, bool dark) {
  charts::Chart c;
  const Json& w = plan.contains("waterfall") ? plan["waterfall"] : Json();
  c.title = "Savings waterfall: $ per million tokens after each lever";
  c.x_axis = axis("Lever, in sequence", false);
  c.y_axis = axis("$ per million tokens", true, format_usd, "$");
  std::vector<double> y, from;
  c.categories.push_back("baseline");
  c.x.push_back(1);
  y.push_back(number_at(w, "baseline_usd_per_million_tokens"));
  from.push_back(nan_value);
  if (w.is_object() && w.contains("steps")) {
    for (const Json& step : w["steps"]) {
      c.categories.push_back(std::string(lever_words(string_at(step, "lever"))));
      c.x.push_back(static_cast<double>(c.x.size() + 1));
      from.push_back(y.back());
      y.push_back(number_at(step, "usd_per_million_tokens_after"));
    }
  }
  charts::Series bars =
      series("$ per million tokens", y, charts::SeriesKind::bars, palette(2, dark));
  bars.from = from;
  c.series.push_back(std::move(bars));
  if (!w.is_object()) c.empty = "No waterfall in this plan.";
  return c;
}

// The tornado: $ per million tokens with each input at its low and its high value (the core's
// sensitivity analysis of the plan's best configuration, the plan JSON's "sensitivity", at the
// fleet's utilization and price), widest swing first.
charts::Chart tornado_chart(const Json& sensitivity, bool dark) {
  charts::Chart c;
  c.title = "Tornado: $ per million tokens as each input moves";
  c.x_axis = axis("Input (low -> high)", false);
  c.y_axis = axis("$ per million tokens", false, format_usd, "$");
  std::vector<double> low, high, base;
  const double at_base = number_at(sensitivity, "usd_per_million_tokens");
  if (sensitivity.is_object() && sensitivity.contains("tornado")) {
    for (const Json& bar : sensitivity["tornado"]) {
      c.categories.push_back(string_at(bar, "input"));
      c.x.push_back(static_cast<double>(c.x.size() + 1));
      low.push_back(number_at(bar, "usd_per_million_tokens_at_low"));
      high.push_back(number_at(bar, "usd_per_million_tokens_at_high"));
      base.push_back(at_base);
    }
  }
  charts::Series at_low =
      series("Input at its low value", low, charts::SeriesKind::bars, palette(0, dark));
  at_low.from = base;
  charts::Series at_high =
      series("Input at its high value", high, charts::SeriesKind::bars, palette(1, dark));
  at_high.from = base;
  c.series = {at_low, at_high,
              series("The best configuration", base, charts::SeriesKind::line, palette(5, dark))};
  if (c.x.empty()) c.empty = "No tornado: no configuration meets the SLA.";
  return c;
}

}  // namespace pertoken::app::panels
