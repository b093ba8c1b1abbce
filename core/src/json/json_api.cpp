// JSON views of the core shared by every front end (see json_api.hpp).
#include "pertoken/json/json_api.hpp"

#include <nlohmann/json.hpp>

#include "pertoken/scenario/scenario.hpp"

namespace pertoken {
namespace {

using Json = nlohmann::ordered_json;

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

Json optional_number(const std::optional<double>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json sources_json(const std::map<std::string, Provenance>& provenance) {
  Json sources = Json::object();
  for (const auto& [key, p] : provenance) {
    sources[key] = {{"source", p.source}, {"as_of", p.as_of}, {"note", p.note}};
  }
  return sources;
}

Json gpu_json(const GpuSpec& g) {
  Json j;
  j["id"] = g.id;
  j["name"] = g.name;
  j["vendor"] = g.vendor;
  j["kind"] = g.kind;
  j["form_factor"] = g.form_factor;
  j["memory_type"] = g.memory_type;
  j["memory_capacity_bytes"] = g.memory_capacity_bytes;
  j["memory_bandwidth_bytes_per_second"] = g.memory_bandwidth_bytes_per_s;
  Json peaks = Json::object();
  for (Precision p : all_precisions) {
    const PeakRate& rate = g.peak(p);
    if (rate.supported) peaks[std::string(to_string(p))] = optional_number(rate.flop_per_s);
  }
  j["dense_flop_per_second"] = peaks;
  j["tdp_watts"] = optional_number(g.tdp_w);
  j["scale_up_link"] = g.scale_up_link;
  j["scale_up_bytes_per_second_per_direction"] =
      optional_number(g.scale_up_bytes_per_s_per_direction);
  j["scale_up_domain_size"] = optional_number(g.scale_up_domain_size);
  j["purchase_price_usd"] = optional_number(g.purchase_price_usd);
  j["reference_usd_per_gpu_hour"] = optional_number(g.reference_usd_per_hour);
  j["confidence"] = g.confidence;
  j["notes"] = g.notes;
  j["sources"] = sources_json(g.provenance);
  return j;
}

std::string_view attention_name(AttentionKind kind) {
  switch (kind) {
    case AttentionKind::mha: return "mha";
    case AttentionKind::gqa: return "gqa";
    case AttentionKind::mqa: return "mqa";
    case AttentionKind::mla: return "mla";
  }
  return "gqa";
}

Json model_json(const ModelSpec& m) {
  Json j;
  j["id"] = m.id;
  j["name"] = m.name;
  j["family"] = m.family;
  j["num_layers"] = m.num_layers;
  j["hidden_size"] = m.hidden_size;
  j["num_attention_heads"] = m.num_attention_heads;
  j["num_kv_heads"] = m.num_kv_heads;
  j["head_dim"] = m.head_dim;
  j["intermediate_size"] = m.intermediate_size;
  j["vocab_size"] = m.vocab_size;
  j["attention"] = std::string(attention_name(m.attention));
  j["max_context_tokens"] = m.max_context_tokens ? Json(*m.max_context_tokens) : Json(nullptr);
  j["total_params"] = optional_number(m.published_total_params);
  j["active_params"] = optional_number(m.published_active_params);
  j["moe"] = m.moe ? Json{{"num_experts", m.moe->num_experts},
                          {"experts_per_token", m.moe->experts_per_token},
                          {"num_shared_experts", m.moe->num_shared_experts}}
                   : Json(nullptr);
  j["sliding_window"] = m.sliding_window ? Json{{"window_tokens", m.sliding_window->window_tokens},
                                                {"num_layers", m.sliding_window->num_layers}}
                                         : Json(nullptr);
  j["default_weights"] = std::string(to_string(m.default_weights));
  j["confidence"] = m.confidence;
  j["notes"] = m.notes;
  j["sources"] = sources_json(m.provenance);
  return j;
}

Json errors_json(const Diagnostics& diagnostics) {
  Json errors = Json::array();
  for (const Diagnostic& d : diagnostics) {
    errors.push_back(
        {{"code", std::string(to_string(d.code))}, {"path", d.json_path}, {"message", d.message}});
  }
  return Json{{"errors", errors}};
}

}  // namespace

std::string catalog_gpus_json(const Catalog& catalog) {
  Json list = Json::array();
  for (const GpuSpec& g : catalog.gpus) list.push_back(gpu_json(g));
  return dump(list);
}

std::string catalog_models_json(const Catalog& catalog) {
  Json list = Json::array();
  for (const ModelSpec& m : catalog.models) list.push_back(model_json(m));
  return dump(list);
}

std::string check_catalog_json(std::string_view catalog_text) {
  Result<CatalogDocument> document = parse_catalog_document(catalog_text);
  if (!document.ok()) return dump(errors_json(document.diagnostics()));
  return dump(Json{{"ok", true},
                   {"gpus", document.value().gpus.size()},
                   {"models", document.value().models.size()},
                   {"efficiency", document.value().efficiency.has_value()},
                   {"unsourced", check_provenance(catalog_text).size()}});
}

std::string scenario_fields_json() {
  const Scenario defaults;
  const Json precisions = {"fp32", "bf16", "fp16", "fp8", "int8", "int4", "fp4"};
  Json fields = Json::array();
  auto field = [&](const char* key, const char* type, Json default_value, const char* unit,
                   const char* meaning, Json extra = Json::object()) {
    Json f{{"key", key},
           {"type", type},
           {"default", default_value},
           {"unit", unit},
           {"meaning", meaning}};
    for (auto it = extra.begin(); it != extra.end(); ++it) f[it.key()] = it.value();
    fields.push_back(f);
  };
  field("model", "model_id", nullptr, "", "model id from the catalog, or an inline model object");
  field("gpu", "gpu_id", nullptr, "", "accelerator id from the catalog, or an inline object");
  field("num_gpus", "integer", defaults.num_gpus, "devices", "devices in the deployment",
        {{"min", 1}, {"max", max_num_gpus}, {"alias", "gpus"}});
  field("tp", "integer", "num_gpus / pp", "", "tensor-parallel degree", {{"min", 1}});
  field("pp", "integer", defaults.pp, "", "pipeline-parallel stages", {{"min", 1}});
  field("ep", "integer", defaults.ep, "",
        "expert-parallel degree (MoE); ep > 1 spans every GPU of a stage", {{"min", 1}});
  field("weights", "enum", "the model's released checkpoint", "", "weight precision",
        {{"values", precisions}});
  field("kv_cache", "enum", "bf16", "", "KV-cache precision", {{"values", precisions}});
  field("input_tokens", "integer", defaults.input_tokens, "tokens", "prompt tokens per request",
        {{"min", 1}, {"max", max_tokens_per_request}});
  field("output_tokens", "integer", defaults.output_tokens, "tokens",
        "generated tokens per request", {{"min", 1}, {"max", max_tokens_per_request}});
  field("concurrency", "integer_or_max", "max", "requests",
        "requests in flight; max = the most the KV cache and the engine allow",
        {{"min", 1}, {"max", max_concurrency_limit}});
  field("request_rate_per_s", "number", nullptr, "requests/s",
        "open-loop arrival rate instead of a concurrency (Little's law)", {{"min_exclusive", 0}});
  field("usd_per_gpu_hour", "number", "the catalog's reference price", "USD/device-hour",
        "price of one device-hour", {{"min", 0}, {"max", 1e4}});
  field("max_batch_size", "integer", defaults.max_batch_size, "requests",
        "engine cap on requests per step, per batch group", {{"min", 1}});
  field("max_num_tokens", "integer", defaults.max_num_tokens, "tokens",
        "engine cap on tokens per step (prefill chunk budget)", {{"min", 1}});
  field("batching", "enum", "continuous", "",
        "continuous (in-flight) batching, or static batches that run to their end",
        {{"values", {"continuous", "static"}}});
  field("chunked_prefill", "boolean", true, "",
        "split prompts into max_num_tokens chunks mixed with decodes; off: prompts stall decodes");
  field("kv_layout", "enum", "paged", "",
        "paged KV blocks, or contiguous reservation of the whole context per request",
        {{"values", {"paged", "contiguous"}}});
  field("prefix_cache_hit_rate", "number", 0, "fraction",
        "share of each prompt already in the KV cache", {{"min", 0}, {"max", 0.99}});
  field("speculative", "speculative", "none", "",
        "speculative decoding: none, mtp, eagle, medusa, ngram or draft:MODEL",
        {{"values", {"none", "mtp", "eagle", "medusa", "ngram", "draft:MODEL"}}});
  field("draft_tokens", "integer", "by method (mtp 1, others 4)", "tokens",
        "tokens proposed per step", {{"min", 1}, {"max", 16}});
  field("acceptance_rate", "number_or_range", "by method (named guesses)", "probability",
        "chance each proposed token is accepted, or [low, high]", {{"min", 0}, {"max", 1}});
  return dump(fields);
}

std::string validation_report_json(const ValidationReport& report, std::string_view set_name) {
  Json rows = Json::array();
  for (const ValidationRow& r : report.rows) {
    const Measurement& m = r.measurement;
    rows.push_back({{"id", m.id},
                    {"gpu", m.gpu},
                    {"model", m.model},
                    {"num_gpus", m.num_gpus},
                    {"tp", m.tp},
                    {"ep", m.ep},
                    {"weights", m.weights},
                    {"kv_cache", m.kv_cache},
                    {"input_tokens", m.input_tokens},
                    {"output_tokens", m.output_tokens},
                    {"concurrency", m.concurrency},
                    {"metric", m.metric},
                    {"measured", m.value},
                    {"predicted", r.predicted ? Json(*r.predicted) : Json(nullptr)},
                    {"percent_error", r.predicted ? Json(r.percent_error) : Json(nullptr)},
                    {"error", r.error},
                    {"framework", m.framework},
                    {"assumptions", m.assumptions},
                    {"source_url", m.source_url}});
  }
  return dump(Json{{"set", std::string(set_name)},
                   {"rows", report.rows.size()},
                   {"rows_failed", report.rows_failed},
                   {"median_absolute_percent_error", report.median_absolute_percent_error},
                   {"share_within_25_percent", report.share_within_25_percent},
                   {"results", rows}});
}

std::string efficiency_json(const EfficiencyFactors& efficiency) {
  Json list = Json::array();
  for (const EfficiencyField& f : efficiency_fields()) {
    list.push_back({{"name", std::string(f.name)},
                    {"value", efficiency.*(f.member)},
                    {"meaning", std::string(f.meaning)}});
  }
  return dump(list);
}

}  // namespace pertoken
