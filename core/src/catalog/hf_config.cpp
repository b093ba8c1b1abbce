// Hugging Face config.json import: a config's shapes -> one catalog model entry (FORMAT.md).
// Pure C++: no I/O. Every key is read with its JSON pointer, so every problem names its key.
//
// [SECTION] Limits and names      bounds on sizes; architectures and model_types we read
// [SECTION] Reading keys          integers, booleans and strings at a JSON pointer
// [SECTION] Shapes                layers, heads, widths, sliding windows, MoE, MLA per family
// [SECTION] Quantization          quantization_config -> default_weights and quantized_parts
// [SECTION] Entry                 counts from model_shape, the entry JSON, catalog extension
#include "pertoken/catalog/hf_config.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "json/json_reader.hpp"
#include "model/model_shape.hpp"
#include "pertoken/text/figure_text.hpp"

namespace pertoken {
namespace {

using detail::child_path;
using detail::Json;
using OrderedJson = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------
// [SECTION] Limits and names

// Larger than any model published (Llama 3.1 405B: 126 layers, hidden 16384; Kimi K2: 384
// experts): a config beyond these is broken or hostile, and its counts would overflow nothing
// but make no sense either.
constexpr long long max_layers = 10000;
constexpr long long max_hidden = 1000000;
constexpr long long max_heads = 100000;
constexpr long long max_width = 10000000;  // FFN and expert widths
constexpr long long max_vocab = 100000000;
constexpr long long max_context = 1000000000;  // the catalog's bound on an integer figure
constexpr long long max_experts = 100000;
constexpr long long max_rank = 1000000;  // MLA ranks and head dims
constexpr double max_params = 1e14;      // the catalog's 100,000 billion bound

// How a family lays out its layers; the architecture name picks one.
enum class Family {
  llama,     // Llama 2/3, Mistral, Qwen2/2.5/3, Phi-3/4: dense GQA, SwiGLU
  mixtral,   // Mixtral: every layer MoE, experts as wide as intermediate_size
  qwen_moe,  // Qwen2-MoE / Qwen3-MoE: decoder_sparse_step, mlp_only_layers
  deepseek,  // DeepSeek-V2/V3, Kimi K2: MLA, shared experts, first_k_dense_replace
  glm4_moe,  // GLM-4.5/4.6: GQA, shared expert, first_k_dense_replace
  gpt_oss,   // gpt-oss: alternating sliding window, MoE every layer
  gemma2,    // Gemma 2: sliding window on every other layer, tied embeddings
  gemma3,    // Gemma 3: sliding window on 5 of every 6 layers
  llama4,    // Llama 4: chunked local attention, interleaved MoE with a shared expert
  falcon,    // Falcon / RefinedWeb: plain GELU FFN, MQA or grouped KV heads
};

struct NamedFamily {
  std::string_view name;
  Family family;
};

constexpr NamedFamily known_architectures[] = {
    {"LlamaForCausalLM", Family::llama},         {"MistralForCausalLM", Family::llama},
    {"Ministral3ForCausalLM", Family::llama},    {"Qwen2ForCausalLM", Family::llama},
    {"Qwen3ForCausalLM", Family::llama},         {"Phi3ForCausalLM", Family::llama},
    {"MixtralForCausalLM", Family::mixtral},     {"Qwen2MoeForCausalLM", Family::qwen_moe},
    {"Qwen3MoeForCausalLM", Family::qwen_moe},   {"DeepseekV2ForCausalLM", Family::deepseek},
    {"DeepseekV3ForCausalLM", Family::deepseek}, {"Glm4MoeForCausalLM", Family::glm4_moe},
    {"GptOssForCausalLM", Family::gpt_oss},      {"Gemma2ForCausalLM", Family::gemma2},
    {"Gemma3ForCausalLM", Family::gemma3},       {"Gemma3ForConditionalGeneration", Family::gemma3},
    {"Llama4ForCausalLM", Family::llama4},       {"Llama4ForConditionalGeneration", Family::llama4},
    {"FalconForCausalLM", Family::falcon},       {"RWForCausalLM", Family::falcon},
};

constexpr NamedFamily known_model_types[] = {
    {"llama", Family::llama},          {"mistral", Family::llama},
    {"ministral3", Family::llama},     {"qwen2", Family::llama},
    {"qwen3", Family::llama},          {"phi3", Family::llama},
    {"mixtral", Family::mixtral},      {"qwen2_moe", Family::qwen_moe},
    {"qwen3_moe", Family::qwen_moe},   {"deepseek_v2", Family::deepseek},
    {"deepseek_v3", Family::deepseek}, {"kimi_k2", Family::deepseek},
    {"glm4_moe", Family::glm4_moe},    {"gpt_oss", Family::gpt_oss},
    {"gemma2", Family::gemma2},        {"gemma3", Family::gemma3},
    {"gemma3_text", Family::gemma3},   {"llama4", Family::llama4},
    {"llama4_text", Family::llama4},   {"falcon", Family::falcon},
    {"RefinedWeb", Family::falcon},    {"RefinedWebModel", Family::falcon},
};

template <std::size_t N>
std::optional<Family> lookup(const NamedFamily (&table)[N], const std::string& name) {
  for (const NamedFamily& entry : table) {
    if (entry.name == name) return entry.family;
  }
  return std::nullopt;
}

template <std::size_t N>
std::string list_names(const NamedFamily (&table)[N]) {
  std::string list;
  for (const NamedFamily& entry : table)
    list += (list.empty() ? "" : ", ") + std::string(entry.name);
  return list;
}

// A config string echoed in a message: at most 64 bytes, control characters replaced.
std::string echoed(const std::string& text) {
  std::string shown = text.substr(0, 64);
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return "'" + shown + (text.size() > 64 ? "...'" : "'");
}

std::string thousands(long long n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return digits;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Reading keys

// One object of the config (the root, or text_config) and the diagnostics it records into.
// JSON null counts as absent: configs write "sliding_window": null for "none".
class Section {
 public:
  Section(const Json& object, std::string path, Diagnostics& diagnostics)
      : object_(object), path_(std::move(path)), diagnostics_(diagnostics) {}

  const std::string& path() const { return path_; }
  std::string at(std::string_view key) const { return child_path(path_, key); }

  const Json* find(std::string_view key) const {
    if (!object_.is_object()) return nullptr;
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  bool has(std::string_view key) const { return find(key) != nullptr; }

  // The first of `keys` present (Falcon's RefinedWeb configs name n_layer what others name
  // num_hidden_layers); nullopt when none is.
  std::optional<std::string_view> first_of(std::initializer_list<std::string_view> keys) const {
    for (std::string_view key : keys) {
      if (has(key)) return key;
    }
    return std::nullopt;
  }

  void error(ErrorCode code, const std::string& at, std::string message) const {
    diagnostics_.push_back({code, at, std::move(message)});
  }

  // An integer in [min, max] at `key`; absent -> nullopt (+ missing_field when required).
  std::optional<long long> integer(std::string_view key, long long min, long long max,
                                   bool required) const {
    const Json* value = find(key);
    if (value == nullptr) {
      if (required) error(ErrorCode::missing_field, at(key), "is required");
      return std::nullopt;
    }
    return integer_value(*value, at(key), min, max);
  }

  std::optional<long long> integer_value(const Json& value, const std::string& where, long long min,
                                         long long max) const {
    if (!value.is_number()) {
      error(ErrorCode::wrong_type, where,
            "must be an integer, not " + std::string(detail::type_name(value)));
      return std::nullopt;
    }
    const double number = value.get<double>();
    if (!std::isfinite(number)) {
      error(ErrorCode::out_of_range, where, "must be a finite number");
      return std::nullopt;
    }
    if (number != std::floor(number)) {
      error(ErrorCode::wrong_type, where, "must be a whole number");
      return std::nullopt;
    }
    if (number < static_cast<double>(min)) {
      error(ErrorCode::out_of_range, where,
            min == 1 ? "must be an integer > 0" : "must be an integer >= " + std::to_string(min));
      return std::nullopt;
    }
    if (number > static_cast<double>(max)) {
      error(ErrorCode::out_of_range, where,
            "must be an integer <= " + thousands(max) + " (larger is not a real model)");
      return std::nullopt;
    }
    return static_cast<long long>(number);
  }

  std::optional<bool> boolean(std::string_view key) const {
    const Json* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_boolean()) {
      error(ErrorCode::wrong_type, at(key),
            "must be true or false, not " + std::string(detail::type_name(*value)));
      return std::nullopt;
    }
    return value->get<bool>();
  }

  std::optional<std::string> string(std::string_view key) const {
    const Json* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) {
      error(ErrorCode::wrong_type, at(key),
            "must be a string, not " + std::string(detail::type_name(*value)));
      return std::nullopt;
    }
    return value->get<std::string>();
  }

  // An array of strings (module lists); absent -> empty.
  std::vector<std::string> strings(std::string_view key) const {
    std::vector<std::string> out;
    const Json* value = find(key);
    if (value == nullptr) return out;
    if (!value->is_array()) {
      error(ErrorCode::wrong_type, at(key),
            "must be an array of strings, not " + std::string(detail::type_name(*value)));
      return out;
    }
    for (std::size_t i = 0; i < value->size(); ++i) {
      const Json& item = (*value)[i];
      if (!item.is_string()) {
        error(ErrorCode::wrong_type, child_path(at(key), i),
              "must be a string, not " + std::string(detail::type_name(item)));
        continue;
      }
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  const Json& object() const { return object_; }

  // A Section over another value of the same document (its diagnostics go to the same list).
  Section nested(const Json& value, std::string path) const {
    return Section(value, std::move(path), diagnostics_);
  }

  // The object at `key`; nullopt when absent (+ wrong_type when it is not an object).
  std::optional<Section> section(std::string_view key) const {
    const Json* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_object()) {
      error(ErrorCode::wrong_type, at(key),
            "must be an object, not " + std::string(detail::type_name(*value)));
      return std::nullopt;
    }
    return Section(*value, at(key), diagnostics_);
  }

 private:
  const Json& object_;
  std::string path_;
  Diagnostics& diagnostics_;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] Shapes

// What the import reads, before it becomes a ModelSpec.
struct Imported {
  Family family = Family::llama;
  std::string architecture;  // architectures[0] or model_type
  std::string model_type;
  ModelSpec model;
  std::vector<std::string> notes;
  int num_nextn_predict_layers = 0;  // DeepSeek/GLM multi-token-prediction layers (not counted)
  bool biases = false;               // attention/MLP biases present (not counted)
};

int as_int(long long value) { return static_cast<int>(value); }

// Layers [0, layers) for which `is_moe` holds.
template <class Predicate>
int count_layers(int layers, Predicate is_moe) {
  int count = 0;
  for (int i = 0; i < layers; ++i) count += is_moe(i) ? 1 : 0;
  return count;
}

// Local-attention layers from an explicit layer_types list ("sliding_attention",
// "chunked_attention" or "full_attention" per layer); nullopt when the config has none.
std::optional<int> local_layers_from_types(const Section& c, int layers) {
  const Json* types = c.find("layer_types");
  if (types == nullptr) return std::nullopt;
  const std::string at = c.at("layer_types");
  if (!types->is_array()) {
    c.error(ErrorCode::wrong_type, at,
            "must be an array of layer types, not " + std::string(detail::type_name(*types)));
    return std::nullopt;
  }
  if (static_cast<long long>(types->size()) != layers) {
    c.error(ErrorCode::inconsistent, at,
            "lists " + std::to_string(types->size()) + " layers, but num_hidden_layers is " +
                std::to_string(layers));
    return std::nullopt;
  }
  int local = 0;
  for (std::size_t i = 0; i < types->size(); ++i) {
    const Json& type = (*types)[i];
    const std::string name = type.is_string() ? type.get<std::string>() : std::string();
    if (name == "sliding_attention" || name == "chunked_attention") {
      ++local;
    } else if (name != "full_attention") {
      c.error(ErrorCode::invalid_value, child_path(at, i),
              "must be sliding_attention, chunked_attention or full_attention");
      return std::nullopt;
    }
  }
  return local;
}

void read_attention(const Section& c, Imported& im) {
  ModelSpec& m = im.model;
  const Family f = im.family;
  const auto layers_key =
      c.first_of({"num_hidden_layers", "n_layer"}).value_or("num_hidden_layers");
  const auto hidden_key = c.first_of({"hidden_size", "n_embed"}).value_or("hidden_size");
  const auto heads_key =
      c.first_of({"num_attention_heads", "n_head"}).value_or("num_attention_heads");
  m.num_layers = as_int(c.integer(layers_key, 1, max_layers, true).value_or(0));
  m.hidden_size = as_int(c.integer(hidden_key, 1, max_hidden, true).value_or(0));
  m.num_attention_heads = as_int(c.integer(heads_key, 1, max_heads, true).value_or(0));

  // KV heads. MLA caches one latent, so the catalog lists every head (see the deepseek entries).
  std::string kv_key = "num_key_value_heads";
  if (f == Family::deepseek) {
    m.num_kv_heads = m.num_attention_heads;
  } else if (f == Family::falcon) {
    // Falcon: grouped KV heads (num_kv_heads, RefinedWeb's n_head_kv) under the new decoder
    // architecture; otherwise multi_query (the FalconConfig default) means one KV head.
    kv_key = std::string(c.first_of({"num_kv_heads", "n_head_kv"}).value_or("num_kv_heads"));
    if (auto kv = c.integer(kv_key, 1, max_heads, false)) {
      m.num_kv_heads = as_int(*kv);
    } else if (c.boolean("new_decoder_architecture").value_or(false)) {
      c.error(ErrorCode::missing_field, c.at("num_kv_heads"),
              "is required when new_decoder_architecture is true");
    } else if (c.boolean("multi_query").value_or(true)) {
      m.num_kv_heads = 1;
    } else {
      m.num_kv_heads = m.num_attention_heads;
    }
  } else if (auto kv = c.integer(kv_key, 1, max_heads, false)) {
    m.num_kv_heads = as_int(*kv);
  } else {
    m.num_kv_heads = m.num_attention_heads;
    im.notes.push_back(
        "num_key_value_heads is absent: transformers then uses num_attention_heads (MHA).");
  }
  if (m.num_attention_heads > 0 && m.num_kv_heads > 0 &&
      (m.num_kv_heads > m.num_attention_heads || m.num_attention_heads % m.num_kv_heads != 0)) {
    c.error(ErrorCode::inconsistent, c.at(kv_key),
            "must divide num_attention_heads (" + std::to_string(m.num_attention_heads) + ")");
    m.num_kv_heads = 0;
  }

  if (f == Family::deepseek) {
    // DeepSeek-V2 MLA (arXiv 2405.04434 §2.1): q_lora_rank null means uncompressed queries.
    MlaSpec a;
    a.q_lora_rank = as_int(c.integer("q_lora_rank", 1, max_rank, false).value_or(0));
    a.kv_lora_rank = as_int(c.integer("kv_lora_rank", 1, max_rank, true).value_or(0));
    a.qk_nope_head_dim = as_int(c.integer("qk_nope_head_dim", 1, max_rank, true).value_or(0));
    a.qk_rope_head_dim = as_int(c.integer("qk_rope_head_dim", 1, max_rank, true).value_or(0));
    a.v_head_dim = as_int(c.integer("v_head_dim", 1, max_rank, true).value_or(0));
    m.mla = a;
    m.attention = AttentionKind::mla;
    m.head_dim = a.qk_nope_head_dim + a.qk_rope_head_dim;
    return;
  }
  if (auto head_dim = c.integer("head_dim", 1, max_rank, false)) {
    m.head_dim = as_int(*head_dim);
  } else if ((f == Family::gemma2 || f == Family::gemma3) && m.hidden_size > 0) {
    // Gemma2Config and Gemma3TextConfig default head_dim to 256, not hidden / heads.
    m.head_dim = 256;
    im.notes.push_back("head_dim is absent: Gemma's transformers default 256 is used.");
  } else if (m.hidden_size > 0 && m.num_attention_heads > 0) {
    if (m.hidden_size % m.num_attention_heads != 0) {
      c.error(ErrorCode::missing_field, c.at("head_dim"),
              "is required: hidden_size / num_attention_heads is not a whole number");
    } else {
      m.head_dim = m.hidden_size / m.num_attention_heads;
    }
  }
  if (m.num_kv_heads == 1) {
    m.attention = AttentionKind::mqa;
  } else if (m.num_kv_heads == m.num_attention_heads) {
    m.attention = AttentionKind::mha;
  } else {
    m.attention = AttentionKind::gqa;
  }
}

// The dense FFN width; MoE widths are read with the experts.
void read_widths(const Section& c, Imported& im) {
  ModelSpec& m = im.model;
  if (im.family == Family::falcon) {
    // FalconConfig: ffn_hidden_size defaults to 4 x hidden_size; a plain 2-matrix GELU FFN.
    m.mlp = MlpKind::plain;
    if (auto width = c.integer("ffn_hidden_size", 1, max_width, false)) {
      m.intermediate_size = as_int(*width);
    } else {
      m.intermediate_size = 4 * m.hidden_size;
    }
  } else {
    m.mlp = MlpKind::gated;
    m.intermediate_size = as_int(c.integer("intermediate_size", 1, max_width, true).value_or(0));
  }
  const bool gemma3 = im.family == Family::gemma3;
  if (auto vocab = c.integer("vocab_size", 1, max_vocab, !gemma3)) {
    m.vocab_size = as_int(*vocab);
  } else if (gemma3) {
    // Gemma 3's published configs omit it: Gemma3TextConfig's default, 262,144 text tokens
    // plus 64 image tokens.
    m.vocab_size = 262208;
    im.notes.push_back("vocab_size is absent: Gemma3TextConfig's default 262,208 is used.");
  }
  if (auto context = c.integer("max_position_embeddings", 1, max_context, false)) {
    m.max_context_tokens = as_int(*context);
  } else if (gemma3) {
    m.max_context_tokens = 131072;  // Gemma3TextConfig default
  } else if (im.family == Family::falcon) {
    m.max_context_tokens = 2048;  // FalconConfig default
  } else {
    im.notes.push_back(
        "max_position_embeddings is absent: no context limit is known, so no prompt length is "
        "refused.");
  }
  // Class defaults: Gemma and Falcon tie the LM head to the embedding; the others do not.
  const bool tied_by_default =
      im.family == Family::gemma2 || im.family == Family::gemma3 || im.family == Family::falcon;
  m.tie_word_embeddings = c.boolean("tie_word_embeddings").value_or(tied_by_default);
  im.biases = c.boolean("attention_bias").value_or(false) ||
              c.boolean("qkv_bias").value_or(false) || c.boolean("bias").value_or(false) ||
              c.boolean("mlp_bias").value_or(false) || im.architecture.rfind("Qwen2", 0) == 0;
}

// Layers with a local window (sliding, or Llama 4's chunked attention) and the window size.
void read_sliding_window(const Section& c, Imported& im) {
  ModelSpec& m = im.model;
  const int layers = m.num_layers;
  if (layers <= 0) return;
  const Family f = im.family;
  std::optional<int> local;
  std::string window_key = "sliding_window";
  if (f == Family::llama4) {
    // Llama 4 (iRoPE): RoPE layers attend within chunks of attention_chunk_size tokens, every
    // no_rope_layer_interval-th layer (NoPE) attends globally (transformers' Llama4TextConfig).
    window_key = "attention_chunk_size";
    if (!c.has(window_key)) return;
    local = local_layers_from_types(c, layers);
    if (!local) {
      const Json* no_rope = c.find("no_rope_layers");
      if (no_rope != nullptr && no_rope->is_array() && !no_rope->empty()) {
        if (static_cast<long long>(no_rope->size()) != layers) {
          c.error(ErrorCode::inconsistent, c.at("no_rope_layers"),
                  "lists " + std::to_string(no_rope->size()) +
                      " layers, but num_hidden_layers is " + std::to_string(layers));
          return;
        }
        int chunked = 0;
        for (std::size_t i = 0; i < no_rope->size(); ++i) {
          auto flag = c.integer_value((*no_rope)[i], child_path(c.at("no_rope_layers"), i), 0, 1);
          if (!flag) return;
          chunked += static_cast<int>(*flag);
        }
        local = chunked;
      } else if (no_rope != nullptr && !no_rope->is_array()) {
        c.error(ErrorCode::wrong_type, c.at("no_rope_layers"),
                "must be an array, not " + std::string(detail::type_name(*no_rope)));
        return;
      } else {
        const auto interval = c.integer("no_rope_layer_interval", 1, max_layers, false).value_or(4);
        local = layers - layers / static_cast<int>(interval);
      }
    }
    im.notes.push_back(
        "Llama 4 chunked local attention (attention_chunk_size) is recorded as a sliding window "
        "of the chunk size on its RoPE layers: a request keeps at most one chunk of those layers' "
        "KV, so memory and attention work are upper bounds.");
  } else if (auto from_types = local_layers_from_types(c, layers)) {
    local = from_types;
  } else {
    switch (f) {
      case Family::gemma2:
      case Family::gpt_oss:
        // Gemma 2 and gpt-oss alternate: even-indexed layers slide, odd ones are global.
        local = (layers + 1) / 2;
        break;
      case Family::gemma3: {
        // Gemma 3: every sliding_window_pattern-th layer is global (default 6: 5 local, 1 global).
        const auto key = c.first_of({"sliding_window_pattern", "_sliding_window_pattern"})
                             .value_or("sliding_window_pattern");
        const auto pattern = c.integer(key, 1, max_layers, false).value_or(6);
        local = layers - layers / static_cast<int>(pattern);
        break;
      }
      case Family::llama:
      case Family::mixtral:
      case Family::qwen_moe:
        if (im.architecture == "LlamaForCausalLM" || im.model_type == "llama") return;
        if (im.architecture.rfind("Qwen", 0) == 0 || im.model_type.rfind("qwen", 0) == 0) {
          // Qwen2/3: only with use_sliding_window, and only layers from max_window_layers on.
          if (!c.boolean("use_sliding_window").value_or(false)) return;
          const auto from = c.integer("max_window_layers", 0, max_layers, false).value_or(0);
          local = std::max(0, layers - static_cast<int>(std::min<long long>(from, layers)));
        } else {
          local = layers;  // Mistral, Mixtral, Phi-3: every layer when sliding_window is set
        }
        break;
      default: return;
    }
  }
  if (!local || *local <= 0) return;
  const bool defaulted = !c.has(window_key) && (f == Family::gemma2 || f == Family::gemma3);
  std::optional<long long> window =
      defaulted
          ? std::optional<long long>(4096)
          : c.integer(window_key, 1, max_context, f == Family::gemma2 || f == Family::gpt_oss);
  if (!window) return;
  if (defaulted) im.notes.push_back("sliding_window is absent: Gemma's default 4,096 is used.");
  m.sliding_window = SlidingWindow{as_int(*window), *local};
}

// Routed experts, their width, shared experts and how many layers are dense.
void read_moe(const Section& c, Imported& im) {
  ModelSpec& m = im.model;
  const Family f = im.family;
  const int layers = m.num_layers;
  if (f == Family::llama || f == Family::gemma2 || f == Family::gemma3 || f == Family::falcon) {
    return;
  }
  std::string experts_key = "num_local_experts";
  if (f == Family::qwen_moe) experts_key = "num_experts";
  if (f == Family::deepseek || f == Family::glm4_moe) experts_key = "n_routed_experts";
  std::string top_key = "num_experts_per_tok";
  if (f == Family::gpt_oss && !c.has(top_key)) top_key = "experts_per_token";

  // DeepSeek-V2 style configs may be dense (n_routed_experts null).
  const bool optional_experts = f == Family::deepseek;
  auto experts = c.integer(experts_key, 1, max_experts, !optional_experts);
  if (!experts) return;
  MoeSpec e;
  e.num_experts = as_int(*experts);
  e.experts_per_token = as_int(c.integer(top_key, 1, max_experts, true).value_or(0));
  if (e.experts_per_token > e.num_experts) {
    c.error(ErrorCode::inconsistent, c.at(top_key),
            "must be <= " + experts_key + " (" + std::to_string(e.num_experts) + ")");
  }
  int moe_layers = layers;
  std::string layout;
  switch (f) {
    case Family::mixtral:
    case Family::gpt_oss: e.expert_intermediate_size = m.intermediate_size; break;
    case Family::llama4: {
      // Llama 4: experts and the one shared expert are intermediate_size wide; dense layers use
      // intermediate_size_mlp. MoE on layers in moe_layers, else every
      // interleave_moe_layer_step-th.
      e.expert_intermediate_size = m.intermediate_size;
      e.num_shared_experts = 1;
      const auto step = c.integer("interleave_moe_layer_step", 1, max_layers, false).value_or(1);
      moe_layers = count_layers(layers, [&](int i) { return (i + 1) % step == 0; });
      if (step > 1)
        layout = "every " + std::to_string(step) + "th layer (interleave_moe_layer_step)";
      if (moe_layers < layers) {
        m.intermediate_size =
            as_int(c.integer("intermediate_size_mlp", 1, max_width, true).value_or(0));
      }
      break;
    }
    case Family::qwen_moe: {
      // Qwen-MoE: layer i is MoE when (i + 1) % decoder_sparse_step == 0 and i is not listed in
      // mlp_only_layers; norm_topk_prob changes routing weights, not sizes.
      e.expert_intermediate_size =
          as_int(c.integer("moe_intermediate_size", 1, max_width, true).value_or(0));
      const auto step = c.integer("decoder_sparse_step", 1, max_layers, false).value_or(1);
      std::set<long long> dense_only;
      if (const Json* list = c.find("mlp_only_layers")) {
        if (!list->is_array()) {
          c.error(
              ErrorCode::wrong_type, c.at("mlp_only_layers"),
              "must be an array of layer indices, not " + std::string(detail::type_name(*list)));
        } else {
          for (std::size_t i = 0; i < list->size(); ++i) {
            if (auto index = c.integer_value((*list)[i], child_path(c.at("mlp_only_layers"), i), 0,
                                             std::max(0, layers - 1))) {
              dense_only.insert(*index);
            }
          }
        }
      }
      moe_layers = count_layers(
          layers, [&](int i) { return (i + 1) % step == 0 && dense_only.count(i) == 0; });
      if (step > 1 || !dense_only.empty())
        layout = "as decoder_sparse_step and mlp_only_layers say";
      // Qwen2-MoE's shared expert is one FFN of shared_expert_intermediate_size; the catalog
      // models shared experts as whole experts of the routed width.
      if (auto shared = c.integer("shared_expert_intermediate_size", 0, max_width, false);
          shared && *shared > 0 && e.expert_intermediate_size > 0) {
        if (*shared % e.expert_intermediate_size != 0) {
          c.error(ErrorCode::inconsistent, c.at("shared_expert_intermediate_size"),
                  "must be a multiple of moe_intermediate_size (the catalog counts shared "
                  "experts as whole experts)");
        } else {
          e.num_shared_experts = as_int(*shared / e.expert_intermediate_size);
        }
      }
      break;
    }
    case Family::deepseek:
    case Family::glm4_moe: {
      // DeepSeek-V2/V3, Kimi K2, GLM-4.5: the first first_k_dense_replace layers are dense; from
      // there every moe_layer_freq-th layer is MoE; n_shared_experts experts of the same width.
      e.expert_intermediate_size =
          as_int(c.integer("moe_intermediate_size", 1, max_width, true).value_or(0));
      e.num_shared_experts =
          as_int(c.integer("n_shared_experts", 0, max_experts, false).value_or(0));
      const auto first_dense = c.integer("first_k_dense_replace", 0, layers, false).value_or(0);
      const auto freq =
          f == Family::deepseek ? c.integer("moe_layer_freq", 1, max_layers, false).value_or(1) : 1;
      moe_layers = count_layers(layers, [&](int i) { return i >= first_dense && i % freq == 0; });
      if (freq > 1) layout = "every " + std::to_string(freq) + "th layer (moe_layer_freq)";
      if (auto mtp = c.integer("num_nextn_predict_layers", 0, max_layers, false)) {
        im.num_nextn_predict_layers = as_int(*mtp);
      }
      break;
    }
    default: break;
  }
  if (moe_layers <= 0) {
    im.notes.push_back("The config has experts but no MoE layer: imported as a dense model.");
    return;
  }
  e.num_dense_layers = layers - moe_layers;
  if (!layout.empty() && e.num_dense_layers > 0) {
    im.notes.push_back(std::to_string(moe_layers) + " MoE layers (" + layout + ") and " +
                       std::to_string(e.num_dense_layers) +
                       " dense layers; the catalog lists the dense layers first (the same "
                       "weights, KV cache and work per token).");
  }
  m.moe = e;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Quantization

struct Quantization {
  Precision precision = Precision::bf16;
  std::string method;                 // quant_method as written
  std::string list_key;               // the key listing the modules left unquantized
  std::vector<std::string> excluded;  // module names or patterns
};

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// The layer index in "model.layers.12.self_attn", or nullopt for a pattern over every layer
// ("model.layers.*.self_attn", "re:.*self_attn.*").
std::optional<long long> layer_index(const std::string& module) {
  const std::size_t at = module.find("layers.");
  if (at == std::string::npos) return std::nullopt;
  std::size_t i = at + 7;
  long long index = 0;
  std::size_t digits = 0;
  while (i < module.size() && module[i] >= '0' && module[i] <= '9' && digits < 9) {
    index = index * 10 + (module[i] - '0');
    ++i;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return index;
}

// Which of the model's parts an exclusion list leaves at 16 bits. A part counts as unquantized
// when a pattern covers every layer or at least half of its layers are listed one by one.
QuantizedParts quantized_parts(const Quantization& q, const ModelSpec& m) {
  struct Coverage {
    bool all = false;
    std::set<long long> layers;
    bool covers(int of) const {
      return all || (of > 0 && 2 * static_cast<int>(layers.size()) >= of);
    }
    void add(const std::string& module) {
      if (auto index = layer_index(module)) {
        layers.insert(*index);
      } else {
        all = true;
      }
    }
  };
  Coverage attention, dense, shared, routed;
  for (const std::string& module : q.excluded) {
    if (contains(module, "vision") || contains(module, "visual") ||
        contains(module, "multi_modal") || contains(module, "mm_projector")) {
      continue;  // a vision tower is not part of the language model we count
    }
    if (contains(module, "norm") || contains(module, "router") || contains(module, "lm_head") ||
        contains(module, "embed") || contains(module, "mlp.gate.") ||
        (module.size() >= 9 && module.compare(module.size() - 9, 9, ".mlp.gate") == 0)) {
      continue;  // norms, routers, embeddings and the LM head: 16-bit in the core already
    }
    if (contains(module, "shared_expert")) {
      shared.add(module);
    } else if (contains(module, "experts")) {
      routed.add(module);
    } else if (contains(module, "self_attn") || contains(module, "attention") ||
               contains(module, "q_proj") || contains(module, "k_proj") ||
               contains(module, "v_proj") || contains(module, "o_proj") ||
               contains(module, "qkv_proj") || contains(module, "query_key_value") ||
               contains(module, "kv_a_proj") || contains(module, "kv_b_proj") ||
               contains(module, "q_a_proj") || contains(module, "q_b_proj")) {
      attention.add(module);
    } else if (contains(module, "mlp") || contains(module, "feed_forward") ||
               contains(module, "gate_proj") || contains(module, "up_proj") ||
               contains(module, "down_proj")) {
      dense.add(module);
    }
  }
  const int layers = m.num_layers;
  const int moe_layers = m.moe ? layers - m.moe->num_dense_layers : 0;
  const int dense_layers = layers - moe_layers;
  QuantizedParts parts;
  parts.attention = !attention.covers(layers);
  parts.dense_mlp = !dense.covers(dense_layers);
  parts.shared_experts = !shared.covers(moe_layers);
  parts.routed_experts = !routed.covers(moe_layers);
  return parts;
}

// Precision of one compressed-tensors weight scheme ({"num_bits", "type"}).
std::optional<Precision> compressed_tensors_precision(const Section& weights) {
  const auto bits = weights.integer("num_bits", 1, 64, true);
  const std::string type = weights.string("type").value_or("int");
  if (!bits) return std::nullopt;
  if (*bits == 8) return type == "float" ? Precision::fp8 : Precision::int8;
  if (*bits == 4) return type == "float" ? Precision::fp4 : Precision::int4;
  weights.error(ErrorCode::invalid_value, weights.at("num_bits"),
                "is " + std::to_string(*bits) + ": only 4- and 8-bit weights are modelled");
  return std::nullopt;
}

// Reads quantization_config; nullopt when absent or invalid (then a diagnostic says why).
std::optional<Quantization> read_quantization(const Section& q, Imported& im) {
  Quantization out;
  const auto method = q.string("quant_method");
  if (!method) {
    if (!q.has("quant_method"))
      q.error(ErrorCode::missing_field, q.at("quant_method"), "is required");
    return std::nullopt;
  }
  out.method = *method;
  auto bits_precision = [&](std::string_view key) -> std::optional<Precision> {
    const auto bits = q.integer(key, 1, 64, true);
    if (!bits) return std::nullopt;
    if (*bits == 4) return Precision::int4;
    if (*bits == 8) return Precision::int8;
    q.error(ErrorCode::invalid_value, q.at(key),
            "is " + std::to_string(*bits) + ": only 4- and 8-bit " + *method + " is modelled");
    return std::nullopt;
  };
  std::optional<Precision> precision;
  if (*method == "fp8" || *method == "fbgemm_fp8") {
    precision = Precision::fp8;
    out.list_key = "modules_to_not_convert";
  } else if (*method == "mxfp4") {
    precision = Precision::fp4;
    out.list_key = "modules_to_not_convert";
    im.notes.push_back(
        "MXFP4 stores 4.25 bits per weight; the core counts every fp4 checkpoint at NVFP4's 4.5.");
  } else if (*method == "awq") {
    precision = bits_precision(q.has("bits") || !q.has("w_bit") ? "bits" : "w_bit");
    out.list_key = "modules_to_not_convert";
  } else if (*method == "gptq") {
    precision = bits_precision("bits");
    out.list_key = "modules_to_not_convert";
  } else if (*method == "bitsandbytes") {
    if (q.boolean("load_in_4bit").value_or(false)) {
      precision = Precision::int4;
    } else if (q.boolean("load_in_8bit").value_or(false)) {
      precision = Precision::int8;
    } else {
      q.error(ErrorCode::missing_field, q.at("load_in_4bit"),
              "is required: bitsandbytes without load_in_4bit or load_in_8bit quantizes nothing");
    }
    out.list_key = "llm_int8_skip_modules";
  } else if (*method == "modelopt") {
    const auto algo = q.string("quant_algo");
    if (!algo) {
      if (!q.has("quant_algo"))
        q.error(ErrorCode::missing_field, q.at("quant_algo"), "is required");
    } else if (*algo == "FP8" || *algo == "FP8_BLOCK_SCALES") {
      precision = Precision::fp8;
    } else if (*algo == "NVFP4") {
      precision = Precision::fp4;
    } else if (*algo == "W4A16_AWQ" || *algo == "W4A8_AWQ") {
      precision = Precision::int4;
    } else {
      q.error(ErrorCode::invalid_value, q.at("quant_algo"),
              "unknown ModelOpt algorithm " + echoed(*algo) + " (known: FP8, NVFP4, W4A16_AWQ)");
    }
    out.list_key = q.has("exclude_modules") ? "exclude_modules" : "ignore";
  } else if (*method == "compressed-tensors") {
    // llm-compressor: config_groups of {targets, weights: {num_bits, type}}; "ignore" lists the
    // modules kept at 16 bits. Groups of different precisions: the lowest one is recorded.
    out.list_key = "ignore";
    const Json* groups = q.find("config_groups");
    if (groups == nullptr || !groups->is_object() || groups->empty()) {
      q.error(groups == nullptr ? ErrorCode::missing_field : ErrorCode::wrong_type,
              q.at("config_groups"), "must be an object of quantization groups");
      return std::nullopt;
    }
    std::string schemes;
    for (auto it = groups->begin(); it != groups->end(); ++it) {
      const Section group = q.nested(it.value(), child_path(q.at("config_groups"), it.key()));
      if (!it.value().is_object()) {
        q.error(ErrorCode::wrong_type, group.path(),
                "must be an object, not " + std::string(detail::type_name(it.value())));
        return std::nullopt;
      }
      const auto weights = group.section("weights");
      if (!weights) {
        if (!group.has("weights"))
          q.error(ErrorCode::missing_field, group.at("weights"), "is required");
        return std::nullopt;
      }
      const auto p = compressed_tensors_precision(*weights);
      if (!p) return std::nullopt;
      schemes += (schemes.empty() ? "" : ", ") + std::string(to_string(*p));
      if (!precision || storage_bits(*p) < storage_bits(*precision)) precision = p;
    }
    if (contains(schemes, ",")) {
      im.notes.push_back("compressed-tensors groups use " + schemes + "; the lowest, " +
                         std::string(to_string(*precision)) + ", is recorded.");
    }
  } else {
    q.error(ErrorCode::invalid_value, q.at("quant_method"),
            "unknown quantization method " + echoed(*method) +
                " (known: fp8, fbgemm_fp8, awq, gptq, mxfp4, compressed-tensors, modelopt, "
                "bitsandbytes)");
    return std::nullopt;
  }
  if (!precision) return std::nullopt;
  out.precision = *precision;
  out.excluded = q.strings(out.list_key);
  return out;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Entry

// The checkpoint's 16-bit format: torch_dtype (transformers 4) or dtype (5), in text_config or
// at the root. Float32 checkpoints are served at 16 bits (vLLM's dtype=auto picks bf16).
std::optional<Precision> checkpoint_dtype(const Section& text, const Section& root, Imported& im) {
  for (const Section* section : {&text, &root}) {
    for (std::string_view key : {"torch_dtype", "dtype"}) {
      if (!section->has(key)) continue;
      const auto name = section->string(key);
      if (!name) return std::nullopt;
      if (*name == "bfloat16") return Precision::bf16;
      if (*name == "float16") return Precision::fp16;
      if (*name == "float32") {
        im.notes.push_back(
            "The checkpoint is stored in float32; engines serve it at 16 bits (bf16 recorded).");
        return Precision::bf16;
      }
      section->error(ErrorCode::invalid_value, section->at(key),
                     "must be bfloat16, float16 or float32 (quantized formats belong in "
                     "quantization_config), not " +
                         echoed(*name));
      return std::nullopt;
    }
  }
  return Precision::bf16;
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(id[0])) return false;
  return std::all_of(id.begin(), id.end(),
                     [&](char c) { return alnum(c) || c == '-' || c == '.' || c == '_'; });
}

// "meta-llama/Llama-3.1-8B" -> "llama-3.1-8b": lower case, other characters as '-'.
std::string id_from(const std::string& text) {
  std::string id;
  for (char ch : text) {
    char c = ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && c != '-' && c != '.' && c != '_') c = '-';
    if (id.empty() && !alnum) continue;
    id += c;
    if (id.size() == 64) break;
  }
  return id;
}

// The last component of _name_or_path ("/ckpts/Llama-3.1-70B-Instruct/" ->
// "Llama-3.1-70B-Instruct").
std::string last_component(std::string path) {
  while (!path.empty() && (path.back() == '/' || path.back() == '\\')) path.pop_back();
  const std::size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Billions with 6 decimals (thousands of parameters), never 0: the catalog wants a figure > 0.
double billions(double params) { return std::max(1e-6, std::round(params / 1e3) / 1e6); }

std::string attention_name(AttentionKind kind) {
  switch (kind) {
    case AttentionKind::mha: return "mha";
    case AttentionKind::mqa: return "mqa";
    case AttentionKind::mla: return "mla";
    case AttentionKind::gqa: return "gqa";
  }
  return "gqa";
}

OrderedJson entry_json(const Imported& im, const std::string& id, const std::string& name,
                       const HfImportOptions& options, const detail::ModelShape& shape) {
  const ModelSpec& m = im.model;
  OrderedJson e;
  e["id"] = id;
  e["name"] = name;
  e["family"] = im.model_type.empty() ? im.architecture : im.model_type;
  e["source"] = options.source.empty() ? "user-supplied config.json" : options.source;
  if (!options.as_of.empty()) e["as_of"] = options.as_of;
  e["num_layers"] = m.num_layers;
  e["hidden_size"] = m.hidden_size;
  e["num_attention_heads"] = m.num_attention_heads;
  e["num_kv_heads"] = m.num_kv_heads;
  e["head_dim"] = m.head_dim;
  e["intermediate_size"] = m.intermediate_size;
  e["mlp"] = m.mlp == MlpKind::plain ? "plain" : "gated";
  e["vocab_size"] = m.vocab_size;
  if (m.max_context_tokens) e["max_context_tokens"] = *m.max_context_tokens;
  e["tie_word_embeddings"] = m.tie_word_embeddings;
  e["attention"] = attention_name(m.attention);
  e["sliding_window"] = nullptr;
  if (m.sliding_window) {
    e["sliding_window"] = {{"window_tokens", m.sliding_window->window_tokens},
                           {"num_layers", m.sliding_window->num_layers}};
  }
  e["moe"] = nullptr;
  if (m.moe) {
    e["moe"] = {{"num_experts", m.moe->num_experts},
                {"experts_per_token", m.moe->experts_per_token},
                {"num_shared_experts", m.moe->num_shared_experts},
                {"expert_intermediate_size", m.moe->expert_intermediate_size},
                {"num_dense_layers", m.moe->num_dense_layers}};
  }
  e["mla"] = nullptr;
  if (m.mla) {
    e["mla"] = {{"q_lora_rank",
                 m.mla->q_lora_rank > 0 ? OrderedJson(m.mla->q_lora_rank) : OrderedJson(nullptr)},
                {"kv_lora_rank", m.mla->kv_lora_rank},
                {"qk_nope_head_dim", m.mla->qk_nope_head_dim},
                {"qk_rope_head_dim", m.mla->qk_rope_head_dim},
                {"v_head_dim", m.mla->v_head_dim}};
  }
  e["encoder"] = nullptr;
  std::string counted = "derived from config shapes (projections, experts, routers, embeddings";
  counted += m.tie_word_embeddings ? ", tied LM head" : " and LM head";
  counted += "; biases and norms not counted";
  if (im.num_nextn_predict_layers > 0) {
    counted += "; the " +
               format_count(im.num_nextn_predict_layers, "multi-token-prediction layer") +
               " of num_nextn_predict_layers not counted";
  }
  counted += ")";
  e["total_params_billion"] = {{"value", billions(shape.total_params)}, {"note", counted}};
  e["active_params_billion"] = {
      {"value", billions(shape.active_params)},
      {"note", m.moe ? counted + "; per token: top-k routed experts plus everything else"
                     : counted + "; dense model: active = total"}};
  e["default_weights"] = std::string(to_string(m.default_weights));
  if (m.quantized_parts) {
    OrderedJson parts = OrderedJson::array();
    const bool has_dense = !m.moe || m.moe->num_dense_layers > 0;
    if (m.quantized_parts->attention) parts.push_back("attention");
    if (has_dense && m.quantized_parts->dense_mlp) parts.push_back("dense_mlp");
    if (m.moe && m.moe->num_shared_experts > 0 && m.quantized_parts->shared_experts) {
      parts.push_back("shared_experts");
    }
    if (m.moe && m.quantized_parts->routed_experts) parts.push_back("routed_experts");
    e["quantized_parts"] = parts;
  }
  if (m.fp4_format == Fp4Format::mxfp4) e["fp4_format"] = std::string(to_string(m.fp4_format));
  e["confidence"] = "medium";
  std::string notes =
      "Imported from a Hugging Face config.json (architecture " + im.architecture + ").";
  for (const std::string& note : im.notes) notes += " " + note;
  e["notes"] = notes;
  return e;
}

// Which parts a quantization leaves at 16 bits, in words, for the entry's notes.
void describe_quantization(const Quantization& q, const ModelSpec& m, Imported& im) {
  const QuantizedParts& p = *m.quantized_parts;
  std::string quantized, kept;
  auto add = [&](bool present, bool is_quantized, const char* part) {
    if (!present) return;
    std::string& list = is_quantized ? quantized : kept;
    list += (list.empty() ? "" : ", ") + std::string(part);
  };
  add(true, p.attention, "attention");
  add(!m.moe || m.moe->num_dense_layers > 0, p.dense_mlp, "dense FFNs");
  add(m.moe && m.moe->num_shared_experts > 0, p.shared_experts, "shared experts");
  add(m.moe.has_value(), p.routed_experts, "routed experts");
  std::string note = "Quantized checkpoint (quant_method " + echoed(q.method) + ", " +
                     std::string(to_string(q.precision)) + "): quantized: " + quantized +
                     "; at 16 bits: " + (kept.empty() ? "" : kept + ", plus ") +
                     "embeddings, norms, routers and the LM head";
  if (!q.list_key.empty()) {
    note += " (" + q.list_key + " lists " + std::to_string(q.excluded.size()) + " modules)";
  }
  note += ".";
  im.notes.push_back(note);
}

}  // namespace

Result<std::string> import_hf_config(std::string_view config_json, const HfImportOptions& options) {
  if (config_json.size() > max_hf_config_bytes) {
    return Diagnostics{
        {ErrorCode::out_of_range, "", "config.json larger than 4 MiB is not a model config"}};
  }
  Diagnostics d;
  std::optional<Json> document = detail::parse_json(config_json, d);
  if (!document) return d;
  if (!detail::expect_object(*document, "", d)) return d;
  const Section root(*document, "", d);
  Imported im;

  // The architecture names the family; model_type stands in when architectures is absent.
  if (const Json* names = root.find("architectures")) {
    if (!names->is_array() || names->empty()) {
      d.push_back({ErrorCode::wrong_type, "/architectures",
                   "must be a non-empty array of architecture names"});
      return d;
    }
    if (!(*names)[0].is_string()) {
      d.push_back({ErrorCode::wrong_type, "/architectures/0",
                   "must be a string, not " + std::string(detail::type_name((*names)[0]))});
      return d;
    }
    im.architecture = (*names)[0].get<std::string>();
    const auto family = lookup(known_architectures, im.architecture);
    if (!family) {
      d.push_back({ErrorCode::invalid_value, "/architectures/0",
                   "unknown architecture " + echoed(im.architecture) +
                       " (supported: " + list_names(known_architectures) + ")"});
      return d;
    }
    im.family = *family;
    im.model_type = root.string("model_type").value_or("");
  } else if (const auto type = root.string("model_type")) {
    const auto family = lookup(known_model_types, *type);
    if (!family) {
      d.push_back({ErrorCode::invalid_value, "/model_type",
                   "unknown model_type " + echoed(*type) +
                       " (supported: " + list_names(known_model_types) + ")"});
      return d;
    }
    im.family = *family;
    im.architecture = *type;
    im.model_type = *type;
  } else {
    if (!root.has("model_type")) {
      d.push_back({ErrorCode::missing_field, "/architectures",
                   "is required (or model_type): it names the architecture"});
    }
    return d;
  }
  if (!d.empty()) return d;

  // Multimodal wrappers keep the language model's sizes in text_config.
  const bool has_text = root.has("text_config");
  const std::optional<Section> text =
      has_text ? root.section("text_config") : std::optional<Section>();
  if (has_text && !text) return d;
  if (text) {
    if (const auto type = text->string("model_type")) im.model_type = *type;
  } else if (im.architecture == "Llama4ForConditionalGeneration" ||
             im.architecture == "Gemma3ForConditionalGeneration") {
    d.push_back({ErrorCode::missing_field, "/text_config",
                 "is required: it holds the language model's sizes"});
    return d;
  }
  const Section& c = text ? *text : root;

  read_attention(c, im);
  read_widths(c, im);
  if (!d.empty()) return d;  // windows and experts need valid layer counts and widths
  read_sliding_window(c, im);
  read_moe(c, im);
  const std::optional<Precision> dtype = checkpoint_dtype(c, root, im);
  std::optional<Quantization> quantization;
  // Mostly at the root; some multimodal checkpoints put it in text_config.
  const std::optional<Section> quantization_section =
      root.has("quantization_config")            ? root.section("quantization_config")
      : text && text->has("quantization_config") ? text->section("quantization_config")
                                                 : std::optional<Section>();
  if (quantization_section) quantization = read_quantization(*quantization_section, im);
  if (!d.empty()) return d;

  ModelSpec& m = im.model;
  m.default_weights = dtype.value_or(Precision::bf16);
  if (quantization) {
    const QuantizedParts parts = quantized_parts(*quantization, m);
    const bool any = parts.attention ||
                     ((!m.moe || m.moe->num_dense_layers > 0) && parts.dense_mlp) ||
                     (m.moe && m.moe->num_shared_experts > 0 && parts.shared_experts) ||
                     (m.moe && parts.routed_experts);
    if (any) {
      m.default_weights = quantization->precision;
      m.quantized_parts = parts;
      if (quantization->method == "mxfp4") m.fp4_format = Fp4Format::mxfp4;
      describe_quantization(*quantization, m, im);
    } else {
      im.notes.push_back("quantization_config leaves every layer at 16 bits: imported as " +
                         std::string(to_string(m.default_weights)) + ".");
    }
  }

  // Id and name: the options, else the checkpoint's own name, else the architecture.
  const std::string checkpoint =
      last_component(root.string("_name_or_path").value_or(c.string("_name_or_path").value_or("")));
  std::string id = options.id;
  if (id.empty()) id = id_from(checkpoint);
  if (id.empty())
    id = "imported-" + id_from(im.model_type.empty() ? im.architecture : im.model_type);
  if (!valid_id(id)) {
    d.push_back({ErrorCode::invalid_value, "",
                 "id " + echoed(id) +
                     " must be 1-64 characters of a-z, 0-9, '-', '.', '_', starting with a letter "
                     "or digit"});
    return d;
  }
  std::string name = options.name;
  if (name.empty()) name = checkpoint.substr(0, 128);
  if (name.empty()) name = id;

  const detail::ModelShape shape = detail::model_shape(m);
  if (!(shape.total_params <= max_params)) {
    char buffer[128];
    std::snprintf(buffer, sizeof buffer,
                  "the shapes give %.3g parameters, more than 100,000 billion: not a real model",
                  shape.total_params);
    d.push_back({ErrorCode::out_of_range, "", buffer});
    return d;
  }
  if (im.biases) {
    im.notes.push_back("Attention/MLP biases are present and not counted (well under 0.1%).");
  }
  const OrderedJson entry = entry_json(im, id, name, options, shape);
  const std::string text_out = entry.dump(2, ' ', false, OrderedJson::error_handler_t::replace);

  // The entry must be one the catalog accepts; anything else is a bug here, said as such.
  OrderedJson document_out = {{"models", OrderedJson::array({entry})}};
  const Result<CatalogDocument> check = parse_catalog_document(
      document_out.dump(-1, ' ', false, OrderedJson::error_handler_t::replace));
  if (!check.ok()) {
    for (const Diagnostic& problem : check.diagnostics()) {
      d.push_back({ErrorCode::inconsistent, "",
                   "imported entry is not a valid catalog entry: " + problem.to_string()});
    }
    return d;
  }
  return text_out;
}

Result<std::string> add_model_to_catalog(std::string_view catalog_json,
                                         std::string_view entry_json_text) {
  // The catalog as it is must be valid, and so must the entry.
  const Result<CatalogDocument> before = parse_catalog_document(catalog_json);
  if (!before.ok()) return before.diagnostics();
  Diagnostics d;
  const std::optional<Json> entry_checked = detail::parse_json(entry_json_text, d);
  if (!entry_checked) return d;
  // Both are valid, depth-limited JSON now, which keeps its key order.
  const std::optional<Json> catalog_read = detail::parse_json(catalog_json, d);
  if (!catalog_read) return d;
  OrderedJson catalog = *catalog_read;
  OrderedJson entry = *entry_checked;
  if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string()) {
    return Diagnostics{{ErrorCode::missing_field, "/id", "the model entry needs a string id"}};
  }
  OrderedJson& models = catalog["models"];
  if (models.is_null()) models = OrderedJson::array();
  bool replaced = false;
  for (OrderedJson& existing : models) {
    if (existing.is_object() && existing.contains("id") && existing["id"] == entry["id"]) {
      existing = entry;
      replaced = true;
    }
  }
  if (!replaced) models.push_back(entry);
  std::string text_out = catalog.dump(2, ' ', false, OrderedJson::error_handler_t::replace);
  text_out += "\n";
  const Result<CatalogDocument> after = parse_catalog_document(text_out);
  if (!after.ok()) return after.diagnostics();
  return text_out;
}

}  // namespace pertoken
