// The estimate: memory fit, the load (fixed concurrency, "max", or an arrival rate), the serving
// model's latency and throughput (serving.cpp), cost and energy.
//
// [SECTION] estimate()
// [SECTION] cost and energy
#include "pertoken/serving/estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "model/memory_model.hpp"
#include "pertoken/model/engine_profile.hpp"
#include "pertoken/text/figure_text.hpp"
#include "pertoken/units.hpp"
#include "serving/serving.hpp"
#include "serving/serving_plan.hpp"

namespace pertoken {

std::string_view to_string(DecodeBound bound) {
  switch (bound) {
    case DecodeBound::memory_bandwidth: return "memory_bandwidth";
    case DecodeBound::compute: return "compute";
    case DecodeBound::communication: return "communication";
    case DecodeBound::overhead: return "overhead";
  }
  return "memory_bandwidth";
}

std::string_view load_class(double requests_in_flight) {
  return requests_in_flight <= 1.0 + 1e-9 ? "alone" : "loaded";
}

std::string_view model_family(const ModelSpec& model) { return model.moe ? "moe" : "dense"; }

// ---------------------------------------------------------------------------------------------
// [SECTION] estimate()

Estimate estimate(const Scenario& s, const EfficiencyFactors& efficiency) {
  using namespace detail;
  Estimate e;
  Result<ServingPlan> planned = make_serving_plan(s, efficiency);
  if (!planned.ok()) {
    // parse_scenario rejects these before; an estimate from a plain struct says why it cannot run.
    e.fits = false;
    e.limit_reason = "unknown_figure";
    e.limit_detail = planned.diagnostics().front().message;
    return e;
  }
  const ServingPlan& plan = planned.value();
  e.notes = plan.notes;
  const MemoryFit fit = fit_memory(plan);
  e.memory = fit.breakdown;
  // Per token over the whole model (all layers, every KV head once): 2 (K,V) x layers x kv_heads
  // x head_dim x bytes, or MLA's (kv_lora_rank + rope dim) x layers x bytes.
  e.kv_cache_bytes_per_token =
      plan.shape.kv_elements_per_token_per_layer * s.model.num_layers * plan.kv_bytes_per_element;
  const double groups = plan.layout.batch_groups();

  const double free_bytes = e.memory.capacity_bytes - e.memory.weights_bytes -
                            e.memory.activation_bytes - e.memory.runtime_reserved_bytes;
  if (free_bytes <= 0) {
    e.fits = false;
    e.limit_reason = "weights_exceed_memory";
    e.limit_detail = format_bytes(e.memory.weights_bytes) + " of weights + " +
                     format_bytes(e.memory.activation_bytes + e.memory.runtime_reserved_bytes) +
                     " of activations and runtime per GPU exceed the " +
                     format_bytes(e.memory.capacity_bytes) + " of one " + s.gpu.name;
    return e;
  }
  if (fit.max_requests_per_group < 1) {
    e.fits = false;
    e.limit_reason = "kv_cache_exceeds_memory";
    e.limit_detail = "one request of " + format_integer(s.input_tokens + s.output_tokens) +
                     " tokens needs " + format_bytes(fit.kv_bytes_per_request_per_gpu) +
                     " of KV cache per GPU; " + format_bytes(e.memory.kv_cache_pool_bytes) +
                     " are free for it";
    return e;
  }
  if (plan.prefill_pool) {
    const MemoryBreakdown pool = fit_memory(*plan.prefill_pool).breakdown;
    if (pool.weights_bytes + pool.activation_bytes + pool.runtime_reserved_bytes >=
        pool.capacity_bytes) {
      e.fits = false;
      e.limit_reason = "prefill_weights_exceed_memory";
      e.limit_detail = "the prefill pool's " + format_bytes(pool.weights_bytes) + " of weights + " +
                       format_bytes(pool.activation_bytes + pool.runtime_reserved_bytes) +
                       " of activations and runtime per GPU exceed the " +
                       format_bytes(pool.capacity_bytes) + " of one " + s.gpu.name +
                       " (prefill_tp = " + std::to_string(s.prefill_tp) + ")";
      return e;
    }
  }
  e.fits = true;
  e.max_concurrency = static_cast<long long>(fit.max_requests_per_group * groups);
  const double cap = std::min<double>(fit.max_requests_per_group, s.max_batch_size);
  const std::string cap_reason =
      fit.max_requests_per_group <= s.max_batch_size ? "kv_cache_capacity" : "engine_max_batch";
  const std::string cap_detail =
      fit.max_requests_per_group <= s.max_batch_size
          ? "the KV cache holds " + format_integer(fit.max_requests_per_group * groups) +
                " requests of " + format_integer(s.input_tokens + s.output_tokens) + " tokens"
          : "the engine runs at most " + format_integer(s.max_batch_size * groups) +
                " requests at once (max_batch_size " + format_integer(s.max_batch_size) +
                (groups > 1 ? " per batch group" : "") + ")";

  // A run of N prompts never holds more than N: at concurrency max (a benchmark client without a
  // concurrency cap), or at a cap of N or more, all N are sent at once.
  const bool all_at_once = s.num_prompts && (!s.concurrency || *s.concurrency >= *s.num_prompts);
  double requested = 0;
  double running = 0;
  if (s.request_rate_per_s) {
    bool saturated = false;
    running = running_at_rate(plan, *s.request_rate_per_s / groups, cap, saturated);
    requested = running;
    e.limit_reason = saturated ? "request_rate_exceeds_capacity" : "request_rate";
    e.limit_detail = saturated ? "requests arrive faster than the deployment serves them at its "
                                 "largest batch (" +
                                     cap_detail + "); figures are at that batch"
                               : "concurrency follows from the arrival rate (Little's law)";
  } else if (!s.concurrency && !s.num_prompts) {
    running = requested = cap;
    e.limit_reason = cap_reason;
    e.limit_detail = cap_detail;
  } else {
    requested = static_cast<double>(all_at_once ? *s.num_prompts : *s.concurrency) / groups;
    running = std::min(requested, cap);
    if (requested > cap) {
      e.limit_reason = cap_reason;
      e.limit_detail = cap_detail + "; the other requests wait in the queue";
    } else {
      e.limit_reason = "requested_concurrency";
      const double run_requests = requested * groups;
      // Said with the ceiling beside it: "fits" alone tells nobody how much room is left.
      e.limit_detail = !all_at_once ? format_integer(run_requests) +
                                          (run_requests == 1 ? " request at a time fits ("
                                                             : " requests at a time fit (") +
                                          cap_detail + ")"
                       : run_requests == 1 ? "the run's 1 request fits"
                                           : "the run's " + format_integer(run_requests) +
                                                 " requests, sent at once, all fit";
    }
  }

  SteadyState st = steady_state(plan, running, s.request_rate_per_s.has_value());
  // Requests beyond the running batch wait their turn: at the same throughput, latency grows
  // with the requests in flight (Little's law); the wait lands before the first token.
  // A finite run drains instead: its requests wait for slots freed one lifetime at a time.
  const double prompts_per_group =
      s.num_prompts ? static_cast<double>(*s.num_prompts) / groups : 0.0;
  const double waiting_s =
      s.num_prompts ? finite_run_slot_wait_s(running, requested, prompts_per_group, st.e2e_s)
                    : st.e2e_s * (requested / running - 1);
  e.concurrency = requested * groups;
  e.running_concurrency = running * groups;
  if (s.num_prompts) {
    const FirstWave wave = first_wave(running, prompts_per_group, st.burst_prompt_s, st.queue_s);
    e.first_wave_requests = wave.requests * groups;
    e.first_wave_wait_s = wave.mean_wait_s;
    e.slot_wait_s = waiting_s;
    const double prompts = static_cast<double>(*s.num_prompts);
    const double wave_requests = *e.first_wave_requests;
    std::string note = "time to first token is the mean over a run of " + format_integer(prompts) +
                       (prompts == 1 ? " request" : " requests");
    note += all_at_once ? ", all sent at once"
                        : ", whose first " + format_integer(requested * groups) + " arrive at once";
    if (requested > running) {
      note += "; beyond the " + format_integer(running * groups) +
              " the engine runs, they wait for slots that free one request lifetime at a time";
    }
    if (wave_requests > 1) {
      // Per group: first_wave takes min(running, prompts_per_group), so this compares exactly,
      // where the totals (times groups) could miss each other by a rounding.
      const bool whole_run = wave.requests >= prompts_per_group;
      note += (whole_run ? "; all " : "; the first ") + format_integer(wave_requests) +
              " queue for the prompts ahead of them";
    }
    e.notes.push_back(note +
                      "; throughput is the steady state's (the run's start and end are not "
                      "modelled)");
  }
  e.ttft_s = st.ttft_s + waiting_s + e.first_wave_wait_s;
  e.tpot_s = st.tpot_s;
  e.e2e_latency_s = st.e2e_s + waiting_s + e.first_wave_wait_s;
  e.output_tokens_per_s = st.output_tokens_per_s * groups;
  e.output_tokens_per_s_per_gpu = e.output_tokens_per_s / devices_in_deployment(s);
  e.requests_per_s = e.output_tokens_per_s / s.output_tokens;
  e.input_tokens_per_s = e.requests_per_s * s.input_tokens;
  e.tokens_per_s_per_user = 1.0 / e.tpot_s;
  e.prefill = st.prefill;
  e.decode_step = st.decode_step;
  e.memory.kv_cache_bytes = running * fit.kv_bytes_per_request_per_gpu;

  if (plan.prefill_pool) {
    DisaggregatedFigures pd;
    pd.prefill_gpus = s.prefill_gpus;
    pd.prefill_tp = s.prefill_tp;
    pd.prefill_ep = s.prefill_ep;
    pd.prefill_weights_bytes_per_gpu = fit_memory(*plan.prefill_pool).breakdown.weights_bytes;
    pd.prefill_busy_fraction = st.prefill_pool_busy;
    pd.prefill_wait_s = st.queue_s;
    pd.prefill_s = st.prefill.total_s;
    pd.kv_transfer_bytes = st.kv_transfer_bytes;
    pd.kv_transfer_s = st.kv_transfer_s;
    pd.kv_transfer_bandwidth_guessed = plan.kv_transfer_bandwidth_guessed;
    e.disaggregated = pd;
  }
  const StepBreakdown& d = st.decode_step;
  const double memory_s = d.weight_reads_s + d.kv_reads_s;
  e.decode_bound = DecodeBound::memory_bandwidth;
  double largest = memory_s;
  if (d.compute_s > largest) {
    largest = d.compute_s;
    e.decode_bound = DecodeBound::compute;
  }
  if (d.communication_s > largest) {
    largest = d.communication_s;
    e.decode_bound = DecodeBound::communication;
  }
  if (d.overhead_s > largest) e.decode_bound = DecodeBound::overhead;

  // ---------------------------------------------------------------------------------------------
  // [SECTION] cost and energy
  // Dollars per hour of the whole deployment; per million tokens = $/s over tokens/s. The
  // input/output split charges each token kind its share of GPU time, so that
  // input_tokens x input_price + output_tokens x output_price = total cost, as with API prices.
  const double usd_per_gpu_hour = s.usd_per_gpu_hour.value_or(0.0);
  const double usd_per_hour = usd_per_gpu_hour * devices_in_deployment(s);
  const double usd_per_s = usd_per_hour / units::seconds_per_hour;
  const double all_tokens_per_s = e.output_tokens_per_s + e.input_tokens_per_s;
  if (s.usd_per_gpu_hour) {
    e.usd_per_hour = usd_per_hour;
    e.usd_per_million_tokens = usd_per_s / all_tokens_per_s * units::tokens_per_million;
    e.usd_per_million_input_tokens =
        usd_per_s * st.input_share_of_time / e.input_tokens_per_s * units::tokens_per_million;
    e.usd_per_million_output_tokens = usd_per_s * (1 - st.input_share_of_time) /
                                      e.output_tokens_per_s * units::tokens_per_million;
  } else {
    e.notes.push_back(s.gpu.name +
                      " has no reference price in the catalog, so no cost is given; "
                      "give one in /usd_per_gpu_hour");
  }
  // Energy at the board's rated power (TDP): an upper bound; measured draw under LLM serving is
  // lower, especially when memory-bound. All of it is charged to the output tokens.
  if (s.gpu.tdp_w) {
    e.joules_per_output_token = *s.gpu.tdp_w * devices_in_deployment(s) / e.output_tokens_per_s;
  } else {
    e.notes.push_back(s.gpu.name +
                      ": power (TDP) is unknown in the catalog, so energy is not given");
  }
  const std::string caveat = dense_model_caveat(
      engine_profiles()[static_cast<std::size_t>(s.engine)], s.model.moe.has_value());
  if (!caveat.empty()) e.notes.push_back(caveat);
  const std::string vendor_note =
      vendor_caveat(engine_profiles()[static_cast<std::size_t>(s.engine)], s.gpu.vendor,
                    plan.engine_multipliers_applied);
  if (!vendor_note.empty()) e.notes.push_back(vendor_note);
  if (s.model.moe && plan.layout.attention_dp > 1) e.notes.emplace_back(attention_dp_caveat);
  const Speculative& spec = s.speculative;
  if (spec.method != SpeculativeMethod::none) {
    char line[200];
    std::snprintf(
        line, sizeof line,
        "speculative decoding (%s): %d draft tokens accepted at %.2f each give %.2f tokens "
        "per step%s",
        std::string(to_string(spec.method)).c_str(), spec.draft_tokens, spec.acceptance_rate,
        st.tokens_per_step,
        spec.defaults_used ? "; the method's default draft length/acceptance is a named "
                             "guess: measure yours"
                           : "");
    e.notes.push_back(line);
  }
  if (s.gpu.scale_up_domain_size && plan.layout.instance_gpus > *s.gpu.scale_up_domain_size) {
    e.notes.push_back(
        "the instance spans " + format_integer(plan.layout.instance_gpus) +
        " GPUs, more than one scale-up domain (" + format_integer(*s.gpu.scale_up_domain_size) +
        (plan.efficiency.scale_out_bytes_per_s_per_gpu > 0
             ? "): collectives between domains cross the network at " +
                   format_integer(plan.efficiency.scale_out_bytes_per_s_per_gpu / 1e9) +
                   " GB/s per GPU and 5 us per network step"
             : "): collectives are modelled at scale-up speed, which is optimistic "
               "(an efficiency overlay's scale_out_bytes_per_s_per_gpu, e.g. 46e9 "
               "for one 400 Gb/s NIC per GPU, models the network)"));
  }
  return e;
}

}  // namespace pertoken
