// The WebAssembly door: plain exported C functions over the core's JSON API (no embind, so the
// page needs only CSP 'wasm-unsafe-eval'). The only file besides web/CMakeLists.txt that knows
// about Emscripten. Every function returns a NUL-terminated UTF-8 JSON string that stays valid
// until the next call into the door; JavaScript copies it with UTF8ToString.
#include <emscripten/emscripten.h>

#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/json/json_api.hpp"
#include "pertoken/scenario/scenario.hpp"
#include "pertoken/serving/estimate.hpp"
#include "pertoken/validation/calibration.hpp"
#include "pertoken/validation/validation.hpp"
#include "pertoken/version.hpp"

namespace {

std::string& result_buffer() {
  static std::string buffer;
  return buffer;
}

const char* give(std::string text) {
  result_buffer() = std::move(text);
  return result_buffer().c_str();
}

// The catalog in use: the built-in one, or the built-in one extended by the user's file.
pertoken::Catalog& active_catalog() {
  static pertoken::Catalog catalog = pertoken::embedded_catalog();
  return catalog;
}

// ---------------------------------------------------------------------------------------------
// Sweeps: the charts evaluate one scenario at many concurrencies, input lengths and layouts.
// Formatting and re-parsing JSON for each point costs ~10x the estimate itself, so the base is
// parsed once (parse_scenario, the CLI's rules) and each point changes the parsed Scenario and
// runs the same check_scenario + estimate, writing numbers into a buffer JavaScript reads.
// The page's headline numbers never come from here: they come from pertoken_evaluate.

// The buffer's layout; sweep_field_names() gives it to JavaScript, which checks it on load.
enum SweepField : int {
  sweep_ok,  // 1: evaluated; 0: the point is invalid (pertoken_sweep_text says why)
  sweep_fits,
  sweep_max_concurrency,
  sweep_concurrency,
  sweep_ttft_seconds,
  sweep_tpot_seconds,
  sweep_e2e_latency_seconds,
  sweep_output_tokens_per_second,
  sweep_output_tokens_per_second_per_gpu,
  sweep_tokens_per_second_per_user,
  sweep_usd_per_million_tokens,
  sweep_usd_per_million_input_tokens,
  sweep_usd_per_million_output_tokens,
  sweep_capacity_bytes,
  sweep_weights_bytes,
  sweep_activation_bytes,
  sweep_runtime_reserved_bytes,
  sweep_kv_cache_pool_bytes,
  sweep_kv_cache_used_bytes,
  sweep_num_gpus,
  sweep_tp,
  sweep_pp,
  sweep_ep,
  sweep_usd_per_gpu_hour,
  sweep_input_tokens,
  num_sweep_fields
};

constexpr const char* sweep_field_names =
    R"(["ok","fits","max_concurrency","concurrency","ttft_seconds","tpot_seconds",)"
    R"("e2e_latency_seconds","output_tokens_per_second","output_tokens_per_second_per_gpu",)"
    R"("tokens_per_second_per_user","usd_per_million_tokens","usd_per_million_input_tokens",)"
    R"("usd_per_million_output_tokens","capacity_bytes","weights_bytes","activation_bytes",)"
    R"("runtime_reserved_bytes","kv_cache_pool_bytes","kv_cache_used_bytes","num_gpus","tp",)"
    R"("pp","ep","usd_per_gpu_hour","input_tokens"])";

struct SweepState {
  std::optional<pertoken::Scenario> base;
  // The base with one point's changes, put back after the point: copying a whole Scenario (its
  // model and GPU specs with their sources) per point would cost more than the estimate.
  pertoken::Scenario work;
  int work_gpu = -1;  // catalog index of work.gpu while a layout sweep runs; -1: the base's GPU
  std::array<double, num_sweep_fields> values{};
  std::string text;  // the last point's limit_reason, or its first error
};

SweepState& sweep_state() {
  static SweepState state;
  return state;
}

// The working scenario on catalog GPU `gpu_index` (-1: the base's own GPU and price). A GPU other
// than the base's is priced at its catalog reference price, as parse_scenario does when the
// scenario gives none.
pertoken::Scenario& working(int gpu_index) {
  SweepState& state = sweep_state();
  const auto& gpus = active_catalog().gpus;
  if (gpu_index >= 0 && gpus[static_cast<std::size_t>(gpu_index)].id == state.base->gpu.id) {
    gpu_index = -1;
  }
  if (gpu_index != state.work_gpu) {
    pertoken::Scenario& s = state.work;
    if (gpu_index < 0) {
      s.gpu = state.base->gpu;
      s.usd_per_gpu_hour = state.base->usd_per_gpu_hour;
      s.usd_per_gpu_hour_known = state.base->usd_per_gpu_hour_known;
    } else {
      s.gpu = gpus[static_cast<std::size_t>(gpu_index)];
      s.usd_per_gpu_hour_known = s.gpu.reference_usd_per_hour.has_value();
      s.usd_per_gpu_hour = s.gpu.reference_usd_per_hour.value_or(0.0);
    }
    state.work_gpu = gpu_index;
  }
  return state.work;
}

// Writes one point. NaN stands for the result JSON's null, with the same rules as
// estimate_to_json: performance is null when the model does not fit, cost also without a price.
const double* write_point(const pertoken::Scenario& s, bool check = true) {
  SweepState& state = sweep_state();
  constexpr double null = std::numeric_limits<double>::quiet_NaN();
  state.values.fill(null);
  auto& v = state.values;
  v[sweep_num_gpus] = s.num_gpus;
  v[sweep_tp] = s.tp;
  v[sweep_pp] = s.pp;
  v[sweep_ep] = s.ep;
  v[sweep_input_tokens] = s.input_tokens;
  v[sweep_usd_per_gpu_hour] = s.usd_per_gpu_hour_known ? s.usd_per_gpu_hour : null;
  pertoken::Diagnostics problems = check ? pertoken::check_scenario(s) : pertoken::Diagnostics{};
  if (!problems.empty()) {
    v[sweep_ok] = 0;
    state.text = problems.front().json_path + ": " + problems.front().message;
    return v.data();
  }
  const pertoken::Estimate e = pertoken::estimate(s, active_catalog().efficiency);
  auto finite = [&](double x) { return std::isfinite(x) ? x : null; };
  auto perf = [&](double x) { return e.fits ? finite(x) : null; };
  auto cost = [&](double x) { return e.fits && s.usd_per_gpu_hour_known ? finite(x) : null; };
  v[sweep_ok] = 1;
  v[sweep_fits] = e.fits ? 1 : 0;
  v[sweep_max_concurrency] = static_cast<double>(e.max_concurrency);
  v[sweep_concurrency] = perf(e.concurrency);
  v[sweep_ttft_seconds] = perf(e.ttft_s);
  v[sweep_tpot_seconds] = perf(e.tpot_s);
  v[sweep_e2e_latency_seconds] = perf(e.e2e_latency_s);
  v[sweep_output_tokens_per_second] = perf(e.output_tokens_per_s);
  v[sweep_output_tokens_per_second_per_gpu] = perf(e.output_tokens_per_s_per_gpu);
  v[sweep_tokens_per_second_per_user] = perf(e.tokens_per_s_per_user);
  v[sweep_usd_per_million_tokens] = cost(e.usd_per_million_tokens);
  v[sweep_usd_per_million_input_tokens] = cost(e.usd_per_million_input_tokens);
  v[sweep_usd_per_million_output_tokens] = cost(e.usd_per_million_output_tokens);
  v[sweep_capacity_bytes] = finite(e.memory.capacity_bytes);
  v[sweep_weights_bytes] = finite(e.memory.weights_bytes);
  v[sweep_activation_bytes] = finite(e.memory.activation_bytes);
  v[sweep_runtime_reserved_bytes] = finite(e.memory.runtime_reserved_bytes);
  v[sweep_kv_cache_pool_bytes] = finite(e.memory.kv_cache_pool_bytes);
  v[sweep_kv_cache_used_bytes] = finite(e.memory.kv_cache_bytes);
  state.text = e.limit_reason;
  return v.data();
}

}  // namespace

