// Internal: how an engine serves requests over time, on top of the step-time model: continuous
// batching with chunked prefill (or static batches), speculative decoding, prefix caching, and
// the request rate a batch sustains.
#pragma once

#include "pertoken/serving/estimate.hpp"
#include "serving/serving_plan.hpp"

namespace pertoken::detail {

struct SteadyState {
  double ttft_s = 0;
  double queue_s = 0;  // part of ttft spent waiting (token budget, arrival mid-step)
  double tpot_s = 0;   // per output token, as a request sees it
  double e2e_s = 0;
  double output_tokens_per_s = 0;  // one batch group
  double input_share_of_time = 0;  // GPU time attributed to prefill, for the price split
  double tokens_per_step = 1;      // output tokens a decoding request gains per step (spec. dec.)
  StepBreakdown prefill;           // this request's whole prefill
  StepBreakdown decode_step;       // one decode step (per step, not per token)
  // One prompt's compute when prompts run back to back in full steps of max_num_tokens, as this
  // group sees it: what each prompt of a burst adds to the wait of the prompts behind it. Set only
  // for a finite run (num_prompts); 0 where prompts never queue behind each other (static
  // batches start together).
  double burst_prompt_s = 0;
  // Disaggregated serving only: the prefill pool's busy share, and the KV cache's trip from the
  // prefill pool to the decode pool (part of ttft).
  double prefill_pool_busy = 0;
  double kv_transfer_s = 0;
  double kv_transfer_bytes = 0;
};

// One batch group with `running` requests in flight. `open_loop`: requests arrive at random
// (a request then waits for the step in progress).
SteadyState steady_state(const ServingPlan& plan, double running, bool open_loop);

// The running batch of one group at an arrival rate: the fixed point of
// running = rate x latency(running) (Little's law). `saturated` when the rate exceeds what the
// group serves at `cap` requests.
double running_at_rate(const ServingPlan& plan, double rate_per_group, double cap, bool& saturated);

// A finite closed-loop run of `prompts` requests per group at `running` in flight: its first
// min(running, prompts) requests arrive together and their prompts queue behind each other, the
// k-th waiting (k - 1) x burst_prompt_s. mean_wait_s is that first wave's mean wait beyond the
// steady state's own queue wait, spread over all the run's requests (the later ones arrive as
// earlier ones end, staggered as the first wave left them, and see the steady state).
struct FirstWave {
  double requests = 0;  // per group
  double mean_wait_s = 0;
};
FirstWave first_wave(double running, double prompts, double burst_prompt_s, double steady_queue_s);

// A finite run of `prompts` requests per group, `in_flight` of them sent at a time (all of them
// for a run sent at once), `running` served at a time, each holding its slot for `lifetime_s`:
// their mean wait for a slot over the whole run (zero when the client never sends more than the
// engine runs).
double finite_run_slot_wait_s(double running, double in_flight, double prompts, double lifetime_s);

// Attention data-parallel ranks (DeepSeek's "DEP") each run their own batch but meet at every MoE
// layer, so a step lasts as long as its slowest rank's, and a prompt chunk on any rank holds all of
// them. The share of steps in which at least one rank is busy, when one rank is busy in a share
// `first` of the steps and each of `others` more ranks, independently, in a share `each`:
// 1 - (1 - first)(1 - each)^others.
double share_with_any_rank(double first, double each, double others);

// Expected tokens a request gains per verification step: with k drafts each accepted with
// probability a (independently, until the first rejection) plus the target's own token,
// (1 - a^(k+1)) / (1 - a) (Leviathan et al. 2023, eq. 1); 1 without speculation.
double expected_tokens_per_step(int draft_tokens, double acceptance_rate);

}  // namespace pertoken::detail
