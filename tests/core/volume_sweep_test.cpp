// Cost against volume from the core: the ladder of volumes, the plan at each, every way to pay,
// the APIs' prices and the break-even volumes, with points derived by hand.
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "pertoken/plan/plan_json.hpp"
#include "pertoken/plan/planner.hpp"
#include "pertoken/plan/volume_sweep.hpp"
#include "plan_fixture.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

// One accelerator at $2.00 on demand (specialist), $1.40 on a 1-year commitment, and one API
// price for the model: $0.10 per million input tokens, $0.50 per million output tokens.
Catalog sweep_catalog() {
  CloudPrice offer = specialist_offer(2.0);
  offer.commit_1y_usd_per_gpu_hour = 1.4;
  Catalog c = one_accelerator_catalog(offer);
  Result<CatalogDocument> doc = parse_catalog_document(Json{{"models", {minimal_model()}}}.dump());
  REQUIRE(doc.ok());
  c.models.push_back(doc.value().models.front());
  ApiPrice api;
  api.model = "test-model";
  api.provider = "test-api";
  api.usd_per_million_input_tokens = 0.10;
  api.usd_per_million_output_tokens = 0.50;
  c.prices.apis = {api};
  return c;
}

std::string request_json(double tokens_per_day) {
  return Json{{"model", "test-model"},      {"input_tokens", 1000},
              {"output_tokens", 200},       {"tokens_per_day", tokens_per_day},
              {"peak_to_average", 2},       {"max_devices", 4},
              {"search_speculative", false}}
      .dump();
}

const VolumeSweepPoint& at(const VolumeSweep& sweep, double multiple) {
  for (const VolumeSweepPoint& p : sweep.points) {
    if (p.multiple == multiple) return p;
  }
  FAIL("no point at " << multiple);
  return sweep.points.front();
}

TEST_CASE("volume sweep: the plan at each volume, by hand where one replica carries it",
          "[plan][volume]") {
  const Catalog c = sweep_catalog();
  Result<PlanRequest> request = parse_plan_request(request_json(1e6), c);
  REQUIRE(request.ok());
  const VolumeSweep sweep = volume_sweep(request.value(), c);

  // Two decades either side of the request's own 1,000,000 tokens a day, two steps a decade.
  REQUIRE(sweep.points.size() == 9);
  CHECK(sweep.tokens_per_day == 1e6);
  CHECK(sweep.points.front().tokens_per_day == Approx(1e4));
  CHECK(sweep.points.back().tokens_per_day == Approx(1e8));
  CHECK(at(sweep, 0.03).tokens_per_day == Approx(3e4));

  // 10,000 tokens a day is far below one device's capacity: one replica of one device, paid
  // around the clock. Month: 1 x $2.00 x 730 h = $1,460. Tokens a month: 10,000 x 730 / 24 =
  // 304,166.7. $ per million tokens: 1,460 / 304,166.7 x 1e6 = $4,800.
  const VolumeSweepPoint& low = at(sweep, 0.01);
  REQUIRE(low.meets_sla);
  REQUIRE(low.best.has_value());
  CHECK(low.gpus_total == 1);
  CHECK(low.usd_per_month == Approx(1460));
  CHECK(low.usd_per_million_tokens == Approx(4800));
  // The same fleet on a 1-year commitment: $1.40 x 730 = $1,022 a month, / 304,166.7 x 1e6 =
  // $3,360 per million tokens; no hyperscaler price: that lens is unavailable.
  bool commit = false;
  for (const Bill& b : low.bill) {
    if (b.lens == PricingLens{Payment::commit_1y, ProviderClass::specialist}) {
      commit = true;
      CHECK(b.usd_per_million_tokens == Approx(3360));
    }
    if (b.lens.provider_class == ProviderClass::hyperscaler) CHECK_FALSE(b.available);
  }
  CHECK(commit);
  // 30,000 tokens a day, still one device: 1,460 / (30,000 x 730 / 24) x 1e6 = $1,600.
  CHECK(at(sweep, 0.03).usd_per_million_tokens == Approx(1600));

  // The API at this mix (1,000 in, 200 out, no cache hits): (1,000 x 0.10 + 200 x 0.50) / 1,200 =
  // $0.16667 per million tokens, at every volume.
  REQUIRE(sweep.api.size() == 1);
  CHECK(sweep.api.front().provider == "test-api");
  CHECK(sweep.api.front().usd_per_million_tokens == Approx(0.2 / 1.2));
  // Break-even on demand: one device's month over the API's price per token a month,
  // 1,460 / (730 / 24 x 0.16667e-6) = 288,000,000 tokens a day, if one device carries that at
  // its peak: 288e6 x 2 / 1,200 / 86,400 = 5.56 requests a second (checked first).
  const VolumeSweepPoint& own = at(sweep, 1);
  REQUIRE(own.best.has_value());
  REQUIRE(own.best->scenario.num_gpus == 1);
  REQUIRE(own.best->estimate.requests_per_s > 5.56);
  std::optional<double> on_demand;
  for (const auto& [lens, volume] : sweep.api.front().break_even_tokens_per_day) {
    if (lens == PricingLens{Payment::on_demand, ProviderClass::specialist}) on_demand = volume;
  }
  REQUIRE(on_demand.has_value());
  CHECK(*on_demand == Approx(2.88e8));
}

