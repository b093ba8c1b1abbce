// Internal: parameter counts and per-token sizes derived from a model's architecture.
// Counts come from the layer shapes (not from the published total), so quantization can treat
// each part differently; tests check them against the published totals.
#pragma once

#include "pertoken/catalog/catalog.hpp"

namespace pertoken::detail {

struct ModelShape {
  // Parameters of one decoder layer, by part.
  double attention_params = 0;             // q, k, v, o projections (MLA: its projections)
  double attention_replicated_params = 0;  // part of attention every TP rank holds in full
  double kv_projection_params = 0;         // k and v projections (replicated when tp > kv heads)
  double dense_mlp_params = 0;             // dense FFN of a non-MoE layer
  double expert_params = 0;                // one routed expert
  double shared_expert_params = 0;         // all shared experts of one MoE layer
  double router_params = 0;                // gate of one MoE layer
  double cross_attention_params = 0;       // encoder-decoder: cross-attention of one decoder layer
  int num_dense_layers = 0;                // layers with a dense FFN
  int num_moe_layers = 0;
  double embedding_params = 0;  // token embedding table
  double lm_head_params = 0;    // output projection (read even when tied)
  double encoder_params = 0;    // whole encoder (encoder-decoder models)

  double total_params = 0;   // all weights stored
  double active_params = 0;  // weights used per token (top-k experts), embedding lookup excluded

  // Cache per token per layer, in elements (K and V; MLA: the compressed latent + rope key).
  double kv_elements_per_token_per_layer = 0;
  // Attention arithmetic per (token, context position) per layer, summed over heads, in FLOPs.
  double decode_attention_flops_per_context = 0;
  double prefill_attention_flops_per_context = 0;
};

ModelShape model_shape(const ModelSpec& model);

}  // namespace pertoken::detail
