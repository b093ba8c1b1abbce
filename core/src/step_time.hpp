// Internal: the time of one engine step (one forward pass over a batch) on one pipeline stage.
#pragma once

#include "pertoken/estimate.hpp"
#include "serving_plan.hpp"

namespace pertoken::detail {

// What one batch group (one attention data-parallel rank, or one replica) processes in a step.
struct StepLoad {
  double decode_sequences = 0;   // each generates one token
  double decode_context = 0;     // mean context length of those sequences (tokens)
  double prefill_tokens = 0;     // prompt tokens processed
  double prompt_tokens = 0;      // length of the prompts those tokens belong to
  double prefill_sequences = 0;  // prompts finishing in this step (each samples one token)
};

// Time of the slowest pipeline stage processing `load` (one micro-batch).
StepBreakdown stage_step_time(const ServingPlan& plan, const StepLoad& load);

// Mean attended context of the tokens of a prompt of `tokens` (causal: token t attends t
// positions), capped by a sliding window of `window` tokens (0: none).
double mean_causal_context(double tokens, double window);

}  // namespace pertoken::detail
