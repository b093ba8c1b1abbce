// The tornado and the inverse questions (see sensitivity.hpp). Every bar is a full estimate at
// the moved input, not a derivative: lengths and efficiencies move the batch that fits, and the
// bound that binds, so the response is rarely linear.
#include "pertoken/plan/sensitivity.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

#include "json/json_reader.hpp"
#include "json/result_figures.hpp"
#include "pertoken/serving/estimate.hpp"
#include "pertoken/text/figure_text.hpp"
#include "pertoken/units.hpp"
#include "plan/sensitivity_json.hpp"

namespace pertoken {
namespace {

using detail::OrderedJson;
using Json = detail::Json;

// clang-format off
constexpr ScenarioField fields[] = {
    {"utilization", "--utilization", "U", FieldType::number, "fraction", 0, 1, true, {}, "1", "1",
     "share of the hours the deployment is busy at the scenario's load (the bill runs around "
     "the clock)", ""},
    {"relative_step", "--step", "S", FieldType::number, "fraction", 0, 0.9, true, {}, "0.2", "0.2",
     "how far each input moves down and up, as a share of its value (fractions at zero move by "
     "this many points)", ""},
    {"target_usd_per_million_tokens", "--target-usd-per-million-tokens", "X", FieldType::number,
     "USD/million tokens", 0, 1e6, true, {}, "", "none",
     "a target: which price, utilization or daily volume reaches it", ""},
};
// clang-format on

struct Outcome {
  std::optional<double> usd_per_million_tokens;  // at utilization 1
  std::string note;
};

Outcome cost_of(const Scenario& s, const EfficiencyFactors& efficiency) {
  if (Diagnostics d = check_scenario(s); !d.empty()) {
    return {std::nullopt, d.front().json_path.substr(1) + ": " + d.front().message};
  }
  const Estimate e = estimate(s, efficiency);
  if (!e.fits) return {std::nullopt, "does not fit: " + e.limit_detail};
  if (!e.usd_per_million_tokens) return {std::nullopt, "no price"};
  return {e.usd_per_million_tokens, ""};
}

}  // namespace

std::span<const ScenarioField> sensitivity_fields() { return fields; }

const ScenarioField* find_sensitivity_flag(std::string_view flag) {
  for (const ScenarioField& f : fields) {
    if (f.flag == flag) return &f;
  }
  return nullptr;
}

Sensitivity run_sensitivity(const SensitivityRequest& request,
                            const EfficiencyFactors& efficiency) {
  Sensitivity out;
  const Scenario& base = request.scenario;
  const double u = request.utilization;
  const double step = request.relative_step;
  out.utilization = u;
  out.relative_step = step;
  out.target_usd_per_million_tokens = request.target_usd_per_million_tokens;

  const Estimate base_estimate = estimate(base, efficiency);
  if (!base_estimate.fits) {
    out.notes.push_back("the scenario does not fit, so it has no cost to move: " +
                        base_estimate.limit_detail);
    return out;
  }
  if (!base_estimate.usd_per_million_tokens || !base.usd_per_gpu_hour) {
    out.notes.push_back(
        "the scenario has no price, so it has no cost to move: give one in /usd_per_gpu_hour");
    return out;
  }
  out.ok = true;
  const double full_load_cost = *base_estimate.usd_per_million_tokens;
  out.base_usd_per_million_tokens = full_load_cost / u;
  out.capacity_tokens_per_day =
      (base_estimate.output_tokens_per_s + base_estimate.input_tokens_per_s) *
      units::seconds_per_day;
  if (base.request_rate_per_s) {
    out.notes.push_back(
        "the scenario's request rate already sets its load; utilization multiplies on top "
        "(the hours the deployment serves nothing at all)");
  }

  // One bar: the input set to its low and high values by `apply`, each estimated whole.
  auto add_bar = [&](std::string input, std::string meaning, bool is_guess, double base_value,
                     double low, double high,
                     const std::function<Outcome(double)>& cost_at_full_load,
                     bool divides_by_utilization = true) {
    SensitivityBar bar;
    bar.input = std::move(input);
    bar.meaning = std::move(meaning);
    bar.is_guess = is_guess;
    bar.base_value = base_value;
    bar.low_value = low;
    bar.high_value = high;
    const Outcome at_low = cost_at_full_load(low);
    const Outcome at_high = cost_at_full_load(high);
    auto scaled = [&](const Outcome& o) -> std::optional<double> {
      if (!o.usd_per_million_tokens) return std::nullopt;
      return divides_by_utilization ? *o.usd_per_million_tokens / u : *o.usd_per_million_tokens;
    };
    bar.usd_per_million_tokens_at_low = scaled(at_low);
    bar.usd_per_million_tokens_at_high = scaled(at_high);
    if (bar.usd_per_million_tokens_at_low && bar.usd_per_million_tokens_at_high) {
      bar.swing_usd_per_million_tokens =
          std::abs(*bar.usd_per_million_tokens_at_high - *bar.usd_per_million_tokens_at_low);
    }
    if (!at_low.note.empty()) bar.note = "low: " + at_low.note;
    if (!at_high.note.empty()) {
      bar.note += (bar.note.empty() ? "" : "; ") + std::string("high: ") + at_high.note;
    }
    out.bars.push_back(std::move(bar));
  };
  auto with_scenario = [&](const std::function<void(Scenario&, double)>& set) {
    return [&, set](double value) {
      Scenario s = base;
      set(s, value);
      return cost_of(s, efficiency);
    };
  };
  auto with_factor = [&](double EfficiencyFactors::*member) {
    return [&, member](double value) {
      EfficiencyFactors f = efficiency;
      f.*member = value;
      return cost_of(base, f);
    };
  };
  auto whole = [](double value) { return std::max(1.0, std::round(value)); };

  const double price = *base.usd_per_gpu_hour;
  add_bar("usd_per_gpu_hour", "price of one device-hour", false, price, price * (1 - step),
          price * (1 + step), with_scenario([](Scenario& s, double v) { s.usd_per_gpu_hour = v; }));
  add_bar(
      "utilization", "share of the hours the deployment is busy", false, u, u * (1 - step),
      std::min(1.0, u * (1 + step)),
      [&](double value) {
        return Outcome{full_load_cost / value, ""};
      },
      false);
  add_bar("input_tokens", "prompt tokens per request", false, base.input_tokens,
          whole(base.input_tokens * (1 - step)), whole(base.input_tokens * (1 + step)),
          with_scenario([](Scenario& s, double v) { s.input_tokens = static_cast<int>(v); }));
  add_bar("output_tokens", "generated tokens per request", false, base.output_tokens,
          whole(base.output_tokens * (1 - step)), whole(base.output_tokens * (1 + step)),
          with_scenario([](Scenario& s, double v) { s.output_tokens = static_cast<int>(v); }));
  if (base.concurrency && !base.request_rate_per_s) {
    add_bar("concurrency", "requests in flight", false, *base.concurrency,
            whole(*base.concurrency * (1 - step)), whole(*base.concurrency * (1 + step)),
            with_scenario([](Scenario& s, double v) { s.concurrency = static_cast<int>(v); }));
  }
  add_bar("prefix_cache_hit_rate", "share of each prompt already in the KV cache", false,
          base.prefix_cache_hit_rate, std::max(0.0, base.prefix_cache_hit_rate - step),
          std::min(max_prefix_cache_hit_rate, base.prefix_cache_hit_rate + step),
          with_scenario([](Scenario& s, double v) { s.prefix_cache_hit_rate = v; }));
  if (base.speculative.method != SpeculativeMethod::none) {
    const double a = base.speculative.acceptance_rate;
    add_bar("acceptance_rate", "chance each proposed token is accepted",
            base.speculative.defaults_used, a, std::max(0.0, a * (1 - step)),
            std::min(1.0, a * (1 + step)), with_scenario([](Scenario& s, double v) {
              s.speculative.acceptance_rate = v;
              s.speculative.acceptance_range.reset();
            }));
  }
  // The model's own assumptions (fitted factors): named guesses, so the user sees how much of
  // the answer rests on them.
  struct FactorBar {
    double EfficiencyFactors::*member;
    const char* key;
    const char* meaning;
    double max;
  };
  std::vector<FactorBar> factors = {
      {&EfficiencyFactors::memory_bandwidth_fraction, "memory_bandwidth_fraction",
       "achieved share of peak memory bandwidth (fitted)", 1},
      {&EfficiencyFactors::compute_fraction, "compute_fraction",
       "achieved share of peak dense FLOP/s (fitted)", 1},
      {&EfficiencyFactors::step_overhead_s, "step_overhead_s",
       "fixed cost of one engine step (fitted)", 1},
  };
  if (base.num_gpus > 1) {
    factors.push_back({&EfficiencyFactors::interconnect_fraction, "interconnect_fraction",
                       "achieved share of scale-up bandwidth by all-reduce (fitted)", 1});
  }
  if (base.model.attention == AttentionKind::mla) {
    factors.push_back({&EfficiencyFactors::mla_layer_overhead_ratio, "mla_layer_overhead_ratio",
                       "per-layer fixed costs of an MLA layer relative to another's (a guess "
                       "from kernel counts, not fitted)",
                       10});
  }
  for (const FactorBar& f : factors) {
    const double v = efficiency.*(f.member);
    add_bar(f.key, f.meaning, true, v, v * (1 - step), std::min(f.max, v * (1 + step)),
            with_factor(f.member));
  }
  // A tile is a kernel's constant, not a rate: the bar spans the kernels' real tiles (half and
  // twice vLLM's 64 rows; DeepGEMM aligns to 128), not a percentage step.
  if (base.model.moe && efficiency.grouped_gemm_tile_rows > 1) {
    const double tile = efficiency.grouped_gemm_tile_rows;
    add_bar("grouped_gemm_tile_rows",
            "rows each expert's grouped GEMM is padded to (a kernel constant, not fitted)", true,
            tile, tile / 2, tile * 2, with_factor(&EfficiencyFactors::grouped_gemm_tile_rows));
    std::string& note = out.bars.back().note;
    note = "moved to half and twice, not by the step: a tile is a kernel's constant" +
           (note.empty() ? "" : "; " + note);
  }

  std::stable_sort(out.bars.begin(), out.bars.end(),
                   [](const SensitivityBar& a, const SensitivityBar& b) {
                     return a.swing_usd_per_million_tokens > b.swing_usd_per_million_tokens;
                   });

  if (request.target_usd_per_million_tokens) {
    const double target = *request.target_usd_per_million_tokens;
    const double cost = out.base_usd_per_million_tokens;
    if (cost <= 0) {
      // A free device-hour: no price or load scales a cost of $0 to the target, and none needs to.
      const std::string met = "the target is met already: " + format_usd(cost) +
                              " per million tokens at the inputs as they are";
      out.inverse.push_back({"usd_per_gpu_hour", price, met});
      out.inverse.push_back({"utilization", u, met});
      out.inverse.push_back({"tokens_per_day", u * out.capacity_tokens_per_day, met});
      return out;
    }
    const double price_needed = price * target / cost;
    out.inverse.push_back({"usd_per_gpu_hour", price_needed,
                           "at " + format_usd(price_needed) + " per device-hour (now " +
                               format_usd(price) + "), other inputs as they are"});
    const double utilization_needed = u * cost / target;
    if (utilization_needed <= 1) {
      out.inverse.push_back({"utilization", utilization_needed,
                             "busy " + format_percent(utilization_needed) + " of the hours (now " +
                                 format_percent(u) + ")"});
      const double volume = utilization_needed * out.capacity_tokens_per_day;
      out.inverse.push_back({"tokens_per_day", volume,
                             format_number(volume) +
                                 " input + output tokens a day on this deployment (" +
                                 format_number(out.capacity_tokens_per_day) + " at full load)"});
    } else {
      const std::string why = "even fully busy this deployment costs " +
                              format_usd(full_load_cost) + " per million tokens, above the target";
      out.inverse.push_back({"utilization", std::nullopt, why});
      out.inverse.push_back({"tokens_per_day", std::nullopt,
                             why + ": more volume adds replicas, not a lower cost per token"});
    }
  }
  return out;
}

Result<SensitivityRequest> parse_sensitivity_request(std::string_view json_text,
                                                     const Catalog& catalog) {
  Diagnostics diagnostics;
  std::optional<Json> parsed = detail::parse_json(json_text, diagnostics);
  if (!parsed) return diagnostics;
  if (!detail::expect_object(*parsed, "", diagnostics)) return diagnostics;
  Json scenario = Json::object();
  Json own = Json::object();
  for (auto it = parsed->begin(); it != parsed->end(); ++it) {
    bool is_own = false;
    for (const ScenarioField& f : fields) is_own = is_own || f.key == it.key();
    (is_own ? own : scenario)[it.key()] = it.value();
  }
  SensitivityRequest r;
  if (auto v = detail::read_field_number(own, fields[0], diagnostics)) r.utilization = *v;
  if (auto v = detail::read_field_number(own, fields[1], diagnostics)) r.relative_step = *v;
  r.target_usd_per_million_tokens = detail::read_field_number(own, fields[2], diagnostics);
  Result<Scenario> base = parse_scenario(scenario.dump(), catalog);
  if (!base.ok()) {
    for (const Diagnostic& d : base.diagnostics()) diagnostics.push_back(d);
  }
  if (!diagnostics.empty()) return diagnostics;
  r.scenario = std::move(base).value();
  return r;
}

namespace detail {

OrderedJson sensitivity_json(const SensitivityRequest& request, const Sensitivity& result) {
  auto n = [](const std::optional<double>& v) {
    return v ? detail::number_json(*v) : OrderedJson(nullptr);
  };
  const Scenario& s = request.scenario;
  OrderedJson j;
  j["scenario"] = {{"model", s.model.id},
                   {"gpu", s.gpu.id},
                   {"num_gpus", s.num_gpus},
                   {"usd_per_gpu_hour", n(s.usd_per_gpu_hour)}};
  j["ok"] = result.ok;
  j["utilization"] = detail::number_json(result.utilization);
  j["relative_step"] = detail::number_json(result.relative_step);
  j["usd_per_million_tokens"] =
      result.ok ? detail::number_json(result.base_usd_per_million_tokens) : OrderedJson(nullptr);
  j["capacity_tokens_per_day"] =
      result.ok ? detail::number_json(result.capacity_tokens_per_day) : OrderedJson(nullptr);
  OrderedJson bars = OrderedJson::array();
  for (const SensitivityBar& b : result.bars) {
    bars.push_back(
        {{"input", b.input},
         {"meaning", b.meaning},
         {"is_guess", b.is_guess},
         {"base", detail::number_json(b.base_value)},
         {"low", detail::number_json(b.low_value)},
         {"high", detail::number_json(b.high_value)},
         {"usd_per_million_tokens_at_low", n(b.usd_per_million_tokens_at_low)},
         {"usd_per_million_tokens_at_high", n(b.usd_per_million_tokens_at_high)},
         {"swing_usd_per_million_tokens", detail::number_json(b.swing_usd_per_million_tokens)},
         {"note", b.note}});
  }
  j["tornado"] = bars;
  j["target_usd_per_million_tokens"] = n(result.target_usd_per_million_tokens);
  OrderedJson inverse = OrderedJson::array();
  for (const InverseAnswer& a : result.inverse) {
    inverse.push_back({{"input", a.input}, {"value", n(a.value)}, {"answer", a.answer}});
  }
  j["inverse"] = inverse;
  j["notes"] = result.notes;
  return j;
}

}  // namespace detail

std::string sensitivity_to_json(const SensitivityRequest& request, const Sensitivity& result) {
  return detail::dump_json(detail::sensitivity_json(request, result));
}

std::string evaluate_sensitivity_json(std::string_view request_json, const Catalog& catalog) {
  Result<SensitivityRequest> request = parse_sensitivity_request(request_json, catalog);
  if (!request.ok()) return detail::errors_json_text(request.diagnostics());
  return sensitivity_to_json(request.value(), run_sensitivity(request.value(), catalog.efficiency));
}

}  // namespace pertoken
