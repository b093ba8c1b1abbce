// Catalog parsing and validation: JSON text -> GpuSpec/ModelSpec in SI units, every problem
// reported with its JSON path. Units are converted here and nowhere else.
#include "pertoken/catalog/catalog.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "catalog/catalog_entries.hpp"
#include "economics/price_entries.hpp"
#include "pertoken/scenario/scenario.hpp"
#include "pertoken/units.hpp"

namespace pertoken {

std::string_view to_string(Fp4Format format) {
  return format == Fp4Format::mxfp4 ? "mxfp4" : "nvfp4";
}

namespace {

using detail::child_path;
using detail::Figure;
using detail::FigureRule;
using detail::Json;

constexpr FigureRule positive_number{};
constexpr FigureRule positive_integer{.integer = true, .positive = true, .max = 1e9};
constexpr FigureRule non_negative_integer{.integer = true, .positive = false, .max = 1e9};

// Ids are the handles users type and URLs carry: keep them to a safe, readable alphabet.
bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  if (!((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= '0' && id[0] <= '9'))) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
  });
}

// Reads the fields every entry has: id, display strings, record-level provenance.
struct EntryCommon {
  std::string id;
  Provenance record;  // record-level source/as_of inherited by plain figures
};

void record_provenance(std::map<std::string, Provenance>& into, const std::string& key,
                       const Figure& figure, const Provenance& record) {
  if (!figure.present) return;
  Provenance p = figure.provenance;
  if (p.source.empty()) p.source = record.source;
  if (p.as_of.empty()) p.as_of = record.as_of;
  into[key] = p;
}

std::optional<std::string> read_id(const Json& entry, const std::string& path,
                                   Diagnostics& diagnostics) {
  auto id = detail::read_string(entry, "id", path, true, diagnostics);
  if (id && !valid_id(*id)) {
    diagnostics.push_back({ErrorCode::invalid_value, child_path(path, "id"),
                           "must be 1-64 characters of a-z, 0-9, '-', '.', '_', starting with a "
                           "letter or digit"});
    return std::nullopt;
  }
  return id;
}

