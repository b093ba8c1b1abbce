// The result JSON contract (`pertoken estimate --format json`), and the scenario-in/result-out
// door. Key names are fixed by the CLI contract: add keys freely, never rename one.
#include <cmath>

#include <nlohmann/json.hpp>

#include "json/result_figures.hpp"
#include "pertoken/catalog/staleness.hpp"
#include "pertoken/serving/estimate.hpp"
#include "pertoken/text/result_words.hpp"
#include "pertoken/version.hpp"

namespace pertoken {
namespace {

using Json = nlohmann::ordered_json;

Json number(double value) { return detail::number_json(value); }

Json step_json(const StepBreakdown& b) {
  Json j;
  j["decode_tokens"] = number(b.decode_tokens);
  j["prefill_tokens"] = number(b.prefill_tokens);
  j["beside_prompt_tokens"] = number(b.beside_prompt_tokens);
  j["weight_reads_seconds"] = number(b.weight_reads_s);
  j["kv_reads_seconds"] = number(b.kv_reads_s);
  j["compute_seconds"] = number(b.compute_s);
  j["communication_seconds"] = number(b.communication_s);
  j["overhead_seconds"] = number(b.overhead_s);
  j["overlap_seconds"] = number(b.overlap_s);
  j["total_seconds"] = number(b.total_s);
  j["padded_heads_seconds"] = number(b.padded_heads_s);
  j["weight_bytes_read_per_gpu"] = number(b.weight_bytes_read);
  j["kv_bytes_read_per_gpu"] = number(b.kv_bytes_read);
  j["achieved_memory_bandwidth_bytes_per_second"] = number(b.memory_bandwidth_bytes_per_s);
  return j;
}

}  // namespace

Json detail::scenario_json(const Scenario& s) {
  Json j;
  j["model"] = s.model.id;
  j["gpu"] = s.gpu.id;
  j["num_gpus"] = s.num_gpus;
  j["tp"] = s.tp;
  j["pp"] = s.pp;
  j["ep"] = s.ep;
  j["weights"] = std::string(to_string(s.weights));
  j["kv_cache"] = std::string(to_string(s.kv_cache));
  j["preset"] = s.preset ? std::string(s.preset->id) : std::string("none");
  j["input_tokens"] = s.input_tokens;
  j["output_tokens"] = s.output_tokens;
  if (s.request_rate_per_s) {
    j["request_rate_per_s"] = number(*s.request_rate_per_s);
  } else if (s.concurrency) {
    j["concurrency"] = *s.concurrency;
  } else {
    j["concurrency"] = "max";
  }
  if (s.num_prompts) j["num_prompts"] = *s.num_prompts;
  j["usd_per_gpu_hour"] = s.usd_per_gpu_hour ? number(*s.usd_per_gpu_hour) : Json(nullptr);
  j["max_batch_size"] = s.max_batch_size;
  j["max_num_tokens"] = s.max_num_tokens;
  j["batching"] = std::string(to_string(s.batching));
  j["chunked_prefill"] = s.chunked_prefill;
  j["kv_layout"] = std::string(to_string(s.kv_layout));
  j["prefix_cache_hit_rate"] = number(s.prefix_cache_hit_rate);
  j["engine"] = std::string(to_string(s.engine));
  j["redundant_experts"] = s.redundant_experts;
  j["prefill_gpus"] = s.prefill_gpus;
  if (s.prefill_gpus > 0) {
    j["prefill_tp"] = s.prefill_tp;
    j["prefill_ep"] = s.prefill_ep;
  }
  const Speculative& spec = s.speculative;
  j["speculative"] = spec.method == SpeculativeMethod::draft_model
                         ? std::string(draft_model_prefix) + spec.draft_model->id
                         : std::string(to_string(spec.method));
  if (spec.method != SpeculativeMethod::none) {
    j["draft_tokens"] = spec.draft_tokens;
    j["acceptance_rate"] = spec.acceptance_range
                               ? Json::array({number(spec.acceptance_range->first),
                                              number(spec.acceptance_range->second)})
                               : number(spec.acceptance_rate);
  }
  return j;
}

namespace {

std::string dump(const Json& j) { return detail::dump_json(j); }

Json result_json(const Scenario& s, const Estimate& e) {
  const bool ran = e.fits;
  const MemoryBreakdown& m = e.memory;

  Json j;
  j["pertoken_version"] = std::string(version());
  j["scenario"] = detail::scenario_json(s);
  j["fits"] = e.fits;
  j["limit_reason"] = e.limit_reason;
  j["limit_detail"] = e.limit_detail;
  j["fewest_devices_that_fit"] = nullptr;
  if (const auto& l = e.fewest_devices_that_fit) {
    j["fewest_devices_that_fit"] = {
        {"num_gpus", l->num_gpus}, {"tp", l->tp}, {"pp", l->pp}, {"ep", l->ep}};
  }
  j["weights_bytes_per_gpu"] = number(m.weights_bytes);
  j["kv_cache_bytes_per_gpu"] = number(m.kv_cache_bytes);
  j["kv_cache_bytes_per_token"] = number(e.kv_cache_bytes_per_token);
  j["memory_capacity_bytes_per_gpu"] = number(m.capacity_bytes);
  detail::add_headline_json(j, s.usd_per_gpu_hour, devices_in_deployment(s), e);

  j["memory"] = detail::memory_json(m);

  Json breakdown;
  breakdown["prefill"] = ran ? step_json(e.prefill) : Json(nullptr);
  breakdown["decode_step"] = ran ? step_json(e.decode_step) : Json(nullptr);
  j["breakdown"] = breakdown;
  Json& carries = j["step_carries"];  // null where the deployment does not run
  if (ran) {
    carries["prefill"] = prefill_carries_words(e.prefill, s);
    carries["decode_step"] = decode_step_carries_words(e.decode_step);
  }
  if (e.disaggregated) {
    const DisaggregatedFigures& pd = *e.disaggregated;
    breakdown["disaggregated"] = {
        {"prefill_gpus", pd.prefill_gpus},
        {"prefill_tp", pd.prefill_tp},
        {"prefill_ep", pd.prefill_ep},
        {"prefill_weights_bytes_per_gpu", number(pd.prefill_weights_bytes_per_gpu)},
        {"prefill_busy_fraction", ran ? number(pd.prefill_busy_fraction) : Json(nullptr)},
        {"prefill_wait_seconds", ran ? number(pd.prefill_wait_s) : Json(nullptr)},
        {"prefill_seconds", ran ? number(pd.prefill_s) : Json(nullptr)},
        {"kv_transfer_bytes", number(pd.kv_transfer_bytes)},
        {"kv_transfer_seconds", ran ? number(pd.kv_transfer_s) : Json(nullptr)},
        {"kv_transfer_bandwidth_guessed", pd.kv_transfer_bandwidth_guessed}};
    j["breakdown"] = breakdown;
  }
  if (e.first_wave_requests) {
    breakdown["benchmark_run"] = {
        {"num_prompts", s.num_prompts ? Json(*s.num_prompts) : Json(nullptr)},
        {"first_wave_requests", ran ? number(*e.first_wave_requests) : Json(nullptr)},
        {"first_wave_wait_seconds", ran ? number(e.first_wave_wait_s) : Json(nullptr)},
        {"slot_wait_seconds", ran ? number(e.slot_wait_s) : Json(nullptr)}};
    j["breakdown"] = breakdown;
  }
  j["notes"] = e.notes;

  // P10-P90 bands keyed by output name (see uncertainty.cpp for how they are made).
  Json uncertainty = Json::object();
  for (const UncertaintyBand& band : e.uncertainty) {
    uncertainty[band.output] = Json::array({number(band.low), number(band.high)});
  }
  j["uncertainty"] = ran ? uncertainty : Json(nullptr);
  j["uncertainty_basis"] =
      ran ? Json{{"percentiles", Json::array({10, 90})},
                 {"throughput_regime", e.throughput_regime},
                 {"throughput_regime_rows", e.throughput_regime_rows},
                 {"ttft_regime", e.ttft_regime},
                 {"ttft_regime_rows", e.ttft_regime_rows},
                 {"method",
                  "measured/predicted over the shipped published measurements of the "
                  "same regime (assets/calibration), widened by stated input ranges"}}
          : Json(nullptr);
  // The preset's latency target and whether this deployment meets it (null without a preset;
  // a figure's verdict is null when the deployment does not run).
  j["latency_target"] = nullptr;
  if (s.preset) {
    const auto known = [&](double value) {
      return ran ? std::optional<double>(value) : std::nullopt;
    };
    const LatencyTargetCheck check =
        check_latency_target(*s.preset, known(e.ttft_s), known(e.tpot_s));
    const auto verdict = [](const std::optional<bool>& met) {
      return met ? Json(*met) : Json(nullptr);
    };
    j["latency_target"] = {{"preset", std::string(s.preset->id)},
                           {"max_ttft_seconds", number(s.preset->max_ttft_s)},
                           {"max_tpot_seconds", number(s.preset->max_tpot_s)},
                           {"ttft_met", verdict(check.ttft_met)},
                           {"tpot_met", verdict(check.tpot_met)}};
  }
  return j;
}

}  // namespace

std::string estimate_to_json(const Scenario& s, const Estimate& e) {
  return dump(result_json(s, e));
}

std::string estimate_to_csv(const Scenario& s, const Estimate& e) {
  // One header row and one value row of the scalar keys (scenario keys prefixed).
  const Json result = result_json(s, e);
  std::vector<std::pair<std::string, Json>> cells;
  for (auto it = result["scenario"].begin(); it != result["scenario"].end(); ++it) {
    cells.emplace_back("scenario." + it.key(), it.value());
  }
  for (auto it = result.begin(); it != result.end(); ++it) {
    if (it->is_primitive()) cells.emplace_back(it.key(), it.value());
  }
  for (const char* part : {"prefill", "decode_step"}) {
    const Json& b = result["breakdown"][part];
    if (!b.is_object()) continue;
    for (auto it = b.begin(); it != b.end(); ++it) {
      cells.emplace_back(std::string(part) + "." + it.key(), it.value());
    }
  }
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + cells[i].first;
  out += "\n";
  for (std::size_t i = 0; i < cells.size(); ++i) {
    out += (i ? "," : "") + detail::csv_cell(cells[i].second);
  }
  return out + "\n";
}

std::string evaluate_scenario_json(std::string_view scenario_json_text, const Catalog& catalog) {
  Result<Scenario> scenario = parse_scenario(scenario_json_text, catalog);
  if (!scenario.ok()) return detail::errors_json_text(scenario.diagnostics());
  return estimate_to_json(scenario.value(),
                          estimate_with_uncertainty(scenario.value(), catalog.efficiency));
}

std::string evaluate_scenario_json(std::string_view scenario_json_text, const Catalog& catalog,
                                   std::string_view today_iso_date) {
  Result<Scenario> scenario = parse_scenario(scenario_json_text, catalog);
  if (!scenario.ok()) return detail::errors_json_text(scenario.diagnostics());
  const Scenario& s = scenario.value();
  Estimate e = estimate_with_uncertainty(s, catalog.efficiency);
  if (auto note = stale_price_note(s.gpu, s.usd_per_gpu_hour, today_iso_date)) {
    e.notes.push_back(std::move(*note));
  }
  return estimate_to_json(s, e);
}

std::string evaluate_scenario_point_json(std::string_view scenario_json_text,
                                         const Catalog& catalog, std::string_view today_iso_date) {
  Result<Scenario> scenario = parse_scenario(scenario_json_text, catalog);
  if (!scenario.ok()) return detail::errors_json_text(scenario.diagnostics());
  const Scenario& s = scenario.value();
  Estimate e = estimate(s, catalog.efficiency);
  if (auto note = stale_price_note(s.gpu, s.usd_per_gpu_hour, today_iso_date)) {
    e.notes.push_back(std::move(*note));
  }
  Json j = result_json(s, e);
  j["uncertainty"] = nullptr;
  j["uncertainty_basis"] = nullptr;
  return dump(j);
}

namespace detail {

OrderedJson number_json(double value) {
  if (!std::isfinite(value)) return nullptr;
  if (value == std::floor(value) && std::fabs(value) < 9.0e15) return static_cast<long long>(value);
  return value;
}

void add_headline_json(OrderedJson& j, const std::optional<double>& usd_per_gpu_hour, int devices,
                       const Estimate& e) {
  const bool ran = e.fits;
  auto perf = [&](double value) { return ran ? number_json(value) : OrderedJson(nullptr); };
  auto known = [&](const std::optional<double>& value) {
    return ran && value ? number_json(*value) : OrderedJson(nullptr);
  };
  j["max_concurrency"] = e.max_concurrency;
  j["concurrency"] = perf(e.concurrency);
  j["running_concurrency"] = perf(e.running_concurrency);
  j["ttft_seconds"] = perf(e.ttft_s);
  j["tpot_seconds"] = perf(e.tpot_s);
  j["e2e_latency_seconds"] = perf(e.e2e_latency_s);
  j["output_tokens_per_second"] = perf(e.output_tokens_per_s);
  j["output_tokens_per_second_per_gpu"] = perf(e.output_tokens_per_s_per_gpu);
  j["input_tokens_per_second"] = perf(e.input_tokens_per_s);
  j["tokens_per_second_per_user"] = perf(e.tokens_per_s_per_user);
  j["requests_per_second"] = perf(e.requests_per_s);
  j["decode_bound"] = ran ? OrderedJson(std::string(to_string(e.decode_bound))) : OrderedJson();
  j["devices_in_deployment"] = devices;
  j["usd_per_hour"] =
      usd_per_gpu_hour ? number_json(*usd_per_gpu_hour * devices) : OrderedJson(nullptr);
  j["usd_per_million_tokens"] = known(e.usd_per_million_tokens);
  j["usd_per_million_input_tokens"] = known(e.usd_per_million_input_tokens);
  j["usd_per_million_output_tokens"] = known(e.usd_per_million_output_tokens);
  j["joules_per_output_token"] = known(e.joules_per_output_token);
}

OrderedJson memory_json(const MemoryBreakdown& m) {
  OrderedJson memory;
  memory["capacity_bytes"] = number_json(m.capacity_bytes);
  memory["weights_bytes"] = number_json(m.weights_bytes);
  memory["activation_bytes"] = number_json(m.activation_bytes);
  memory["runtime_reserved_bytes"] = number_json(m.runtime_reserved_bytes);
  memory["kv_cache_pool_bytes"] = number_json(m.kv_cache_pool_bytes);
  memory["kv_cache_used_bytes"] = number_json(m.kv_cache_bytes);
  memory["kv_cache_bytes_per_token_per_gpu"] = number_json(m.kv_cache_bytes_per_token);
  memory["kv_cache_bytes_per_request_per_gpu"] = number_json(m.kv_cache_bytes_per_request);
  return memory;
}

std::string dump_json(const OrderedJson& j) {
  return j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

std::string errors_json_text(const Diagnostics& diagnostics) {
  OrderedJson errors = OrderedJson::array();
  for (const Diagnostic& d : diagnostics) {
    errors.push_back(
        {{"code", std::string(to_string(d.code))}, {"path", d.json_path}, {"message", d.message}});
  }
  return dump_json(OrderedJson{{"errors", errors}});
}

std::string csv_cell(const OrderedJson& value) {
  if (value.is_null()) return "";
  const std::string text = value.is_string() ? value.get<std::string>() : dump_json(value);
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace detail

}  // namespace pertoken
