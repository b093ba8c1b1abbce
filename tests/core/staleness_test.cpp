// Stale data (issue 11): the age rules against a fixed date, on hand-picked figures that must and
// must not be stale. The core has no clock; every date here is given.
#include <catch2/catch.hpp>

#include "pertoken/catalog/staleness.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

bool has(const std::vector<StaleFigure>& figures, std::string_view section, std::string_view entry,
         std::string_view figure) {
  for (const StaleFigure& f : figures) {
    if (f.section == section && f.entry == entry && f.figure == figure) return true;
  }
  return false;
}

TEST_CASE("staleness: prices age after 6 months, specs never", "[staleness]") {
  CHECK(price_max_age_months == 6);
  CHECK_FALSE(spec_max_age_months.has_value());
  for (const char* price :
       {"/reference_usd_per_gpu_hour", "/purchase_price_usd", "/on_demand_usd_per_gpu_hour",
        "/spot_usd_per_gpu_hour", "/purchase_usd_per_gpu", "/usd_per_kwh",
        "/hosting_usd_per_kw_month", "/usd_per_million_output_tokens"}) {
    INFO(price);
    CHECK(max_age_months(price) == std::optional<int>(6));
  }
  for (const char* spec :
       {"/memory_gib", "/memory_bandwidth_tb_per_s", "/dense_tflops/fp8", "/tdp_w",
        "/scale_up/bandwidth_gb_per_s_per_direction", "/tensor_parallel/cores_per_device",
        "/spot_interruptions_per_hour", "/pue", "/g_co2e_per_kwh"}) {
    INFO(spec);
    CHECK_FALSE(max_age_months(spec).has_value());
  }
}

TEST_CASE("staleness: dates stand for the latest day they may mean", "[staleness]") {
  CHECK(parse_as_of("2025-01") == CalendarDate{2025, 1, 31});
  CHECK(parse_as_of("2024") == CalendarDate{2024, 12, 31});
  CHECK(parse_as_of("2024-02") == CalendarDate{2024, 2, 29});  // leap year
  CHECK(parse_as_of("2025-08-09") == CalendarDate{2025, 8, 9});
  for (const char* bad : {"", "2025-13", "2025-1", "25-01-01", "2025/01", "2025-02-30"}) {
    INFO(bad);
    CHECK_FALSE(parse_as_of(bad).has_value());
  }
  CHECK(parse_today("2024-02-29") == CalendarDate{2024, 2, 29});
  CHECK_FALSE(parse_today("2025-02-29").has_value());
  CHECK_FALSE(parse_today("2025-06").has_value());  // today is a day

  // "2025-01" is 2025-01-31: six months later is 2025-07-31, so it is stale from 2025-08-01.
  CHECK_FALSE(older_than("2025-01", {2025, 7, 31}, 6));
  CHECK(older_than("2025-01", {2025, 8, 1}, 6));
  // Month ends clamp: 2025-08-31 + 6 months = 2026-02-28.
  CHECK_FALSE(older_than("2025-08-31", {2026, 2, 28}, 6));
  CHECK(older_than("2025-08-31", {2026, 3, 1}, 6));
  // A year alone is its last day.
  CHECK_FALSE(older_than("2024", {2025, 6, 30}, 6));
  CHECK(older_than("2024", {2025, 7, 1}, 6));
  CHECK_FALSE(older_than("not a date", {2030, 1, 1}, 6));
}

