// Uncertainty bands: how far the model has been from published measurements, by regime.
//
// Every shipped measurement (assets/calibration: the dense and MoE calibration and holdout sets) is
// predicted - a holdout row with the shipped factors, a calibration row by the cross-validation fit
// that never saw its source - and sorted into the regime that governs it: time to first
// token, time per output token, or - for throughput - compute-bound, memory-bandwidth-bound, or
// KV-capacity-bound (the engine saturated and the cache limited the batch). The 10th and 90th
// percentiles of measured / predicted in a regime scale a new prediction of that regime into a
// P10-P90 band, taken from the rows of the scenario's engine when it has at least
// min_runs_per_regime (5) there (the residuals of that engine's profile). Regimes with fewer rows
// borrow the pooled throughput residuals. The band says how wrong the model has been on comparable
// published runs; it is not a guarantee. Input ranges the user states (the acceptance rate of
// speculative decoding) widen the band: the estimate is taken at both ends and the residual band
// applied outside them.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include <nlohmann/json.hpp>

#include "json/json_reader.hpp"
#include "pertoken/search/layout_search.hpp"
#include "pertoken/serving/estimate.hpp"
#include "pertoken/validation/calibration.hpp"
#include "pertoken/validation/regime_runs.hpp"
#include "pertoken/validation/validation.hpp"

