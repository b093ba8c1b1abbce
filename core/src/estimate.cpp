// The serving model: continuous batching in steady state on top of the step-time roofline.
//
// [SECTION] steady state: one batch group at a given number of running requests
// [SECTION] load: fixed concurrency, "max", or an arrival rate (Little's law)
// [SECTION] cost and energy
// [SECTION] estimate()
#include "pertoken/estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "memory_model.hpp"
#include "pertoken/units.hpp"
#include "serving_plan.hpp"
#include "step_time.hpp"

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

namespace detail {
namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] steady state

StepBreakdown scaled(StepBreakdown b, double factor) {
  b.weight_reads_s *= factor;
  b.kv_reads_s *= factor;
  b.compute_s *= factor;
  b.communication_s *= factor;
  b.overhead_s *= factor;
  b.overlap_s *= factor;
  b.total_s *= factor;
  return b;
}

// The average of two steps, the second taking `share` of the iterations.
StepBreakdown blend(const StepBreakdown& a, const StepBreakdown& b, double share) {
  auto mix = [&](double x, double y) { return (1 - share) * x + share * y; };
  StepBreakdown m;
  m.decode_tokens = mix(a.decode_tokens, b.decode_tokens);
  m.prefill_tokens = mix(a.prefill_tokens, b.prefill_tokens);
  m.weight_reads_s = mix(a.weight_reads_s, b.weight_reads_s);
  m.kv_reads_s = mix(a.kv_reads_s, b.kv_reads_s);
  m.compute_s = mix(a.compute_s, b.compute_s);
  m.communication_s = mix(a.communication_s, b.communication_s);
  m.overhead_s = mix(a.overhead_s, b.overhead_s);
  m.overlap_s = mix(a.overlap_s, b.overlap_s);
  m.total_s = mix(a.total_s, b.total_s);
  return m;
}

struct SteadyState {
  double ttft_s = 0;
  double queue_s = 0;  // part of ttft spent waiting for the prefill budget
  double tpot_s = 0;
  double e2e_s = 0;
  double output_tokens_per_s = 0;  // one batch group
  double input_share_of_time = 0;  // time attributed to prefill, for the input/output price split
  StepBreakdown prefill;           // this request's whole prefill
  StepBreakdown decode_step;       // one decode step as a request sees it
};