TEST_CASE("staleness: stale figures of a catalog on a fixed date", "[staleness]") {
  Json gpu = minimal_gpu();
  gpu["memory_gib"] = {{"value", 80}, {"source", "https://example.org/a"}, {"as_of", "2019-01"}};
  gpu["reference_usd_per_gpu_hour"] = {
      {"value", 2.0}, {"source", "https://example.org/b"}, {"as_of", "2025-01"}};
  gpu["purchase_price_usd"] = {
      {"value", 30000}, {"source", "https://example.org/c"}, {"as_of", "2025-06"}};
  Json fresh = minimal_gpu();
  fresh["id"] = "fresh-gpu";
  fresh["reference_usd_per_gpu_hour"] = {
      {"value", 3.0}, {"source", "https://example.org/d"}, {"as_of", "2025-09-15"}};
  const Json prices = {
      {"cloud",
       {{{"gpu", "test-gpu"},
         {"provider", "Cloud"},
         {"provider_class", "specialist"},
         {"instance", "8x"},
         {"region", "eu"},
         {"on_demand_usd_per_gpu_hour",
          {{"value", 2.5}, {"source", "https://example.org/e"}, {"as_of", "2024-12"}}},
         {"spot_usd_per_gpu_hour",
          {{"value", 1.0}, {"source", "https://example.org/j"}, {"as_of", "2025-09"}}},
         {"spot_interruptions_per_hour",
          {{"value", 0.01}, {"source", "https://example.org/f"}, {"as_of", "2020"}}}}}},
      {"operating",
       {{"pue", {{"value", 1.2}, {"source", "https://example.org/g"}, {"as_of", "2010"}}},
        {"usd_per_kwh",
         {{"value", 0.1}, {"source", "https://example.org/h"}, {"as_of", "2025-09"}}},
        {"hosting_usd_per_kw_month",
         {{"value", 150}, {"source", "https://example.org/i"}, {"as_of", "2023-03"}}}}}};
  const Json document = {{"gpus", {gpu, fresh}}, {"prices", prices}};
  Result<CatalogDocument> parsed = parse_catalog_document(document.dump());
  REQUIRE(parsed.ok());
  const Catalog catalog = merge_catalog(Catalog{}, parsed.value());

  const std::vector<StaleFigure> stale = stale_figures(catalog, "2025-10-15");
  // Must be stale: prices older than 6 months.
  CHECK(has(stale, "gpus", "test-gpu", "/reference_usd_per_gpu_hour"));
  CHECK(has(stale, "cloud", "test-gpu Cloud 8x eu", "/on_demand_usd_per_gpu_hour"));
  CHECK(has(stale, "operating", "operating", "/hosting_usd_per_kw_month"));
  // Must not be: specs however old, non-dollar figures, prices within 6 months.
  CHECK_FALSE(has(stale, "gpus", "test-gpu", "/memory_gib"));
  CHECK_FALSE(has(stale, "gpus", "test-gpu", "/purchase_price_usd"));  // 2025-06-30 + 6 months
  CHECK_FALSE(has(stale, "gpus", "fresh-gpu", "/reference_usd_per_gpu_hour"));
  CHECK_FALSE(has(stale, "cloud", "test-gpu Cloud 8x eu", "/spot_usd_per_gpu_hour"));
  CHECK_FALSE(has(stale, "cloud", "test-gpu Cloud 8x eu", "/spot_interruptions_per_hour"));
  CHECK_FALSE(has(stale, "operating", "operating", "/pue"));
  CHECK_FALSE(has(stale, "operating", "operating", "/usd_per_kwh"));
  CHECK(stale.size() == 3);
  for (const StaleFigure& f : stale) CHECK(f.max_age_months == 6);
  CHECK(stale.front().provenance.as_of == "2025-01");
  CHECK(stale.front().provenance.source == "https://example.org/b");

  // A year later the purchase price has aged too; before any had aged, nothing was stale.
  CHECK(has(stale_figures(catalog, "2026-10-15"), "gpus", "test-gpu", "/purchase_price_usd"));
  CHECK(stale_figures(catalog, "2023-09-30").empty());  // hosting: 2023-03-31 + 6 months
  // No date, no answer (the core has no clock to fall back on).
  CHECK(stale_figures(catalog, "").empty());
  CHECK(stale_figures(catalog, "2025-10").empty());

  const Json listed = Json::parse(stale_figures_json(stale));
  REQUIRE(listed.size() == 3);
  CHECK(listed[0]["section"] == "gpus");
  CHECK(listed[0]["entry"] == "test-gpu");
  CHECK(listed[0]["figure"] == "/reference_usd_per_gpu_hour");
  CHECK(listed[0]["as_of"] == "2025-01");
  CHECK(listed[0]["max_age_months"] == 6);
}

