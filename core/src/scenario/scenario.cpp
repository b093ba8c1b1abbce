// Scenario parsing: the scenario JSON (same keys as the CLI's flags) -> a checked Scenario.
//
// [SECTION] speculative defaults   the named guesses by method
// [SECTION] reader                 each field read by its row in the field table
// [SECTION] constraints            parallel degrees against the devices and the model's shape
// [SECTION] parse                  parse_scenario, overlay_scenario, scenario_defaults_json
#include "pertoken/scenario/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "catalog/catalog_entries.hpp"
#include "json/json_reader.hpp"
#include "serving/serving_plan.hpp"

namespace pertoken {

namespace {

using detail::Json;

// ---------------------------------------------------------------------------------------------
// [SECTION] speculative defaults

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

// ---------------------------------------------------------------------------------------------
// [SECTION] reader

const ScenarioField& field(std::string_view key) { return *find_scenario_field(key); }

// The table's literal default of an integer field.
long long literal_integer(const ScenarioField& f) {
  long long value = 0;
  for (char c : f.default_literal) value = value * 10 + (c - '0');
  return value;
}

// "one of a, b, c" (or "a or b") from the field's accepted words.
std::string words_of(const ScenarioField& f) {
  std::string text = f.values.size() > 2 ? "one of " : "";
  for (std::size_t i = 0; i < f.values.size(); ++i) {
    text += i == 0 ? "" : f.values.size() > 2 ? ", " : " or ";
    text += f.values[i];
  }
  return text;
}

// Reads each field by its entry in the table: type, range and message come from there.
struct Reader {
  const Json& document;
  Diagnostics& diagnostics;

  void fail(ErrorCode code, std::string_view key, std::string message) {
    diagnostics.push_back({code, "/" + json_pointer_token(key), std::move(message)});
  }

  const Json* value(const ScenarioField& f) const {
    const Json* v = member(document, f.key);
    if (v == nullptr && !f.alias.empty()) v = member(document, f.alias);
    return v;
  }
  std::string path(const ScenarioField& f) const {
    return "/" + std::string(member(document, f.key) == nullptr && !f.alias.empty() &&
                                     member(document, f.alias) != nullptr
                                 ? f.alias
                                 : f.key);
  }

  std::nullopt_t text_instead_of_number(const Json& v, const ScenarioField& f) {
    diagnostics.push_back(
        {ErrorCode::wrong_type, path(f), detail::number_text_message(v.get<std::string>(), f)});
    return std::nullopt;
  }

  std::optional<long long> integer(const ScenarioField& f) {
    const Json* v = value(f);
    if (v == nullptr) return std::nullopt;
    if (v->is_string()) return text_instead_of_number(*v, f);
    return detail::as_integer(*v, path(f), static_cast<long long>(f.min),
                              static_cast<long long>(f.max), diagnostics);
  }

  std::optional<double> number(const ScenarioField& f) {
    const Json* v = value(f);
    if (v == nullptr) return std::nullopt;
    if (v->is_string()) return text_instead_of_number(*v, f);
    auto parsed = detail::as_number(*v, path(f), diagnostics);
    if (!parsed) return std::nullopt;
    const bool below = f.min_exclusive ? *parsed <= f.min : *parsed < f.min;
    if (below || *parsed > f.max) {
      char buffer[96];
      std::snprintf(buffer, sizeof buffer, "must be %s %g and <= %g",
                    f.min_exclusive ? ">" : ">=", f.min, f.max);
      diagnostics.push_back({ErrorCode::out_of_range, path(f), buffer});
      return std::nullopt;
    }
    return parsed;
  }

  // An enumeration: the accepted word, or nullopt (absent, or an error recorded).
  std::optional<std::string> word(const ScenarioField& f) {
    const Json* v = value(f);
    if (v == nullptr) return std::nullopt;
    if (v->is_string()) {
      const std::string text = v->get<std::string>();
      for (std::string_view w : f.values) {
        if (w == text) return text;
      }
    }
    diagnostics.push_back({ErrorCode::invalid_value, path(f), "must be " + words_of(f)});
    return std::nullopt;
  }

  std::optional<Precision> precision(const ScenarioField& f) {
    auto w = word(f);
    return w ? parse_precision(*w) : std::nullopt;
  }

