// Internal: parameter counts and per-token sizes derived from a model's architecture.
#include "model/model_shape.hpp"

namespace pertoken::detail {

ModelShape model_shape(const ModelSpec& m) {
  ModelShape s;
  const double hidden = m.hidden_size;
  const double heads = m.num_attention_heads;
  const double kv_heads = m.num_kv_heads;
  const double head_dim = m.head_dim;
  const double mlp_matrices = m.mlp == MlpKind::gated ? 3.0 : 2.0;

  if (m.mla) {
    // DeepSeek-V2/V3 MLA (arXiv 2405.04434 §2.1): queries through an optional low-rank q_a/q_b
    // pair, keys and values through a shared down-projection to kv_lora_rank (+ a decoupled rope
    // key), expanded per head by kv_b; o maps heads x v_head_dim back to hidden.
    const MlaSpec& a = *m.mla;
    const double qk_dim = a.qk_nope_head_dim + a.qk_rope_head_dim;
    const double q_params = a.q_lora_rank > 0
                                ? hidden * a.q_lora_rank + a.q_lora_rank * heads * qk_dim
                                : hidden * heads * qk_dim;
    const double kv_down = hidden * (a.kv_lora_rank + a.qk_rope_head_dim);
    const double kv_up = a.kv_lora_rank * heads * (a.qk_nope_head_dim + a.v_head_dim);
    const double out = heads * a.v_head_dim * hidden;
    s.attention_params = q_params + kv_down + kv_up + out;
    // vLLM/SGLang keep the down-projections (q_a, kv_a) replicated on every TP rank.
    s.attention_replicated_params = (a.q_lora_rank > 0 ? hidden * a.q_lora_rank : 0.0) + kv_down;
    // Cache: the latent (kv_lora_rank) plus the shared rope key, once per token per layer.
    s.kv_elements_per_token_per_layer = a.kv_lora_rank + a.qk_rope_head_dim;
    // Decode with the up-projections absorbed (DeepSeek-V2 §2.1.2): scores over the latent + rope
    // key, then values in the latent space: 2 FLOPs per multiply-add.
    s.decode_attention_flops_per_context =
        2.0 * heads * (a.kv_lora_rank + a.qk_rope_head_dim) + 2.0 * heads * a.kv_lora_rank;
    // Prefill expands K and V per head and runs ordinary attention on them.
    s.prefill_attention_flops_per_context = 2.0 * heads * qk_dim + 2.0 * heads * a.v_head_dim;
  } else {
    // Q (heads x head_dim), K and V (kv_heads x head_dim each), O back to hidden.
    s.kv_projection_params = 2.0 * hidden * kv_heads * head_dim;
    s.attention_params =
        hidden * heads * head_dim + s.kv_projection_params + heads * head_dim * hidden;
    s.kv_elements_per_token_per_layer = 2.0 * kv_heads * head_dim;
    // QK^T and AV: 2 x (2 x head_dim) FLOPs per head per context position.
    s.decode_attention_flops_per_context = 4.0 * heads * head_dim;
    s.prefill_attention_flops_per_context = s.decode_attention_flops_per_context;
  }

  s.dense_mlp_params = mlp_matrices * hidden * m.intermediate_size;
  if (m.moe) {
    const MoeSpec& e = *m.moe;
    s.expert_params = mlp_matrices * hidden * e.expert_intermediate_size;
    s.shared_expert_params = e.num_shared_experts * s.expert_params;
    s.router_params = hidden * e.num_experts;
    s.num_dense_layers = e.num_dense_layers;
    s.num_moe_layers = m.num_layers - e.num_dense_layers;
  } else {
    s.num_dense_layers = m.num_layers;
  }

  if (m.encoder) {
    // Whisper-style: decoder layers add cross-attention (q, k, v, o over hidden); the encoder has
    // self-attention and a plain FFN of the same widths.
    s.cross_attention_params = 4.0 * hidden * heads * head_dim;
    s.encoder_params =
        m.encoder->num_layers * (4.0 * hidden * heads * head_dim + s.dense_mlp_params);
  }

  s.embedding_params = static_cast<double>(m.vocab_size) * hidden;
  s.lm_head_params = s.embedding_params;  // tied or not, every token's logits read vocab x hidden

  const double per_layer_common = s.attention_params + s.cross_attention_params;
  const double untied_head = m.tie_word_embeddings ? 0.0 : s.lm_head_params;
  const double num_experts = m.moe ? m.moe->num_experts : 0.0;
  const double experts_per_token = m.moe ? m.moe->experts_per_token : 0.0;
  const double moe_layer_fixed = s.shared_expert_params + s.router_params;
  s.total_params = m.num_layers * per_layer_common + s.num_dense_layers * s.dense_mlp_params +
                   s.num_moe_layers * (num_experts * s.expert_params + moe_layer_fixed) +
                   s.embedding_params + untied_head + s.encoder_params;
  // As model cards count "activated parameters": everything but the unselected routed experts.
  s.active_params =
      s.total_params - s.num_moe_layers * (num_experts - experts_per_token) * s.expert_params;
  return s;
}

}  // namespace pertoken::detail