namespace pertoken {

std::string_view embedded_bands_json();
std::string_view embedded_cross_validated_csv();

namespace {

struct Band {
  double p10 = 1;  // measured / predicted
  double p90 = 1;
  int rows = 0;
};

double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const std::size_t below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

// A band edge to three significant digits: a P10 or P90 of a few dozen residuals does not know
// its fourth (one row more moves it by more), and the web module ships every edge (bands.json)
// in its first view.
double three_significant_digits(double value) {
  if (value == 0 || !std::isfinite(value)) return value;
  const double scale = std::pow(10.0, 2 - std::floor(std::log10(std::fabs(value))));
  return std::round(value * scale) / scale;
}

std::string regime_of(const Estimate& e, bool saturated) {
  if (saturated && e.limit_reason == "kv_cache_capacity") return "kv_capacity";
  return e.decode_bound == DecodeBound::compute ? "compute" : "memory_bandwidth";
}

// MoE models have been harder to predict (routing, expert load, all-to-all): they get bands of
// their own when enough rows exist.
std::string family_of(const ModelSpec& model) { return "/" + std::string(model_family(model)); }

// Time to first token is banded by load first (load_class): one band for both would call a lone
// request's estimate 1.3-5x off and a loaded one's too tight. Then by model family: on the holdout
// the MoE runs' TTFT is 2.7x the prediction and the dense runs' 1.1x (geometric means, validate's
// groups "ttft moe" and "ttft dense"), so a dense model's band is not read from MoE runs.
std::string ttft_load_class(const Estimate& e) {
  return "ttft/" + std::string(load_class(e.concurrency));
}

// Bands per engine: the residuals of the engine profile the estimate used.
std::string engine_key(Engine engine) { return "@" + std::string(to_string(engine)); }

// assets/calibration/cross_validated.csv: each calibration row predicted by the fit of the
// cross-validation fold that left its source out (scripts/cross_validate_fit.py). The shipped
// factors were fitted on these rows, so their own residuals there understate how far a new
// source lands; the holdout rows were never fitted on and keep the shipped prediction. An empty
// entry (the row's engine had no training rows in its fold) keeps the shipped prediction too.
std::map<std::string, double> out_of_source_predictions() {
  std::map<std::string, double> predictions;
  bool unterminated = false;
  const auto rows = split_csv(embedded_cross_validated_csv(), unterminated);
  for (std::size_t i = 1; i < rows.size(); ++i) {  // past the header
    if (rows[i].size() == 2 && !rows[i][1].empty())
      predictions[rows[i][0]] = std::strtod(rows[i][1].c_str(), nullptr);
  }
  return predictions;
}

// The bands from the shipped measurements: the holdout rows predicted with the shipped factors,
// the calibration rows by fits that never saw their source (above).
std::map<std::string, Band> compute_residual_bands() {
  {
    std::map<std::string, std::vector<double>> ratios;
    const Catalog& catalog = embedded_catalog();
    const std::map<std::string, double> out_of_source = out_of_source_predictions();
    for (std::string_view set : {"calibration", "holdout"}) {
      auto rows = parse_measurements_csv(*shipped_measurements_csv(set));
      if (!rows.ok()) continue;
      for (const Measurement& m : rows.value()) {
        Result<Scenario> s = parse_scenario(measurement_scenario_json(m), catalog);
        if (!s.ok()) continue;
        const Estimate e = estimate(s.value(), catalog.efficiency);
        auto predicted = e.fits ? estimate_metric(e, m.metric) : std::nullopt;
        if (!predicted || *predicted <= 0) continue;
        if (set == "calibration") {
          const auto it = out_of_source.find(m.id);
          if (it != out_of_source.end() && it->second > 0) predicted = it->second;
        }
        const double ratio = m.value / *predicted;
        // Each ratio also counts for its engine (the residuals of that engine's profile).
        const std::string engine = engine_key(s.value().engine);
        if (m.metric == "ttft_seconds") {
          const std::string load = ttft_load_class(e);
          const std::string load_family = load + family_of(s.value().model);
          ratios["ttft"].push_back(ratio);
          ratios[load].push_back(ratio);
          ratios[load_family].push_back(ratio);
          ratios[load_family + engine].push_back(ratio);
        } else if (m.metric == "tpot_seconds") {
          ratios["tpot"].push_back(ratio);
          ratios["tpot" + engine].push_back(ratio);
        } else {
          const std::string regime = regime_of(e, m.concurrency == "max");
          ratios[regime].push_back(ratio);
          ratios[regime + family_of(s.value().model)].push_back(ratio);
          ratios[regime + family_of(s.value().model) + engine].push_back(ratio);
          ratios["throughput"].push_back(ratio);
        }
      }
    }
    std::map<std::string, Band> result;
    for (const auto& [regime, values] : ratios) {
      // A group with fewer rows is never used (bands_key), so it is not kept: the web module
      // ships every band in its first view. Nor is an engine's group that holds every row of the
      // group it narrows (all of them that engine's): the estimate reads the same band there.
      if (static_cast<int>(values.size()) < min_runs_per_regime) continue;
      const auto at = regime.find('@');
      if (at != std::string::npos) {
        const auto wider = ratios.find(regime.substr(0, at));
        if (wider != ratios.end() && wider->second.size() == values.size()) continue;
      }
      result[regime] = {three_significant_digits(quantile(values, 0.1)),
                        three_significant_digits(quantile(values, 0.9)),
                        static_cast<int>(values.size())};
    }
    return result;
  }
}

#ifdef PERTOKEN_PRECOMPUTED_BANDS
// The same bands, computed by the native build and shipped as assets/calibration/bands.json
// (`pertoken list bands`; a CLI test holds the file to what compute_residual_bands gives): the
// web module then carries neither the measurement sets nor their 230 estimates at start-up.
std::map<std::string, Band> shipped_residual_bands() {
  std::map<std::string, Band> bands;
  const auto parsed = detail::parse_trusted_json(embedded_bands_json());
  if (!parsed.is_object()) return bands;
  for (auto it = parsed.begin(); it != parsed.end(); ++it) {
    const auto& v = it.value();
    if (!v.is_array() || v.size() != 3) continue;
    bands[it.key()] = {v[0].get<double>(), v[1].get<double>(), v[2].get<int>()};
  }
  return bands;
}
#endif

const std::map<std::string, Band>& residual_bands() {
#ifdef PERTOKEN_PRECOMPUTED_BANDS
  static const std::map<std::string, Band> bands = shipped_residual_bands();
#else
  static const std::map<std::string, Band> bands = compute_residual_bands();
#endif
  return bands;
}

// The most specific key with at least min_runs_per_regime rows among `candidates`, else the
// pooled throughput one; band_at gives its band.
std::string bands_key(std::initializer_list<std::string> candidates) {
  const auto& bands = residual_bands();
  for (const std::string& key : candidates) {
    auto it = bands.find(key);
    if (it != bands.end() && it->second.rows >= min_runs_per_regime) return key;
  }
  return "throughput";
}

Band band_at(const std::string& key) {
  const auto& bands = residual_bands();
  auto it = bands.find(key);
  return it != bands.end() ? it->second : Band{};
}

}  // namespace

std::string residual_bands_json() {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [key, band] : compute_residual_bands()) {
    j[key] = nlohmann::ordered_json::array({band.p10, band.p90, band.rows});
  }
  return j.dump();
}

