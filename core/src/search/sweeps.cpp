// Sweeps (see sweeps.hpp). The axis of each sweep, the points on it and the ranking of the
// accelerator comparison are decided here, once, for the CLI, the web page and the app.
#include "pertoken/search/sweeps.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "json/json_reader.hpp"
#include "json/result_figures.hpp"
#include "pertoken/serving/estimate.hpp"
#include "search/stable_order.hpp"

namespace pertoken {
namespace {

using Json = nlohmann::ordered_json;

// Points per axis: enough for a smooth line on a log axis, few enough to recompute as one types.
constexpr int concurrency_points = 24;
constexpr int context_points = 16;
constexpr int shortest_prompt_tokens = 128;

SweepPoint run_point(const Scenario& s, double x, const EfficiencyFactors& efficiency, bool check) {
  SweepPoint p;
  p.x = x;
  p.gpu = s.gpu.id;
  p.layout = {s.num_gpus, s.tp, s.pp, s.ep};
  p.usd_per_gpu_hour = s.usd_per_gpu_hour;
  if (check) {
    const Diagnostics problems = check_scenario(s);
    if (!problems.empty()) {
      p.problem = problems.front().json_path + ": " + problems.front().message;
      return p;
    }
  }
  p.result = estimate(s, efficiency);
  return p;
}

Sweep concurrency_sweep(SweepKind kind, const Scenario& base, const EfficiencyFactors& efficiency) {
  Sweep sweep;
  sweep.kind = kind;
  sweep.x_key = "concurrency";
  sweep.x_label = "Concurrency";
  sweep.x_unit = "requests";
  const Estimate at_base = estimate(base, efficiency);
  const long long most = at_base.max_concurrency;
  const int current = at_base.fits ? static_cast<int>(std::lround(at_base.concurrency)) : 0;
  if (at_base.fits) sweep.marker = at_base.concurrency;
  const std::vector<int> xs =
      most >= 1 ? log_steps(1, static_cast<int>(std::min<long long>(most, max_concurrency_limit)),
                            concurrency_points, {current})
                : std::vector<int>{1};
  // A concurrency changes neither the layout nor the context, which the base has checked.
  Scenario s = base;
  s.request_rate_per_s.reset();
  bool any_fits = false;
  for (int c : xs) {
    s.concurrency = c;
    sweep.points.push_back(run_point(s, c, efficiency, false));
    any_fits = any_fits || sweep.points.back().result->fits;
  }
  if (kind == SweepKind::batching && (most < 1 || !any_fits)) {
    sweep.empty = "Nothing fits: no batch to trade off.";
  }
  return sweep;
}

Sweep context_sweep(const Scenario& base, const EfficiencyFactors& efficiency) {
  Sweep sweep;
  sweep.kind = SweepKind::context;
  sweep.x_key = "input_tokens";
  sweep.x_label = "Input tokens";
  sweep.x_unit = "tokens";
  sweep.marker = base.input_tokens;
  // Prompt lengths from 128 tokens to what the context leaves beside the output.
  const int context = base.model.max_context_tokens.value_or(131072);
  const int top = std::max(1, context - base.output_tokens);
  const std::vector<int> xs =
      log_steps(std::min(shortest_prompt_tokens, top), top, context_points, {base.input_tokens});
  Scenario s = base;
  bool any_fits = false;
  for (int x : xs) {
    s.input_tokens = x;
    SweepPoint p = run_point(s, x, efficiency, true);
    if (!p.result) continue;  // beyond what the model accepts: not a point of the curve
    any_fits = any_fits || p.result->fits;
    sweep.points.push_back(std::move(p));
  }
  if (!any_fits) sweep.empty = "Nothing fits at any prompt length from 128 tokens up.";
  return sweep;
}

// The lens words, and one word of this table's own.
constexpr auto pricing_words = pricing_lens_words_and("reference", true);

// clang-format off
constexpr ScenarioField comparison_table[] = {
    {"min_tokens_per_second_per_user", "--min-tokens-per-second-per-user", "X", FieldType::number,
     "tokens/s", 0, 1e9, false, {}, "20", "20",
     "interactivity floor of the accelerator comparison: each accelerator runs the largest batch "
     "whose users get this speed (0: concurrency max)", ""},
    {"pricing", "--pricing", "LENS", FieldType::enumeration, "", 0, 0, false, pricing_words,
     "\"on-demand:specialist\"", "on-demand:specialist",
     "the one price basis of the comparison: a lens over the catalog's prices (an accelerator "
     "with no offer under it has no cost), or reference: each accelerator's catalog reference "
     "price, whose sources differ", ""},
    {"max_devices", "--max-devices", "N", FieldType::integer, "devices", 1, 1024, false, {}, "128",
     "128", "largest instance the comparison's layout search considers", ""},
};
// clang-format on

// Splits the comparison's keys off a sweep request; the rest is the scenario.
Result<ComparisonOptions> comparison_options(detail::Json& document) {
  Diagnostics diagnostics;
  detail::Json own = detail::Json::object();
  for (const ScenarioField& f : comparison_table) {
    auto it = document.find(f.key);
    if (it == document.end()) continue;
    own[std::string(f.key)] = *it;
    document.erase(it);
  }
  ComparisonOptions o;
  if (auto v = detail::read_field_number(own, comparison_table[0], diagnostics)) {
    o.layout.min_tokens_per_s_per_user = *v;
  }
  if (auto v = detail::read_field_number(own, comparison_table[2], diagnostics)) {
    o.layout.max_devices = static_cast<int>(*v);
  }
  if (auto word = detail::read_string(own, "pricing", "", false, diagnostics)) {
    if (*word == "reference") {
      o.reference_prices = true;
    } else if (auto lens = parse_pricing_lens(*word)) {
      o.pricing = *lens;
    } else {
      diagnostics.push_back({ErrorCode::invalid_value, "/pricing",
                             "must be reference or a lens (on-demand:specialist, "
                             "spot:hyperscaler, commit-1y:marketplace, commit-3y:..., owned)"});
    }
  }
  if (!diagnostics.empty()) return diagnostics;
  return o;
}

// Cheapest first; fitting without a price next; those that do not fit; those that cannot be
// estimated last; then by name.
int rank(const SweepPoint& p) {
  if (p.status == LayoutStatus::unknown) return 3;
  if (p.status == LayoutStatus::does_not_fit) return 2;
  return p.result && p.result->usd_per_million_tokens ? 0 : 1;
}

Sweep gpus_sweep(const Scenario& base, const Catalog& catalog, const ComparisonOptions& options) {
  Sweep sweep;
  sweep.kind = SweepKind::gpus;
  sweep.x_key = "gpu";
  sweep.x_label = "Accelerator";
  sweep.x_unit = "";
  sweep.min_tokens_per_s_per_user = options.layout.min_tokens_per_s_per_user;
  sweep.max_devices = options.layout.max_devices;
  std::optional<PricingLens> lens = options.pricing;
  if (options.reference_prices) lens.reset();
  sweep.price_basis = lens ? to_string(*lens)
                           : "catalog reference prices (each accelerator's own source; they mix "
                             "provider classes)";
  std::vector<std::pair<std::string, SweepPoint>> named;
  for (const GpuSpec& gpu : catalog.gpus) {
    Scenario s = on_accelerator(base, gpu);
    std::string source = "catalog";
    if (lens) {
      // One basis for all: the user's own accelerator too (the headline keeps the user's price).
      const std::optional<DeviceHourPrice> price = device_hour_price(catalog.prices, gpu, *lens, 1);
      s.usd_per_gpu_hour = price ? std::optional<double>(price->usd_per_gpu_hour) : std::nullopt;
      source = price ? price->provider : "no offer";
    } else if (gpu.id == base.gpu.id) {
      source = "scenario";
    }
    LayoutChoice choice = cheapest_layout(s, catalog.efficiency, options.layout);
    SweepPoint p;
    p.gpu = gpu.id;
    p.usd_per_gpu_hour = s.usd_per_gpu_hour;
    p.price_source = std::move(source);
    p.candidates = choice.candidates;
    p.selected = gpu.id == base.gpu.id;
    if (choice.best) {
      p.layout = *choice.best;
      p.result = std::move(choice.result);
      p.status = LayoutStatus::fits;
    } else if (choice.unknown) {
      p.status = LayoutStatus::unknown;
      p.reason = choice.unknown_reason;
    } else {
      p.status = LayoutStatus::does_not_fit;
      p.reason = choice.rejected.empty()
                     ? "no layout in the space"
                     : choice.rejected.back().reason + " (up to " +
                           std::to_string(options.layout.max_devices) +
                           (options.layout.max_devices == 1 ? " device)" : " devices)");
    }
    named.emplace_back(gpu.name, std::move(p));
  }
  const auto ranked_before = [&](std::size_t i, std::size_t j) {
    const auto& [name_a, a] = named[i];
    const auto& [name_b, b] = named[j];
    const int ra = rank(a);
    const int rb = rank(b);
    if (ra != rb) return ra < rb;
    if (ra == 0) {
      const double ca = *a.result->usd_per_million_tokens;
      const double cb = *b.result->usd_per_million_tokens;
      if (ca != cb) return ca < cb;
    }
    return name_a < name_b;
  };
  const std::vector<std::size_t> order = detail::stable_order(named.size(), ranked_before);
  for (std::size_t i = 0; i < order.size(); ++i) {
    SweepPoint& p = named[order[i]].second;
    p.x = static_cast<double>(i);
    sweep.points.push_back(std::move(p));
  }
  return sweep;
}

Json point_json(const Sweep& sweep, const SweepPoint& p, const Catalog& catalog) {
  Json j;
  j["x"] = detail::number_json(p.x);
  j["gpu"] = p.gpu;
  if (sweep.kind == SweepKind::gpus) {
    const GpuSpec* gpu = catalog.find_gpu(p.gpu);
    j["gpu_name"] = gpu ? gpu->name : p.gpu;
  }
  j["num_gpus"] = p.layout.num_gpus;
  j["tp"] = p.layout.tp;
  j["pp"] = p.layout.pp;
  j["ep"] = p.layout.ep;
  j["usd_per_gpu_hour"] =
      p.usd_per_gpu_hour ? detail::number_json(*p.usd_per_gpu_hour) : Json(nullptr);
  j["ran"] = p.result.has_value();
  j["problem"] = p.problem;
  if (p.result) {
    j["fits"] = p.result->fits;
    j["limit_reason"] = p.result->limit_reason;
    detail::add_headline_json(j, p.usd_per_gpu_hour, p.layout.num_gpus, *p.result);
    j["memory"] = detail::memory_json(p.result->memory);
  } else {
    j["fits"] = false;
    j["limit_reason"] = nullptr;
  }
  if (sweep.kind == SweepKind::gpus) {
    j["status"] = std::string(to_string(p.status));
    j["reason"] = p.reason;
    j["candidates"] = p.candidates;
    j["selected"] = p.selected;
    j["price_source"] = p.price_source;
  }
  return j;
}

}  // namespace

std::span<const ScenarioField> comparison_fields() { return comparison_table; }

const ScenarioField* find_comparison_flag(std::string_view flag) {
  for (const ScenarioField& f : comparison_table) {
    if (f.flag == flag) return &f;
  }
  return nullptr;
}

std::string_view to_string(SweepKind kind) {
  switch (kind) {
    case SweepKind::batching: return "batching";
    case SweepKind::memory: return "memory";
    case SweepKind::context: return "context";
    case SweepKind::gpus: return "gpus";
  }
  return "batching";
}

std::optional<SweepKind> parse_sweep_kind(std::string_view name) {
  for (SweepKind k :
       {SweepKind::batching, SweepKind::memory, SweepKind::context, SweepKind::gpus}) {
    if (to_string(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view to_string(LayoutStatus status) {
  switch (status) {
    case LayoutStatus::fits: return "fits";
    case LayoutStatus::does_not_fit: return "does_not_fit";
    case LayoutStatus::unknown: return "unknown";
  }
  return "fits";
}

std::vector<int> log_steps(int min, int max, int count, const std::vector<int>& extras) {
  std::set<int> steps;
  if (max < min || min < 1) return {};
  for (int i = 0; i < count; ++i) {
    const double t = count == 1 ? 0.0 : static_cast<double>(i) / (count - 1);
    steps.insert(static_cast<int>(
        std::lround(std::exp(std::log(min) + t * (std::log(max) - std::log(min))))));
  }
  for (int e : extras) {
    if (e >= min && e <= max) steps.insert(e);
  }
  return {steps.begin(), steps.end()};
}

Sweep run_sweep(SweepKind kind, const Scenario& base, const Catalog& catalog,
                const ComparisonOptions& options) {
  switch (kind) {
    case SweepKind::batching:
    case SweepKind::memory: return concurrency_sweep(kind, base, catalog.efficiency);
    case SweepKind::context: return context_sweep(base, catalog.efficiency);
    case SweepKind::gpus: return gpus_sweep(base, catalog, options);
  }
  return {};
}

std::string sweep_to_json(const Sweep& sweep, const Catalog& catalog) {
  Json j;
  j["sweep"] = std::string(to_string(sweep.kind));
  j["x"] = {{"key", sweep.x_key}, {"label", sweep.x_label}, {"unit", sweep.x_unit}};
  j["marker"] = sweep.marker ? detail::number_json(*sweep.marker) : Json(nullptr);
  j["empty"] = sweep.empty.empty() ? Json(nullptr) : Json(sweep.empty);
  if (sweep.kind == SweepKind::gpus) {
    j["price_basis"] = sweep.price_basis;
    j["min_tokens_per_second_per_user"] = detail::number_json(sweep.min_tokens_per_s_per_user);
    j["max_devices"] = sweep.max_devices;
  }
  Json points = Json::array();
  for (const SweepPoint& p : sweep.points) points.push_back(point_json(sweep, p, catalog));
  j["points"] = points;
  return detail::dump_json(j);
}

std::string sweep_to_csv(const Sweep& sweep, const Catalog& catalog) {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  for (const SweepPoint& p : sweep.points) {
    const Json j = point_json(sweep, p, catalog);
    std::vector<std::pair<std::string, Json>> cells;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it->is_object()) {
        for (auto m = it->begin(); m != it->end(); ++m)
          cells.emplace_back(it.key() + "." + m.key(), *m);
      } else {
        cells.emplace_back(it.key(), *it);
      }
    }
    for (const auto& [key, value] : cells) {
      if (std::find(header.begin(), header.end(), key) == header.end()) header.push_back(key);
    }
    std::vector<std::string> row(header.size());
    for (const auto& [key, value] : cells) {
      const auto at =
          static_cast<std::size_t>(std::find(header.begin(), header.end(), key) - header.begin());
      if (row.size() < header.size()) row.resize(header.size());
      row[at] = detail::csv_cell(value);
    }
    rows.push_back(std::move(row));
  }
  std::string out;
  for (std::size_t i = 0; i < header.size(); ++i) out += (i ? "," : "") + header[i];
  out += "\n";
  for (auto& row : rows) {
    row.resize(header.size());
    for (std::size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + row[i];
    out += "\n";
  }
  return out;
}

Result<SweepRequest> parse_sweep_request(std::string_view json_text, const Catalog& catalog) {
  Diagnostics diagnostics;
  std::optional<detail::Json> document = detail::parse_json(json_text, diagnostics);
  if (!document) return diagnostics;
  if (!detail::expect_object(*document, "", diagnostics)) return diagnostics;
  Result<ComparisonOptions> options = comparison_options(*document);
  Result<Scenario> scenario = parse_scenario(document->dump(), catalog);
  if (!options.ok()) diagnostics = options.diagnostics();
  if (!scenario.ok()) {
    for (const Diagnostic& d : scenario.diagnostics()) diagnostics.push_back(d);
  }
  if (!diagnostics.empty()) return diagnostics;
  return SweepRequest{std::move(scenario).value(), options.value()};
}

std::string evaluate_sweep_json(std::string_view kind, std::string_view scenario_json,
                                const Catalog& catalog) {
  const std::optional<SweepKind> k = parse_sweep_kind(kind);
  if (!k) {
    return detail::dump_json(
        Json{{"errors",
              {{{"code", "invalid_value"},
                {"path", ""},
                {"message", "unknown sweep '" + std::string(kind.substr(0, 32)) +
                                "' (batching, memory, context or gpus)"}}}}});
  }
  Result<SweepRequest> request = parse_sweep_request(scenario_json, catalog);
  if (!request.ok()) return detail::errors_json_text(request.diagnostics());
  const SweepRequest& r = request.value();
  return sweep_to_json(run_sweep(*k, r.scenario, catalog, r.options), catalog);
}

}  // namespace pertoken