std::optional<std::string> read_enum(const Json& entry, std::string_view key,
                                     const std::string& path,
                                     std::initializer_list<std::string_view> allowed, bool required,
                                     Diagnostics& diagnostics) {
  auto text = detail::read_string(entry, key, path, required, diagnostics);
  if (!text) return std::nullopt;
  std::string list;
  for (std::string_view a : allowed) {
    if (a == *text) return text;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  diagnostics.push_back(
      {ErrorCode::invalid_value, child_path(path, key), "must be one of " + list});
  return std::nullopt;
}

// A yes/no property with its provenance: true, false or {"value": bool, "source", "as_of",
// "note"}. nullopt when absent or invalid (a diagnostic says why).
struct Flag {
  bool value = false;
  Provenance provenance;
};
std::optional<Flag> read_flag(const Json& object, std::string_view key, const std::string& path,
                              Diagnostics& diagnostics) {
  auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  const std::string at = child_path(path, key);
  Flag flag;
  const Json* value = &*it;
  if (it->is_object()) {
    detail::reject_unknown_keys(*it, at, {"value", "source", "as_of", "note"}, diagnostics);
    flag.provenance = {detail::read_string(*it, "source", at, false, diagnostics).value_or(""),
                       detail::read_string(*it, "as_of", at, false, diagnostics).value_or(""),
                       detail::read_string(*it, "note", at, false, diagnostics).value_or("")};
    auto inner = it->find("value");
    value = inner == it->end() ? nullptr : &*inner;
  }
  if (value == nullptr || !value->is_boolean()) {
    diagnostics.push_back({ErrorCode::wrong_type, it->is_object() ? child_path(at, "value") : at,
                           "must be true or false"});
    return std::nullopt;
  }
  flag.value = value->get<bool>();
  return flag;
}

// ---------------------------------------------------------------------------------------------
// GPUs

GpuSpec parse_gpu(const Json& entry, const std::string& path, Diagnostics& diagnostics) {
  GpuSpec gpu;
  if (!detail::expect_object(entry, path, diagnostics)) return gpu;
  detail::reject_unknown_keys(
      entry, path,
      {"id", "name", "vendor", "kind", "form_factor", "memory_type", "memory_gib",
       "memory_bandwidth_tb_per_s", "dense_tflops", "tdp_w", "scale_up", "tensor_parallel",
       "purchase_price_usd", "reference_usd_per_gpu_hour", "confidence", "notes", "source",
       "as_of"},
      diagnostics);
  gpu.id = read_id(entry, path, diagnostics).value_or("");
  gpu.name =
      detail::entry_name(detail::read_string(entry, "name", path, false, diagnostics), gpu.id);
  gpu.vendor = detail::read_string(entry, "vendor", path, false, diagnostics).value_or("");
  gpu.kind = read_enum(entry, "kind", path, {"gpu", "accelerator", "cpu"}, false, diagnostics)
                 .value_or("gpu");
  gpu.form_factor =
      detail::read_string(entry, "form_factor", path, false, diagnostics).value_or("");
  gpu.memory_type =
      detail::read_string(entry, "memory_type", path, false, diagnostics).value_or("");
  gpu.confidence =
      read_enum(entry, "confidence", path, {"high", "medium", "low"}, false, diagnostics)
          .value_or("");
  gpu.notes = detail::read_string(entry, "notes", path, false, diagnostics).value_or("");
  const Provenance record{
      detail::read_string(entry, "source", path, false, diagnostics).value_or(""),
      detail::read_string(entry, "as_of", path, false, diagnostics).value_or(""), ""};

  auto figure = [&](const Json& object, std::string_view key, const std::string& at,
                    const std::string& provenance_key, FigureRule rule, bool required) {
    Figure f = detail::read_figure(object, key, at, rule, required, diagnostics);
    record_provenance(gpu.provenance, provenance_key, f, record);
    return f;
  };

  // Capacity and bandwidth are what every estimate needs: unknown (null) is not allowed.
  FigureRule required_rule = positive_number;
  required_rule.nullable = false;
  required_rule.max = 1e6;
  if (auto f = figure(entry, "memory_gib", path, "/memory_gib", required_rule, true); f.value) {
    gpu.memory_capacity_bytes = *f.value * units::bytes_per_gib;
  }
  if (auto f = figure(entry, "memory_bandwidth_tb_per_s", path, "/memory_bandwidth_tb_per_s",
                      required_rule, true);
      f.value) {
    gpu.memory_bandwidth_bytes_per_s = *f.value * units::bytes_per_tb;
  }

  const std::string peak_path = child_path(path, "dense_tflops");
  auto peaks = entry.find("dense_tflops");
  if (peaks == entry.end()) {
    diagnostics.push_back({ErrorCode::missing_field, peak_path, "is required"});
  } else if (detail::expect_object(*peaks, peak_path, diagnostics)) {
    detail::reject_unknown_keys(*peaks, peak_path,
                                {"fp32", "tf32", "bf16", "fp16", "fp8", "int8", "int4", "fp4"},
                                diagnostics);
    FigureRule rate_rule = positive_number;
    rate_rule.max = 1e6;
    for (Precision p : all_precisions) {
      const std::string key(to_string(p));
      Figure f = figure(*peaks, key, peak_path, "/dense_tflops/" + key, rate_rule, false);
      PeakRate& rate = gpu.dense_peak[static_cast<std::size_t>(p)];
      rate.supported = f.present;
      if (f.value) rate.flop_per_s = *f.value * units::flop_per_tflop;
    }
    figure(*peaks, "tf32", peak_path, "/dense_tflops/tf32", rate_rule, false);
  }

  FigureRule power_rule = positive_number;
  power_rule.max = 1e5;
  if (auto f = figure(entry, "tdp_w", path, "/tdp_w", power_rule, false); f.value) {
    gpu.tdp_w = f.value;
  }

  const std::string link_path = child_path(path, "scale_up");
  if (auto link = entry.find("scale_up"); link != entry.end()) {
    if (detail::expect_object(*link, link_path, diagnostics)) {
      detail::reject_unknown_keys(*link, link_path,
                                  {"link", "bandwidth_gb_per_s_per_direction", "domain_size"},
                                  diagnostics);
      gpu.scale_up_link =
          detail::read_string(*link, "link", link_path, false, diagnostics).value_or("");
      FigureRule bw_rule = positive_number;
      bw_rule.max = 1e6;
      if (auto f = figure(*link, "bandwidth_gb_per_s_per_direction", link_path,
                          "/scale_up/bandwidth_gb_per_s_per_direction", bw_rule, false);
          f.value) {
        gpu.scale_up_bytes_per_s_per_direction = *f.value * units::bytes_per_gb;
      }
      FigureRule domain_rule = positive_integer;
      domain_rule.max = 1e6;
      if (auto f =
              figure(*link, "domain_size", link_path, "/scale_up/domain_size", domain_rule, false);
          f.value) {
        gpu.scale_up_domain_size = f.value;
      }
    }
  }

  const std::string tp_path = child_path(path, "tensor_parallel");
  if (auto tp = entry.find("tensor_parallel"); tp != entry.end()) {
    if (detail::expect_object(*tp, tp_path, diagnostics)) {
      detail::reject_unknown_keys(*tp, tp_path, {"cores_per_device", "pads_attention_heads"},
                                  diagnostics);
      FigureRule cores_rule = positive_integer;
      cores_rule.max = 64;
      cores_rule.nullable = false;
      if (auto f = figure(*tp, "cores_per_device", tp_path, "/tensor_parallel/cores_per_device",
                          cores_rule, false);
          f.value) {
        gpu.tp_cores_per_device = static_cast<int>(*f.value);
      }
      if (auto pads = read_flag(*tp, "pads_attention_heads", tp_path, diagnostics)) {
        gpu.pads_attention_heads = pads->value;
        Figure as_figure;
        as_figure.present = true;
        as_figure.provenance = pads->provenance;
        record_provenance(gpu.provenance, "/tensor_parallel/pads_attention_heads", as_figure,
                          record);
      }
    }
  }

  FigureRule price_rule = positive_number;
  price_rule.max = 1e8;
  if (auto f = figure(entry, "purchase_price_usd", path, "/purchase_price_usd", price_rule, false);
      f.value) {
    gpu.purchase_price_usd = f.value;
  }
  price_rule.max = 1e4;
  if (auto f = figure(entry, "reference_usd_per_gpu_hour", path, "/reference_usd_per_gpu_hour",
                      price_rule, false);
      f.value) {
    gpu.reference_usd_per_hour = f.value;
  }
  return gpu;
}

// ---------------------------------------------------------------------------------------------
// Models

struct ModelReader {
  const Json& entry;
  const std::string& path;
  Diagnostics& diagnostics;
  ModelSpec& model;
  Provenance record;

  // An architecture integer; null marks it unknown (the model cannot be estimated until known).
  int integer(const Json& object, std::string_view key, const std::string& at,
              const std::string& provenance_key, bool required,
              FigureRule rule = positive_integer) {
    Figure f = detail::read_figure(object, key, at, rule, required, diagnostics);
    record_provenance(model.provenance, provenance_key, f, record);
    if (f.present && f.valid && !f.value) model.unknown_fields.push_back(provenance_key);
    return f.value ? static_cast<int>(*f.value) : 0;
  }
};

AttentionKind parse_attention(const std::string& text) {
  if (text == "mha") return AttentionKind::mha;
  if (text == "mqa") return AttentionKind::mqa;
  if (text == "mla") return AttentionKind::mla;
  return AttentionKind::gqa;
}

void check_model_consistency(const ModelSpec& m, const std::string& path,
                             Diagnostics& diagnostics) {
  auto fail = [&](std::string_view key, std::string message) {
    diagnostics.push_back({ErrorCode::inconsistent, child_path(path, key), std::move(message)});
  };
  if (m.num_attention_heads > 0 && m.num_kv_heads > 0) {
    if (m.num_kv_heads > m.num_attention_heads) {
      fail("num_kv_heads", "must be <= num_attention_heads");
    } else if (m.num_attention_heads % m.num_kv_heads != 0) {
      fail("num_kv_heads", "must divide num_attention_heads");
    }
    if (m.attention == AttentionKind::mha && m.num_kv_heads != m.num_attention_heads) {
      fail("attention", "is mha, so num_kv_heads must equal num_attention_heads");
    }
    if (m.attention == AttentionKind::mqa && m.num_kv_heads != 1) {
      fail("attention", "is mqa, so num_kv_heads must be 1");
    }
  }
  if ((m.attention == AttentionKind::mla) != m.mla.has_value()) {
    fail("mla", "must be given exactly when attention is mla");
  }
  if (m.sliding_window && m.num_layers > 0 && m.sliding_window->num_layers > m.num_layers) {
    fail("sliding_window", "num_layers must be <= the model's num_layers");
  }
  if (m.moe && m.moe->num_experts > 0) {
    if (m.moe->experts_per_token > m.moe->num_experts) {
      fail("moe", "experts_per_token must be <= num_experts");
    }
    if (m.num_layers > 0 && m.moe->num_dense_layers >= m.num_layers) {
      fail("moe", "num_dense_layers must be < num_layers");
    }
  }
}

bool is_16_bit(Precision p) {
  return p == Precision::fp32 || p == Precision::bf16 || p == Precision::fp16;
}

// "quantized_parts": null or a non-empty array of distinct part names.
std::optional<QuantizedParts> parse_quantized_parts(const Json& entry, const std::string& path,
                                                    Diagnostics& diagnostics) {
  auto it = entry.find("quantized_parts");
  if (it == entry.end() || it->is_null()) return std::nullopt;
  const std::string at = child_path(path, "quantized_parts");
  if (!it->is_array() || it->empty()) {
    diagnostics.push_back({ErrorCode::wrong_type, at,
                           "must be null or a non-empty array of attention, dense_mlp, "
                           "shared_experts, routed_experts"});
    return std::nullopt;
  }
  QuantizedParts parts{false, false, false, false};
  std::set<std::string> seen;
  bool valid = true;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const Json& item = (*it)[i];
    const std::string item_at = child_path(at, i);
    const std::string name = item.is_string() ? item.get<std::string>() : std::string();
    bool* flag = name == "attention"        ? &parts.attention
                 : name == "dense_mlp"      ? &parts.dense_mlp
                 : name == "shared_experts" ? &parts.shared_experts
                 : name == "routed_experts" ? &parts.routed_experts
                                            : nullptr;
    if (flag == nullptr) {
      diagnostics.push_back(
          {ErrorCode::invalid_value, item_at,
           "must be one of attention, dense_mlp, shared_experts, routed_experts"});
      valid = false;
    } else if (!seen.insert(name).second) {
      diagnostics.push_back({ErrorCode::inconsistent, item_at, "lists '" + name + "' twice"});
      valid = false;
    } else {
      *flag = true;
    }
  }
  if (!valid) return std::nullopt;
  return parts;
}