namespace {

// Where the weights or one request's KV cache outgrow the devices, the question that follows is
// how many it takes: the fewest devices that hold it, said in the sentence every door shows.
void name_fewest_devices(const Scenario& scenario, const EfficiencyFactors& efficiency,
                         Estimate& e) {
  const bool memory =
      e.limit_reason == "weights_exceed_memory" || e.limit_reason == "kv_cache_exceeds_memory";
  if (!memory || scenario.prefill_gpus > 0) return;
  constexpr int most = 128;
  e.fewest_devices_that_fit = fewest_devices_layout(scenario, efficiency, most);
  if (const auto& l = e.fewest_devices_that_fit) {
    e.limit_detail += "; the fewest that hold it: " + std::to_string(l->num_gpus) + " (tp " +
                      std::to_string(l->tp) + ", pp " + std::to_string(l->pp) + ", ep " +
                      std::to_string(l->ep) + ")";
  } else {
    e.limit_detail += "; no instance of up to " + std::to_string(most) + " of them holds it";
  }
}

// Where a regime's published runs came in on one side of the model at both its P10 and P90 of
// measured / predicted (both above 1, or both below), its bands run from the estimate to that side
// only (push, below), so the estimate is an end of its own range, not a P10 or P90. Every door
// shows the core's notes, so the sentence that says so is written here, once, with the regime's
// ratios (%g: they hold three significant digits). `figures` names what the band governs.
void note_one_sided(std::vector<std::string>& notes, const char* figures, const std::string& key) {
  const Band band = band_at(key);
  if (band.p10 <= 1 && band.p90 >= 1) return;
  char text[384];  // the longest (figures, key, %g ratios) is under 250 characters today
  std::snprintf(text, sizeof text,
                "%s: its regime's %d published runs (%s) came in %s the model at P10 and P90 "
                "alike (measured/predicted %g to %g), so its range runs one way from the estimate",
                figures, band.rows, key.c_str(), band.p10 > 1 ? "above" : "below", band.p10,
                band.p90);
  notes.emplace_back(text);
}

// `engine` (here and below): engine_key(scenario.engine). Throughput is banded by what bounds it
// (regime_of), then family, then engine; a scenario with neither concurrency nor a request rate is
// the saturated one.
std::string throughput_regime_of(const Scenario& scenario, const Estimate& e,
                                 const std::string& engine) {
  const std::string regime = regime_of(e, !scenario.concurrency && !scenario.request_rate_per_s);
  const std::string family = regime + family_of(scenario.model);
  return bands_key({family + engine, family, regime});
}

std::string tpot_regime_of(const std::string& engine) {
  return bands_key({"tpot" + engine, "tpot"});
}

std::string ttft_regime_of(const Scenario& scenario, const Estimate& e, const std::string& engine) {
  const std::string load = ttft_load_class(e);
  const std::string family = load + family_of(scenario.model);
  return bands_key({family + engine, family, load, "ttft"});
}

}  // namespace

SlowEnd slow_end(const Scenario& scenario, const Estimate& e) {
  // Each band always contains the estimate, so its slow end is never faster than the estimate.
  const std::string engine = engine_key(scenario.engine);
  const double ttft = std::max(1.0, band_at(ttft_regime_of(scenario, e, engine)).p90);
  const double tpot = std::max(1.0, band_at(tpot_regime_of(engine)).p90);
  const double throughput = std::min(1.0, band_at(throughput_regime_of(scenario, e, engine)).p10);
  return {e.ttft_s * ttft, e.tpot_s * tpot, e.tokens_per_s_per_user / tpot,
          e.requests_per_s * throughput};
}

void add_one_way_band_notes(const Scenario& scenario, const Estimate& banded,
                            std::vector<std::string>& notes) {
  // A stated input range widens the bands around both ends of it: they may no longer run one way.
  if (!banded.fits || scenario.speculative.acceptance_range) return;
  note_one_sided(notes, "throughput, cost and energy per token", banded.throughput_regime);
  note_one_sided(notes, "time to first token", banded.ttft_regime);
  note_one_sided(notes, "time per output token", tpot_regime_of(engine_key(scenario.engine)));
}

