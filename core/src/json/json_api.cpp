// JSON views of the core shared by every front end (see json_api.hpp).
#include "pertoken/json/json_api.hpp"

#include <nlohmann/json.hpp>

#include "json/json_reader.hpp"
#include "pertoken/scenario/fields.hpp"
#include "pertoken/scenario/scenario.hpp"
#include "pertoken/validation/calibration.hpp"

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
    if (p.estimate) sources[key]["estimate"] = true;
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
  j["tensor_parallel_cores_per_device"] = g.tp_cores_per_device;
  j["pads_attention_heads"] = g.pads_attention_heads;
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
  // The 4-bit format of an fp4 checkpoint (MXFP4 experts run W4A8 where NVFP4 runs W4A4); null
  // for a checkpoint in another precision.
  j["fp4_format"] = m.default_weights == Precision::fp4 ? Json(std::string(to_string(m.fp4_format)))
                                                        : Json(nullptr);
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

std::string catalog_names_json(const CatalogNames& names) {
  Json models = Json::array();
  for (const CatalogNames::Entry& m : names.models) {
    models.push_back({{"id", m.id}, {"name", m.name}, {"family", m.group}});
  }
  Json gpus = Json::array();
  for (const CatalogNames::Entry& g : names.gpus) {
    gpus.push_back({{"id", g.id}, {"name", g.name}, {"vendor", g.group}});
  }
  return dump(Json{{"models", models}, {"gpus", gpus}});
}

std::string catalog_names_json(const Catalog& catalog) {
  return catalog_names_json(catalog_names(catalog));
}

static std::string catalog_summary_json(const CatalogFileSummary& file) {
  return dump(Json{{"ok", true},
                   {"gpus", file.gpus},
                   {"models", file.models},
                   {"efficiency", file.efficiency_overlay},
                   {"unsourced", file.unsourced_figures}});
}

std::string check_catalog_json(std::string_view catalog_text) {
  Result<CatalogDocument> document = parse_catalog_document(catalog_text);
  if (!document.ok()) return dump(errors_json(document.diagnostics()));
  return catalog_summary_json(summarize_catalog_document(document.value()));
}

static Json field_json(const ScenarioField& f) {
  Json j{{"key", std::string(f.key)},
         {"type", std::string(to_string(f.type))},
         {"default", f.default_literal.empty() ? Json(nullptr)
                                               : detail::parse_trusted_json(f.default_literal)},
         {"default_rule", std::string(f.default_rule)},
         {"unit", std::string(f.unit)},
         {"meaning", std::string(f.help)},
         {"flag", std::string(f.flag)}};
  const bool ranged = f.type == FieldType::integer || f.type == FieldType::integer_or_max ||
                      f.type == FieldType::number || f.type == FieldType::number_or_range;
  if (ranged) {
    j[f.min_exclusive ? "min_exclusive" : "min"] = f.min;
    j["max"] = f.max;
  }
  if (!f.values.empty()) {
    Json values = Json::array();
    Json labels = Json::object();
    for (std::string_view v : f.values) {
      values.push_back(std::string(v));
      if (std::string label = value_label(f, v); !label.empty()) labels[std::string(v)] = label;
    }
    j["values"] = values;
    if (!labels.empty()) j["value_labels"] = labels;
  }
  if (!f.alias.empty()) j["alias"] = std::string(f.alias);
  return j;
}

std::string apply_catalog_json(std::string_view text, const Catalog& base, Catalog& active) {
  if (text.empty()) {
    active = base;
    return dump(Json{{"ok", true}, {"reset", true}});
  }
  CatalogFileSummary file;
  Result<Catalog> extended = apply_catalog_file(base, text, file);
  if (!extended.ok()) return dump(errors_json(extended.diagnostics()));
  active = std::move(extended).value();
  return catalog_summary_json(file);
}

std::string fields_json(std::span<const ScenarioField> fields) {
  Json list = Json::array();
  for (const ScenarioField& f : fields) list.push_back(field_json(f));
  return dump(list);
}

std::string scenario_fields_json() { return fields_json(scenario_fields()); }

