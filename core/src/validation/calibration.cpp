// Calibration: Nelder-Mead over the efficiency factors against measurements (calibration.hpp).
#include "pertoken/validation/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include <nlohmann/json.hpp>

#include "pertoken/scenario/scenario.hpp"
#include "pertoken/serving/estimate.hpp"

namespace pertoken {
namespace {

// A fitted factor: its bounds, whether it is searched on a log scale, and the spread of its prior
// (absolute, or in natural-log units for log-scaled factors). An engine dimension is one engine's
// multiplier on a factor (EfficiencyFactors::engine_scale[engine][scaled]).
struct Dimension {
  double EfficiencyFactors::*member;
  double low;
  double high;
  bool log_scale;
  double prior_spread;
  int engine = -1;  // >= 0: an engine multiplier
  int scaled = -1;  // its index in engine_scaled_fields()
};

double& value_of(EfficiencyFactors& f, const Dimension& d) {
  if (d.engine >= 0) return f.engine_scale[d.engine][d.scaled];
  return f.*(d.member);
}

double value_of(const EfficiencyFactors& f, const Dimension& d) {
  return value_of(const_cast<EfficiencyFactors&>(f), d);
}

const std::vector<Dimension>& dimensions() {
  static const std::vector<Dimension> dims = [] {
    std::vector<Dimension> d{
        {&EfficiencyFactors::memory_bandwidth_fraction, 0.5, 0.95, false, 0.05},
        {&EfficiencyFactors::compute_fraction, 0.3, 1.0, false, 0.1},
        {&EfficiencyFactors::expert_compute_fraction, 0.15, 1.0, false, 0.2},
        {&EfficiencyFactors::non_tensor_work_share, 0.0, 1.0, false, 0.15},
        {&EfficiencyFactors::layer_overhead_s, 1e-6, 2e-4, true, 1.0},
        {&EfficiencyFactors::step_overhead_s, 1e-6, 3e-3, true, 1.0},
        {&EfficiencyFactors::request_overhead_s, 1e-5, 6e-3, true, 1.0},
        {&EfficiencyFactors::collective_latency_s, 2e-6, 8e-5, true, 0.7},
        {&EfficiencyFactors::roofline_sharpness, 1.2, 8.0, true, 0.5},
        {&EfficiencyFactors::prefill_layer_overhead_s, 1e-6, 5e-3, true, 1.5},
        {&EfficiencyFactors::moe_layer_overhead_s, 1e-7, 1e-3, true, 1.5},
        {&EfficiencyFactors::dequant_work_share, 0.0, 2.0, false, 0.3},
        {&EfficiencyFactors::mla_attention_fraction, 0.05, 1.0, false, 0.15},
    };
    // Each engine's multipliers, pulled toward 1 (the shared fit) with a spread of e (one
    // natural-log unit): an engine departs from the others only as far as its rows demand.
    for (int engine = 0; engine < num_engines; ++engine) {
      for (int i = 0; i < static_cast<int>(num_engine_scaled_fields); ++i) {
        d.push_back({engine_scaled_fields()[static_cast<std::size_t>(i)], 0.02, 50.0, true, 1.0,
                     engine, i});
      }
    }
    return d;
  }();
  return dims;
}

// A fitted factor's JSON name, from the one table of factors (efficiency.cpp).
std::string_view name_of(double EfficiencyFactors::*member) {
  for (const EfficiencyField& field : efficiency_fields()) {
    if (field.member == member) return field.name;
  }
  return "";
}

std::string name_of(const Dimension& d) {
  if (d.engine < 0) return std::string(name_of(d.member));
  return std::string(to_string(static_cast<Engine>(d.engine))) + "." +
         std::string(name_of(d.member));
}

using Point = std::vector<double>;

EfficiencyFactors decode(const Point& x, EfficiencyFactors base) {
  const auto& dims = dimensions();
  for (std::size_t i = 0; i < dims.size(); ++i) {
    const Dimension& d = dims[i];
    const double t = std::clamp(x[i], 0.0, 1.0);
    value_of(base, d) = d.log_scale
                            ? std::exp(std::log(d.low) + t * (std::log(d.high) - std::log(d.low)))
                            : d.low + t * (d.high - d.low);
  }
  return base;
}

Point encode(const EfficiencyFactors& f) {
  Point x;
  for (const Dimension& d : dimensions()) {
    const double v = std::clamp(value_of(f, d), d.low, d.high);
    x.push_back(d.log_scale ? (std::log(v) - std::log(d.low)) / (std::log(d.high) - std::log(d.low))
                            : (v - d.low) / (d.high - d.low));
  }
  return x;
}

double prior_penalty(const EfficiencyFactors& f, const EfficiencyFactors& center) {
  double sum = 0;
  for (const Dimension& d : dimensions()) {
    const double value = value_of(f, d);
    const double mean = value_of(center, d);
    const double z = d.log_scale ? (std::log(value) - std::log(mean)) / d.prior_spread
                                 : (value - mean) / d.prior_spread;
    sum += z * z;
  }
  return sum / static_cast<double>(dimensions().size());
}

struct PreparedRow {
  std::optional<Scenario> scenario;
  std::string metric;
  double measured = 0;
};

// Mean |ln(predicted / measured)|; a row without a prediction costs 1 (a factor of e).
double data_loss(const std::vector<PreparedRow>& rows, const EfficiencyFactors& f) {
  double sum = 0;
  for (const PreparedRow& row : rows) {
    std::optional<double> predicted;
    if (row.scenario) {
      const Estimate e = estimate(*row.scenario, f);
      if (e.fits) predicted = estimate_metric(e, row.metric);
    }
    sum += capped_log_error(predicted, row.measured);
  }
  return rows.empty() ? 0.0 : sum / static_cast<double>(rows.size());
}

// The k-th scattered start: each factor moved from `center` by up to its prior spread, by a
// deterministic sequence (splitmix64), so that every run and platform searches the same starts.
Point scattered_start(const Point& center, int k) {
  const auto& dims = dimensions();
  Point p = center;
  std::uint64_t state = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(k);
  for (std::size_t i = 0; i < dims.size(); ++i) {
    state += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    const double u = static_cast<double>(z >> 11) / 9007199254740992.0 * 2.0 - 1.0;  // [-1, 1)
    const Dimension& d = dims[i];
    const double box_spread = d.log_scale ? d.prior_spread / (std::log(d.high) - std::log(d.low))
                                          : d.prior_spread / (d.high - d.low);
    p[i] = std::clamp(center[i] + u * box_spread, 0.0, 1.0);
  }
  return p;
}

// Nelder-Mead (Nelder & Mead 1965) with the standard coefficients: reflect 1, expand 2,
// contract 0.5, shrink 0.5; the initial simplex steps 0.1 along each axis of the unit box.
// With many dimensions the simplex collapses early, so the search restarts from its best point
// with a fresh simplex (options.restarts times).
struct SearchResult {
  Point best;
  double best_value = 0;
  double start_value = 0;  // the loss at the search's starting point
};

template <typename Loss>
SearchResult nelder_mead(const Point& from, Loss& loss, const CalibrationOptions& options) {
  const std::size_t n = from.size();
  std::vector<Point> simplex;
  std::vector<double> values;
  auto start_simplex = [&](Point origin) {  // by value: `origin` may be a point of `simplex`
    simplex.assign(1, origin);
    for (std::size_t i = 0; i < n; ++i) {
      Point p = origin;
      p[i] += p[i] > 0.9 ? -0.1 : 0.1;
      simplex.push_back(p);
    }
    values.clear();
    for (const Point& p : simplex) values.push_back(loss(p));
  };
  start_simplex(from);
  const double start_value = values.front();
  auto along = [&](const Point& origin, const Point& to, double t) {
    Point p(n);
    for (std::size_t j = 0; j < n; ++j) p[j] = origin[j] + t * (to[j] - origin[j]);
    return p;
  };
  auto best_index = [&] {
    return static_cast<std::size_t>(std::min_element(values.begin(), values.end()) -
                                    values.begin());
  };
  for (int round = 0; round <= options.restarts; ++round) {
    if (round > 0) start_simplex(simplex[best_index()]);
    for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
      std::vector<std::size_t> order(n + 1);
      for (std::size_t i = 0; i <= n; ++i) order[i] = i;
      std::sort(order.begin(), order.end(),
                [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
      std::vector<Point> sorted_simplex;
      std::vector<double> sorted_values;
      for (std::size_t i : order) {
        sorted_simplex.push_back(simplex[i]);
        sorted_values.push_back(values[i]);
      }
      simplex = std::move(sorted_simplex);
      values = std::move(sorted_values);
      Point centroid(n, 0.0);
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) centroid[j] += simplex[i][j] / static_cast<double>(n);
      }
      const Point reflected = along(centroid, simplex.back(), -1.0);
      const double reflected_value = loss(reflected);
      if (reflected_value < values.front()) {
        const Point expanded = along(centroid, simplex.back(), -2.0);
        const double expanded_value = loss(expanded);
        if (expanded_value < reflected_value) {
          simplex.back() = expanded;
          values.back() = expanded_value;
        } else {
          simplex.back() = reflected;
          values.back() = reflected_value;
        }
      } else if (reflected_value < values[n - 1]) {
        simplex.back() = reflected;
        values.back() = reflected_value;
      } else {
        const Point contracted = along(centroid, simplex.back(), 0.5);
        const double contracted_value = loss(contracted);
        if (contracted_value < values.back()) {
          simplex.back() = contracted;
          values.back() = contracted_value;
        } else {
          for (std::size_t i = 1; i <= n; ++i) {
            simplex[i] = along(simplex.front(), simplex[i], 0.5);
            values[i] = loss(simplex[i]);
          }
        }
      }
    }
  }
  const std::size_t best = best_index();
  return {simplex[best], values[best], start_value};
}

}  // namespace