Estimate estimate_with_uncertainty(const Scenario& scenario, const EfficiencyFactors& efficiency) {
  Estimate e = estimate(scenario, efficiency);
  if (!e.fits) {
    name_fewest_devices(scenario, efficiency, e);
    return e;
  }
  // The stated input range: the estimate at both ends of it (point estimate otherwise).
  Estimate low_end = e;
  Estimate high_end = e;
  if (const auto& range = scenario.speculative.acceptance_range) {
    Scenario s = scenario;
    s.speculative.acceptance_rate = range->first;
    low_end = estimate(s, efficiency);
    s.speculative.acceptance_rate = range->second;
    high_end = estimate(s, efficiency);
  }
  const std::string engine = engine_key(scenario.engine);
  e.throughput_regime = throughput_regime_of(scenario, e, engine);
  const Band throughput = band_at(e.throughput_regime);
  e.ttft_regime = ttft_regime_of(scenario, e, engine);
  const Band ttft = band_at(e.ttft_regime);
  const Band tpot = band_at(tpot_regime_of(engine));
  e.throughput_regime_rows = throughput.rows;
  e.ttft_regime_rows = ttft.rows;

  // A band always contains the estimate itself: where the model has erred one way on every
  // comparable run (P10 and P90 on the same side), the band runs from the estimate to that side.
  auto push = [&](const char* name, double point, double low, double high) {
    e.uncertainty.push_back({name, std::min(point, low), std::max(point, high)});
  };
  auto spread = [&](const char* name, double point, double a, double b, const Band& band) {
    push(name, point, std::min(a, b) * band.p10, std::max(a, b) * band.p90);
  };
  // Rates scale with measured/predicted; costs and energy per token scale inversely.
  auto inverse = [&](const char* name, double point, double a, double b, const Band& band) {
    push(name, point, std::min(a, b) / band.p90, std::max(a, b) / band.p10);
  };
  spread("output_tokens_per_second", e.output_tokens_per_s, low_end.output_tokens_per_s,
         high_end.output_tokens_per_s, throughput);
  spread("output_tokens_per_second_per_gpu", e.output_tokens_per_s_per_gpu,
         low_end.output_tokens_per_s_per_gpu, high_end.output_tokens_per_s_per_gpu, throughput);
  spread("input_tokens_per_second", e.input_tokens_per_s, low_end.input_tokens_per_s,
         high_end.input_tokens_per_s, throughput);
  spread("requests_per_second", e.requests_per_s, low_end.requests_per_s, high_end.requests_per_s,
         throughput);
  spread("ttft_seconds", e.ttft_s, low_end.ttft_s, high_end.ttft_s, ttft);
  spread("tpot_seconds", e.tpot_s, low_end.tpot_s, high_end.tpot_s, tpot);
  inverse("tokens_per_second_per_user", e.tokens_per_s_per_user, low_end.tokens_per_s_per_user,
          high_end.tokens_per_s_per_user, tpot);
  push("e2e_latency_seconds", e.e2e_latency_s,
       std::min(low_end.ttft_s, high_end.ttft_s) * ttft.p10 +
           (scenario.output_tokens - 1) * std::min(low_end.tpot_s, high_end.tpot_s) * tpot.p10,
       std::max(low_end.ttft_s, high_end.ttft_s) * ttft.p90 +
           (scenario.output_tokens - 1) * std::max(low_end.tpot_s, high_end.tpot_s) * tpot.p90);
  // Costs and energy have bands only where they are known (a price, a power figure).
  auto inverse_known = [&](const char* name, const std::optional<double>& point,
                           const std::optional<double>& a, const std::optional<double>& b) {
    if (point && a && b) inverse(name, *point, *a, *b, throughput);
  };
  inverse_known("usd_per_million_tokens", e.usd_per_million_tokens, low_end.usd_per_million_tokens,
                high_end.usd_per_million_tokens);
  inverse_known("usd_per_million_input_tokens", e.usd_per_million_input_tokens,
                low_end.usd_per_million_input_tokens, high_end.usd_per_million_input_tokens);
  inverse_known("usd_per_million_output_tokens", e.usd_per_million_output_tokens,
                low_end.usd_per_million_output_tokens, high_end.usd_per_million_output_tokens);
  inverse_known("joules_per_output_token", e.joules_per_output_token,
                low_end.joules_per_output_token, high_end.joules_per_output_token);
  add_one_way_band_notes(scenario, e, e.notes);
  return e;
}

}  // namespace pertoken