ModelSpec parse_model(const Json& entry, const std::string& path, Diagnostics& diagnostics) {
  ModelSpec model;
  if (!detail::expect_object(entry, path, diagnostics)) return model;
  detail::reject_unknown_keys(entry, path,
                              {"id",
                               "name",
                               "family",
                               "source",
                               "as_of",
                               "num_layers",
                               "hidden_size",
                               "num_attention_heads",
                               "num_kv_heads",
                               "head_dim",
                               "intermediate_size",
                               "mlp",
                               "vocab_size",
                               "max_context_tokens",
                               "tie_word_embeddings",
                               "attention",
                               "sliding_window",
                               "moe",
                               "mla",
                               "encoder",
                               "total_params_billion",
                               "active_params_billion",
                               "default_weights",
                               "quantized_parts",
                               "fp4_format",
                               "confidence",
                               "notes"},
                              diagnostics);
  model.id = read_id(entry, path, diagnostics).value_or("");
  model.name =
      detail::entry_name(detail::read_string(entry, "name", path, false, diagnostics), model.id);
  model.family = detail::read_string(entry, "family", path, false, diagnostics).value_or("");
  model.confidence =
      read_enum(entry, "confidence", path, {"high", "medium", "low"}, false, diagnostics)
          .value_or("");
  model.notes = detail::read_string(entry, "notes", path, false, diagnostics).value_or("");
  ModelReader r{entry,
                path,
                diagnostics,
                model,
                {detail::read_string(entry, "source", path, false, diagnostics).value_or(""),
                 detail::read_string(entry, "as_of", path, false, diagnostics).value_or(""), ""}};

  model.num_layers = r.integer(entry, "num_layers", path, "/num_layers", true);
  model.hidden_size = r.integer(entry, "hidden_size", path, "/hidden_size", true);
  model.num_attention_heads =
      r.integer(entry, "num_attention_heads", path, "/num_attention_heads", true);
  model.num_kv_heads = r.integer(entry, "num_kv_heads", path, "/num_kv_heads", true);
  model.head_dim = r.integer(entry, "head_dim", path, "/head_dim", true);
  model.intermediate_size = r.integer(entry, "intermediate_size", path, "/intermediate_size", true);
  model.vocab_size = r.integer(entry, "vocab_size", path, "/vocab_size", true);
  if (int context = r.integer(entry, "max_context_tokens", path, "/max_context_tokens", false);
      context > 0) {
    model.max_context_tokens = context;
  }
  // An unknown context length limits nothing; it is not needed by an estimate.
  std::erase(model.unknown_fields, std::string("/max_context_tokens"));

  model.mlp =
      read_enum(entry, "mlp", path, {"gated", "plain"}, true, diagnostics).value_or("gated") ==
              "plain"
          ? MlpKind::plain
          : MlpKind::gated;
  model.tie_word_embeddings =
      detail::read_bool(entry, "tie_word_embeddings", path, false, diagnostics).value_or(false);
  model.attention = parse_attention(
      read_enum(entry, "attention", path, {"mha", "gqa", "mqa", "mla"}, true, diagnostics)
          .value_or("gqa"));

  auto section = [&](std::string_view key) -> const Json* {
    auto it = entry.find(key);
    if (it == entry.end() || it->is_null()) return nullptr;
    if (!detail::expect_object(*it, child_path(path, key), diagnostics)) return nullptr;
    return &*it;
  };

  if (const Json* sw = section("sliding_window")) {
    const std::string at = child_path(path, "sliding_window");
    detail::reject_unknown_keys(*sw, at, {"window_tokens", "num_layers"}, diagnostics);
    SlidingWindow window;
    window.window_tokens =
        r.integer(*sw, "window_tokens", at, "/sliding_window/window_tokens", true);
    window.num_layers = r.integer(*sw, "num_layers", at, "/sliding_window/num_layers", true);
    model.sliding_window = window;
  }
  if (const Json* moe = section("moe")) {
    const std::string at = child_path(path, "moe");
    detail::reject_unknown_keys(*moe, at,
                                {"num_experts", "experts_per_token", "num_shared_experts",
                                 "expert_intermediate_size", "num_dense_layers"},
                                diagnostics);
    MoeSpec spec;
    spec.num_experts = r.integer(*moe, "num_experts", at, "/moe/num_experts", true);
    spec.experts_per_token =
        r.integer(*moe, "experts_per_token", at, "/moe/experts_per_token", true);
    spec.num_shared_experts = r.integer(*moe, "num_shared_experts", at, "/moe/num_shared_experts",
                                        false, non_negative_integer);
    spec.expert_intermediate_size =
        r.integer(*moe, "expert_intermediate_size", at, "/moe/expert_intermediate_size", true);
    spec.num_dense_layers = r.integer(*moe, "num_dense_layers", at, "/moe/num_dense_layers", false,
                                      non_negative_integer);
    model.moe = spec;
  }
  if (const Json* mla = section("mla")) {
    const std::string at = child_path(path, "mla");
    detail::reject_unknown_keys(
        *mla, at,
        {"q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"},
        diagnostics);
    MlaSpec spec;
    // q_lora_rank null means "no query compression", not "unknown".
    Figure q = detail::read_figure(*mla, "q_lora_rank", at, positive_integer, false, diagnostics);
    record_provenance(model.provenance, "/mla/q_lora_rank", q, r.record);
    spec.q_lora_rank = q.value ? static_cast<int>(*q.value) : 0;
    spec.kv_lora_rank = r.integer(*mla, "kv_lora_rank", at, "/mla/kv_lora_rank", true);
    spec.qk_nope_head_dim = r.integer(*mla, "qk_nope_head_dim", at, "/mla/qk_nope_head_dim", true);
    spec.qk_rope_head_dim = r.integer(*mla, "qk_rope_head_dim", at, "/mla/qk_rope_head_dim", true);
    spec.v_head_dim = r.integer(*mla, "v_head_dim", at, "/mla/v_head_dim", true);
    model.mla = spec;
  }
  if (const Json* encoder = section("encoder")) {
    const std::string at = child_path(path, "encoder");
    detail::reject_unknown_keys(*encoder, at, {"num_layers", "source_positions", "window_seconds"},
                                diagnostics);
    EncoderSpec spec;
    spec.num_layers = r.integer(*encoder, "num_layers", at, "/encoder/num_layers", true);
    spec.source_positions =
        r.integer(*encoder, "source_positions", at, "/encoder/source_positions", true);
    spec.window_seconds =
        r.integer(*encoder, "window_seconds", at, "/encoder/window_seconds", false);
    model.encoder = spec;
  }

  FigureRule params_rule = positive_number;
  params_rule.max = 1e5;  // billions
  Figure total =
      detail::read_figure(entry, "total_params_billion", path, params_rule, false, diagnostics);
  record_provenance(model.provenance, "/total_params_billion", total, r.record);
  if (total.value) model.published_total_params = *total.value * 1e9;
  Figure active =
      detail::read_figure(entry, "active_params_billion", path, params_rule, false, diagnostics);
  record_provenance(model.provenance, "/active_params_billion", active, r.record);
  if (active.value) model.published_active_params = *active.value * 1e9;
  if (active.value && total.value && *active.value > *total.value) {
    // A token cannot use more weights than the model has: the two figures are swapped or mistyped.
    char message[80];
    std::snprintf(message, sizeof message, "must be <= total_params_billion (%g)", *total.value);
    diagnostics.push_back(
        {ErrorCode::invalid_value, child_path(path, "active_params_billion"), message});
  }

  if (auto text = detail::read_string(entry, "default_weights", path, false, diagnostics)) {
    if (auto p = parse_precision(*text)) {
      model.default_weights = *p;
    } else {
      diagnostics.push_back({ErrorCode::invalid_value, child_path(path, "default_weights"),
                             "must be one of fp32, bf16, fp16, fp8, int8, int4, fp4"});
    }
  }
  model.quantized_parts = parse_quantized_parts(entry, path, diagnostics);
  if (read_enum(entry, "fp4_format", path,
                {to_string(Fp4Format::nvfp4), to_string(Fp4Format::mxfp4)}, false,
                diagnostics) == to_string(Fp4Format::mxfp4)) {
    model.fp4_format = Fp4Format::mxfp4;
  }
  if (model.quantized_parts && is_16_bit(model.default_weights)) {
    diagnostics.push_back({ErrorCode::inconsistent, child_path(path, "quantized_parts"),
                           "is given, so default_weights must be a quantized precision"});
  }
  check_model_consistency(model, path, diagnostics);
  return model;
}

