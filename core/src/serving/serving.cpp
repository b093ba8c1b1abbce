// Internal: serving over time (see serving.hpp).
//
// [SECTION] helpers
// [SECTION] speculative decoding
// [SECTION] continuous batching
// [SECTION] static batching
// [SECTION] disaggregated prefill and decode
// [SECTION] a finite run's first wave
// [SECTION] arrival rate
#include "serving/serving.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/step_time.hpp"
#include "pertoken/model/engine_profile.hpp"

namespace pertoken::detail {
namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] helpers

// The step's time repeated `factor`-fold (its token counts are left for the caller to state).
StepBreakdown scaled(StepBreakdown b, double factor) {
  b.weight_reads_s *= factor;
  b.kv_reads_s *= factor;
  b.compute_s *= factor;
  b.communication_s *= factor;
  b.overhead_s *= factor;
  b.overlap_s *= factor;
  b.total_s *= factor;
  b.padded_heads_s *= factor;
  b.weight_bytes_read *= factor;
  b.kv_bytes_read *= factor;
  return b;
}

StepBreakdown add(StepBreakdown a, const StepBreakdown& b) {
  a.decode_tokens += b.decode_tokens;
  a.prefill_tokens += b.prefill_tokens;
  a.weight_reads_s += b.weight_reads_s;
  a.kv_reads_s += b.kv_reads_s;
  a.compute_s += b.compute_s;
  a.communication_s += b.communication_s;
  a.overhead_s += b.overhead_s;
  a.overlap_s += b.overlap_s;
  a.total_s += b.total_s;
  a.padded_heads_s += b.padded_heads_s;
  a.weight_bytes_read += b.weight_bytes_read;
  a.kv_bytes_read += b.kv_bytes_read;
  // One device type per step (a draft model runs on the target's GPUs).
  if (a.memory_bandwidth_bytes_per_s <= 0) {
    a.memory_bandwidth_bytes_per_s = b.memory_bandwidth_bytes_per_s;
  }
  return a;
}

// The average of two steps, the second taking `share` of the iterations.
StepBreakdown blend(const StepBreakdown& a, const StepBreakdown& b, double share) {
  StepBreakdown mixed = add(scaled(a, 1 - share), scaled(b, share));
  mixed.decode_tokens = (1 - share) * a.decode_tokens + share * b.decode_tokens;
  mixed.prefill_tokens = (1 - share) * a.prefill_tokens + share * b.prefill_tokens;
  return mixed;
}

// States what a reported step carries for the whole batch group (all micro-batches).
StepBreakdown carrying(StepBreakdown b, double decode_tokens, double prefill_tokens) {
  b.decode_tokens = decode_tokens;
  b.prefill_tokens = prefill_tokens;
  return b;
}

// How long one step takes a token through a pipeline of pp stages, as a multiple of the slowest
// stage's time: with m micro-batches in flight each stage works on them in turn, so a token waits
// m slowest-stage times per step, and never less than the stages take one after the other
// (GPipe, Huang et al. 2019; fewer micro-batches than stages leaves stages idle: the bubble).
double pipeline_factor(const ServingPlan& plan, const StepLoad& load, double micro_batches) {
  if (plan.scenario->pp <= 1) return 1.0;
  double sum_of_stages = 0;
  const StepBreakdown slowest = stage_step_time(plan, load, &sum_of_stages);
  return std::max(micro_batches, slowest.total_s > 0 ? sum_of_stages / slowest.total_s : 1.0);
}

// What one micro-batch of a step carries; built by the serving models below.
struct LoadShape {
  const Scenario* s = nullptr;
  double micro_batches = 1;
  double prompt_processed = 0;  // prompt tokens that need prefill (after the cache hit)
  double decode_context = 0;
  double tokens_per_sequence = 1;

  StepLoad operator()(double decodes, double prompt_tokens, double prompts_finishing) const {
    StepLoad l;
    l.decode_sequences = decodes / micro_batches;
    l.decode_tokens_per_sequence = tokens_per_sequence;
    l.decode_context = decode_context;
    l.prefill_tokens = prompt_tokens / micro_batches;
    l.prompt_tokens = s->input_tokens;
    l.prompt_cached_tokens = s->input_tokens - prompt_processed;
    l.prefill_sequences = prompts_finishing / micro_batches;
    return l;
  }
  // The step `l` as the micro-batch that carries my prompt chunk sees it: a sequence is never
  // split between micro-batches, so mine carries at least my `chunk_tokens` whole, where the
  // shape's even spread would give it 1 / micro_batches of them.
  StepLoad holding_my_chunk(StepLoad l, double chunk_tokens) const {
    l.prefill_tokens = std::max(l.prefill_tokens, chunk_tokens);
    return l;
  }
  // The step `l` with each other attention data-parallel rank carrying, on average, `decodes`
  // decoding sequences and `prompt_tokens` prompt tokens, which the experts see beside l's.
  StepLoad beside(StepLoad l, double decodes, double prompt_tokens) const {
    l.other_rank_moe_tokens = (decodes * tokens_per_sequence + prompt_tokens) / micro_batches;
    return l;
  }
};