extern "C" {

// Scenario JSON in, result JSON (or {"errors": [...]}) out.
EMSCRIPTEN_KEEPALIVE const char* pertoken_evaluate(const char* scenario_json) {
  return give(pertoken::evaluate_scenario_json(scenario_json, active_catalog()));
}

// Validates a user catalog document; when valid it extends the built-in catalog (by id) for
// every later call. An empty string restores the built-in catalog. Returns check_catalog_json's
// object ({"ok": true, ...} or {"errors": [...]}).
EMSCRIPTEN_KEEPALIVE const char* pertoken_set_catalog(const char* catalog_json) {
  const std::string_view text(catalog_json);
  if (text.empty()) {
    active_catalog() = pertoken::embedded_catalog();
    return give(R"({"ok": true, "reset": true})");
  }
  std::string report = pertoken::check_catalog_json(text);
  pertoken::Result<pertoken::CatalogDocument> document = pertoken::parse_catalog_document(text);
  if (document.ok()) {
    active_catalog() = pertoken::merge_catalog(pertoken::embedded_catalog(), document.value());
  }
  return give(std::move(report));
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_gpus() {
  return give(pertoken::catalog_gpus_json(active_catalog()));
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_models() {
  return give(pertoken::catalog_models_json(active_catalog()));
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_scenario_fields() {
  return give(pertoken::scenario_fields_json());
}

EMSCRIPTEN_KEEPALIVE const char* pertoken_efficiency() {
  return give(pertoken::efficiency_json(active_catalog().efficiency));
}

// How the factors were chosen: {"priors": [the physical priors as pertoken_efficiency lists
// them], "fitted": [names of the factors the calibration fits; the others keep their prior]}.
EMSCRIPTEN_KEEPALIVE const char* pertoken_efficiency_method() {
  std::string fitted;
  for (const std::string& name : pertoken::fitted_efficiency_names()) {
    fitted += (fitted.empty() ? "\"" : ", \"") + name + "\"";
  }
  return give(R"({"priors": )" + pertoken::efficiency_json(pertoken::physical_priors()) +
              R"(, "fitted": [)" + fitted + "]}");
}

// "calibration" or "holdout": the shipped published measurements, predicted by the active catalog.
EMSCRIPTEN_KEEPALIVE const char* pertoken_validation(const char* set) {
  const bool holdout = std::string_view(set) == "holdout";
  auto rows = pertoken::parse_measurements_csv(holdout ? pertoken::embedded_holdout_csv()
                                                       : pertoken::embedded_measured_csv());
  if (!rows.ok())
    return give(R"({"errors": [{"code": "internal", "path": "", "message": "bad shipped CSV"}]})");
  return give(pertoken::validation_report_json(
      pertoken::validate_measurements(rows.value(), active_catalog()),
      holdout ? "holdout" : "calibration"));
}

// The names of the doubles each sweep point writes, in order (a JSON array).
EMSCRIPTEN_KEEPALIVE const char* pertoken_sweep_fields() { return sweep_field_names; }

// Parses the scenario every later sweep point starts from. Returns {"ok": true} or the same
// {"errors": [...]} as pertoken_evaluate.
EMSCRIPTEN_KEEPALIVE const char* pertoken_sweep_base(const char* scenario_json) {
  SweepState& state = sweep_state();
  pertoken::Result<pertoken::Scenario> scenario =
      pertoken::parse_scenario(scenario_json, active_catalog());
  if (!scenario.ok()) {
    state.base.reset();
    return give(pertoken::evaluate_scenario_json(scenario_json, active_catalog()));
  }
  state.base = std::move(scenario).value();
  state.work = *state.base;
  state.work_gpu = -1;
  return give(R"({"ok": true})");
}

// The base at a fixed concurrency (an arrival rate in the base is dropped). Returns the point's
// num_sweep_fields doubles, valid until the next sweep call; nullptr without a base.
EMSCRIPTEN_KEEPALIVE const double* pertoken_sweep_concurrency(int concurrency) {
  if (!sweep_state().base) return nullptr;
  pertoken::Scenario& s = working(-1);
  s.concurrency = concurrency;
  s.request_rate_per_s.reset();
  // No check_scenario: it looks at the layout and the context, which a concurrency leaves as the
  // (already checked) base has them.
  const double* point = write_point(s, false);
  s.concurrency = sweep_state().base->concurrency;
  s.request_rate_per_s = sweep_state().base->request_rate_per_s;
  return point;
}

// The base with another prompt length (checked against the model's context like the CLI).
EMSCRIPTEN_KEEPALIVE const double* pertoken_sweep_input_tokens(int input_tokens) {
  if (!sweep_state().base) return nullptr;
  pertoken::Scenario& s = working(-1);
  s.input_tokens = input_tokens;
  const double* point = write_point(s);
  s.input_tokens = sweep_state().base->input_tokens;
  return point;
}

// The base on catalog GPU number gpu_index (pertoken_gpus() order) with another layout; see
// working() for its price.
EMSCRIPTEN_KEEPALIVE const double* pertoken_sweep_layout(int gpu_index, int num_gpus, int tp,
                                                         int pp, int ep) {
  const SweepState& state = sweep_state();
  if (!state.base || gpu_index < 0 ||
      static_cast<std::size_t>(gpu_index) >= active_catalog().gpus.size())
    return nullptr;
  pertoken::Scenario& s = working(gpu_index);
  s.num_gpus = num_gpus;
  s.tp = tp;
  s.pp = pp;
  s.ep = ep;
  const double* point = write_point(s);
  s.num_gpus = state.base->num_gpus;
  s.tp = state.base->tp;
  s.pp = state.base->pp;
  s.ep = state.base->ep;
  return point;
}

// Why the last sweep point did not run or fit: its limit_reason, or "/path: message".
EMSCRIPTEN_KEEPALIVE const char* pertoken_sweep_text() { return sweep_state().text.c_str(); }

EMSCRIPTEN_KEEPALIVE const char* pertoken_version() {
  return give(std::string(pertoken::version()));
}

}  // extern "C"