// ---------------------------------------------------------------------------------------------
// Efficiency overlay

// "engine_scale": {"<engine id>": {"<scaled factor>": multiplier > 0}}: an engine profile's
// multipliers (engine_profile.hpp), as `pertoken calibrate` writes them.
void parse_engine_scale(const Json& object, const std::string& path, EfficiencyOverlay& overlay,
                        Diagnostics& diagnostics) {
  if (!detail::expect_object(object, path, diagnostics)) return;
  for (auto engine = object.begin(); engine != object.end(); ++engine) {
    const std::string engine_path = child_path(path, engine.key());
    const std::optional<Engine> which = engine_from_string(engine.key());
    if (!which) {
      diagnostics.push_back(
          {ErrorCode::unknown_field, engine_path, "unknown engine (tensorrt-llm, vllm or sglang)"});
      continue;
    }
    if (!detail::expect_object(*engine, engine_path, diagnostics)) continue;
    for (auto it = engine->begin(); it != engine->end(); ++it) {
      const std::string at = child_path(engine_path, it.key());
      const auto& scaled = engine_scaled_fields();
      std::size_t index = scaled.size();
      for (std::size_t i = 0; i < scaled.size(); ++i) {
        for (const EfficiencyField& f : efficiency_fields()) {
          if (f.member == scaled[i] && f.name == it.key()) index = i;
        }
      }
      if (index == scaled.size()) {
        diagnostics.push_back({ErrorCode::unknown_field, at, "unknown key"});
        continue;
      }
      auto number = detail::as_number(*it, at, diagnostics);
      if (!number) continue;
      if (*number <= 0 || *number > 1000) {
        diagnostics.push_back({ErrorCode::out_of_range, at, "must be > 0 and <= 1000"});
        continue;
      }
      overlay.engine_scale[static_cast<std::size_t>(*which)][index] = *number;
    }
  }
}