std::string scenario_schema_json() {
  Json properties = Json::object();
  for (const ScenarioField& f : scenario_fields()) {
    Json p{{"description", std::string(f.help) +
                               (f.unit.empty() ? "" : " (" + std::string(f.unit) + ")") +
                               "; default: " + std::string(f.default_rule)}};
    auto range = [&](Json& j) {
      j[f.min_exclusive ? "exclusiveMinimum" : "minimum"] = f.min;
      j["maximum"] = f.max;
    };
    Json words = Json::array();
    for (std::string_view v : f.values) words.push_back(std::string(v));
    switch (f.type) {
      case FieldType::model_id:
      case FieldType::gpu_id: p["oneOf"] = {{{"type", "string"}}, {{"type", "object"}}}; break;
      case FieldType::integer:
        p["type"] = "integer";
        range(p);
        break;
      case FieldType::integer_or_max: {
        Json n{{"type", "integer"}};
        range(n);
        p["oneOf"] = {n, {{"const", "max"}}};
        break;
      }
      case FieldType::number:
        p["type"] = "number";
        range(p);
        break;
      case FieldType::enumeration: p["enum"] = words; break;
      case FieldType::boolean: p["type"] = "boolean"; break;
      case FieldType::speculative:
        p["type"] = "string";
        p["pattern"] = "^(none|mtp|eagle|medusa|ngram|draft:.+)$";
        break;
      case FieldType::id_list:
        p["oneOf"] = {{{"type", "string"}}, {{"type", "array"}, {"items", {{"type", "string"}}}}};
        break;
      case FieldType::number_or_range: {
        Json n{{"type", "number"}};
        range(n);
        p["oneOf"] = {n, {{"type", "array"}, {"items", n}, {"minItems", 2}, {"maxItems", 2}}};
        break;
      }
    }
    if (!f.default_literal.empty()) p["default"] = detail::parse_trusted_json(f.default_literal);
    properties[std::string(f.key)] = p;
    if (!f.alias.empty())
      properties[std::string(f.alias)] = {{"$ref", "#/properties/" + std::string(f.key)}};
  }
  Json schema{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
              {"$id", "scenario.schema.json"},
              {"title", "pertoken scenario"},
              {"description",
               "The scenario every pertoken front end speaks (generated from the core's field "
               "table by `pertoken schema scenario`; do not edit by hand)"},
              {"type", "object"},
              {"required", {"model", "gpu"}},
              {"additionalProperties", false},
              {"properties", properties}};
  return schema.dump(2);
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
                    {"engine", m.engine},
                    {"assumptions", m.assumptions},
                    {"source_url", m.source_url}});
  }
  Json groups = Json::array();
  for (const ValidationSummary& g : report.groups) {
    groups.push_back({{"name", g.name},
                      {"rows", g.rows},
                      {"rows_failed", g.rows_failed},
                      {"median_absolute_percent_error", g.median_absolute_percent_error},
                      {"share_within_25_percent", g.share_within_25_percent},
                      {"geomean_speed_ratio", g.geomean_speed_ratio},
                      {"mean_capped_log_error", g.mean_capped_log_error},
                      {"sources", g.sources},
                      {"source_weighted_median_absolute_percent_error",
                       g.source_weighted_median_absolute_percent_error}});
  }
  return dump(Json{{"set", std::string(set_name)},
                   {"rows", report.rows.size()},
                   {"rows_failed", report.rows_failed},
                   {"median_absolute_percent_error", report.median_absolute_percent_error},
                   {"share_within_25_percent", report.share_within_25_percent},
                   {"close_enough_percent", close_enough_percent},
                   {"groups", groups},
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

std::string efficiency_method_json() {
  Json fitted = Json::array();
  for (const std::string& name : documented_fit_moves()) fitted.push_back(name);
  return dump(Json{{"priors", detail::parse_trusted_json(efficiency_json(physical_priors()))},
                   {"fitted", fitted}});
}

std::string measurement_set_files_json(std::string_view set_name) {
  Json files = Json::array();
  for (std::string_view file : measurement_set_files(set_name)) files.push_back(file);
  return dump(files);
}

std::string validation_json_from_files(std::string_view set_name, std::string_view texts_json,
                                       const Catalog& catalog) {
  const std::vector<std::string_view> files = measurement_set_files(set_name);
  auto error = [](ErrorCode code, std::string path, std::string message) {
    return dump(errors_json({Diagnostic{code, std::move(path), std::move(message)}}));
  };
  if (files.empty()) {
    return error(ErrorCode::invalid_value, "/set",
                 "must be one of calibration, holdout, dense, dense-holdout, moe, moe-holdout");
  }
  Diagnostics unread;
  const std::optional<Json> read = detail::parse_json(texts_json, unread);
  if (!read) return error(ErrorCode::json_syntax, "", "the files are not JSON");
  const Json& texts = *read;
  if (!texts.is_array() || texts.size() != files.size()) {
    return error(ErrorCode::wrong_type, "",
                 "must be an array of the " + std::to_string(files.size()) +
                     " files' texts, in the order measurement_set_files gives");
  }
  std::vector<std::string_view> parts;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (!texts[i].is_string()) {
      return error(ErrorCode::wrong_type, "/" + std::to_string(i),
                   "must be the text of " + std::string(files[i]));
    }
    parts.push_back(texts[i].get_ref<const std::string&>());
  }
  Result<std::vector<Measurement>> rows = parse_measurements_csv(join_measurement_csvs(parts));
  if (!rows.ok()) return dump(errors_json(rows.diagnostics()));
  return validation_report_json(validate_measurements(rows.value(), catalog), set_name);
}

}  // namespace pertoken