// Continuous batching (Orca, Yu et al. OSDI'22; vLLM; TensorRT-LLM in-flight batching) with
// chunked prefill, in steady state with `running` requests per batch group.
//
// Every iteration runs one decode token for each request past its prefill, plus prompt chunks
// (at most max_num_tokens tokens in all). A request lives T iterations: ceil(I/B) with a prompt
// chunk and O-1 decoding, or more when the group's prompt work outgrows the token budget
// (T >= running x (I+O-1)/B: requests then wait for the budget, which lands before their first
// token). Per iteration, running x (O-1)/T requests decode. Prompt chunks arrive with new
// requests, running x ceil(I/B) per lifetime; while they are fewer than T they get iterations of
// their own (each chunk beside the decodes), otherwise every iteration carries prompt tokens.
// Keeping the two kinds of iteration apart matters: the time of a step is not linear in its
// tokens (weights are read once per step; an MoE step reads the experts its tokens touch), so
// spreading prompts thinly over every step would overstate the decode steps.
//
// A request sees its own chunks processed beside the others' decodes (TTFT), then O-1 steps of
// which a share carry other requests' prompts (TPOT). With pp stages the batch is split into up
// to pp micro-batches in flight (GPipe-style; fewer when fewer requests run, which leaves stages
// idle: the pipeline bubble); a token passes all pp stages per step. Under open-loop arrivals a
// request also waits, on average, half of the iteration in progress when it arrives. Every
// request pays a fixed serving overhead (API, tokenization, admission) before its first token.
// Throughput follows from Little's law: running requests / request latency.
SteadyState steady_state(const ServingPlan& plan, double running, bool open_loop) {
  const Scenario& s = *plan.scenario;
  const double input = s.input_tokens;
  const double output = s.output_tokens;
  const double budget = s.max_num_tokens;
  const double pp = s.pp;
  const double micro_batches = std::clamp(running, 1.0, pp);
  const double chunks = std::ceil(input / budget);
  const double chunk = input / chunks;
  const double lifetime_min = chunks + output - 1;
  const double iterations = std::max(lifetime_min, running * (input + output - 1) / budget);
  const double decoding = running * (output - 1) / iterations;  // per iteration
  const double others = running > 1 ? (running - 1) / running : 0.0;
  // Iterations carrying prompt tokens (of all requests, of the others), and their prompt tokens.
  const double prefill_share = std::min(1.0, running * chunks / iterations);
  const double others_prefill_share = std::min(1.0, others * running * chunks / iterations);
  const double prompt_tokens_per_prefill_iteration =
      std::max(chunk, running * input / (prefill_share * iterations));
  const double decode_context = input + output / 2;

  auto load = [&](double decodes, double prompt_tokens, double prompts_finishing) {
    StepLoad l;
    l.decode_sequences = decodes / micro_batches;
    l.decode_context = decode_context;
    l.prefill_tokens = prompt_tokens / micro_batches;
    l.prompt_tokens = input;
    l.prefill_sequences = prompts_finishing / micro_batches;
    return l;
  };
  const double others_decoding = others * decoding;
  // My decode steps: plain ones, and the share that also carries another request's prompt chunk.
  const StepBreakdown plain = stage_step_time(plan, load(1 + others_decoding, 0, 0));
  const StepBreakdown with_prompt =
      stage_step_time(plan, load(1 + others_decoding, prompt_tokens_per_prefill_iteration,
                                 prompt_tokens_per_prefill_iteration / input));
  // My prompt chunks, beside the others' decodes (and their chunks when every step has some).
  const StepBreakdown my_chunk = stage_step_time(
      plan, load(others_decoding,
                 std::max(chunk, others_prefill_share >= 1.0 ? prompt_tokens_per_prefill_iteration
                                                             : chunk),
                 1.0 / chunks));

  SteadyState st;
  st.decode_step = blend(scaled(plain, pp), scaled(with_prompt, pp), others_prefill_share);
  st.prefill = scaled(my_chunk, pp * chunks);
  st.tpot_s = st.decode_step.total_s;
  st.queue_s = (iterations - lifetime_min) * st.tpot_s;
  if (open_loop) st.queue_s += std::min(1.0, running) * 0.5 * st.tpot_s;
  st.ttft_s = plan.efficiency.request_overhead_s + st.prefill.total_s + st.queue_s;
  st.e2e_s = st.ttft_s + (output - 1) * st.tpot_s;
  st.output_tokens_per_s = running * output / st.e2e_s;

  // Input/output split of the GPU time: what each phase would cost on its own at this load
  // (prompts in chunks as large as the load packs them, decode at the running batch), per token.
  StepLoad prefill_alone = load(0, std::min(budget, prompt_tokens_per_prefill_iteration), 0);
  prefill_alone.prefill_sequences = prefill_alone.prefill_tokens / input;
  const StepLoad decode_alone = load(std::max(1.0, decoding), 0, 0);
  const double prefill_s_per_token =
      stage_step_time(plan, prefill_alone).total_s / prefill_alone.prefill_tokens;
  const double decode_s_per_token =
      stage_step_time(plan, decode_alone).total_s / decode_alone.decode_sequences;
  const double prefill_cost = input * prefill_s_per_token;
  const double decode_cost = output * decode_s_per_token;
  st.input_share_of_time = prefill_cost / (prefill_cost + decode_cost);
  return st;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] load

struct Load {
  double requested_per_group = 0;  // requests in flight per batch group, queued included
  double running_per_group = 0;    // requests in the running batch
  std::string limit_reason;
  std::string limit_detail;
};

std::string format_count(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.0f", value);
  std::string digits = buffer;
  std::string out;
  const std::size_t lead = digits.size() % 3;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (i - lead) % 3 == 0 && digits[0] != '-') out += ',';
    out += digits[i];
  }
  return out;
}

std::string format_gib(double bytes) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  return buffer;
}