EfficiencyOverlay parse_efficiency(const Json& object, const std::string& path,
                                   Diagnostics& diagnostics) {
  EfficiencyOverlay overlay;
  if (!detail::expect_object(object, path, diagnostics)) return overlay;
  const auto& fields = efficiency_fields();
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string at = child_path(path, it.key());
    if (it.key() == "engine_scale") {
      parse_engine_scale(*it, at, overlay, diagnostics);
      continue;
    }
    auto field = std::find_if(fields.begin(), fields.end(),
                              [&](const EfficiencyField& f) { return f.name == it.key(); });
    if (field == fields.end()) {
      diagnostics.push_back({ErrorCode::unknown_field, at, "unknown key"});
      continue;
    }
    auto number = detail::as_number(*it, at, diagnostics);
    if (!number) continue;
    const bool below = field->min_exclusive ? *number <= field->min : *number < field->min;
    if (below || *number > field->max) {
      char buffer[96];
      std::snprintf(buffer, sizeof buffer, "must be %s %g and <= %g",
                    field->min_exclusive ? ">" : ">=", field->min, field->max);
      diagnostics.push_back({ErrorCode::out_of_range, at, buffer});
      continue;
    }
    overlay.values[static_cast<std::size_t>(field - fields.begin())] = *number;
  }
  return overlay;
}