// ---------------------------------------------------------------------------------------------
// [SECTION] speculative decoding
//
// A decode step under speculation: the proposer drafts k tokens per sequence (k sequential steps
// of a draft model or MTP/EAGLE head; one pass of Medusa's heads; free for n-gram lookup), then
// the target verifies all k+1 positions in one step: its weights are read once, its FLOPs and
// logits grow k+1-fold, its KV cache is read once. Each step yields expected_tokens_per_step
// tokens. When decode is memory-bound the extra FLOPs are nearly free and the gain is large; as
// the batch grows the step turns compute-bound, the verification's k+1-fold FLOPs cost their
// full time, and the gain shrinks and turns into a loss (vLLM's measurements, 2024-10-17 blog).
StepBreakdown proposer_step(const ServingPlan& plan, const StepLoad& decode_load,
                            const StepBreakdown& target_single_token) {
  const Speculative& spec = plan.scenario->speculative;
  StepBreakdown cost;
  switch (spec.method) {
    case SpeculativeMethod::none:
    case SpeculativeMethod::ngram: break;
    case SpeculativeMethod::mtp:
    case SpeculativeMethod::eagle:
      cost = scaled(target_single_token, spec.draft_tokens * plan.proposer_step_share);
      break;
    case SpeculativeMethod::medusa:
      cost = scaled(target_single_token, plan.proposer_step_share);
      break;
    case SpeculativeMethod::draft_model: {
      StepLoad draft_load = decode_load;
      draft_load.decode_tokens_per_sequence = 1;
      cost = scaled(stage_step_time(*plan.draft, draft_load), spec.draft_tokens);
      break;
    }
  }
  cost.decode_tokens = 0;
  cost.prefill_tokens = 0;
  return cost;
}

}  // namespace

double expected_tokens_per_step(int draft_tokens, double acceptance_rate) {
  if (draft_tokens <= 0) return 1.0;
  if (acceptance_rate >= 1.0) return draft_tokens + 1.0;
  return (1.0 - std::pow(acceptance_rate, draft_tokens + 1)) / (1.0 - acceptance_rate);
}

