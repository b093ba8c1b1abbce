// The plan request and answer as JSON (see plan_json.hpp).
#include "pertoken/plan/plan_json.hpp"

#include "pertoken/plan/case_studies.hpp"
#include "pertoken/plan/plan_why.hpp"
#include "pertoken/plan/plan_words.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

#include "json/json_reader.hpp"
#include "json/result_figures.hpp"
#include "pertoken/json/json_api.hpp"
#include "pertoken/scenario/scenario.hpp"
#include "plan/plan_option_json.hpp"
#include "plan/sensitivity_json.hpp"

namespace pertoken {
namespace {

using detail::OrderedJson;
using Json = detail::Json;

// The lens words, and one word of this table's own.
constexpr auto lens_words = pricing_lens_words_and("all", false);

constexpr std::array<std::string_view, 6> deployment_words = {"centralized", "edge",    "dedicated",
                                                              "hybrid",      "routing", "cascade"};

// clang-format off
constexpr ScenarioField fields[] = {
    {"tokens_per_day", "--tokens-per-day", "X", FieldType::number, "tokens/day", 0, 1e18, true, {},
     "", "required (or requests_per_second)", "input + output tokens a day, on average", ""},
    {"requests_per_second", "--requests-per-second", "X", FieldType::number, "requests/s", 0, 1e9,
     true, {}, "", "or tokens_per_day", "requests a second, on average", ""},
    {"audio_hours_per_day", "--audio-hours-per-day", "X", FieldType::number, "hours/day", 0, 1e12,
     true, {}, "", "or tokens_per_day",
     "hours of audio a day (a model with an audio encoder: one request per encoder window)", ""},
    {"peak_to_average", "--peak-to-average", "X", FieldType::number, "ratio", 1, 100, false, {},
     "1", "1", "peak load over the average: the fleet is sized for the peak", ""},
    {"capacity_basis", "--capacity-basis", "BASIS", FieldType::enumeration, "", 0, 0, false,
     capacity_basis_words, "\"estimate\"", "estimate",
     "what one replica is taken to serve when the fleet is sized: the estimate, or p10, the low "
     "end of its likely range (the 10th percentile of measured / predicted throughput over its "
     "regime's published runs)", ""},
    {"max_ttft_seconds", "--max-ttft-seconds", "X", FieldType::number, "s", 0, 1e6, true, {}, "",
     "none", "SLA: the longest acceptable time to first token", ""},
    {"max_tpot_seconds", "--max-tpot-seconds", "X", FieldType::number, "s", 0, 1e6, true, {}, "",
     "none", "SLA: the longest acceptable time per output token", ""},
    {"min_tokens_per_second_per_user", "--min-tokens-per-second-per-user", "X", FieldType::number,
     "tokens/s", 0, 1e9, false, {}, "", "none",
     "SLA: the slowest acceptable output speed each user sees", ""},
    {"sla_basis", "--sla-basis", "BASIS", FieldType::enumeration, "", 0, 0, false, sla_basis_words,
     "\"estimate\"", "estimate",
     "what the SLA is read against: the point estimate, or p90, the slow end of its likely range "
     "(the 90th percentile of measured / predicted over its regime's published runs)", ""},
    {"gpus_allowed", "--gpus-allowed", "A,B,C", FieldType::id_list, "", 0, 0, false, {}, "",
     "every accelerator with a price under the lens", "accelerators the search may use", ""},
    {"pricing", "--pricing", "LENS", FieldType::enumeration, "", 0, 0, false, lens_words,
     "\"on-demand:specialist\"", "on-demand:specialist",
     "the price basis the search ranks by (the bill lists every way to pay); all = the default "
     "basis", ""},
    {"top", "--top", "N", FieldType::integer, "", 1, 100, false, {}, "5", "5",
     "configurations listed (the best and its alternatives)", ""},
    {"max_devices", "--max-devices", "N", FieldType::integer, "devices", 1, 1024, false, {}, "64",
     "64", "largest instance the search considers", ""},
    {"search_speculative", "--search-speculative", "on|off", FieldType::boolean, "", 0, 0, false,
     {}, "true", "on", "also try speculative decoding (EAGLE at its default, guessed, acceptance)",
     ""},
    {"grid_region", "--grid-region", "R", FieldType::id_list, "", 0, 0, false, {},
     "\"us-average\"", "us-average", "grid whose carbon intensity prices the energy", ""},
    {"case_study", "--case-study", "ID", FieldType::enumeration, "", 0, 0, false, case_study_ids,
     "", "none",
     "start from one of the article's case studies (its workload, SLA and deployment; other keys "
     "override them) and set the article's figures beside the plan's", ""},
    {"deployment", "--deployment", "PATTERN", FieldType::enumeration, "", 0, 0, false,
     deployment_words, "\"centralized\"", "centralized",
     "centralized (one pool), edge (sites each sized for its own peak), dedicated (a pool per "
     "client group, nothing shared: the same arithmetic), hybrid (the small model "
     "at the edge for its share, the large one central), routing (a share to the small model), "
     "cascade (the small model first, the rest on to the large)", ""},
    {"sites", "--sites", "N", FieldType::integer, "sites", 1, 10000, false, {}, "1", "1",
     "edge, dedicated and hybrid: sites (client groups), each with its own pool", ""},
    {"site_peak_to_average", "--site-peak-to-average", "X", FieldType::number, "ratio", 1, 1000,
     false, {}, "", "1 + (peak_to_average - 1) x sqrt(sites), the square-root rule",
     "edge, dedicated and hybrid: one pool's peak over its average", ""},
    {"small_model", "--small-model", "ID", FieldType::model_id, "", 0, 0, false, {}, "", "none",
     "hybrid, routing and cascade: the cheaper model", ""},
    {"small_model_share", "--small-model-share", "S", FieldType::number, "fraction", 0, 1, false,
     {}, "0", "0",
     "hybrid and routing: share of requests the small model serves; cascade: share it answers "
     "alone", ""},
};
// clang-format on

// The position of an enumeration key's word among `words` (nullopt where the key is absent), or
// an error naming the key and every word it takes.
template <std::size_t N>
std::optional<std::size_t> read_word(const Json& keys, std::string_view key,
                                     const std::array<std::string_view, N>& words,
                                     Diagnostics& diagnostics) {
  const auto word = detail::read_string(keys, key, "", false, diagnostics);
  if (!word) return std::nullopt;
  for (std::size_t i = 0; i < N; ++i) {
    if (*word == words[i]) return i;
  }
  std::string list;
  for (std::size_t i = 0; i < N; ++i) {
    list += std::string(i == 0 ? "" : i + 1 == N ? " or " : ", ") + std::string(words[i]);
  }
  diagnostics.push_back({ErrorCode::invalid_value, "/" + std::string(key), "must be " + list});
  return std::nullopt;
}

const Json* member(const Json& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

OrderedJson n(double v) { return detail::number_json(v); }

OrderedJson option_json(const PlanOption& o) {
  OrderedJson j;
  const Scenario& s = o.scenario;
  // The configuration as the calculator's own scenario (every field, the one writer): re-run
  // as a scenario (the page's sensitivity, `pertoken estimate`) it gives the plan's figures. Its
  // price is the one the plan ranked it by.
  OrderedJson scenario = detail::scenario_json(s);
  scenario["usd_per_gpu_hour"] = n(o.usd_per_gpu_hour);
  // A speculative default stays a default, and the sensitivity calls it a guess: a value that is
  // its method's default is not written where one of the two was not stated (defaults_used), so
  // the scenario reads back with the same values and the same defaults_used.
  const Speculative& spec = s.speculative;
  if (spec.defaults_used && spec.method != SpeculativeMethod::none) {
    const auto [draft_tokens, acceptance_rate] = speculative_defaults_of(spec.method);
    if (spec.draft_tokens == draft_tokens) scenario.erase("draft_tokens");
    if (!spec.acceptance_range && spec.acceptance_rate == acceptance_rate)
      scenario.erase("acceptance_rate");
  }
  j["scenario"] = std::move(scenario);
  j["words"] = configuration_words(s);
  j["fleet_words"] = fleet_words(o);
  j["replicas"] = o.replicas;
  j["spare_replicas"] = o.spare_replicas;  // spot: held for interruptions, in gpus_total
  j["reprefill_share"] = n(o.reprefill_share);
  j["beyond_replica_limit"] = o.beyond_replica_limit;  // replicas is then the limit, too few
  j["gpus_total"] = o.gpus_total;
  j["capacity_requests_per_second"] = n(o.capacity_requests_per_s);
  j["utilization"] = n(o.utilization);
  j["usd_per_gpu_hour"] = n(o.usd_per_gpu_hour);
  j["price_basis"] = o.price_basis;
  j["usd_per_month"] = n(o.usd_per_month);
  j["usd_per_million_tokens"] = n(o.usd_per_million_tokens);
  j["meets_sla"] = o.meets_sla;
  j["sla_ttft_seconds"] = n(o.sla_ttft_s);
  j["sla_tpot_seconds"] = n(o.sla_tpot_s);
  OrderedJson figures;
  detail::add_headline_json(figures, o.usd_per_gpu_hour, s.num_gpus, o.estimate);
  j["instance"] = figures;
  return j;
}

}  // namespace

OrderedJson detail::plan_option_json(const PlanOption& option) { return option_json(option); }

namespace {

OrderedJson pareto_json(const std::vector<ParetoPoint>& points) {
  OrderedJson list = OrderedJson::array();
  for (const ParetoPoint& p : points) {
    list.push_back({{"label", p.label},
                    {"output_tokens_per_second_per_gpu", n(p.output_tokens_per_s_per_gpu)},
                    {"tokens_per_second_per_user", n(p.tokens_per_s_per_user)},
                    {"usd_per_million_tokens", n(p.usd_per_million_tokens)},
                    {"e2e_latency_seconds", n(p.e2e_latency_s)}});
  }
  return list;
}

}  // namespace

std::span<const ScenarioField> plan_fields() { return fields; }

const ScenarioField* find_plan_flag(std::string_view flag) {
  for (const ScenarioField& f : fields) {
    if (f.flag == flag) return &f;
  }
  return nullptr;
}

std::string_view plan_value_label(const ScenarioField& field, std::string_view value) {
  struct ValueLabel {
    std::string_view key, value, label;
  };
  // The bases' words are terse for the CLI; a picker says what each one reads.
  constexpr ValueLabel labels[] = {
      {"sla_basis", sla_basis_words[0], "the estimate"},
      {"sla_basis", sla_basis_words[1], "the slow end of the likely range (P90)"},
      {"capacity_basis", capacity_basis_words[0], "the estimate"},
      {"capacity_basis", capacity_basis_words[1], "the low end of the likely range (P10)"},
  };
  for (const ValueLabel& l : labels) {
    if (l.key == field.key && l.value == value) return l.label;
  }
  return "";
}

std::string plan_fields_json() {
  OrderedJson list = detail::parse_trusted_json(fields_json(fields));
  for (std::size_t i = 0; i < list.size(); ++i) {
    for (std::string_view value : fields[i].values) {
      if (const std::string_view label = plan_value_label(fields[i], value); !label.empty()) {
        list[i]["value_labels"][std::string(value)] = std::string(label);
      }
    }
  }
  return detail::dump_json(list);
}

bool plan_searches(std::string_view scenario_key) {
  // make_plan sets these on every candidate (planner.cpp); redundant_experts follows ep. Its
  // candidates are colocated, so the prefill pool's fields are not plan inputs either, and they
  // serve a steady stream, so a benchmark run's num_prompts is not one.
  constexpr std::array<std::string_view, 15> searched = {"gpu",
                                                         "num_gpus",
                                                         "tp",
                                                         "pp",
                                                         "ep",
                                                         "weights",
                                                         "kv_cache",
                                                         "concurrency",
                                                         "request_rate_per_s",
                                                         "num_prompts",
                                                         "usd_per_gpu_hour",
                                                         "redundant_experts",
                                                         "prefill_gpus",
                                                         "prefill_tp",
                                                         "prefill_ep"};
  return std::find(searched.begin(), searched.end(), scenario_key) != searched.end();
}

std::string plan_scenario_fields_json() {
  std::vector<ScenarioField> taken;
  for (const ScenarioField& f : scenario_fields()) {
    if (!plan_searches(f.key)) taken.push_back(f);
  }
  return fields_json(taken);
}

namespace {
constexpr std::array<const char*, 3> volume_keys = {"tokens_per_day", "requests_per_second",
                                                    "audio_hours_per_day"};
}  // namespace

Result<std::string> overlay_plan_request(
    std::string_view document, const std::vector<std::pair<std::string, std::string>>& overrides) {
  auto overridden = [&](std::string_view key) {
    return std::any_of(overrides.begin(), overrides.end(),
                       [&](const auto& o) { return o.first == key; });
  };
  const bool volume = std::any_of(volume_keys.begin(), volume_keys.end(), overridden);
  if (!volume) return overlay_scenario(document, overrides);
  Diagnostics diagnostics;
  std::optional<Json> parsed = detail::parse_json(document.empty() ? "{}" : document, diagnostics);
  if (!parsed) return diagnostics;
  if (!detail::expect_object(*parsed, "", diagnostics)) return diagnostics;
  for (const char* key : volume_keys) {
    if (!overridden(key)) parsed->erase(key);
  }
  return overlay_scenario(parsed->dump(), overrides);
}

Result<PlanRequest> parse_plan_request(std::string_view json_text, const Catalog& catalog) {
  Diagnostics diagnostics;
  std::optional<Json> parsed = detail::parse_json(json_text, diagnostics);
  if (!parsed) return diagnostics;
  if (!detail::expect_object(*parsed, "", diagnostics)) return diagnostics;
  // A case study is the starting document; the request's own keys override its keys.
  std::string case_study;
  if (auto id = detail::read_string(*parsed, "case_study", "", false, diagnostics)) {
    const CaseStudy* study = find_case_study(*id);
    if (study == nullptr) {
      diagnostics.push_back({ErrorCode::invalid_value, "/case_study",
                             "must be transcription, merchant-assistant or bank-analysts"});
      return diagnostics;
    }
    std::optional<Json> base = detail::parse_json(study->request_json, diagnostics);
    if (!base) return diagnostics;
    for (auto it = parsed->begin(); it != parsed->end(); ++it) {
      if (it.key() == "case_study") continue;
      // A volume the request states replaces the case's (the case gives one of them).
      if (std::find(volume_keys.begin(), volume_keys.end(), it.key()) != volume_keys.end()) {
        for (const char* key : volume_keys) base->erase(key);
      }
      (*base)[it.key()] = it.value();
    }
    *parsed = std::move(*base);
    case_study = *id;
  }
  Json scenario = Json::object();
  Json plan_keys = Json::object();
  for (auto it = parsed->begin(); it != parsed->end(); ++it) {
    bool is_plan_key = false;
    for (const ScenarioField& f : fields) is_plan_key = is_plan_key || f.key == it.key();
    (is_plan_key ? plan_keys : scenario)[it.key()] = it.value();
  }
  PlanRequest r;
  // A number typed as text ("50ms", "2M", "$5") gets the scenario's words for it, from the key's
  // row of the plan's field table (true: said). A key without a row gets as_number's words.
  auto said_text_instead_of_number = [&](std::string_view key, const Json& v) {
    for (const ScenarioField& f : fields) {
      if (f.key != key || !v.is_string()) continue;
      diagnostics.push_back({ErrorCode::wrong_type, "/" + std::string(key),
                             detail::number_text_message(v.get<std::string>(), f)});
      return true;
    }
    return false;
  };
  auto number = [&](std::string_view key) -> std::optional<double> {
    const Json* v = member(plan_keys, key);
    if (v == nullptr || said_text_instead_of_number(key, *v)) return std::nullopt;
    return detail::as_number(*v, "/" + std::string(key), diagnostics);
  };
  auto integer = [&](std::string_view key, long long min,
                     long long max) -> std::optional<long long> {
    const Json* v = member(plan_keys, key);
    if (v == nullptr || said_text_instead_of_number(key, *v)) return std::nullopt;
    return detail::as_integer(*v, "/" + std::string(key), min, max, diagnostics);
  };
  r.workload.tokens_per_day = number("tokens_per_day");
  r.workload.requests_per_s = number("requests_per_second");
  r.workload.audio_hours_per_day = number("audio_hours_per_day");
  r.workload.peak_to_average = number("peak_to_average").value_or(1);
  if (read_word(plan_keys, "capacity_basis", capacity_basis_words, diagnostics) == 1) {
    r.workload.capacity_basis = CapacityBasis::p10;
  }
  r.sla.max_ttft_s = number("max_ttft_seconds");
  r.sla.max_tpot_s = number("max_tpot_seconds");
  r.sla.min_tokens_per_s_per_user = number("min_tokens_per_second_per_user");
  if (read_word(plan_keys, "sla_basis", sla_basis_words, diagnostics) == 1) {
    r.sla.basis = SlaBasis::p90;
  }
  r.top_n = static_cast<int>(integer("top", 1, 100).value_or(5));
  r.max_devices = static_cast<int>(integer("max_devices", 1, 1024).value_or(64));
  r.search_speculative =
      detail::read_bool(plan_keys, "search_speculative", "", false, diagnostics).value_or(true);
  if (auto region = detail::read_string(plan_keys, "grid_region", "", false, diagnostics)) {
    r.grid_region = *region;
    // An unknown region would leave the plan without its carbon figure and say nothing.
    const auto& grids = catalog.prices.grid;
    if (std::none_of(grids.begin(), grids.end(),
                     [&](const GridIntensity& g) { return g.region == *region; })) {
      std::string known;
      for (const GridIntensity& g : grids) known += (known.empty() ? "" : ", ") + g.region;
      diagnostics.push_back(
          {ErrorCode::unknown_id, "/grid_region",
           "unknown grid region '" + region->substr(0, 64) + "' (the catalog's: " + known + ")"});
    }
  }
  if (auto pricing = detail::read_string(plan_keys, "pricing", "", false, diagnostics)) {
    if (*pricing != "all") {
      if (auto lens = parse_pricing_lens(*pricing)) {
        r.lens = *lens;
      } else {
        diagnostics.push_back({ErrorCode::invalid_value, "/pricing",
                               "must be a lens (on-demand:specialist, spot:hyperscaler, "
                               "commit-1y:marketplace, commit-3y:..., owned) or all"});
      }
    }
  }
  if (const Json* allowed = member(plan_keys, "gpus_allowed")) {
    std::vector<std::string> ids;
    if (allowed->is_string()) {
      std::string text = allowed->get<std::string>();
      std::size_t start = 0;
      while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        if (comma > start) ids.push_back(text.substr(start, comma - start));
        start = comma + 1;
      }
    } else if (allowed->is_array()) {
      for (const Json& id : *allowed) {
        if (id.is_string()) ids.push_back(id.get<std::string>());
      }
    }
    for (const std::string& id : ids) {
      if (catalog.find_gpu(id) == nullptr) {
        diagnostics.push_back({ErrorCode::unknown_id, "/gpus_allowed",
                               "unknown accelerator '" + id.substr(0, 64) + "'"});
      }
    }
    if (ids.empty()) {
      diagnostics.push_back(
          {ErrorCode::invalid_value, "/gpus_allowed", "must list accelerator ids: a,b,c"});
    }
    r.gpus_allowed = ids;
  }
  for (const ScenarioField& f : fields) {
    if (f.key == "sites") {
      r.deployment.sites =
          static_cast<int>(detail::read_field_number(plan_keys, f, diagnostics).value_or(1));
    } else if (f.key == "site_peak_to_average") {
      r.deployment.site_peak_to_average = detail::read_field_number(plan_keys, f, diagnostics);
    } else if (f.key == "small_model_share") {
      r.deployment.small_model_share =
          detail::read_field_number(plan_keys, f, diagnostics).value_or(0);
    }
  }
  if (auto word = read_word(plan_keys, "deployment", deployment_words, diagnostics)) {
    r.deployment.pattern = *deployment_pattern_from_string(deployment_words[*word]);
  }
  if (auto id = detail::read_string(plan_keys, "small_model", "", false, diagnostics)) {
    if (const ModelSpec* m = catalog.find_model(*id)) {
      r.deployment.small_model = *m;
    } else {
      diagnostics.push_back(
          {ErrorCode::unknown_id, "/small_model", "unknown model '" + id->substr(0, 64) + "'"});
    }
  }
  // Keys the plan sets itself are named in a note and left out of parsing: their values can
  // neither change nor block the plan (num_prompts with request_rate_per_s is no scenario).
  for (auto it = scenario.begin(); it != scenario.end(); ++it) {
    if (plan_searches(it.key())) r.keys_not_used.push_back(it.key());
  }
  for (const std::string& key : r.keys_not_used) scenario.erase(key);
  // The scenario part: the accelerator is searched, so any catalog one stands in for parsing.
  if (!scenario.contains("gpu") && !catalog.gpus.empty()) {
    scenario["gpu"] = r.gpus_allowed.empty() ? catalog.gpus.front().id : r.gpus_allowed.front();
  }
  if (!diagnostics.empty()) return diagnostics;
  Result<Scenario> base = parse_scenario(scenario.dump(), catalog);
  if (!base.ok()) return base.diagnostics();
  r.base = std::move(base).value();
  // A preset's latency target (chat: first token within 1 s, 50 ms a token) fills each SLA term
  // the request leaves unset (a speed per user stands for the time per token): a preset is chosen
  // for its target, and a plan that ignored it sizes a fleet its users find too slow.
  if (const WorkloadPreset* preset = r.base.preset) {
    if (!r.sla.max_ttft_s) {
      r.sla.max_ttft_s = preset->max_ttft_s;
      r.sla_from_preset.push_back("max_ttft_seconds");
    }
    if (!r.sla.max_tpot_s && !r.sla.min_tokens_per_s_per_user) {
      r.sla.max_tpot_s = preset->max_tpot_s;
      r.sla_from_preset.push_back("max_tpot_seconds");
    }
  }
  r.case_study = case_study;
  diagnostics = check_plan_request(r);
  if (!diagnostics.empty()) return diagnostics;
  return r;
}

std::string plan_to_json(const PlanRequest& r, const Plan& p) {
  OrderedJson j;
  j["meets_sla"] = p.meets_sla;
  j["beyond_replica_limit"] = p.beyond_replica_limit;
  const PlanAnswer answer = plan_answer(r, p);
  j["answer"] = {{"verdict", answer.verdict}, {"detail", answer.detail}};
  j["pricing"] = to_string(r.lens);
  j["best"] = p.best ? option_json(*p.best)["scenario"] : OrderedJson(nullptr);
  // The whole deployment's figures (one pool's when centralized).
  const bool whole = p.best && p.meets_sla;
  j["replicas"] = whole ? OrderedJson(p.replicas) : OrderedJson(nullptr);
  j["gpus_total"] = whole ? OrderedJson(p.gpus_total) : OrderedJson(nullptr);
  j["utilization"] = whole ? n(p.utilization) : OrderedJson(nullptr);
  j["usd_per_month"] = whole ? n(p.usd_per_month) : OrderedJson(nullptr);
  j["usd_per_million_tokens"] = whole ? n(p.usd_per_million_tokens) : OrderedJson(nullptr);
  j["best_detail"] = p.best ? option_json(*p.best) : OrderedJson(nullptr);
  j["closest"] = p.closest ? option_json(*p.closest) : OrderedJson(nullptr);
  if (p.closest) j["closest"]["sla_excess"] = n(p.closest->sla_excess);
  j["workload"] = {
      {"tokens_per_day", n(p.tokens_per_day)},
      {"requests_per_second", n(p.requests_per_s)},
      {"audio_hours_per_day",
       r.workload.audio_hours_per_day ? n(*r.workload.audio_hours_per_day) : OrderedJson(nullptr)},
      {"peak_to_average", n(r.workload.peak_to_average)},
      {"capacity_basis",
       capacity_basis_words[static_cast<std::size_t>(r.workload.capacity_basis)]}};
  j["sla"] = {{"max_ttft_seconds", r.sla.max_ttft_s ? n(*r.sla.max_ttft_s) : OrderedJson(nullptr)},
              {"max_tpot_seconds", r.sla.max_tpot_s ? n(*r.sla.max_tpot_s) : OrderedJson(nullptr)},
              {"min_tokens_per_second_per_user", r.sla.min_tokens_per_s_per_user
                                                     ? n(*r.sla.min_tokens_per_s_per_user)
                                                     : OrderedJson(nullptr)},
              {"sla_basis", sla_basis_words[static_cast<std::size_t>(r.sla.basis)]}};
  OrderedJson bill = OrderedJson::array();
  for (const Bill& b : p.bill) {
    bill.push_back(
        {{"pricing", to_string(b.lens)},
         {"available", b.available},
         {"usd_per_gpu_hour", b.available ? n(b.usd_per_gpu_hour) : OrderedJson(nullptr)},
         {"replicas", b.available ? OrderedJson(b.replicas) : OrderedJson(nullptr)},
         {"usd_per_month", b.available ? n(b.usd_per_month) : OrderedJson(nullptr)},
         {"usd_per_million_tokens",
          b.available ? n(b.usd_per_million_tokens) : OrderedJson(nullptr)},
         {"basis", b.basis},
         {"interruptions_per_hour", n(b.interruptions_per_hour)},
         {"replacement_seconds", n(b.replacement_s)},
         {"spare_replicas", b.spare_replicas},
         {"reprefill_share", n(b.reprefill_share)}});
  }
  j["bill"] = bill;
  OrderedJson api = OrderedJson::array();
  for (const ApiQuote& q : p.api) {
    OrderedJson by_lens = OrderedJson::object();
    OrderedJson at_lens = nullptr;
    for (const auto& [lens, volume] : q.break_even_tokens_per_day) {
      by_lens[to_string(lens)] = volume ? n(*volume) : OrderedJson(nullptr);
      if (lens == r.lens) at_lens = volume ? n(*volume) : OrderedJson(nullptr);
    }
    api.push_back({{"provider", q.provider},
                   {"usd_per_million_tokens", n(q.usd_per_million_tokens)},
                   {"usd_per_month", n(q.usd_per_month)},
                   {"break_even_tokens_per_day", at_lens},
                   {"break_even_tokens_per_day_by_pricing", by_lens}});
  }
  j["api"] = api;
  OrderedJson alternatives = OrderedJson::array();
  for (const PlanOption& o : p.alternatives) alternatives.push_back(option_json(o));
  j["alternatives"] = alternatives;
  j["pareto"] = {{"throughput_vs_interactivity", pareto_json(p.pareto_throughput)},
                 {"cost_vs_latency", pareto_json(p.pareto_cost)}};
  OrderedJson steps = OrderedJson::array();
  for (const WaterfallStep& s : p.waterfall) {
    steps.push_back({{"lever", s.lever},
                     {"label", std::string(lever_words(s.lever))},
                     {"usd_per_million_tokens_after", n(s.usd_per_million_tokens_after)},
                     {"sequential_saving", n(s.sequential_saving)},
                     {"shapley_saving", n(s.shapley_saving)}});
  }
  j["waterfall"] = {{"baseline", p.baseline},
                    {"baseline_usd_per_million_tokens", n(p.baseline_usd_per_million_tokens)},
                    {"steps", steps}};
  OrderedJson parts = OrderedJson::array();
  for (const DeploymentPart& part : p.parts) {
    parts.push_back({{"role", part.role},
                     {"model", part.model},
                     {"sites", part.sites},
                     {"tokens_per_day_per_site", n(part.tokens_per_day_per_site)},
                     {"peak_to_average", n(part.peak_to_average)},
                     {"meets_sla", part.meets_sla},
                     {"best", part.best ? option_json(*part.best) : OrderedJson(nullptr)},
                     {"usd_per_month", part.best ? n(part.usd_per_month) : OrderedJson(nullptr)}});
  }
  const Deployment& d = r.deployment;
  j["deployment"] = {
      {"pattern", std::string(to_string(d.pattern))},
      {"sites", d.sites},
      {"small_model", d.small_model ? OrderedJson(d.small_model->id) : OrderedJson(nullptr)},
      {"small_model_share", n(d.small_model_share)},
      {"parts", parts},
      {"centralized_usd_per_million_tokens", p.centralized_usd_per_million_tokens
                                                 ? n(*p.centralized_usd_per_million_tokens)
                                                 : OrderedJson(nullptr)}};
  if (const CaseStudy* study = find_case_study(r.case_study)) {
    const CaseStudyComparison c = compare_case_study(*study, p);
    auto opt = [](const std::optional<double>& v) { return v ? n(*v) : OrderedJson(nullptr); };
    j["case_study"] = {{"id", std::string(study->id)},
                       {"title", std::string(study->title)},
                       {"article_claim", std::string(study->article_claim)},
                       {"article_usd_per_month_before", opt(study->article_usd_per_month_before)},
                       {"article_usd_per_month_after", opt(study->article_usd_per_month_after)},
                       {"assumptions", std::string(study->assumptions)},
                       {"computed_usd_per_month", opt(c.computed_usd_per_month)},
                       {"article_over_computed", opt(c.article_over_computed)},
                       {"article_device_hours_per_day", opt(c.article_device_hours_per_day)},
                       {"computed_device_hours_per_day", opt(c.computed_device_hours_per_day)},
                       {"why", c.why}};
  } else {
    j["case_study"] = nullptr;
  }
  j["kwh_per_million_tokens"] =
      p.kwh_per_million_tokens ? n(*p.kwh_per_million_tokens) : OrderedJson(nullptr);
  j["carbon_g_per_million_tokens"] =
      p.carbon_g_per_million_tokens ? n(*p.carbon_g_per_million_tokens) : OrderedJson(nullptr);
  j["grid_region"] = r.grid_region;
  j["sensitivity"] = p.sensitivity_request
                         ? detail::sensitivity_json(*p.sensitivity_request, p.sensitivity)
                         : OrderedJson(nullptr);
  j["why"] = detail::parse_trusted_json(plan_why_json(explain_plan(r, p)));
  j["searched_configurations"] = p.searched_configurations;
  j["estimates"] = p.estimates;
  j["notes"] = p.notes;
  return detail::dump_json(j);
}

std::string example_plan_request_json() {
  OrderedJson j;
  j["model"] = "llama-3.1-8b";
  j["tokens_per_day"] = 2e9;
  j["max_ttft_seconds"] = 2;
  j["max_tpot_seconds"] = 0.05;
  return detail::dump_json(j);
}

namespace {

// One CSV row per listed option, from the options' JSON values, so the CSV and the JSON cannot
// disagree; `listed_as` is "best", "alternative" or "closest".
std::string options_csv(const std::vector<std::pair<OrderedJson, const char*>>& rows) {
  static constexpr std::array<const char*, 8> scenario_keys = {
      "gpu", "num_gpus", "tp", "pp", "ep", "weights", "speculative", "concurrency"};
  std::string out =
      "rank,gpu,num_gpus,tp,pp,ep,weights,speculative,concurrency,replicas,gpus_total,"
      "usd_per_gpu_hour,usd_per_month,usd_per_million_tokens,ttft_seconds,tpot_seconds,"
      "listed_as,meets_sla,beyond_replica_limit,kv_cache,utilization,tokens_per_second_per_user,"
      "price_basis,configuration\n";
  auto value = [](const OrderedJson& object, const char* key) {
    return object.is_object() && object.contains(key) ? object[key] : OrderedJson(nullptr);
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const OrderedJson& o = rows[i].first;
    const OrderedJson scenario = value(o, "scenario");
    const OrderedJson instance = value(o, "instance");
    std::vector<OrderedJson> cells{OrderedJson(i + 1)};
    for (const char* key : scenario_keys) cells.push_back(value(scenario, key));
    for (const char* key : {"replicas", "gpus_total", "usd_per_gpu_hour", "usd_per_month",
                            "usd_per_million_tokens"}) {
      cells.push_back(value(o, key));
    }
    cells.push_back(value(instance, "ttft_seconds"));
    cells.push_back(value(instance, "tpot_seconds"));
    cells.push_back(OrderedJson(rows[i].second));
    cells.push_back(value(o, "meets_sla"));
    cells.push_back(value(o, "beyond_replica_limit"));
    cells.push_back(value(scenario, "kv_cache"));
    cells.push_back(value(o, "utilization"));
    cells.push_back(value(instance, "tokens_per_second_per_user"));
    cells.push_back(value(o, "price_basis"));
    cells.push_back(value(o, "words"));
    for (std::size_t c = 0; c < cells.size(); ++c) {
      out += (c ? "," : "") + detail::csv_cell(cells[c]);
    }
    out += "\n";
  }
  return out;
}

}  // namespace

std::string plan_to_csv(const Plan& p) {
  std::vector<std::pair<OrderedJson, const char*>> rows;
  if (p.best) rows.emplace_back(option_json(*p.best), "best");
  for (const PlanOption& o : p.alternatives) rows.emplace_back(option_json(o), "alternative");
  if (p.closest) rows.emplace_back(option_json(*p.closest), "closest");
  return options_csv(rows);
}

std::string plan_json_to_csv(std::string_view plan_json) {
  Diagnostics unread;
  const std::optional<OrderedJson> read = detail::parse_json(plan_json, unread);
  if (!read) {
    return detail::errors_json_text({Diagnostic{ErrorCode::json_syntax, "", "is not JSON"}});
  }
  const OrderedJson& j = *read;
  const bool is_plan = j.is_object() && j.contains("best_detail") && j.contains("alternatives") &&
                       j["alternatives"].is_array() && j.contains("closest");
  if (!is_plan) {
    return detail::errors_json_text({Diagnostic{
        ErrorCode::wrong_type, "", "must be a plan as `pertoken plan --format json` prints it"}});
  }
  // The plan JSON lists the same options plan_to_csv reads: best_detail is the best option
  // (its "best" key is the scenario alone).
  std::vector<std::pair<OrderedJson, const char*>> rows;
  if (j["best_detail"].is_object()) rows.emplace_back(j["best_detail"], "best");
  for (const OrderedJson& o : j["alternatives"]) rows.emplace_back(o, "alternative");
  if (j["closest"].is_object()) rows.emplace_back(j["closest"], "closest");
  return options_csv(rows);
}

std::string evaluate_plan_json(std::string_view request_json, const Catalog& catalog) {
  Result<PlanRequest> request = parse_plan_request(request_json, catalog);
  if (!request.ok()) return detail::errors_json_text(request.diagnostics());
  return plan_to_json(request.value(), make_plan(request.value(), catalog));
}

}  // namespace pertoken
