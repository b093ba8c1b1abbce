// Calibration: Nelder-Mead over the efficiency factors against measurements (calibration.hpp).
#include "pertoken/validation/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include <nlohmann/json.hpp>

#include "pertoken/model/engine_profile.hpp"
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
        {&EfficiencyFactors::mla_layer_overhead_ratio, 0.5, 4.0, true, 0.5},
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

// A factor by its name: a fitted one (fitted_efficiency_names()) or any other efficiency field,
// so that a stage can leave out a mechanism the fit does not search; nullptr for other names.
double* factor_by_name(EfficiencyFactors& f, std::string_view name) {
  for (const Dimension& d : dimensions()) {
    if (name_of(d) == name) return &value_of(f, d);
  }
  for (const EfficiencyField& field : efficiency_fields()) {
    if (field.name == name) return &(f.*(field.member));
  }
  return nullptr;
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

// Mean squared z-score of the fitted factors (`active`: their indices in dimensions()) from
// `center`; held factors sit at their start and are not the search's to move.
double prior_penalty(const EfficiencyFactors& f, const EfficiencyFactors& center,
                     const std::vector<std::size_t>& active) {
  if (active.empty()) return 0.0;
  double sum = 0;
  for (std::size_t i : active) {
    const Dimension& d = dimensions()[i];
    const double value = value_of(f, d);
    const double mean = value_of(center, d);
    const double z = d.log_scale ? (std::log(value) - std::log(mean)) / d.prior_spread
                                 : (value - mean) / d.prior_spread;
    sum += z * z;
  }
  return sum / static_cast<double>(active.size());
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

// The k-th scattered start: each fitted factor (`active`) moved from `center` by up to its prior
// spread, by a deterministic sequence (splitmix64), so that every run and platform searches the
// same starts. The sequence runs over every dimension, so a factor's move does not depend on
// which others are held.
Point scattered_start(const Point& center, int k, const std::vector<std::size_t>& active) {
  const auto& dims = dimensions();
  Point full(dims.size(), 0.0);
  std::uint64_t state = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(k);
  for (std::size_t i = 0; i < dims.size(); ++i) {
    state += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    full[i] = static_cast<double>(z >> 11) / 9007199254740992.0 * 2.0 - 1.0;  // [-1, 1)
  }
  Point p = center;
  for (std::size_t j = 0; j < active.size(); ++j) {
    const Dimension& d = dims[active[j]];
    const double box_spread = d.log_scale ? d.prior_spread / (std::log(d.high) - std::log(d.low))
                                          : d.prior_spread / (d.high - d.low);
    p[j] = std::clamp(center[j] + full[active[j]] * box_spread, 0.0, 1.0);
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

std::optional<std::string> unknown_fitted_name(const std::vector<std::string>& names) {
  const std::vector<std::string> known = fitted_efficiency_names();
  for (const std::string& name : names) {
    if (std::find(known.begin(), known.end(), name) == known.end()) return name;
  }
  return std::nullopt;
}

std::vector<std::string> held_all_but(const std::vector<std::string>& fitted) {
  std::vector<std::string> held;
  for (const std::string& name : fitted_efficiency_names()) {
    if (std::find(fitted.begin(), fitted.end(), name) == fitted.end()) held.push_back(name);
  }
  return held;
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

namespace {

CalibrationResult search_once(const std::vector<Measurement>& measurements, const Catalog& catalog,
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
  // The search moves the fitted factors only: a point holds their coordinates, in dimensions()
  // order, and the held ones keep their start values.
  const Point full_start = encode(options.start);
  std::vector<std::size_t> active;
  for (std::size_t i = 0; i < dimensions().size(); ++i) {
    const std::string name = name_of(dimensions()[i]);
    if (std::find(options.held.begin(), options.held.end(), name) == options.held.end())
      active.push_back(i);
  }
  // The factors at search point x: held ones exactly at their start (not round-tripped through
  // the box, which would clamp a start outside the search's bounds).
  auto factors_at = [&](const Point& x) {
    Point full = full_start;
    for (std::size_t j = 0; j < active.size(); ++j) full[active[j]] = x[j];
    EfficiencyFactors f = decode(full, options.start);
    std::size_t next_active = 0;
    for (std::size_t i = 0; i < dimensions().size(); ++i) {
      if (next_active < active.size() && active[next_active] == i) {
        ++next_active;
      } else {
        value_of(f, dimensions()[i]) = value_of(options.start, dimensions()[i]);
      }
    }
    return f;
  };
  CalibrationResult result;
  auto loss = [&](const Point& x) {
    ++result.evaluations;
    const EfficiencyFactors f = factors_at(x);
    return data_loss(rows, f) +
           options.prior_weight * prior_penalty(f, options.prior_center, active);
  };

  // Each start searches on its own; the lowest loss wins (ties: the earlier start), so one start
  // is the search from options.start alone. With every factor held there is nothing to search.
  Point center;
  for (std::size_t i : active) center.push_back(full_start[i]);
  Point best_point = center;
  double best_value = 0;
  if (active.empty()) {
    best_value = result.loss_before = loss(center);
  } else {
    for (int start = 0; start < std::max(1, options.starts); ++start) {
      const Point from = start == 0 ? center : scattered_start(center, start, active);
      SearchResult search = nelder_mead(from, loss, options);
      if (start == 0) result.loss_before = search.start_value;
      if (start == 0 || search.best_value < best_value) {
        best_point = std::move(search.best);
        best_value = search.best_value;
      }
    }
  }
  result.fitted = factors_at(best_point);
  result.loss_after = best_value;
  return result;
}

}  // namespace

CalibrationResult calibrate(const std::vector<Measurement>& measurements, const Catalog& catalog,
                            const CalibrationOptions& options) {
  CalibrationOptions first = options;
  for (const auto& [name, value] : options.first_stage_values) {
    if (double* factor = factor_by_name(first.start, name)) *factor = value;
    first.held.push_back(name);
  }
  CalibrationResult result = search_once(measurements, catalog, first);
  if (!options.then_fit.empty()) {
    CalibrationOptions second = options;
    second.start = result.fitted;
    EfficiencyFactors original = options.start;
    for (const auto& entry : options.first_stage_values) {
      double* factor = factor_by_name(second.start, entry.first);
      if (factor) *factor = *factor_by_name(original, entry.first);
    }
    second.prior_center = second.start;
    second.held = held_all_but(options.then_fit);
    second.first_stage_values.clear();
    second.then_fit.clear();
    second.starts = 1;
    const CalibrationResult stage = search_once(measurements, catalog, second);
    result.fitted = stage.fitted;
    result.loss_after = stage.loss_after;
    result.evaluations += stage.evaluations;
  }

  Catalog before = catalog;
  before.efficiency = options.start;
  result.before = validate_measurements(measurements, before);
  Catalog after = catalog;
  after.efficiency = result.fitted;
  result.after = validate_measurements(measurements, after);
  return result;
}

CalibrationOptions documented_calibration_options() {
  CalibrationOptions options;
  options.start = physical_priors();
  options.prior_center = physical_priors();
  // The mechanisms left out of the first stage: the MLA layers' extra fixed costs and each
  // expert's padding to the grouped GEMM's tile (1 row: none).
  options.first_stage_values = {{"mla_layer_overhead_ratio", 1.0}, {"grouped_gemm_tile_rows", 1.0}};
  // Factors only MoE or MLA layers use: no dense row moves them.
  options.then_fit = {"expert_compute_fraction", "moe_layer_overhead_s", "dequant_work_share",
                      "mla_attention_fraction"};
  const std::vector<EngineProfile>& profiles = engine_profiles();
  for (std::size_t engine = 0; engine < profiles.size(); ++engine) {
    if (profiles[engine].dense_runs_fitted_on >= min_dense_runs_fitted_on) continue;
    for (double EfficiencyFactors::*member : engine_scaled_fields()) {
      options.then_fit.push_back(profiles[engine].id + "." + std::string(name_of(member)));
    }
  }
  return options;
}

Result<CalibrationOptions> calibration_options(const CalibrationRequest& request,
                                               const EfficiencyFactors& catalog_efficiency) {
  Diagnostics errors;
  auto check_names = [&](const std::optional<std::vector<std::string>>& names,
                         std::string_view key) {
    if (!names) return;
    if (const auto unknown = unknown_fitted_name(*names)) {
      std::string known;
      for (const std::string& name : fitted_efficiency_names()) known += " " + name;
      errors.push_back({ErrorCode::invalid_value, "/" + std::string(key),
                        "'" + *unknown + "' is not a fitted factor; they are:" + known});
    }
  };
  check_names(request.fit, "fit");
  check_names(request.hold, "hold");
  check_names(request.then_fit, "then_fit");
  if (request.fit && request.hold) {
    errors.push_back({ErrorCode::inconsistent, "/hold",
                      "not with fit: fit names the factors fitted, hold those kept, give one"});
  }
  if (request.prior_weight && !valid_prior_weight(*request.prior_weight)) {
    errors.push_back({ErrorCode::out_of_range, "/prior_weight", "must be a number >= 0"});
  }
  if (request.starts && !valid_calibration_starts(*request.starts)) {
    errors.push_back(
        {ErrorCode::out_of_range, "/starts",
         "must be a whole number from 1 to " + std::to_string(max_calibration_starts)});
  }
  if (!errors.empty()) return errors;

  CalibrationOptions options;
  if (request.from_priors) {
    options = documented_calibration_options();
    if (request.fit || request.hold || request.then_fit) {
      options.first_stage_values.clear();
      options.then_fit.clear();
    }
  } else {
    options.start = catalog_efficiency;
    options.prior_center = options.start;
  }
  if (request.prior_weight) options.prior_weight = *request.prior_weight;
  if (request.starts) options.starts = *request.starts;
  if (request.fit) options.held = held_all_but(*request.fit);
  if (request.hold) options.held = *request.hold;
  if (request.then_fit) options.then_fit = *request.then_fit;
  return options;
}

std::vector<std::string> documented_fit_moves() {
  const CalibrationOptions options = documented_calibration_options();
  std::vector<std::string> moved;
  for (const std::string& name : fitted_efficiency_names()) {
    const bool left_out_first =
        std::any_of(options.first_stage_values.begin(), options.first_stage_values.end(),
                    [&](const auto& entry) { return entry.first == name; });
    const bool fitted_second =
        std::find(options.then_fit.begin(), options.then_fit.end(), name) != options.then_fit.end();
    const bool held =
        std::find(options.held.begin(), options.held.end(), name) != options.held.end();
    if (!held && (!left_out_first || fitted_second)) moved.push_back(name);
  }
  return moved;
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