namespace {

// One decode step with its proposer: the target's step over tokens_per_sequence positions plus
// the drafting that precedes it.
StepBreakdown decode_step_time(const ServingPlan& plan, const StepLoad& load) {
  StepBreakdown verify = stage_step_time(plan, load);
  if (plan.scenario->speculative.method == SpeculativeMethod::none) return verify;
  StepLoad single = load;
  single.decode_tokens_per_sequence = 1;
  single.prefill_tokens = 0;
  single.prefill_sequences = 0;
  return add(verify, proposer_step(plan, load, stage_step_time(plan, single)));
}

// A draft model must also read each prompt to build its own KV cache.
StepBreakdown prompt_step_time(const ServingPlan& plan, const StepLoad& load) {
  StepBreakdown step = stage_step_time(plan, load);
  if (plan.draft && load.prefill_tokens > 0) {
    StepLoad draft_load = load;
    draft_load.decode_sequences = 0;
    step = add(step, stage_step_time(*plan.draft, draft_load));
  }
  return step;
}

// One prompt's compute when prompts run back to back in full steps of the token budget: a full
// step's time per token, times the prompt's tokens (what each prompt costs a busy prompt server).
double prompt_in_full_steps_s(const ServingPlan& plan, const LoadShape& shape, double prompt,
                              double budget, double chunk) {
  const double full_tokens = std::max(budget, chunk);
  return prompt * prompt_step_time(plan, shape(0, full_tokens, full_tokens / prompt)).total_s /
         full_tokens;
}

// Input/output split of the GPU time: what each phase would cost on its own at this load, per
// token (prompts in chunks as large as the load packs them, decode at the running batch).
double input_share(const ServingPlan& plan, const LoadShape& shape, double prompt_chunk,
                   double decoding, double tokens_per_step) {
  const Scenario& s = *plan.scenario;
  const double output = s.output_tokens;
  StepLoad prefill_alone = shape(0, prompt_chunk * shape.micro_batches, 0);
  prefill_alone.prefill_sequences =
      prefill_alone.prefill_tokens / std::max(1.0, shape.prompt_processed);
  const StepLoad decode_alone = shape(std::max(1.0, decoding), 0, 0);
  const double prefill_cost = prefill_alone.prefill_tokens > 0
                                  ? shape.prompt_processed *
                                        prompt_step_time(plan, prefill_alone).total_s /
                                        prefill_alone.prefill_tokens
                                  : 0.0;
  const double decode_cost = output * decode_step_time(plan, decode_alone).total_s /
                             (decode_alone.decode_sequences * tokens_per_step);
  return prefill_cost / (prefill_cost + decode_cost);
}

// What one request asks of a continuous-batching engine: its prompt after the prefix-cache hit,
// cut into chunks of the step's token budget (whole when chunking is off), and its decode steps.
struct RequestWork {
  double output;           // tokens generated
  double prompt;           // prompt tokens that need prefill
  double budget;           // prompt tokens per step
  double chunks;           // steps my prompt takes
  double chunk;            // tokens per chunk
  double tokens_per_step;  // output tokens gained per decode step (speculation)
  double q;                // positions verified per decode step
  double decode_steps;
};

RequestWork request_work(const Scenario& s) {
  RequestWork w;
  w.output = s.output_tokens;
  w.prompt = prompt_tokens_computed(s);
  w.budget = step_token_budget(s);
  w.chunks = std::ceil(w.prompt / w.budget);
  w.chunk = w.prompt / w.chunks;
  w.tokens_per_step =
      expected_tokens_per_step(s.speculative.draft_tokens, s.speculative.acceptance_rate);
  w.q = s.speculative.draft_tokens + 1.0;
  w.decode_steps = (w.output - 1) / w.tokens_per_step;
  return w;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] waiting behind other prompts
//
// Prompts arrive at random moments, not evenly spaced, so a prompt often arrives while others'
// prompts are still being computed, and its first token waits for them. The engine's prompt
// compute acts as one server: prompt work is compute-bound, so running prompts one after another
// or packed into one step finishes the last of them at the same time. The other n - 1 requests
// each bring S seconds of prompt compute once per lifetime T, so that server is busy
// rho = (n - 1) S / T, and a random arrival at a server with deterministic service waits
// rho S / (2 (1 - rho)) on average (the Pollaczek-Khinchine formula for M/D/1; with open-loop
// arrivals at rate lambda, n = lambda T makes rho = lambda S). The caller caps the wait at the
// others' prompt time that its lifetime holds. An approximation: arrivals in a closed-loop
// benchmark with equal lengths are more regular than random (less wait), and the burst at a
// benchmark's start is not modelled (more wait).
double prompt_queue_wait_s(double running, double prompt_compute_s, double lifetime_s) {
  const double others = std::max(0.0, running - 1.0);
  if (others <= 0 || prompt_compute_s <= 0 || lifetime_s <= 0) return 0.0;
  const double rho = others * prompt_compute_s / lifetime_s;
  if (rho >= 1.0) return std::numeric_limits<double>::infinity();
  return rho * prompt_compute_s / (2.0 * (1.0 - rho));
}

// ---------------------------------------------------------------------------------------------
// [SECTION] prompts batched into steps of their own
//
// An engine that runs prompts in steps of their own (SGLang; chunked prefill off) takes every
// prompt chunk waiting when a step starts into one prompt step, up to the token budget, so the
// step's fixed costs (weights, launches) are shared. How many wait depends on how requests arrive:
// - at a fixed concurrency (a closed loop: a new request as soon as one ends), requests end in
//   decode steps, running / D of them per decode step when each lives D decode steps, and their
//   successors' prompts all wait for the next step; with no decode step (one output token) all
//   running requests are prompts;
// - at random moments (open loop, rate lambda = running / lifetime), the count arriving during a
//   decode step of time t_d, given that one did: x / (1 - e^-x), x = lambda t_d.
double prompts_per_prompt_step(const ServingPlan& plan, const LoadShape& shape, double running,
                               const RequestWork& w, bool open_loop) {
  if (running <= 1 || w.prompt <= 0) return 1.0;
  const double most = std::clamp(std::floor(w.budget / w.chunk), 1.0, running);
  if (!open_loop) return std::clamp(running * w.chunks / std::max(1.0, w.decode_steps), 1.0, most);
  const double decode_s = stage_step_time(plan, shape(running, 0, 0)).total_s;
  const double lifetime_s =
      plan.efficiency.request_overhead_s +
      w.chunks * prompt_step_time(plan, shape(0, w.chunk, 1.0 / w.chunks)).total_s +
      w.decode_steps * decode_s;
  const double x = running * w.chunks / lifetime_s * decode_s;
  return std::clamp(x > 1e-9 ? x / -std::expm1(-x) : 1.0, 1.0, most);
}

}  // namespace

double share_with_any_rank(double first, double each, double others) {
  return 1.0 - (1.0 - first) * std::pow(1.0 - each, others);
}

namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] continuous batching
//
// Continuous batching (Orca, Yu et al. OSDI'22; vLLM; TensorRT-LLM in-flight batching), in steady
// state with `running` requests per batch group.
//
// Every iteration runs a decode step for each request past its prefill, plus prompt chunks (at
// most max_num_tokens tokens in all). A request lives T iterations: its prompt chunks and D =
// (O-1)/E decode steps (E tokens per step under speculation, else 1), or more when the group's
// prompt work outgrows the token budget (T >= running x (I' + D x q)/B: requests then wait for the
// budget, which lands before their first token). Per iteration, running x D/T requests decode.
// Prompt chunks arrive with new requests, running x chunks per lifetime; while they are fewer
// than T they get iterations of their own (each chunk beside the decodes), otherwise every
// iteration carries prompt tokens. Keeping the two kinds of iteration apart matters: step time is
// not linear in tokens (weights are read once per step; an MoE step reads the experts its tokens
// touch), so spreading prompts thinly over every step would overstate the decode steps.
// Without chunked prefill a prompt runs whole, in an iteration of its own that stalls the decodes
// (vLLM's prefill-first scheduler): TPOT then absorbs the other requests' prompts.
//
// With prefix caching a share h of each prompt is already cached: only I' = I(1-h) tokens run,
// attending to the cached prefix too. With pp stages the batch is split into up to pp
// micro-batches in flight (fewer when fewer requests run: the pipeline bubble); a token passes all
// pp stages per step. Under open-loop arrivals a request also waits, on average, half of the step
// in progress. Every request pays a fixed serving overhead (API, tokenizer, admission) before its
// first token. Throughput follows from Little's law: running requests / request latency.
SteadyState continuous_state(const ServingPlan& plan, double running, bool open_loop) {
  const Scenario& s = *plan.scenario;
  const RequestWork work = request_work(s);
  const auto [output, prompt, budget, chunks, chunk, tokens_per_step, q, decode_steps] = work;

  LoadShape shape;
  shape.s = &s;
  shape.micro_batches = std::clamp(running, 1.0, static_cast<double>(s.pp));
  shape.prompt_processed = prompt;
  shape.decode_context = s.input_tokens + output / 2;
  shape.tokens_per_sequence = q;

  // Whether prompt chunks share iterations with the decodes is the engine's (engine_profile.hpp):
  // SGLang runs prefill batches on their own unless --enable-mixed-chunk, so there, as without
  // chunking, every other request's prompt chunks are iterations that stall my decoding.
  const bool mixed =
      s.chunked_prefill &&
      engine_profiles()[static_cast<std::size_t>(s.engine)].prefill_mixed_with_decode;
  // Prompt chunks per prompt step where prompts run in steps of their own.
  const double batched =
      mixed ? 1.0 : prompts_per_prompt_step(plan, shape, running, work, open_loop);
  // The others' prompt steps that do not carry mine (mine carries batched - 1 of theirs).
  const double others_prompt_steps = std::max(0.0, running - batched) * chunks / batched;
  const double lifetime_min = chunks + decode_steps;
  const double lifetime =
      mixed ? std::max(lifetime_min, running * (prompt + decode_steps * q) / budget)
            : lifetime_min + others_prompt_steps;             // others' prompts stall mine
  const double decoding = running * decode_steps / lifetime;  // requests decoding per iteration
  const double others = running > 1 ? (running - 1) / running : 0.0;
  const double prefill_share = std::min(1.0, running * chunks / lifetime);
  const double others_prefill_share = std::min(1.0, others * running * chunks / lifetime);
  const double prompt_per_prefill_iteration =
      std::max(chunk, running * prompt / (prefill_share * lifetime));
  const double others_decoding = others * decoding;

  SteadyState st;
  st.tokens_per_step = tokens_per_step;
  // With attention data-parallel ranks the ranks meet at every MoE layer: the experts see every
  // rank's tokens, and a step lasts as long as the slowest rank's (share_with_any_rank; the cost
  // TensorRT-LLM's "ADP Balance" blog measures and schedules around). Each other rank holds the
  // instance's requests but mine and my rank's others (none when fewer requests run than there
  // are ranks), which decode and prefill as mine do.
  const double other_ranks = s.model.moe ? plan.layout.attention_dp - 1.0 : 0.0;
  const bool coupled = other_ranks > 0;
  const double other_rank_running =
      coupled ? std::max(0.0, ((other_ranks + 1) * running - std::max(1.0, running)) / other_ranks)
              : 0.0;
  const double other_rank_decoding = other_rank_running * decode_steps / lifetime;
  const double other_rank_prefill_share = std::min(1.0, other_rank_running * chunks / lifetime);
  // My decode step: my token(s) beside the others' decodes, drafting included.
  StepLoad mine = shape(1 + others_decoding, 0, 0);
  if (coupled) mine = shape.beside(mine, other_rank_decoding, 0);
  const StepBreakdown verify = stage_step_time(plan, mine);
  const StepBreakdown drafting = proposer_step(plan, mine, verify);
  StepBreakdown plain = add(verify, drafting);
  const double pipeline = pipeline_factor(plan, mine, shape.micro_batches);
  StepBreakdown my_chunk;
  // How long a step carrying my prompt chunk takes it through the pipeline: its micro-batch, which
  // holds the chunk whole, passes every stage, so its stages' sum bounds it from below, where the
  // decode's factor (the step's other loads spread evenly) would pass 1 / micro_batches of it.
  double prompt_pipeline = 1;
  StepLoad my_chunk_load;  // the micro-batch that carries my chunk
  // What each other rank carries beside my prompt chunk's step: its decodes, and prompt tokens in
  // the share of its iterations that carry them.
  double beside_my_chunk_prompt_tokens = 0;
  if (mixed) {
    // The share of my decode steps that also carries a prompt chunk: another request's on my
    // rank, or, with attention data-parallel ranks, one on any rank (the slowest rank then holds
    // the chunk, and the others their expected chunks beyond it).
    StepLoad chunk_step = shape(1 + others_decoding, prompt_per_prefill_iteration,
                                prompt_per_prefill_iteration / std::max(1.0, prompt));
    double chunk_share = others_prefill_share;
    if (coupled) {
      chunk_share =
          share_with_any_rank(others_prefill_share, other_rank_prefill_share, other_ranks);
      const double ranks_with_chunks =
          chunk_share > 0
              ? (others_prefill_share + other_ranks * other_rank_prefill_share) / chunk_share
              : 1.0;
      chunk_step = shape.beside(
          chunk_step, other_rank_decoding,
          prompt_per_prefill_iteration * std::max(0.0, ranks_with_chunks - 1.0) / other_ranks);
    }
    const StepBreakdown with_prompt = add(prompt_step_time(plan, chunk_step), drafting);
    // My prompt chunks, beside the others' decodes (and their chunks when every step has some).
    const double my_chunk_tokens =
        others_prefill_share >= 1.0 ? std::max(chunk, prompt_per_prefill_iteration) : chunk;
    StepLoad my_chunk_step =
        shape.holding_my_chunk(shape(others_decoding, my_chunk_tokens, 1.0 / chunks), chunk);
    beside_my_chunk_prompt_tokens = other_rank_prefill_share * prompt_per_prefill_iteration;
    if (coupled) {
      my_chunk_step =
          shape.beside(my_chunk_step, other_rank_decoding, beside_my_chunk_prompt_tokens);
    }
    my_chunk = prompt_step_time(plan, my_chunk_step);
    prompt_pipeline = pipeline_factor(plan, my_chunk_step, shape.micro_batches);
    my_chunk_load = my_chunk_step;
    st.decode_step = blend(scaled(plain, pipeline), scaled(with_prompt, pipeline), chunk_share);
  } else {
    // Prompt chunks in steps of their own, `batched` chunks to a step: all the others' prompt
    // steps run within my lifetime, each stalling me. Here they are spread over my decode steps;
    // the share that lands before my first token moves to the wait below.
    StepLoad my_prompt_step =
        shape.holding_my_chunk(shape(0, batched * chunk, batched / chunks), chunk);
    if (coupled) {
      // Another rank's prompt step holds my decode step for as long as it lasts (SGLang also runs
      // CUDA graphs only when every rank can: can_cuda_graph = min over the ranks,
      // scheduler_dp_attn_mixin.py). The held step is reported as the prompting rank's.
      const double prompt_step_share =
          std::min(1.0, other_rank_running * chunks / batched / lifetime);
      beside_my_chunk_prompt_tokens = prompt_step_share * batched * chunk;
      my_prompt_step =
          shape.beside(my_prompt_step, other_rank_decoding, beside_my_chunk_prompt_tokens);
      const StepBreakdown held = prompt_step_time(plan, my_prompt_step);
      if (held.total_s > plain.total_s) {
        plain = blend(plain, held, share_with_any_rank(0.0, prompt_step_share, other_ranks));
      }
    }
    my_chunk = prompt_step_time(plan, my_prompt_step);
    prompt_pipeline = pipeline_factor(plan, my_prompt_step, shape.micro_batches);
    my_chunk_load = my_prompt_step;
  }
  if (!mixed) {
    // The others' prompt steps, each like mine, stall my decoding.
    const double stalls_per_step = decode_steps > 0 ? others_prompt_steps / decode_steps : 0.0;
    st.decode_step =
        add(scaled(plain, pipeline), scaled(my_chunk, prompt_pipeline * stalls_per_step));
  }
  // My prompt's own compute: the time a step's prompt tokens add at the margin (half the step's
  // prompt tokens against all of them), so that fixed per-step costs (weights, launches), which
  // prompts packed into one step share, are not counted per prompt.
  const double step_prompt_tokens =
      mixed ? (others_prefill_share >= 1.0 ? std::max(chunk, prompt_per_prefill_iteration) : chunk)
            : batched * chunk;
  double my_prompt_compute_s = 0;
  if (running > 1 && prompt > 0) {  // alone, nothing is ahead of my prompt
    // My chunk's micro-batch with half of its prompt tokens, against all of them.
    StepLoad half = my_chunk_load;
    half.prefill_tokens *= 0.5;
    half.prefill_sequences *= 0.5;
    const StepBreakdown half_prompt = prompt_step_time(plan, half);
    my_prompt_compute_s = prompt * prompt_pipeline *
                          std::max(0.0, my_chunk.total_s - half_prompt.total_s) /
                          half.prefill_tokens;
  }
  // The others' prompts already lengthen my decode steps; the share of them that lands while my
  // prompt waits moves from my decode steps to my wait, leaving my lifetime as it was.
  const StepBreakdown plain_step = scaled(plain, pipeline);
  const double others_prompts_in_decode_s =
      decode_steps * std::max(0.0, st.decode_step.total_s - plain_step.total_s);
  // Without decode steps (one output token), nothing of mine runs between the others' prompt
  // steps and my first token: they all come before it.
  const double others_prompts_first_s =
      mixed || decode_steps > 0 ? 0.0 : others_prompt_steps * prompt_pipeline * my_chunk.total_s;
  const double lifetime_s = plan.efficiency.request_overhead_s +
                            chunks * prompt_pipeline * my_chunk.total_s +
                            decode_steps * st.decode_step.total_s + others_prompts_first_s;
  // The share of the others' prompts in my decode steps that lands before my first token.
  const double waited_from_decode_s = std::min(
      others_prompts_in_decode_s, prompt_queue_wait_s(running, my_prompt_compute_s, lifetime_s));
  const double prompt_wait_s = others_prompts_first_s + waited_from_decode_s;
  const double inflated_step_s = st.decode_step.total_s;  // as the budget's queue sees it
  if (others_prompts_in_decode_s > 0) {
    st.decode_step =
        blend(plain_step, st.decode_step, 1.0 - waited_from_decode_s / others_prompts_in_decode_s);
  }
  // Where prompts run in steps of their own, my prompt's steps carry no decodes.
  st.prefill = carrying(scaled(my_chunk, prompt_pipeline * chunks),
                        mixed ? others_decoding * q : 0.0, prompt);
  st.prefill.beside_prompt_tokens = std::max(0.0, step_prompt_tokens - chunk);
  // Only a finite run's first wave asks for it; the steady state, in every search, does not.
  if (s.num_prompts) {
    st.burst_prompt_s = pipeline * prompt_in_full_steps_s(plan, shape, prompt, budget, chunk);
  }
  const double others_prompt_tokens =
      mixed ? others_prefill_share * prompt_per_prefill_iteration
            : std::max(0.0, running - batched) * prompt / std::max(1.0, decode_steps);
  st.decode_step = carrying(st.decode_step, (1 + others_decoding) * q, others_prompt_tokens);
  st.tpot_s = st.decode_step.total_s / tokens_per_step;
  st.queue_s = prompt_wait_s + (mixed ? (lifetime - lifetime_min) * inflated_step_s : 0.0);
  if (open_loop) st.queue_s += std::min(1.0, running) * 0.5 * st.decode_step.total_s;
  st.ttft_s = plan.efficiency.request_overhead_s + st.prefill.total_s + st.queue_s;
  st.e2e_s = st.ttft_s + (output - 1) * st.tpot_s;
  st.output_tokens_per_s = running * output / st.e2e_s;
  st.input_share_of_time = input_share(
      plan, shape, std::min(budget, mixed ? prompt_per_prefill_iteration : batched * chunk),
      decoding, tokens_per_step);
  return st;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] static batching