template <class Spec>
void check_unique_ids(const std::vector<Spec>& specs, const std::string& array_path,
                      Diagnostics& diagnostics) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].id.empty()) continue;
    if (!seen.insert(specs[i].id).second) {
      diagnostics.push_back({ErrorCode::duplicate_id, child_path(child_path(array_path, i), "id"),
                             "duplicates id '" + specs[i].id + "'"});
    }
  }
}

template <class Spec, class Parse>
std::vector<Spec> parse_array(const Json& document, std::string_view key, Parse parse,
                              Diagnostics& diagnostics) {
  std::vector<Spec> specs;
  auto it = document.find(key);
  if (it == document.end()) return specs;
  const std::string path = child_path("", key);
  if (!it->is_array()) {
    diagnostics.push_back({ErrorCode::wrong_type, path,
                           "must be an array, not " + std::string(detail::type_name(*it))});
    return specs;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    specs.push_back(parse((*it)[i], child_path(path, i), diagnostics));
  }
  check_unique_ids(specs, path, diagnostics);
  return specs;
}

}  // namespace

namespace detail {
GpuSpec parse_gpu_entry(const Json& entry, const std::string& path, Diagnostics& diagnostics) {
  return parse_gpu(entry, path, diagnostics);
}
ModelSpec parse_model_entry(const Json& entry, const std::string& path, Diagnostics& diagnostics) {
  return parse_model(entry, path, diagnostics);
}
}  // namespace detail