// The running batch of one group at an arrival rate: the fixed point of
// running = rate x latency(running) (Little's law), found by bisection since latency grows with
// the batch. Above the group's capacity the queue grows without bound: report the capacity.
double running_at_rate(const ServingPlan& plan, double rate_per_group, double cap,
                       bool& saturated) {
  auto excess = [&](double running) {
    return rate_per_group * steady_state(plan, running, true).e2e_s - running;
  };
  saturated = excess(cap) > 0;
  if (saturated) return cap;
  double low = 0.0;
  double high = cap;
  for (int i = 0; i < 60 && high - low > 1e-9 * std::max(1.0, cap); ++i) {
    const double mid = 0.5 * (low + high);
    if (mid <= 0) break;
    (excess(mid) > 0 ? low : high) = mid;
  }
  return std::max(high, 1e-9);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// [SECTION] estimate()

}  // namespace detail

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
    e.limit_detail = format_gib(e.memory.weights_bytes) + " of weights + " +
                     format_gib(e.memory.activation_bytes + e.memory.runtime_reserved_bytes) +
                     " of activations and runtime per GPU exceed the " +
                     format_gib(e.memory.capacity_bytes) + " of one " + s.gpu.name;
    return e;
  }
  if (fit.max_requests_per_group < 1) {
    e.fits = false;
    e.limit_reason = "kv_cache_exceeds_memory";
    e.limit_detail = "one request of " + format_count(s.input_tokens + s.output_tokens) +
                     " tokens needs " + format_gib(fit.kv_bytes_per_request_per_gpu) +
                     " of KV cache per GPU; " + format_gib(e.memory.kv_cache_pool_bytes) +
                     " are free for it";
    return e;
  }
  e.fits = true;
  e.max_concurrency = static_cast<long long>(fit.max_requests_per_group * groups);
  const double cap = std::min<double>(fit.max_requests_per_group, s.max_batch_size);
  const std::string cap_reason =
      fit.max_requests_per_group <= s.max_batch_size ? "kv_cache_capacity" : "engine_max_batch";
  const std::string cap_detail =
      fit.max_requests_per_group <= s.max_batch_size
          ? "the KV cache holds " + format_count(fit.max_requests_per_group * groups) +
                " requests of " + format_count(s.input_tokens + s.output_tokens) + " tokens"
          : "the engine runs at most " + format_count(s.max_batch_size * groups) +
                " requests at once (max_batch_size " + format_count(s.max_batch_size) +
                (groups > 1 ? " per batch group" : "") + ")";

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
  } else if (!s.concurrency) {
    running = requested = cap;
    e.limit_reason = cap_reason;
    e.limit_detail = cap_detail;
  } else {
    requested = static_cast<double>(*s.concurrency) / groups;
    running = std::min(requested, cap);
    if (requested > cap) {
      e.limit_reason = cap_reason;
      e.limit_detail = cap_detail + "; the other requests wait in the queue";
    } else {
      e.limit_reason = "requested_concurrency";
      e.limit_detail = "the requested concurrency fits";
    }
  }

  SteadyState st = steady_state(plan, running, s.request_rate_per_s.has_value());
  // Requests beyond the running batch wait their turn: at the same throughput, latency grows
  // with the requests in flight (Little's law); the wait lands before the first token.
  const double queue_factor = requested / running;
  const double waiting_s = st.e2e_s * (queue_factor - 1);
  e.concurrency = requested * groups;
  e.running_concurrency = running * groups;
  e.ttft_s = st.ttft_s + waiting_s;
  e.tpot_s = st.tpot_s;
  e.e2e_latency_s = st.e2e_s + waiting_s;
  e.output_tokens_per_s = st.output_tokens_per_s * groups;
  e.output_tokens_per_s_per_gpu = e.output_tokens_per_s / s.num_gpus;
  e.requests_per_s = e.output_tokens_per_s / s.output_tokens;
  e.input_tokens_per_s = e.requests_per_s * s.input_tokens;
  e.tokens_per_s_per_user = 1.0 / e.tpot_s;
  e.prefill = st.prefill;
  e.decode_step = st.decode_step;
  e.memory.kv_cache_bytes = running * fit.kv_bytes_per_request_per_gpu;

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
  e.usd_per_hour = s.usd_per_gpu_hour * s.num_gpus;
  const double usd_per_s = e.usd_per_hour / units::seconds_per_hour;
  const double all_tokens_per_s = e.output_tokens_per_s + e.input_tokens_per_s;
  e.usd_per_million_tokens = usd_per_s / all_tokens_per_s * units::tokens_per_million;
  e.usd_per_million_input_tokens =
      usd_per_s * st.input_share_of_time / e.input_tokens_per_s * units::tokens_per_million;
  e.usd_per_million_output_tokens =
      usd_per_s * (1 - st.input_share_of_time) / e.output_tokens_per_s * units::tokens_per_million;
  // Energy at the board's rated power (TDP): an upper bound; measured draw under LLM serving is
  // lower, especially when memory-bound. All of it is charged to the output tokens.
  if (s.gpu.tdp_w) {
    e.energy_known = true;
    e.joules_per_output_token = *s.gpu.tdp_w * s.num_gpus / e.output_tokens_per_s;
  } else {
    e.notes.push_back(s.gpu.name +
                      ": power (TDP) is unknown in the catalog, so energy is not given");
  }
  if (!s.usd_per_gpu_hour_known) {
    e.notes.push_back(s.gpu.name +
                      " has no reference price in the catalog: costs assume $0/GPU-hour; "
                      "give one with --usd-per-gpu-hour");
  }
  if (s.gpu.scale_up_domain_size && plan.layout.instance_gpus > *s.gpu.scale_up_domain_size) {
    e.notes.push_back("the instance spans " + format_count(plan.layout.instance_gpus) +
                      " GPUs, more than one scale-up domain (" +
                      format_count(*s.gpu.scale_up_domain_size) +
                      "): collectives are modelled at scale-up speed, which is optimistic");
  }
  return e;
}

}  // namespace pertoken