//
// Static batching (HF generate, early FasterTransformer, Gaudi's static-shape serving): a batch of
// `batch` requests starts together, prefills all prompts (in steps of max_num_tokens tokens), then
// decodes until its last request ends; the next batch waits for the whole one to finish. With
// equal lengths nothing is padded; the cost is that prompts never overlap with decoding, and a
// request's first token waits for the whole batch's prefill.
SteadyState static_state(const ServingPlan& plan, double batch) {
  const Scenario& s = *plan.scenario;
  const double output = s.output_tokens;
  const double prompt = prompt_tokens_computed(s);
  const double budget = step_token_budget(s);
  const double tokens_per_step =
      expected_tokens_per_step(s.speculative.draft_tokens, s.speculative.acceptance_rate);

  LoadShape shape;
  shape.s = &s;
  shape.micro_batches = std::clamp(batch, 1.0, static_cast<double>(s.pp));
  shape.prompt_processed = prompt;
  shape.decode_context = s.input_tokens + output / 2;
  const double q = s.speculative.draft_tokens + 1.0;  // positions verified per decode step
  shape.tokens_per_sequence = q;

  // A batch at an average below one request (a slow arrival rate, or attention data-parallel
  // ranks sharing few requests) still holds the request whose latency this is: its steps carry
  // at least that one; throughput stays the average batch's.
  const double members = std::max(batch, 1.0);
  const double prefill_tokens = members * prompt;
  const double prefill_steps = std::ceil(prefill_tokens / budget);
  const double per_step = prefill_tokens / prefill_steps;
  SteadyState st;
  st.tokens_per_step = tokens_per_step;
  const double pipeline = pipeline_factor(plan, shape(members, 0, 0), shape.micro_batches);
  st.prefill = scaled(prompt_step_time(plan, shape(0, per_step, per_step / prompt)),
                      pipeline * prefill_steps);
  // Each request's first token waits for the whole batch's prompts: the steps are all of them,
  // mine a 1 / batch share of each.
  st.prefill = carrying(st.prefill, 0, prompt);
  st.prefill.beside_prompt_tokens = per_step - prompt / prefill_steps;
  st.decode_step =
      carrying(scaled(decode_step_time(plan, shape(members, 0, 0)), pipeline), members * q, 0);
  st.tpot_s = st.decode_step.total_s / tokens_per_step;
  st.ttft_s = plan.efficiency.request_overhead_s + st.prefill.total_s;
  st.e2e_s = st.ttft_s + (output - 1) * st.tpot_s;
  st.output_tokens_per_s = batch * output / st.e2e_s;
  const double prefill_time = st.prefill.total_s;
  const double decode_time = (output - 1) * st.tpot_s;
  st.input_share_of_time = prefill_time / (prefill_time + decode_time);
  return st;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] disaggregated prefill and decode
