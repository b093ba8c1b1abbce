// Internal: memory per GPU and KV-cache capacity.
#include "model/memory_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pertoken::detail {

double kv_bytes_per_request(const ServingPlan& plan, const StageWeights& stage, double tokens) {
  const Scenario& s = *plan.scenario;
  const double per_layer_token = plan.shape.kv_elements_per_token_per_layer *
                                 plan.layout.kv_share_per_gpu * plan.kv_bytes_per_element;
  double window_tokens = tokens;
  if (s.model.sliding_window) {
    window_tokens = std::min(tokens, static_cast<double>(s.model.sliding_window->window_tokens));
  }
  double bytes = per_layer_token * (stage.global_attention_layers * tokens +
                                    stage.local_attention_layers * window_tokens);
  if (s.model.encoder) {
    // Cross-attention keys and values over the encoder output, per decoder layer, split by TP.
    bytes += stage.layers * 2.0 * s.model.num_attention_heads * s.model.head_dim *
             plan.layout.head_padding / plan.layout.tp_gpus * s.model.encoder->source_positions *
             plan.kv_bytes_per_element;
  }
  return bytes;
}

namespace {
// Peak activation workspace of one step at the engine's token budget, plus the logits buffer.
// vLLM profiles a forward pass of max_num_batched_tokens and sizes the KV cache from what is left;
// TensorRT-LLM allocates its activation and logits buffers from max_num_tokens / max_batch_size.
// Per token live at the peak: ~4 hidden-sized bf16 tensors (residual, normed input, attention
// output, projection output) and the FFN's gate+up output; logits are fp32 over the (TP-split)
// vocabulary for every sequence that samples. NOTE: a structural estimate, not a measurement;
// measured vLLM totals on H100 are 4.8-5.6 GiB dense (llm-d empirical results), which include
// allocator slack this formula omits and which runtime_reserved_bytes absorbs.
// Per rank; a device with several tensor-parallel ranks (AWS Neuron cores) holds one per rank.
double activation_bytes(const ServingPlan& plan) {
  const Scenario& s = *plan.scenario;
  const double tokens = step_token_budget(s);  // a whole prompt when chunked prefill is off
  const double ranks = plan.layout.ranks_per_gpu;
  double ffn_width = static_cast<double>(s.model.intermediate_size) / s.tp;
  if (s.model.moe) {
    ffn_width = std::max(ffn_width, static_cast<double>(s.model.moe->experts_per_token) *
                                        s.model.moe->expert_intermediate_size /
                                        (plan.layout.moe_tp * ranks));
  }
  const double bf16 = 2.0;
  const double hidden_tensors = 4.0 * s.model.hidden_size;
  const double sampling_sequences = std::min<double>(s.max_batch_size, tokens);
  return ranks * (tokens * bf16 * (hidden_tensors + 2.0 * ffn_width) +
                  sampling_sequences * static_cast<double>(s.model.vocab_size) / s.tp * 4.0);
}
}  // namespace

// Tokens of KV cache one request reserves. Paged (vLLM's PagedAttention, TensorRT-LLM's paged
// KV): its input + output, rounded up to whole blocks of 16 tokens (waste under one block, < 4%
// here). Contiguous (pre-paging engines, static batching in plain PyTorch): the whole context the
// engine allows per sequence, reserved up front whatever the request uses.
double reserved_tokens(const Scenario& s) {
  const double used =
      static_cast<double>(s.input_tokens) + s.output_tokens + s.speculative.draft_tokens;
  if (s.kv_layout == KvLayout::contiguous && s.model.max_context_tokens) {
    return std::max(used, static_cast<double>(*s.model.max_context_tokens));
  }
  constexpr double block_tokens = 16;
  return std::ceil(used / block_tokens) * block_tokens;
}

MemoryFit fit_memory(const ServingPlan& plan) {
  const Scenario& s = *plan.scenario;
  MemoryFit fit;
  fit.max_requests_per_group = std::numeric_limits<double>::infinity();
  const double activations = activation_bytes(plan);
  const double runtime = plan.efficiency.runtime_reserved_bytes;
  const double request_tokens = reserved_tokens(s);
  for (std::size_t i = 0; i < plan.stages.size(); ++i) {
    const StageWeights& stage = plan.stages[i];
    MemoryBreakdown m;
    m.capacity_bytes = s.gpu.memory_capacity_bytes;
    // The speculative proposer lives beside the target (single-stage plans only).
    m.weights_bytes = stage.total_bytes + plan.proposer_weight_bytes;
    m.activation_bytes = activations;
    m.runtime_reserved_bytes = runtime;
    // TensorRT-LLM's kv_cache_free_gpu_mem_fraction: a share of what is free after the weights,
    // activation buffers and runtime are allocated.
    const double free_bytes = m.capacity_bytes - m.weights_bytes - activations - runtime;
    m.kv_cache_pool_bytes = std::max(0.0, free_bytes) * plan.efficiency.kv_cache_memory_fraction;
    m.kv_cache_bytes_per_token = kv_bytes_per_request(plan, stage, 1.0);
    if (s.model.encoder) {
      m.kv_cache_bytes_per_token -= kv_bytes_per_request(plan, stage, 0.0);
    }
    // Guaranteed-no-evict scheduling (TensorRT-LLM's default): each admitted request reserves
    // blocks for its whole input + output, so nothing is ever preempted.
    m.kv_cache_bytes_per_request = kv_bytes_per_request(plan, stage, request_tokens) +
                                   plan.proposer_kv_bytes_per_token * request_tokens;
    const double requests = m.kv_cache_pool_bytes / m.kv_cache_bytes_per_request;
    if (i == 0 || requests < fit.max_requests_per_group) {
      fit.max_requests_per_group = requests;
      fit.breakdown = m;
      fit.tightest_stage = i;
      fit.kv_bytes_per_request_per_gpu = m.kv_cache_bytes_per_request;
    }
  }
  fit.max_requests_per_group = std::floor(fit.max_requests_per_group);
  return fit;
}

}  // namespace pertoken::detail