namespace {
Result<CatalogDocument> read_catalog_document(std::optional<Json> document,
                                              Diagnostics diagnostics) {
  if (!document) return diagnostics;
  if (!detail::expect_object(*document, "", diagnostics)) return diagnostics;
  detail::reject_unknown_keys(
      *document, "", {"$schema", "schema_version", "gpus", "models", "efficiency", "prices"},
      diagnostics);
  if (auto version = document->find("schema_version"); version != document->end()) {
    if (auto v = detail::as_integer(*version, "/schema_version", 1, 1, diagnostics); !v) {
      // as_integer recorded why
    }
  }
  CatalogDocument catalog;
  catalog.gpus = parse_array<GpuSpec>(*document, "gpus", parse_gpu, diagnostics);
  catalog.models = parse_array<ModelSpec>(*document, "models", parse_model, diagnostics);
  if (auto efficiency = document->find("efficiency"); efficiency != document->end()) {
    catalog.efficiency = parse_efficiency(*efficiency, "/efficiency", diagnostics);
  }
  if (auto prices = document->find("prices"); prices != document->end()) {
    catalog.prices = detail::parse_price_object(*prices, "/prices", false, diagnostics);
  }
  if (!diagnostics.empty()) return diagnostics;
  return catalog;
}
}  // namespace

Result<CatalogDocument> parse_catalog_document(std::string_view json_text) {
  Diagnostics diagnostics;
  std::optional<Json> document = detail::parse_json(json_text, diagnostics);
  return read_catalog_document(std::move(document), std::move(diagnostics));
}

namespace detail {
Result<CatalogDocument> parse_shipped_catalog_document(std::string_view json_text) {
  Diagnostics diagnostics;
  std::optional<Json> document = parse_shipped_json(json_text, diagnostics);
  return read_catalog_document(std::move(document), std::move(diagnostics));
}
}  // namespace detail

Diagnostics check_provenance(std::string_view json_text) {
  Result<CatalogDocument> parsed = parse_catalog_document(json_text);
  if (!parsed.ok()) return parsed.diagnostics();
  return check_provenance(parsed.value());
}