//
// A prefill pool runs every prompt and sends its KV cache to a decode pool (DistServe, Zhong et
// al. OSDI'24; Splitwise, Patel et al. ISCA'24; SGLang and Dynamo PD). The decode pool's steps
// carry no prompts, so nothing stalls its decoding; a request's first token waits for the
// overhead, its turn at the prefill pool, its prompt, and the KV cache's trip between pools.
// The prefill pool packs prompts into steps of max_num_tokens tokens, so a prompt costs the pool
// S = prompt x (a full step's time / its tokens). The pool's instances each serve the requests of
// n = running x decode groups / prefill groups, and the wait is the M/D/1 wait of a finite
// population (see prompt_queue_wait_s): with lifetime T = T0 + W, rho = (n - 1) S / T and
// W = rho S / (2 (1 - rho)) give 2 W^2 + 2 W (T0 - (n-1) S) - (n-1) S^2 = 0, whose positive root
// stays finite as the pool saturates (then W -> (n-1) S - T0: the prompts queue). Requests
// decoding per group are the share of `running` past their first token, b = running x D / T
// (Little's law on the decode phase of length D), found by fixed-point iteration.
double finite_population_wait_s(double others, double service_s, double lifetime_without_s) {
  if (others <= 0 || service_s <= 0) return 0.0;
  const double b = lifetime_without_s - others * service_s;
  return 0.5 * (-b + std::sqrt(b * b + 2.0 * others * service_s * service_s));
}

