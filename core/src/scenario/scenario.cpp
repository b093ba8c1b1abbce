// Scenario parsing: the scenario JSON (same keys as the CLI's flags) -> a checked Scenario.
#include "pertoken/scenario/scenario.hpp"

#include <algorithm>

#include "catalog/catalog_entries.hpp"
#include "serving/serving_plan.hpp"

namespace pertoken {

namespace {

using detail::Json;

constexpr std::string_view keys_help =
    "model, gpu, num_gpus (alias gpus), tp, pp, ep, weights, kv_cache, input_tokens, "
    "output_tokens, concurrency, request_rate_per_s, usd_per_gpu_hour, max_batch_size, "
    "max_num_tokens, batching, chunked_prefill, kv_layout, prefix_cache_hit_rate, speculative, "
    "draft_tokens, acceptance_rate";

// Defaults by speculative method. NOTE: named guesses from the methods' papers, to be replaced by
// the user's measured acceptance: MTP 1 token at 0.85 (DeepSeek-V3 report §5.4.3: 85-90% for the
// second token); EAGLE 4 at 0.75 (EAGLE paper: ~3.5 tokens per step); Medusa 4 heads at 0.6
// (Medusa paper: 2.2-3.6x); a draft model 4 at 0.7; n-gram lookup 4 at 0.5 (workload-dependent).
struct SpeculativeDefaults {
  SpeculativeMethod method;
  std::string_view name;
  int draft_tokens;
  double acceptance_rate;
};
constexpr SpeculativeDefaults speculative_defaults[] = {
    {SpeculativeMethod::none, "none", 0, 0.0},
    {SpeculativeMethod::draft_model, "draft", 4, 0.7},
    {SpeculativeMethod::mtp, "mtp", 1, 0.85},
    {SpeculativeMethod::eagle, "eagle", 4, 0.75},
    {SpeculativeMethod::medusa, "medusa", 4, 0.6},
    {SpeculativeMethod::ngram, "ngram", 4, 0.5},
};

const SpeculativeDefaults& defaults_of(SpeculativeMethod method) {
  for (const SpeculativeDefaults& d : speculative_defaults) {
    if (d.method == method) return d;
  }
  return speculative_defaults[0];
}

const Json* member(const Json& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

struct Reader {
  const Json& document;
  Diagnostics& diagnostics;

  void fail(ErrorCode code, std::string_view key, std::string message) {
    diagnostics.push_back({code, "/" + json_pointer_token(key), std::move(message)});
  }

  std::optional<long long> integer(std::string_view key, long long min, long long max) {
    const Json* value = member(document, key);
    if (value == nullptr) return std::nullopt;
    return detail::as_integer(*value, "/" + std::string(key), min, max, diagnostics);
  }

  std::optional<Precision> precision(std::string_view key) {
    const Json* value = member(document, key);
    if (value == nullptr) return std::nullopt;
    const std::string path = "/" + std::string(key);
    if (!value->is_string()) {
      diagnostics.push_back({ErrorCode::wrong_type, path,
                             "must be a string, not " + std::string(detail::type_name(*value))});
      return std::nullopt;
    }
    if (auto p = parse_precision(value->get<std::string>())) return p;
    diagnostics.push_back(
        {ErrorCode::invalid_value, path, "must be one of fp32, bf16, fp16, fp8, int8, int4, fp4"});
    return std::nullopt;
  }

  std::optional<double> number(std::string_view key, double min, double max, bool min_exclusive) {
    const Json* value = member(document, key);
    if (value == nullptr) return std::nullopt;
    const std::string path = "/" + std::string(key);
    auto parsed = detail::as_number(*value, path, diagnostics);
    if (!parsed) return std::nullopt;
    const bool below = min_exclusive ? *parsed <= min : *parsed < min;
    if (below || *parsed > max) {
      char buffer[96];
      std::snprintf(buffer, sizeof buffer, "must be %s %g and <= %g",
                    min_exclusive ? ">" : ">=", min, max);
      diagnostics.push_back({ErrorCode::out_of_range, path, buffer});
      return std::nullopt;
    }
    return parsed;
  }
};

template <class Spec, class Find, class ParseInline>
std::optional<Spec> resolve_entry(const Json& document, std::string_view key, std::string_view kind,
                                  Find find, ParseInline parse_inline, Diagnostics& diagnostics) {
  const std::string path = "/" + std::string(key);
  const Json* value = member(document, key);
  if (value == nullptr) {
    diagnostics.push_back({ErrorCode::missing_field, path, "is required"});
    return std::nullopt;
  }
  if (value->is_string()) {
    const std::string id = value->get<std::string>();
    if (const Spec* spec = find(id)) return *spec;
    std::string shown = id.size() > 64 ? id.substr(0, 64) + "..." : id;
    diagnostics.push_back({ErrorCode::unknown_id, path,
                           "unknown " + std::string(kind) + " '" + shown + "' (pertoken list " +
                               std::string(kind) + "s shows the catalog)"});
    return std::nullopt;
  }
  if (value->is_object()) {
    const std::size_t before = diagnostics.size();
    Spec spec = parse_inline(*value, path, diagnostics);
    if (diagnostics.size() != before) return std::nullopt;
    return spec;
  }
  diagnostics.push_back({ErrorCode::wrong_type, path,
                         "must be a catalog id or an inline " + std::string(kind) +
                             " object, not " + std::string(detail::type_name(*value))});
  return std::nullopt;
}

// Constraints between fields: parallel degrees against the GPUs and the model's shape.
void check_parallelism(const Scenario& s, Diagnostics& diagnostics) {
  auto fail = [&](std::string_view key, std::string message) {
    diagnostics.push_back({ErrorCode::inconsistent, "/" + std::string(key), std::move(message)});
  };
  const ModelSpec& m = s.model;
  auto n = [](long long v) { return std::to_string(v); };
  if (s.num_gpus % (s.tp * s.pp) != 0) {
    fail("tp", "tp x pp = " + n(s.tp * s.pp) + " must divide num_gpus = " + n(s.num_gpus));
  }
  if (s.tp > m.num_attention_heads) {
    fail("tp", "tp = " + n(s.tp) + " exceeds the " + n(m.num_attention_heads) +
                   " attention heads of " + m.id);
  } else if (m.num_attention_heads % s.tp != 0) {
    fail("tp", "tp = " + n(s.tp) + " must divide the " + n(m.num_attention_heads) +
                   " attention heads of " + m.id);
  } else if (m.attention != AttentionKind::mla && m.num_kv_heads > 0) {
    const bool divides =
        s.tp <= m.num_kv_heads ? m.num_kv_heads % s.tp == 0 : s.tp % m.num_kv_heads == 0;
    if (!divides) {
      fail("tp", "tp = " + n(s.tp) + " must divide, or be a multiple of, the " + n(m.num_kv_heads) +
                     " KV heads of " + m.id);
    }
  }
  if (s.pp > m.num_layers) {
    fail("pp", "pp = " + n(s.pp) + " exceeds the " + n(m.num_layers) + " layers of " + m.id);
  }
  if (s.ep > 1) {
    if (!m.moe) {
      fail("ep", m.id + " has no experts, so ep must be 1");
    } else if (m.moe->num_experts % s.ep != 0) {
      fail("ep",
           "ep = " + n(s.ep) + " must divide the " + n(m.moe->num_experts) + " experts of " + m.id);
    } else if (s.num_gpus % s.pp == 0 && (s.num_gpus / s.pp) % s.ep != 0) {
      fail("ep", "ep = " + n(s.ep) +
                     " must divide the GPUs of one pipeline stage (num_gpus / pp = " +
                     n(s.num_gpus / s.pp) + ")");
    } else if (s.num_gpus % s.pp == 0 && (s.num_gpus / s.pp) % s.tp != 0) {
      fail("tp", "tp = " + n(s.tp) + " must divide the GPUs of one pipeline stage");
    }
  }
  if (const auto& draft = s.speculative.draft_model) {
    if (draft->num_attention_heads % s.tp != 0 ||
        (draft->attention != AttentionKind::mla && s.tp <= draft->num_kv_heads &&
         draft->num_kv_heads % s.tp != 0)) {
      fail("speculative", "the draft model " + draft->id + " cannot be split tp = " + n(s.tp) +
                              " ways (its " + n(draft->num_attention_heads) + " heads)");
    }
    if (s.pp > 1) fail("speculative", "speculative decoding is modelled for pp = 1 only");
  }
  if (m.max_context_tokens &&
      static_cast<long long>(s.input_tokens) + s.output_tokens > *m.max_context_tokens) {
    fail("input_tokens",
         "input_tokens + output_tokens = " + n(s.input_tokens + 0LL + s.output_tokens) +
             " exceeds the " + n(*m.max_context_tokens) + "-token context of " + m.id);
  }
}

// "speculative": "none" | "mtp" | "eagle" | "medusa" | "ngram" | "draft:<model id>", with
// optional "draft_tokens" and "acceptance_rate" (a number, or [low, high]).
void read_speculative(const Json& document, const Catalog& catalog, Scenario& s, Reader& r) {
  const Json* method = member(document, "speculative");
  const bool has_tokens = member(document, "draft_tokens") != nullptr;
  const bool has_rate = member(document, "acceptance_rate") != nullptr;
  if (method == nullptr) {
    if (has_tokens || has_rate) {
      r.fail(ErrorCode::inconsistent, has_tokens ? "draft_tokens" : "acceptance_rate",
             "needs speculative (mtp, eagle, medusa, ngram or draft:MODEL)");
    }
    return;
  }
  if (!method->is_string()) {
    r.fail(ErrorCode::wrong_type, "speculative",
           "must be a string, not " + std::string(detail::type_name(*method)));
    return;
  }
  const std::string text = method->get<std::string>();
  Speculative& spec = s.speculative;
  if (text.rfind("draft:", 0) == 0) {
    spec.method = SpeculativeMethod::draft_model;
    const std::string id = text.substr(6);
    const ModelSpec* draft = catalog.find_model(id);
    if (draft == nullptr) {
      r.fail(ErrorCode::unknown_id, "speculative",
             "unknown draft model '" + id.substr(0, 64) +
                 "' (pertoken list models shows the catalog)");
      return;
    }
    if (draft->vocab_size != s.model.vocab_size) {
      r.fail(ErrorCode::inconsistent, "speculative",
             "draft model " + draft->id + " has a different vocabulary (" +
                 std::to_string(draft->vocab_size) + " tokens) from " + s.model.id + " (" +
                 std::to_string(s.model.vocab_size) + "): it cannot propose its tokens");
      return;
    }
    spec.draft_model = *draft;
  } else {
    bool known = false;
    for (const SpeculativeDefaults& d : speculative_defaults) {
      if (d.name == text && d.method != SpeculativeMethod::draft_model) {
        spec.method = d.method;
        known = true;
      }
    }
    if (!known) {
      r.fail(ErrorCode::invalid_value, "speculative",
             "must be none, mtp, eagle, medusa, ngram or draft:MODEL");
      return;
    }
  }
  const SpeculativeDefaults& defaults = defaults_of(spec.method);
  spec.draft_tokens =
      static_cast<int>(r.integer("draft_tokens", 1, 16).value_or(defaults.draft_tokens));
  spec.acceptance_rate = defaults.acceptance_rate;
  if (const Json* rate = member(document, "acceptance_rate")) {
    if (rate->is_array()) {
      const bool pair = rate->size() == 2 && (*rate)[0].is_number() && (*rate)[1].is_number();
      const double low = pair ? (*rate)[0].get<double>() : -1;
      const double high = pair ? (*rate)[1].get<double>() : -1;
      if (!pair || !(low >= 0 && low <= high && high <= 1)) {
        r.fail(ErrorCode::out_of_range, "acceptance_rate",
               "must be a number in [0, 1] or a range [low, high] with 0 <= low <= high <= 1");
      } else {
        spec.acceptance_range = std::make_pair(low, high);
        spec.acceptance_rate = 0.5 * (low + high);
      }
    } else if (auto value = r.number("acceptance_rate", 0.0, 1.0, false)) {
      spec.acceptance_rate = *value;
    }
  }
  spec.defaults_used =
      member(document, "draft_tokens") == nullptr || member(document, "acceptance_rate") == nullptr;
  if (spec.method == SpeculativeMethod::none) spec.draft_tokens = 0;
}

}  // namespace

std::string_view scenario_keys_help() { return keys_help; }

std::string_view to_string(Batching batching) {
  return batching == Batching::static_batch ? "static" : "continuous";
}

std::string_view to_string(KvLayout layout) {
  return layout == KvLayout::contiguous ? "contiguous" : "paged";
}

std::string_view to_string(SpeculativeMethod method) { return defaults_of(method).name; }

Diagnostics check_scenario(const Scenario& s) {
  Diagnostics diagnostics;
  check_parallelism(s, diagnostics);
  if (!diagnostics.empty()) return diagnostics;
  // Rates and links the estimate will need must be known in the catalog.
  Result<detail::ServingPlan> plan = detail::make_serving_plan(s, default_efficiency());
  if (!plan.ok()) return plan.diagnostics();
  return diagnostics;
}

Result<Scenario> parse_scenario(std::string_view json_text, const Catalog& catalog) {
  Diagnostics diagnostics;
  std::optional<Json> parsed = detail::parse_json(json_text, diagnostics);
  if (!parsed) return diagnostics;
  const Json& document = *parsed;
  if (!detail::expect_object(document, "", diagnostics)) return diagnostics;
  detail::reject_unknown_keys(document, "",
                              {"model",
                               "gpu",
                               "num_gpus",
                               "gpus",
                               "tp",
                               "pp",
                               "ep",
                               "weights",
                               "kv_cache",
                               "input_tokens",
                               "output_tokens",
                               "concurrency",
                               "request_rate_per_s",
                               "usd_per_gpu_hour",
                               "max_batch_size",
                               "max_num_tokens",
                               "batching",
                               "chunked_prefill",
                               "kv_layout",
                               "prefix_cache_hit_rate",
                               "speculative",
                               "draft_tokens",
                               "acceptance_rate"},
                              diagnostics);
  Reader r{document, diagnostics};
  Scenario s;

  auto model = resolve_entry<ModelSpec>(
      document, "model", "model", [&](const std::string& id) { return catalog.find_model(id); },
      detail::parse_model_entry, diagnostics);
  auto gpu = resolve_entry<GpuSpec>(
      document, "gpu", "gpu", [&](const std::string& id) { return catalog.find_gpu(id); },
      detail::parse_gpu_entry, diagnostics);
  if (model) {
    s.model = *model;
    for (const std::string& field : model->unknown_fields) {
      diagnostics.push_back({ErrorCode::unknown_figure, "/model",
                             model->id + ": " + field.substr(1) +
                                 " is unknown in the catalog; give it in an inline model or "
                                 "--catalog"});
    }
  }
  if (gpu) s.gpu = *gpu;

  if (member(document, "num_gpus") && member(document, "gpus")) {
    r.fail(ErrorCode::inconsistent, "gpus", "give num_gpus or its alias gpus, not both");
  }
  const std::string_view gpus_key = member(document, "gpus") ? "gpus" : "num_gpus";
  s.num_gpus = static_cast<int>(r.integer(gpus_key, 1, max_num_gpus).value_or(1));
  s.pp = static_cast<int>(r.integer("pp", 1, max_num_gpus).value_or(1));
  s.tp =
      static_cast<int>(r.integer("tp", 1, max_num_gpus).value_or(std::max(1, s.num_gpus / s.pp)));
  s.ep = static_cast<int>(r.integer("ep", 1, max_num_gpus).value_or(1));
  s.weights = r.precision("weights").value_or(model ? model->default_weights : Precision::bf16);
  const bool wide = s.weights == Precision::fp32 || s.weights == Precision::fp16;
  s.kv_cache = r.precision("kv_cache").value_or(wide ? s.weights : Precision::bf16);
  s.input_tokens = static_cast<int>(
      r.integer("input_tokens", 1, max_tokens_per_request).value_or(s.input_tokens));
  s.output_tokens = static_cast<int>(
      r.integer("output_tokens", 1, max_tokens_per_request).value_or(s.output_tokens));
  s.max_batch_size = static_cast<int>(
      r.integer("max_batch_size", 1, max_concurrency_limit).value_or(s.max_batch_size));
  s.max_num_tokens = static_cast<int>(
      r.integer("max_num_tokens", 1, max_tokens_per_request).value_or(s.max_num_tokens));

  if (const Json* concurrency = member(document, "concurrency")) {
    if (concurrency->is_string()) {
      if (concurrency->get<std::string>() != "max") {
        r.fail(ErrorCode::invalid_value, "concurrency", "must be a whole number > 0 or \"max\"");
      }
    } else if (auto c = detail::as_integer(*concurrency, "/concurrency", 1, max_concurrency_limit,
                                           diagnostics)) {
      s.concurrency = static_cast<int>(*c);
    }
  }
  s.request_rate_per_s = r.number("request_rate_per_s", 0.0, 1e9, true);
  if (s.request_rate_per_s && member(document, "concurrency")) {
    r.fail(ErrorCode::inconsistent, "request_rate_per_s",
           "give concurrency or request_rate_per_s, not both");
  }
  if (const Json* batching = member(document, "batching")) {
    if (!batching->is_string() || (batching->get<std::string>() != "continuous" &&
                                   batching->get<std::string>() != "static")) {
      r.fail(ErrorCode::invalid_value, "batching", "must be \"continuous\" or \"static\"");
    } else if (batching->get<std::string>() == "static") {
      s.batching = Batching::static_batch;
    }
  }
  if (const Json* layout = member(document, "kv_layout")) {
    if (!layout->is_string() ||
        (layout->get<std::string>() != "paged" && layout->get<std::string>() != "contiguous")) {
      r.fail(ErrorCode::invalid_value, "kv_layout", "must be \"paged\" or \"contiguous\"");
    } else if (layout->get<std::string>() == "contiguous") {
      s.kv_layout = KvLayout::contiguous;
    }
  }
  s.chunked_prefill =
      detail::read_bool(document, "chunked_prefill", "", false, diagnostics).value_or(true);
  s.prefix_cache_hit_rate = r.number("prefix_cache_hit_rate", 0.0, 0.99, false).value_or(0.0);
  if (model) read_speculative(document, catalog, s, r);
  if (auto price = r.number("usd_per_gpu_hour", 0.0, 1e4, false)) {
    s.usd_per_gpu_hour = *price;
    s.usd_per_gpu_hour_known = true;
  } else if (gpu && gpu->reference_usd_per_hour && !member(document, "usd_per_gpu_hour")) {
    s.usd_per_gpu_hour = *gpu->reference_usd_per_hour;
    s.usd_per_gpu_hour_known = true;
  }
  if (!diagnostics.empty()) return diagnostics;
  diagnostics = check_scenario(s);
  if (!diagnostics.empty()) return diagnostics;
  return s;
}

}  // namespace pertoken