TEST_CASE("volume sweep: no row is cheaper than an API below that API's break-even volume",
          "[plan][volume]") {
  // Llama 3.1 8B on owned hardware, 1e8 tokens a day at a peak of 2: at 1e9 tokens a day the
  // sweep's fleet cost $0.0284 a million beside Groq's $0.0560, which the request's own
  // configuration (sized for 1e8) never beats, so its break-even said "never". Each API's
  // break-even is now the lowest over the fleets the sweep planned: every row that costs less than
  // the API lies at or beyond it.
  const Catalog c = embedded_catalog_with_prices();
  Result<PlanRequest> request = parse_plan_request(
      R"({"model": "llama-3.1-8b", "tokens_per_day": 1e8, "peak_to_average": 2, "pricing": "owned"})",
      c);
  REQUIRE(request.ok());
  const VolumeSweep sweep = volume_sweep(request.value(), c);
  REQUIRE_FALSE(sweep.api.empty());
  int cheaper_rows = 0;
  for (const ApiQuote& q : sweep.api) {
    std::optional<double> even;
    for (const auto& [lens, volume] : q.break_even_tokens_per_day) {
      if (lens == sweep.lens) even = volume;
    }
    for (const VolumeSweepPoint& p : sweep.points) {
      if (!p.meets_sla || !(p.usd_per_million_tokens < q.usd_per_million_tokens)) continue;
      ++cheaper_rows;
      INFO(q.provider << " at $" << q.usd_per_million_tokens << " beside a row of $"
                      << p.usd_per_million_tokens << " at " << p.tokens_per_day << " tokens/day");
      REQUIRE(even.has_value());
      CHECK(*even <= p.tokens_per_day);
    }
  }
  REQUIRE(cheaper_rows > 0);
}

TEST_CASE("volume sweep: an SLA nothing meets still lists the APIs", "[plan][volume]") {
  // A 1 ms first token: no fleet at any volume. The API is then the answer, and the catalog has
  // Llama 3.1 70B's prices; the note said it had none.
  const Catalog c = embedded_catalog_with_prices();
  Result<PlanRequest> request = parse_plan_request(
      R"({"model": "llama-3.1-70b", "tokens_per_day": 1e9, "max_ttft_seconds": 0.001})", c);
  REQUIRE(request.ok());
  const VolumeSweep sweep = volume_sweep(request.value(), c);
  CHECK_FALSE(sweep.api.empty());
  for (const std::string& note : sweep.notes) {
    CHECK(note.find("no serverless API price") == std::string::npos);
  }
}

TEST_CASE("volume sweep: the request's own point is its plan; JSON and errors", "[plan][volume]") {
  const Catalog c = sweep_catalog();
  Result<PlanRequest> request = parse_plan_request(request_json(5e8), c);
  REQUIRE(request.ok());
  const Plan plan = make_plan(request.value(), c);
  const VolumeSweep sweep = volume_sweep(request.value(), c, &plan);
  const VolumeSweepPoint& own = at(sweep, 1);
  CHECK(own.usd_per_month == Approx(plan.usd_per_month));
  CHECK(own.gpus_total == plan.gpus_total);
  // More traffic never lowers the bill.
  for (std::size_t i = 1; i < sweep.points.size(); ++i) {
    CHECK(sweep.points[i].usd_per_month >= sweep.points[i - 1].usd_per_month);
  }

  const Json j = Json::parse(evaluate_volume_sweep_json(request_json(5e8), c));
  CHECK(j["sweep"] == "volume");
  CHECK(j["pricing"] == "on-demand:specialist");
  REQUIRE(j["points"].size() == 9);
  CHECK(j["points"][4]["usd_per_month"].get<double>() == Approx(plan.usd_per_month));
  CHECK(j["points"][0]["usd_per_million_tokens_by_pricing"]["on-demand:hyperscaler"].is_null());
  CHECK(j["api"][0]["break_even_tokens_per_day"].get<double>() == Approx(2.88e8));

  const Json bad = Json::parse(
      evaluate_volume_sweep_json(R"({"model": "test-model", "tokens_per_day": -5})", c));
  REQUIRE(bad.contains("errors"));
  CHECK(bad["errors"][0]["path"] == "/tokens_per_day");

  // A key the plan sets itself is named, not silently dropped, and changes no figure.
  CHECK(j["notes"].dump().find("not used") == std::string::npos);
  Json with_tp = Json::parse(request_json(5e8));
  with_tp["tp"] = 2;
  const Json given = Json::parse(evaluate_volume_sweep_json(with_tp.dump(), c));
  REQUIRE(given["notes"].size() == j["notes"].size() + 1);
  CHECK(given["notes"][0].get<std::string>().rfind("not used: tp (", 0) == 0);
  CHECK(given["points"] == j["points"]);
}

}  // namespace
}  // namespace pertoken::test