SteadyState disaggregated_state(const ServingPlan& plan, double running, bool open_loop) {
  const Scenario& s = *plan.scenario;
  const ServingPlan& pool = *plan.prefill_pool;
  const auto [output, prompt, budget, chunks, chunk, tokens_per_step, q, decode_steps] =
      request_work(s);

  LoadShape pool_shape;
  pool_shape.s = pool.scenario;
  pool_shape.prompt_processed = prompt;
  pool_shape.decode_context = s.input_tokens;
  // My prompt alone, and a step full of prompts (what each prompt costs the pool's throughput).
  const StepBreakdown my_chunk = prompt_step_time(pool, pool_shape(0, chunk, 1.0 / chunks));
  const double prompt_s = chunks * my_chunk.total_s;
  const double service_s = prompt_in_full_steps_s(pool, pool_shape, prompt, budget, chunk);

  LoadShape shape;
  shape.s = &s;
  shape.micro_batches = std::clamp(running, 1.0, static_cast<double>(s.pp));
  shape.prompt_processed = prompt;
  shape.decode_context = s.input_tokens + output / 2;
  shape.tokens_per_sequence = q;

  SteadyState st;
  st.tokens_per_step = tokens_per_step;
  st.kv_transfer_bytes = s.input_tokens * plan.shape.kv_elements_per_token_per_layer *
                         s.model.num_layers * plan.kv_bytes_per_element;
  st.kv_transfer_s = st.kv_transfer_bytes / plan.kv_transfer_bytes_per_s;
  const double others =
      std::max(0.0, running * plan.layout.batch_groups() / pool.layout.batch_groups() - 1.0);
  const double overhead_s = plan.efficiency.request_overhead_s;
  double decoding = running;
  double wait_s = 0;
  StepBreakdown step;
  for (int i = 0; i < 40; ++i) {
    const StepLoad load = shape(std::max(1.0, decoding), 0, 0);
    step = scaled(decode_step_time(plan, load), pipeline_factor(plan, load, shape.micro_batches));
    const double decode_s = decode_steps * step.total_s;
    const double before_s = overhead_s + prompt_s + st.kv_transfer_s + decode_s;
    wait_s = finite_population_wait_s(others, service_s, before_s);
    const double next = running * decode_s / (before_s + wait_s);
    if (std::fabs(next - decoding) <= 1e-9 * running) break;
    decoding = 0.5 * (decoding + next);  // damped: the step time moves with the batch
  }
  if (open_loop) wait_s += 0.5 * my_chunk.total_s;  // an arrival mid-step at the prefill pool
  st.prefill = carrying(scaled(my_chunk, chunks), 0, prompt);
  st.decode_step = carrying(step, std::max(1.0, decoding) * q, 0);
  st.tpot_s = step.total_s / tokens_per_step;
  st.queue_s = wait_s;
  st.ttft_s = overhead_s + wait_s + prompt_s + st.kv_transfer_s;
  st.e2e_s = st.ttft_s + (output - 1) * st.tpot_s;
  st.output_tokens_per_s = running * output / st.e2e_s;
  // The prefill pool's devices are the input tokens' share of the cost.
  st.input_share_of_time = static_cast<double>(s.prefill_gpus) / (s.prefill_gpus + s.num_gpus);
  const double requests_per_s_per_pool_group =
      running * plan.layout.batch_groups() / pool.layout.batch_groups() / st.e2e_s;
  st.prefill_pool_busy = std::min(1.0, requests_per_s_per_pool_group * service_s);
  // A burst of my group's requests lands on the pool's groups in proportion.
  st.burst_prompt_s =
      service_s * plan.layout.batch_groups() / static_cast<double>(pool.layout.batch_groups());
  return st;
}

}  // namespace