  std::optional<bool> boolean(const ScenarioField& f) {
    return detail::read_bool(document, f.key, "", false, diagnostics);
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
                           "unknown " + std::string(kind) + " '" + shown + "' (the catalog's " +
                               std::string(kind) + "s list the ids)"});
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

// ---------------------------------------------------------------------------------------------
// [SECTION] constraints

// Constraints between fields: parallel degrees against the GPUs and the model's shape.
void check_parallelism(const Scenario& s, Diagnostics& diagnostics) {
  auto fail = [&](std::string_view key, std::string message) {
    diagnostics.push_back({ErrorCode::inconsistent, "/" + std::string(key), std::move(message)});
  };
  const ModelSpec& m = s.model;
  auto n = [](long long v) { return std::to_string(v); };
  // On devices with several tensor-parallel cores (AWS Neuron) tp and pp count cores: a group
  // fills whole devices, or (pp = 1) several groups share one device.
  const int cores = std::max(1, s.gpu.tp_cores_per_device);
  const std::string per_device =
      " (" + s.gpu.id + " has " + n(cores) + " cores per device: tp counts cores)";
  if (cores == 1 && s.num_gpus % (s.tp * s.pp) != 0) {
    fail("tp", "tp x pp = " + n(s.tp * s.pp) + " must divide num_gpus = " + n(s.num_gpus));
  } else if (cores > 1 && (s.num_gpus * static_cast<long long>(cores)) % (s.tp * s.pp) != 0) {
    fail("tp", "tp x pp = " + n(s.tp * s.pp) + " must divide the " +
                   n(s.num_gpus * static_cast<long long>(cores)) +
                   " cores of num_gpus = " + n(s.num_gpus) + per_device);
  } else if (cores > 1 && s.tp % cores != 0 && (s.pp > 1 || cores % s.tp != 0)) {
    fail("tp", "tp = " + n(s.tp) + " must be a multiple of the " + n(cores) +
                   " cores of one device, or divide them with pp = 1" + per_device);
  }
  if (cores > 1 && s.ep > 1) {
    fail("ep", "ep > 1 is not modelled on " + s.gpu.id + per_device + "; split experts with tp");
  }
  if (s.gpu.pads_attention_heads) {
    // The engine pads query (and KV) heads up to a multiple of tp: any tp splits them.
  } else if (s.tp > m.num_attention_heads) {
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
  if (s.redundant_experts > 0 && (!m.moe || s.ep <= 1)) {
    fail("redundant_experts", "needs an MoE model with ep > 1");
  }
  if (s.pp > m.num_layers) {
    fail("pp", "pp = " + n(s.pp) + " exceeds the " + n(m.num_layers) + " layers of " + m.id);
  }
  if (s.ep > 1) {
    if (!m.moe) {
      fail("ep", m.id + " has no experts, so ep must be 1");
    } else if ((m.moe->num_experts + s.redundant_experts) % s.ep != 0) {
      fail("redundant_experts", "ep = " + n(s.ep) + " must divide the " + n(m.moe->num_experts) +
                                    " experts of " + m.id + " + " + n(s.redundant_experts) +
                                    " redundant_experts");
    } else if (s.num_gpus % s.pp == 0 && (s.num_gpus / s.pp) % s.ep != 0) {
      fail("ep", "ep = " + n(s.ep) +
                     " must divide the GPUs of one pipeline stage (num_gpus / pp = " +
                     n(s.num_gpus / s.pp) + ")");
    } else if (s.num_gpus % s.pp == 0 && (s.num_gpus / s.pp) % s.tp != 0) {
      fail("tp", "tp = " + n(s.tp) + " must divide the GPUs of one pipeline stage");
    }
  }
  if (const auto& draft = s.speculative.draft_model) {
    if (s.gpu.pads_attention_heads) {
      // Padded like the target's.
    } else if (draft->num_attention_heads % s.tp != 0 ||
               (draft->attention != AttentionKind::mla && s.tp <= draft->num_kv_heads &&
                draft->num_kv_heads % s.tp != 0)) {
      fail("speculative", "the draft model " + draft->id + " cannot be split tp = " + n(s.tp) +
                              " ways (its " + n(draft->num_attention_heads) + " heads)");
    }
    if (s.pp > 1) fail("speculative", "speculative decoding is modelled for pp = 1 only");
  }
  if (m.max_context_tokens &&
      static_cast<long long>(s.input_tokens) + s.output_tokens > *m.max_context_tokens) {
    // Blame the longer of the two: it is the one to cut (and the flag the user most likely set).
    fail(s.output_tokens > s.input_tokens ? "output_tokens" : "input_tokens",
         "input_tokens + output_tokens = " + n(s.input_tokens + 0LL + s.output_tokens) +
             " exceeds the " + n(*m.max_context_tokens) + "-token context of " + m.id);
  }
}

// tp left out takes its default rule (num_gpus / pp): a layout error about it is the device
// count's, so it is put on num_gpus (the field the user set), saying where the tp came from.
void blame_default_tp(const Scenario& s, const std::string& num_gpus_path,
                      Diagnostics& diagnostics) {
  for (Diagnostic& d : diagnostics) {
    if (d.json_path != "/tp") continue;
    d.json_path = num_gpus_path;
    d.message = "num_gpus = " + std::to_string(s.num_gpus) +
                (s.pp > 1 ? " with pp = " + std::to_string(s.pp) : "") +
                " gives the default tp = " + std::to_string(s.tp) + ", but " + d.message +
                "; choose another device count, or set tp";
  }
}

// "speculative": "none" | "mtp" | "eagle" | "medusa" | "ngram" | "draft:<model id>", with
// optional "draft_tokens" and "acceptance_rate" (a number, or [low, high]).
void read_speculative(const Json& document, const Catalog& catalog, Scenario& s, Reader& r) {
  const Json* method = member(document, "speculative");
  const bool has_tokens = member(document, "draft_tokens") != nullptr;
  const bool has_rate = member(document, "acceptance_rate") != nullptr;
  // Without drafting (no key, or "none") a draft length or an acceptance rate would be ignored.
  if (method == nullptr ||
      (method->is_string() && method->get_ref<const std::string&>() == "none")) {
    if (has_tokens || has_rate) {
      r.fail(ErrorCode::inconsistent, has_tokens ? "draft_tokens" : "acceptance_rate",
             "needs speculative (mtp, eagle, medusa, ngram or draft:MODEL)");
    }
    s.speculative.defaults_used = method != nullptr;  // as "none" always read
    return;
  }
  if (!method->is_string()) {
    r.fail(ErrorCode::wrong_type, "speculative",
           "must be a string, not " + std::string(detail::type_name(*method)));
    return;
  }
  const std::string text = method->get<std::string>();
  Speculative& spec = s.speculative;
  if (text.starts_with(draft_model_prefix)) {
    spec.method = SpeculativeMethod::draft_model;
    const std::string id = text.substr(draft_model_prefix.size());
    const ModelSpec* draft = catalog.find_model(id);
    if (draft == nullptr) {
      r.fail(ErrorCode::unknown_id, "speculative",
             "unknown draft model '" + id.substr(0, 64) + "' (the catalog's models list the ids)");
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
      r.fail(ErrorCode::invalid_value, "speculative", "must be " + words_of(field("speculative")));
      return;
    }
  }
  const SpeculativeDefaults& defaults = defaults_of(spec.method);
  spec.draft_tokens =
      static_cast<int>(r.integer(field("draft_tokens")).value_or(defaults.draft_tokens));
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
    } else if (auto value = r.number(field("acceptance_rate"))) {
      spec.acceptance_rate = *value;
    }
  }
  spec.defaults_used =
      member(document, "draft_tokens") == nullptr || member(document, "acceptance_rate") == nullptr;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// [SECTION] parse

std::string_view to_string(Batching batching) {
  return batching == Batching::static_batch ? "static" : "continuous";
}

std::string_view to_string(KvLayout layout) {
  return layout == KvLayout::contiguous ? "contiguous" : "paged";
}

std::string_view to_string(SpeculativeMethod method) { return defaults_of(method).name; }

std::pair<int, double> speculative_defaults_of(SpeculativeMethod method) {
  const SpeculativeDefaults& d = defaults_of(method);
  return {d.draft_tokens, d.acceptance_rate};
}

std::string_view to_string(Engine engine) {
  switch (engine) {
    case Engine::tensorrt_llm: return "tensorrt-llm";
    case Engine::vllm: return "vllm";
    case Engine::sglang: return "sglang";
    case Engine::vllm_0_7: return "vllm-0.7";
    case Engine::sglang_0_4: return "sglang-0.4";
  }
  return "tensorrt-llm";
}

std::optional<Engine> engine_from_string(std::string_view word) {
  for (Engine e :
       {Engine::tensorrt_llm, Engine::vllm, Engine::sglang, Engine::vllm_0_7, Engine::sglang_0_4}) {
    if (to_string(e) == word) return e;
  }
  return std::nullopt;
}

// The prefill pool's layout, checked as a scenario of its own; its messages name the prefill
// fields.
void check_prefill_pool(const Scenario& s, Diagnostics& diagnostics) {
  if (s.prefill_gpus <= 0) return;
  auto fail = [&](std::string_view key, std::string message) {
    diagnostics.push_back({ErrorCode::inconsistent, "/" + std::string(key), std::move(message)});
  };
  if (s.batching == Batching::static_batch) {
    fail("prefill_gpus", "a separate prefill pool is modelled with continuous batching only");
  }
  if (s.speculative.method == SpeculativeMethod::draft_model) {
    fail("prefill_gpus", "a draft model with a separate prefill pool is not modelled");
  }
  Diagnostics pool;
  check_parallelism(prefill_pool_scenario(s), pool);
  for (Diagnostic& d : pool) {
    for (std::string_view key : {"tp", "ep", "redundant_experts"}) {
      if (d.json_path == "/" + std::string(key)) {
        d.json_path = key == "redundant_experts" ? "/prefill_ep" : "/prefill_" + std::string(key);
        std::string& m = d.message;
        for (std::size_t at = m.find("num_gpus"); at != std::string::npos;
             at = m.find("num_gpus", at + 1)) {
          m.replace(at, 8, "prefill_gpus");
        }
        m = "prefill pool: " + m;
      }
    }
    if (d.json_path == "/prefill_tp" || d.json_path == "/prefill_ep") {
      diagnostics.push_back(std::move(d));
    }
  }
}

Diagnostics check_layout(const Scenario& s) {
  Diagnostics diagnostics;
  check_parallelism(s, diagnostics);
  check_prefill_pool(s, diagnostics);
  return diagnostics;
}

Scenario prefill_pool_scenario(const Scenario& s) {
  Scenario pool = s;
  pool.num_gpus = std::max(1, s.prefill_gpus);
  pool.tp = s.prefill_tp;
  pool.pp = 1;
  pool.ep = s.prefill_ep;
  pool.redundant_experts = default_redundant_experts(s.model, s.prefill_ep);
  pool.prefill_gpus = 0;
  pool.speculative = Speculative{};  // prompts need no proposer (MTP heads are tiny)
  pool.concurrency.reset();
  pool.request_rate_per_s.reset();
  return pool;
}

Diagnostics check_scenario(const Scenario& s) {
  Diagnostics diagnostics = check_layout(s);
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
  for (auto it = document.begin(); it != document.end(); ++it) {
    if (find_scenario_field(it.key()) == nullptr) {
      diagnostics.push_back(
          {ErrorCode::unknown_field, "/" + json_pointer_token(it.key()), "unknown key"});
    }
  }
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
    for (const std::string& unknown : model->unknown_fields) {
      diagnostics.push_back({ErrorCode::unknown_figure, "/model",
                             model->id + ": " + unknown.substr(1) +
                                 " is unknown in the catalog; give it in an inline model or a "
                                 "custom catalog"});
    }
  }
  if (gpu) s.gpu = *gpu;