Diagnostics check_provenance(const CatalogDocument& document) {
  Diagnostics diagnostics;
  for (std::size_t i = 0; i < document.gpus.size(); ++i) {
    detail::check_provenance_figures(document.gpus[i].provenance, child_path("/gpus", i),
                                     diagnostics);
  }
  for (std::size_t i = 0; i < document.models.size(); ++i) {
    detail::check_provenance_figures(document.models[i].provenance, child_path("/models", i),
                                     diagnostics);
  }
  if (document.prices) detail::check_price_provenance(*document.prices, "/prices", diagnostics);
  return diagnostics;
}

namespace {
template <class Spec>
void merge_by_id(std::vector<Spec>& base, const std::vector<Spec>& overlay) {
  for (const Spec& spec : overlay) {
    auto it =
        std::find_if(base.begin(), base.end(), [&](const Spec& s) { return s.id == spec.id; });
    if (it != base.end()) {
      *it = spec;
    } else {
      base.push_back(spec);
    }
  }
}
}  // namespace

Catalog merge_catalog(Catalog base, const CatalogDocument& overlay) {
  merge_by_id(base.gpus, overlay.gpus);
  merge_by_id(base.models, overlay.models);
  if (overlay.efficiency) base.efficiency = apply_overlay(base.efficiency, *overlay.efficiency);
  if (overlay.prices) base.prices = merge_prices(std::move(base.prices), *overlay.prices);
  return base;
}

Diagnostics check_price_ids(const Catalog& catalog, const PriceCatalog& prices) {
  Diagnostics diagnostics;
  auto check = [&](bool known, const char* table, std::size_t row, const char* key,
                   const std::string& id) {
    if (known) return;
    diagnostics.push_back(
        {ErrorCode::unknown_id, child_path(child_path(child_path("/prices", table), row), key),
         std::string(key) + " '" + id.substr(0, 64) + "' is in neither the catalog nor the file"});
  };
  for (std::size_t i = 0; i < prices.cloud.size(); ++i) {
    check(catalog.find_gpu(prices.cloud[i].gpu), "cloud", i, "gpu", prices.cloud[i].gpu);
  }
  for (std::size_t i = 0; i < prices.owned.size(); ++i) {
    check(catalog.find_gpu(prices.owned[i].gpu), "owned", i, "gpu", prices.owned[i].gpu);
  }
  for (std::size_t i = 0; i < prices.apis.size(); ++i) {
    check(catalog.find_model(prices.apis[i].model), "apis", i, "model", prices.apis[i].model);
  }
  return diagnostics;
}

Result<Catalog> extend_catalog(Catalog base, const CatalogDocument& document) {
  Catalog merged = merge_catalog(std::move(base), document);
  if (document.prices) {
    Diagnostics unknown = check_price_ids(merged, *document.prices);
    if (!unknown.empty()) return unknown;
  }
  return merged;
}

Result<Catalog> extend_catalog(Catalog base, std::string_view document_text) {
  Result<CatalogDocument> document = parse_catalog_document(document_text);
  if (!document.ok()) return document.diagnostics();
  return extend_catalog(std::move(base), document.value());
}

CatalogFileSummary summarize_catalog_document(const CatalogDocument& document) {
  // The gate writes one message per figure, whatever it lacks.
  return {document.gpus.size(), document.models.size(), document.efficiency.has_value(),
          check_provenance(document).size()};
}

Result<Catalog> apply_catalog_file(Catalog base, std::string_view document_text,
                                   CatalogFileSummary& file) {
  Result<CatalogDocument> document = parse_catalog_document(document_text);
  if (!document.ok()) return document.diagnostics();
  file = summarize_catalog_document(document.value());
  return extend_catalog(std::move(base), document.value());
}

CatalogNames catalog_names(const Catalog& catalog) {
  CatalogNames names;
  for (const ModelSpec& m : catalog.models) names.models.push_back({m.id, m.name, m.family});
  for (const GpuSpec& g : catalog.gpus) names.gpus.push_back({g.id, g.name, g.vendor});
  return names;
}

const GpuSpec* Catalog::find_gpu(std::string_view id) const {
  for (const GpuSpec& gpu : gpus) {
    if (gpu.id == id) return &gpu;
  }
  return nullptr;
}

const ModelSpec* Catalog::find_model(std::string_view id) const {
  for (const ModelSpec& model : models) {
    if (model.id == id) return &model;
  }
  return nullptr;
}

}  // namespace pertoken