TEST_CASE("staleness: the shipped catalog on a fixed date", "[staleness]") {
  // inferentia2's reference price is as of 2026-02, i.e. 2026-02-28: stale from 2026-08-29 on.
  // Its specs never age.
  const std::vector<StaleFigure> later = stale_figures(embedded_catalog(), "2026-12-01");
  CHECK(has(later, "gpus", "inferentia2", "/reference_usd_per_gpu_hour"));
  CHECK_FALSE(has(later, "gpus", "inferentia2", "/memory_gib"));
  for (const StaleFigure& f : later) {
    INFO(f.section << " " << f.entry << " " << f.figure);
    CHECK(max_age_months(f.figure).has_value());  // only prices
  }
  CHECK_FALSE(has(stale_figures(embedded_catalog(), "2026-08-28"), "gpus", "inferentia2",
                  "/reference_usd_per_gpu_hour"));
}

TEST_CASE("staleness: the estimate notes a stale price it uses", "[staleness]") {
  Json gpu = minimal_gpu();
  gpu["name"] = "Test GPU";
  gpu["reference_usd_per_gpu_hour"] = {
      {"value", 2.0}, {"source", "https://example.org/b"}, {"as_of", "2025-01"}};
  Result<CatalogDocument> parsed = parse_catalog_document(Json{{"gpus", {gpu}}}.dump());
  REQUIRE(parsed.ok());
  const GpuSpec& spec = parsed.value().gpus.front();
  const std::optional<std::string> note = stale_price_note(spec, 2.0, "2025-10-15");
  REQUIRE(note.has_value());
  CHECK(note->find("the price of Test GPU ($2.00 per GPU-hour, the catalog's reference) is as of "
                   "2025-01, older than 6 months") == 0);
  CHECK_FALSE(stale_price_note(spec, 3.5, "2025-10-15"));           // the user's own price
  CHECK_FALSE(stale_price_note(spec, std::nullopt, "2025-10-15"));  // no price
  CHECK_FALSE(stale_price_note(spec, 2.0, "2025-07-31"));           // not yet 6 months old
  CHECK_FALSE(stale_price_note(spec, 2.0, ""));                     // no date

  // Through the door: the note with today's date, none without it.
  const Json scenario = {{"model", "llama-3.1-8b"}, {"gpu", gpu}};
  auto has_note = [](const std::string& result) {
    const Json document = Json::parse(result);
    for (const auto& n : document.at("notes")) {
      if (n.get<std::string>().find("older than 6 months") != std::string::npos) return true;
    }
    return false;
  };
  const Catalog& catalog = embedded_catalog();
  CHECK(has_note(evaluate_scenario_json(scenario.dump(), catalog, "2025-10-15")));
  CHECK_FALSE(has_note(evaluate_scenario_json(scenario.dump(), catalog, "2025-03-01")));
  CHECK_FALSE(has_note(evaluate_scenario_json(scenario.dump(), catalog)));

  // The point estimate a first view shows: the same figures and notes, no bands (yet).
  const Json full = Json::parse(evaluate_scenario_json(scenario.dump(), catalog, "2025-10-15"));
  const Json point =
      Json::parse(evaluate_scenario_point_json(scenario.dump(), catalog, "2025-10-15"));
  CHECK(has_note(point.dump()));
  CHECK(point["uncertainty"].is_null());
  CHECK(point["uncertainty_basis"].is_null());
  CHECK(full["uncertainty"].is_object());
  for (const char* key : {"usd_per_million_tokens", "ttft_seconds", "tpot_seconds", "notes",
                          "scenario", "memory", "breakdown", "fits", "max_concurrency"}) {
    INFO(key);
    CHECK(point[key] == full[key]);
  }
  // Bad input: the same errors as the full door.
  CHECK(Json::parse(evaluate_scenario_point_json(R"({"model": "nope"})", catalog, ""))
            .contains("errors"));
}

}  // namespace
}  // namespace pertoken::test