  if (member(document, "num_gpus") && member(document, "gpus")) {
    r.fail(ErrorCode::inconsistent, "gpus", "give num_gpus or its alias gpus, not both");
  }
  auto integer = [&](std::string_view key, int fallback) {
    return static_cast<int>(r.integer(field(key)).value_or(fallback));
  };
  auto literal = [&](std::string_view key) {
    return static_cast<int>(literal_integer(field(key)));
  };
  s.num_gpus = integer("num_gpus", literal("num_gpus"));
  s.pp = integer("pp", literal("pp"));
  s.tp = integer("tp", default_tp(s.num_gpus * (gpu ? gpu->tp_cores_per_device : 1), s.pp));
  s.ep = integer("ep", literal("ep"));
  s.weights = r.precision(field("weights")).value_or(model ? default_weights(*model) : s.weights);
  s.kv_cache = r.precision(field("kv_cache")).value_or(default_kv_cache(s.weights));
  if (auto preset = r.word(field("preset"))) s.preset = find_workload_preset(*preset);
  s.input_tokens =
      integer("input_tokens", s.preset ? s.preset->input_tokens : literal("input_tokens"));
  s.output_tokens =
      integer("output_tokens", s.preset ? s.preset->output_tokens : literal("output_tokens"));
  s.max_batch_size = integer("max_batch_size", literal("max_batch_size"));
  s.max_num_tokens = integer("max_num_tokens", literal("max_num_tokens"));

