// Cost against daily volume (see volume_sweep.hpp).
#include "pertoken/plan/volume_sweep.hpp"

#include <string>

#include "json/result_figures.hpp"
#include "pertoken/plan/plan_json.hpp"
#include "plan/plan_option_json.hpp"

namespace pertoken {
namespace {

using detail::OrderedJson;

OrderedJson n(double v) { return detail::number_json(v); }
OrderedJson maybe(const std::optional<double>& v) { return v ? n(*v) : OrderedJson(nullptr); }

VolumeSweepPoint point_of(const Plan& plan, double tokens_per_day, double multiple) {
  VolumeSweepPoint p;
  p.tokens_per_day = tokens_per_day;
  p.multiple = multiple;
  p.meets_sla = plan.meets_sla && plan.best.has_value();
  p.beyond_replica_limit = plan.beyond_replica_limit;  // set only where nothing is listed
  p.best = plan.best;
  if (p.meets_sla) {
    p.replicas = plan.replicas;
    p.gpus_total = plan.gpus_total;
    p.usd_per_month = plan.usd_per_month;
    p.usd_per_million_tokens = plan.usd_per_million_tokens;
    p.bill = plan.bill;
  }
  return p;
}

// Lowers each quote's break-even volumes to the plan's where the plan's are lower: a smaller
// fleet, planned at a smaller volume, can beat an API sooner than the request's own configuration.
void lower_break_evens(std::vector<ApiQuote>& quotes, const Plan& plan) {
  for (ApiQuote& q : quotes) {
    for (const ApiQuote& other : plan.api) {
      if (other.provider != q.provider) continue;
      if (q.break_even_tokens_per_day.empty()) {
        q.break_even_tokens_per_day = other.break_even_tokens_per_day;
        continue;
      }
      for (std::size_t i = 0;
           i < q.break_even_tokens_per_day.size() && i < other.break_even_tokens_per_day.size();
           ++i) {
        std::optional<double>& mine = q.break_even_tokens_per_day[i].second;
        const std::optional<double>& theirs = other.break_even_tokens_per_day[i].second;
        if (theirs && (!mine || *theirs < *mine)) mine = theirs;
      }
    }
  }
}

}  // namespace

VolumeSweep volume_sweep(const PlanRequest& request, const Catalog& catalog, const Plan* own) {
  VolumeSweep sweep;
  sweep.lens = request.lens;
  Plan computed;
  if (own == nullptr) {
    computed = make_plan(request, catalog);
    own = &computed;
  }
  // The request's own figure when it gave one (the plan's is the same, up to rounding).
  sweep.tokens_per_day = request.workload.tokens_per_day.value_or(own->tokens_per_day);
  sweep.api = own->api;
  if (auto note = keys_not_used_note(request.keys_not_used)) sweep.notes.push_back(*note);
  if (auto note = sla_from_preset_note(request)) sweep.notes.push_back(*note);
  if (!(sweep.tokens_per_day > 0)) {
    sweep.notes.push_back("the request has no volume: nothing to sweep");
    return sweep;
  }
  for (double multiple : volume_sweep_multiples) {
    const double volume = sweep.tokens_per_day * multiple;
    if (multiple == 1) {
      sweep.points.push_back(point_of(*own, volume, multiple));
      continue;
    }
    // The same request at another volume, in tokens a day (the input/output mix is the
    // request's, so requests a second and audio hours scale alike).
    PlanRequest at = request;
    at.workload.tokens_per_day = volume;
    at.workload.requests_per_s.reset();
    at.workload.audio_hours_per_day.reset();
    at.top_n = 1;
    const Plan plan = make_plan(at, catalog);
    lower_break_evens(sweep.api, plan);
    sweep.points.push_back(point_of(plan, volume, multiple));
  }
  if (sweep.api.empty()) {
    sweep.notes.push_back("the price catalog has no serverless API price for " +
                          request.base.model.id + ": no API lines or break-even volumes");
  }
  bool any = false;
  bool any_beyond = false;
  for (const VolumeSweepPoint& p : sweep.points) {
    any = any || p.meets_sla;
    any_beyond = any_beyond || p.beyond_replica_limit;
  }
  if (any_beyond) {
    sweep.notes.push_back(
        "at some volumes nothing is listed, and there some configurations would need more "
        "replicas than the planner sizes: the volume, not only the SLA, limits the plan");
  }
  if (!any && !any_beyond)
    sweep.notes.push_back("nothing meets the SLA at any volume of the sweep");
  return sweep;
}

std::string volume_sweep_to_json(const VolumeSweep& sweep) {
  OrderedJson j;
  j["sweep"] = "volume";
  j["pricing"] = to_string(sweep.lens);
  j["tokens_per_day"] = n(sweep.tokens_per_day);
  j["x"] = {{"key", "tokens_per_day"}, {"label", "Tokens a day"}, {"unit", "tokens/day"}};
  OrderedJson points = OrderedJson::array();
  for (const VolumeSweepPoint& p : sweep.points) {
    OrderedJson by_lens = OrderedJson::object();
    for (const Bill& b : p.bill) {
      by_lens[to_string(b.lens)] = b.available ? n(b.usd_per_million_tokens) : OrderedJson(nullptr);
    }
    const bool met = p.meets_sla;
    points.push_back(
        {{"tokens_per_day", n(p.tokens_per_day)},
         {"multiple", n(p.multiple)},
         {"meets_sla", met},
         {"replicas", met ? OrderedJson(p.replicas) : OrderedJson(nullptr)},
         {"gpus_total", met ? OrderedJson(p.gpus_total) : OrderedJson(nullptr)},
         {"usd_per_month", met ? n(p.usd_per_month) : OrderedJson(nullptr)},
         {"usd_per_million_tokens", met ? n(p.usd_per_million_tokens) : OrderedJson(nullptr)},
         {"beyond_replica_limit", p.beyond_replica_limit},
         {"best_detail", p.best ? detail::plan_option_json(*p.best) : OrderedJson(nullptr)},
         {"usd_per_million_tokens_by_pricing", by_lens}});
  }
  j["points"] = points;
  OrderedJson api = OrderedJson::array();
  for (const ApiQuote& q : sweep.api) {
    OrderedJson by_lens = OrderedJson::object();
    OrderedJson at_lens = nullptr;
    for (const auto& [lens, volume] : q.break_even_tokens_per_day) {
      by_lens[to_string(lens)] = maybe(volume);
      if (lens == sweep.lens) at_lens = maybe(volume);
    }
    api.push_back({{"provider", q.provider},
                   {"usd_per_million_tokens", n(q.usd_per_million_tokens)},
                   {"break_even_tokens_per_day", at_lens},
                   {"break_even_tokens_per_day_by_pricing", by_lens}});
  }
  j["api"] = api;
  j["notes"] = sweep.notes;
  return detail::dump_json(j);
}

std::string volume_sweep_to_csv(const VolumeSweep& sweep) {
  std::string out =
      "tokens_per_day,multiple,meets_sla,replicas,gpus_total,usd_per_month,"
      "usd_per_million_tokens";
  const std::vector<PricingLens> lenses = all_pricing_lenses();
  for (const PricingLens& lens : lenses) out += ",usd_per_million_tokens_" + to_string(lens);
  for (const ApiQuote& q : sweep.api) {
    out += "," + detail::csv_cell(OrderedJson("api_usd_per_million_tokens_" + q.provider));
  }
  out += "\n";
  for (const VolumeSweepPoint& p : sweep.points) {
    const bool met = p.meets_sla;
    auto cell = [](const OrderedJson& v) { return "," + detail::csv_cell(v); };
    out += detail::csv_cell(n(p.tokens_per_day)) + cell(n(p.multiple)) + cell(OrderedJson(met)) +
           cell(met ? OrderedJson(p.replicas) : OrderedJson(nullptr)) +
           cell(met ? OrderedJson(p.gpus_total) : OrderedJson(nullptr)) +
           cell(met ? n(p.usd_per_month) : OrderedJson(nullptr)) +
           cell(met ? n(p.usd_per_million_tokens) : OrderedJson(nullptr));
    for (const PricingLens& lens : lenses) {
      OrderedJson v = nullptr;
      for (const Bill& b : p.bill) {
        if (b.lens == lens && b.available) v = n(b.usd_per_million_tokens);
      }
      out += cell(v);
    }
    for (const ApiQuote& q : sweep.api) out += cell(n(q.usd_per_million_tokens));
    out += "\n";
  }
  return out;
}

std::string evaluate_volume_sweep_json(std::string_view request_json, const Catalog& catalog) {
  Result<PlanRequest> request = parse_plan_request(request_json, catalog);
  if (!request.ok()) return detail::errors_json_text(request.diagnostics());
  return volume_sweep_to_json(volume_sweep(request.value(), catalog));
}

}  // namespace pertoken