bool valid_prior_weight(double weight) { return std::isfinite(weight) && weight >= 0; }

bool valid_calibration_starts(long starts) {
  return starts >= 1 && starts <= max_calibration_starts;
}

std::vector<std::string> fitted_efficiency_names() {
  std::vector<std::string> names;
  for (const Dimension& d : dimensions()) names.push_back(name_of(d));
  return names;
}

std::optional<double> estimate_metric(const Estimate& e, std::string_view key) {
  if (key == "ttft_seconds") return e.ttft_s;
  if (key == "tpot_seconds") return e.tpot_s;
  if (key == "e2e_latency_seconds") return e.e2e_latency_s;
  if (key == "output_tokens_per_second") return e.output_tokens_per_s;
  if (key == "output_tokens_per_second_per_gpu") return e.output_tokens_per_s_per_gpu;
  if (key == "input_tokens_per_second") return e.input_tokens_per_s;
  if (key == "tokens_per_second_per_user") return e.tokens_per_s_per_user;
  if (key == "requests_per_second") return e.requests_per_s;
  if (key == "max_concurrency") return static_cast<double>(e.max_concurrency);
  return std::nullopt;
}

CalibrationResult calibrate(const std::vector<Measurement>& measurements, const Catalog& catalog,
                            const CalibrationOptions& options) {
  std::vector<PreparedRow> rows;
  for (const Measurement& m : measurements) {
    PreparedRow row;
    row.metric = m.metric;
    row.measured = m.value;
    Result<Scenario> parsed = parse_scenario(measurement_scenario_json(m), catalog);
    if (parsed.ok()) row.scenario = parsed.value();
    rows.push_back(std::move(row));
  }
  CalibrationResult result;
  auto loss = [&](const Point& x) {
    ++result.evaluations;
    const EfficiencyFactors f = decode(x, options.start);
    return data_loss(rows, f) + options.prior_weight * prior_penalty(f, options.prior_center);
  };

  // Each start searches on its own; the lowest loss wins (ties: the earlier start), so one start
  // is the search from options.start alone.
  const Point center = encode(options.start);
  Point best_point;
  double best_value = 0;
  for (int start = 0; start < std::max(1, options.starts); ++start) {
    const Point from = start == 0 ? center : scattered_start(center, start);
    SearchResult search = nelder_mead(from, loss, options);
    if (start == 0) result.loss_before = search.start_value;
    if (start == 0 || search.best_value < best_value) {
      best_point = std::move(search.best);
      best_value = search.best_value;
    }
  }
  result.fitted = decode(best_point, options.start);
  result.loss_after = best_value;

  Catalog before = catalog;
  before.efficiency = options.start;
  result.before = validate_measurements(measurements, before);
  Catalog after = catalog;
  after.efficiency = result.fitted;
  result.after = validate_measurements(measurements, after);
  return result;
}

std::string efficiency_overlay_json(const EfficiencyFactors& factors) {
  // Four significant digits: a stable overlay that round-trips to the same predictions.
  auto rounded = [](double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", value);
    return std::strtod(buffer, nullptr);
  };
  nlohmann::ordered_json efficiency;
  nlohmann::ordered_json engines;
  for (const Dimension& d : dimensions()) {
    if (d.engine < 0) {
      efficiency[std::string(name_of(d.member))] = rounded(value_of(factors, d));
    } else {
      engines[std::string(to_string(static_cast<Engine>(d.engine)))]
             [std::string(name_of(d.member))] = rounded(value_of(factors, d));
    }
  }
  efficiency["engine_scale"] = engines;
  return nlohmann::ordered_json{{"efficiency", efficiency}}.dump(2);
}

}  // namespace pertoken