  // Concurrency is "max" (the default: nullopt) or a whole number in the table's range.
  const ScenarioField& concurrency_field = field("concurrency");
  if (const Json* concurrency = r.value(concurrency_field)) {
    if (concurrency->is_string()) {
      const std::string text = concurrency->get<std::string>();
      if (text != "max") {
        const std::string words = detail::number_text_message(text, concurrency_field);
        r.fail(ErrorCode::invalid_value, "concurrency",
               words.rfind("must be", 0) == 0 ? "must be a whole number > 0 or \"max\""
                                              : words + " (or \"max\")");
      }
    } else if (auto c = r.integer(concurrency_field)) {
      s.concurrency = static_cast<int>(*c);
    }
  }
  s.request_rate_per_s = r.number(field("request_rate_per_s"));
  if (member(document, "request_rate_per_s") &&
      member(document, alternative_of("request_rate_per_s"))) {
    r.fail(ErrorCode::inconsistent, "request_rate_per_s",
           "give concurrency or request_rate_per_s, not both");
  }
  if (auto batching = r.word(field("batching"))) {
    s.batching = *batching == "static" ? Batching::static_batch : Batching::continuous;
  }
  // A finite run's burst is modelled where it differs from the steady state: requests arriving
  // at a rate do not burst, and static batches start together whether the run ends or not.
  s.num_prompts = r.integer(field("num_prompts"));
  if (s.num_prompts && member(document, "request_rate_per_s")) {
    r.fail(ErrorCode::inconsistent, "num_prompts",
           "a run's first requests arrive together only at a fixed concurrency; with "
           "request_rate_per_s they arrive spread out (leave num_prompts out)");
  } else if (s.num_prompts && s.batching == Batching::static_batch) {
    r.fail(ErrorCode::inconsistent, "num_prompts",
           "static batches start together in any run; num_prompts applies to continuous batching");
  }
  if (auto layout = r.word(field("kv_layout"))) {
    s.kv_layout = *layout == "contiguous" ? KvLayout::contiguous : KvLayout::paged;
  }
  s.chunked_prefill = r.boolean(field("chunked_prefill")).value_or(true);
  s.prefix_cache_hit_rate = r.number(field("prefix_cache_hit_rate")).value_or(0.0);
  if (auto engine = r.word(field("engine"))) s.engine = *engine_from_string(*engine);
  s.redundant_experts =
      integer("redundant_experts", model ? default_redundant_experts(*model, s.ep) : 0);
  s.prefill_gpus = integer("prefill_gpus", literal("prefill_gpus"));
  s.prefill_tp = integer("prefill_tp", default_prefill_tp(s.prefill_gpus, s.tp));
  s.prefill_ep = integer("prefill_ep", literal("prefill_ep"));
  if (s.prefill_gpus == 0) {
    for (std::string_view key : {"prefill_tp", "prefill_ep"}) {
      if (member(document, key)) {
        r.fail(ErrorCode::inconsistent, key,
               "needs prefill_gpus > 0 (a prefill pool of its own to split)");
      }
    }
  }
  if (model) read_speculative(document, catalog, s, r);
  if (member(document, "usd_per_gpu_hour")) {
    s.usd_per_gpu_hour = r.number(field("usd_per_gpu_hour"));
  } else if (gpu) {
    s.usd_per_gpu_hour = default_usd_per_gpu_hour(*gpu);
  }
  if (!diagnostics.empty()) return diagnostics;
  diagnostics = check_scenario(s);
  if (r.value(field("tp")) == nullptr) blame_default_tp(s, r.path(field("num_gpus")), diagnostics);
  if (!diagnostics.empty()) return diagnostics;
  return s;
}

Result<std::string> overlay_scenario(
    std::string_view text, const std::vector<std::pair<std::string, std::string>>& overrides) {
  Diagnostics diagnostics;
  std::optional<Json> parsed = detail::parse_json(text.empty() ? "{}" : text, diagnostics);
  if (!parsed) return diagnostics;
  if (!detail::expect_object(*parsed, "", diagnostics)) return diagnostics;
  Json document = *parsed;
  auto overridden = [&](std::string_view key) {
    for (const auto& [k, v] : overrides) {
      if (k == key) return true;
    }
    return false;
  };
  for (const auto& [key, value] : overrides) {
    // The same field under its other name, and the field this one is an alternative to.
    if (const ScenarioField* f = find_scenario_field(key)) {
      for (std::string_view other : {f->key, f->alias, alternative_of(f->key)}) {
        if (!other.empty() && other != key && !overridden(other))
          document.erase(std::string(other));
      }
    }
    Diagnostics not_json;
    std::optional<Json> v = detail::parse_json(value, not_json);
    document[key] = v ? std::move(*v) : Json(value);
  }
  return document.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string scenario_defaults_json(std::string_view json_text, const Catalog& catalog) {
  Diagnostics ignored;
  std::optional<Json> parsed = detail::parse_json(json_text, ignored);
  const Json document = parsed && parsed->is_object() ? *parsed : Json::object();
  // Reads what is valid and ignores the rest: a default that needs an invalid field is null.
  Diagnostics scratch;
  Reader r{document, scratch};
  Json defaults = Json::object();
  for (const ScenarioField& f : scenario_fields()) {
    defaults[std::string(f.key)] =
        f.default_literal.empty() ? Json(nullptr) : detail::parse_trusted_json(f.default_literal);
  }
  auto valid_integer = [&](std::string_view key) -> std::optional<long long> {
    const std::size_t before = scratch.size();
    auto value = r.integer(field(key));
    return scratch.size() == before ? value : std::nullopt;
  };
  const auto num_gpus = valid_integer("num_gpus").value_or(literal_integer(field("num_gpus")));
  const auto pp = valid_integer("pp").value_or(literal_integer(field("pp")));
  const GpuSpec* gpu = nullptr;
  if (const Json* g = member(document, "gpu"); g && g->is_string()) {
    gpu = catalog.find_gpu(g->get<std::string>());
  }
  const int cores = gpu ? gpu->tp_cores_per_device : 1;
  defaults["tp"] = default_tp(static_cast<int>(num_gpus) * cores, static_cast<int>(pp));

  const ModelSpec* model = nullptr;
  if (const Json* m = member(document, "model"); m && m->is_string()) {
    model = catalog.find_model(m->get<std::string>());
  }
  std::optional<Precision> weights = r.precision(field("weights"));
  if (!weights && model && !member(document, "weights")) weights = default_weights(*model);
  defaults["weights"] = model ? Json(std::string(to_string(default_weights(*model)))) : Json();
  defaults["kv_cache"] =
      weights ? Json(std::string(to_string(default_kv_cache(*weights)))) : Json(nullptr);

  if (auto name = r.word(field("preset"))) {
    if (const WorkloadPreset* preset = find_workload_preset(*name)) {
      defaults["input_tokens"] = preset->input_tokens;
      defaults["output_tokens"] = preset->output_tokens;
    }
  }
  if (gpu) {
    auto price = default_usd_per_gpu_hour(*gpu);
    defaults["usd_per_gpu_hour"] = price ? Json(*price) : Json(nullptr);
  }
  const int tp = static_cast<int>(valid_integer("tp").value_or(
      default_tp(static_cast<int>(num_gpus) * cores, static_cast<int>(pp))));
  const auto prefill_gpus =
      valid_integer("prefill_gpus").value_or(literal_integer(field("prefill_gpus")));
  defaults["prefill_tp"] = prefill_gpus > 0
                               ? Json(default_prefill_tp(static_cast<int>(prefill_gpus), tp))
                               : Json(nullptr);
  const auto ep = valid_integer("ep").value_or(literal_integer(field("ep")));
  defaults["redundant_experts"] =
      model ? Json(default_redundant_experts(*model, static_cast<int>(ep))) : Json(nullptr);
  if (const Json* text = member(document, "speculative")) {
    const std::string name = text && text->is_string() ? text->get<std::string>() : "";
    for (const SpeculativeDefaults& d : speculative_defaults) {
      const bool draft =
          d.method == SpeculativeMethod::draft_model && name.starts_with(draft_model_prefix);
      if ((d.name == name || draft) && d.method != SpeculativeMethod::none) {
        defaults["draft_tokens"] = d.draft_tokens;
        defaults["acceptance_rate"] = d.acceptance_rate;
      }
    }
  }
  return defaults.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace pertoken