SteadyState steady_state(const ServingPlan& plan, double running, bool open_loop) {
  if (plan.prefill_pool) return disaggregated_state(plan, running, open_loop);
  if (plan.scenario->batching == Batching::static_batch) return static_state(plan, running);
  return continuous_state(plan, running, open_loop);
}

// ---------------------------------------------------------------------------------------------
// [SECTION] a finite run's first wave
//
// A closed-loop benchmark (vllm bench serve, SGLang bench_serving, genai-perf at a concurrency)
// starts its first `running` requests at once: their prompts are all waiting, and the k-th of
// them starts its prompt after the k - 1 before it, at the pace of full prompt steps. Its mean
// wait is (wave - 1) / 2 prompts; the steady state's own wait is part of that, not added to it.
// The wave's requests end staggered as their prompts did, so their successors arrive spread out
// and see the steady state. Not modelled: the run's throughput over its start and its end (the
// start's burst and the end's draining batch), which stays the steady state's.
FirstWave first_wave(double running, double prompts, double burst_prompt_s, double steady_queue_s) {
  FirstWave w;
  w.requests = std::min(running, prompts);
  if (prompts <= 0 || burst_prompt_s <= 0) return w;
  const double wave_wait_s =
      std::max(0.0, 0.5 * (w.requests - 1.0) * burst_prompt_s - steady_queue_s);
  w.mean_wait_s = wave_wait_s * w.requests / std::max(w.requests, prompts);
  return w;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] a finite run's queue for slots
//
// When a run sends more requests than the engine runs (C in flight against R running; a run sent
// at once has C = its N prompts), the ones beyond R wait for slots, which free one lifetime L at a
// time: with equal requests, request k starts at floor((k - 1) / R) L (the first R at once, the
// next R one lifetime later, ...), and past the first C it is sent when request k - C ends, at
// floor((k - C - 1) / R) L + L. Its wait is the difference, so the run's mean is
//   L / N [S(N) - S(N - C) - (N - C)],  S(n) = sum over i < n of floor(i / R),
// which tends to Little's law's L (C / R - 1) as N grows with C fixed, and is about N L / (2 R),
// half the run, when all N are sent at once. Real lifetimes differ, so the slots free less in
// lock-step than this; the mean wait, which sums them, moves little.
namespace {
double floor_sum(double n, double per_slot) {  // S(n) = sum over i < n of floor(i / per_slot)
  if (n <= 0) return 0.0;
  const double full = std::floor(n / per_slot);
  const double rest = n - full * per_slot;
  return per_slot * full * (full - 1) / 2 + rest * full;
}
}  // namespace

double finite_run_slot_wait_s(double running, double in_flight, double prompts, double lifetime_s) {
  if (running <= 0 || prompts <= 0 || in_flight <= running) return 0.0;
  const double later = prompts - std::min(in_flight, prompts);
  const double slots = floor_sum(prompts, running) - floor_sum(later, running) - later;
  return lifetime_s * std::max(0.0, slots) / prompts;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] arrival rate

double running_at_rate(const ServingPlan& plan, double rate_per_group, double cap,
                       bool& saturated) {
  auto excess = [&](double running) {
    return rate_per_group * steady_state(plan, running, true).e2e_s - running;
  };
  saturated = excess(cap) > 0;
  if (saturated) return cap;
  // Latency grows with the batch, so the excess changes sign once: bisect.
  double low = 0.0;
  double high = cap;
  // Within 1e-9 of the largest batch, in 60 halvings; at the lowest rates (a request in flight a
  // small share of the time) that is much of the batch, so on to within 1e-9 of the batch itself
  // (a double's range is ~2,100 halvings).
  const double scale = std::max(1.0, cap);
  for (int i = 0; i < 2260; ++i) {
    const double width = high - low;
    if (!((i < 60 && width > 1e-9 * scale) || (high < 1e-6 * scale && width > 1e-9 * high))) break;
    const double mid = 0.5 * (low + high);
    (excess(mid) > 0 ? low : high) = mid;
  }
  return std::max(high, std::numeric_limits<double>::min());
}

}  // namespace pertoken::detail
