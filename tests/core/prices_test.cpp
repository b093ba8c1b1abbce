// The price catalog: the shipped file parses, passes the provenance gate and names only catalog
// accelerators and models; hand-checked rows; bad inputs get messages naming the field's path;
// a user catalog's "prices" extends the shipped one.
#include <cmath>
#include <set>

#include <catch2/catch.hpp>

#include "pertoken/economics/prices.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

// The first diagnostic of a price catalog that must fail to parse.
Diagnostic price_error(const Json& document) {
  Result<PriceCatalog> parsed = parse_price_catalog(document.dump());
  REQUIRE_FALSE(parsed.ok());
  REQUIRE_FALSE(parsed.diagnostics().empty());
  return parsed.diagnostics().front();
}

Json cloud_row() {
  return {{"gpu", "h100-sxm"},
          {"provider", "Example Cloud"},
          {"provider_class", "specialist"},
          {"on_demand_usd_per_gpu_hour", 2.5}};
}

// A document whose cloud row 3 is `bad` (rows 0-2 valid), to check the index in the path.
Json cloud_document_with(const Json& bad) {
  Json rows = Json::array();
  for (int i = 0; i < 3; ++i) {
    Json row = cloud_row();
    row["instance"] = "row-" + std::to_string(i);
    rows.push_back(row);
  }
  rows.push_back(bad);
  return {{"cloud", rows}};
}

const CloudPrice* find_cloud(const PriceCatalog& prices, std::string_view gpu,
                             std::string_view provider, std::string_view instance) {
  for (const CloudPrice& c : prices.cloud) {
    if (c.gpu == gpu && c.provider == provider && c.instance == instance) return &c;
  }
  return nullptr;
}

const ApiPrice* find_api(const PriceCatalog& prices, std::string_view model,
                         std::string_view provider) {
  for (const ApiPrice& a : prices.apis) {
    if (a.model == model && a.provider == provider) return &a;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// The shipped catalog

TEST_CASE("prices gate: the shipped price catalog parses without diagnostics", "[prices][gate]") {
  for (const Diagnostic& d : embedded_prices_diagnostics()) INFO(d.to_string());
  CHECK(embedded_prices_diagnostics().empty());
  CHECK(embedded_prices().cloud.size() >= 40);
  CHECK(embedded_prices().apis.size() >= 50);
  CHECK(embedded_prices().grid.size() >= 8);
  CHECK_FALSE(embedded_prices().owned.empty());
}

TEST_CASE("prices gate: every shipped price figure has a public source and an as_of date",
          "[prices][gate]") {
  const Diagnostics missing = check_price_provenance(embedded_prices_json());
  for (const Diagnostic& d : missing) INFO(d.to_string());
  CHECK(missing.empty());
  // Every operating figure is given (none falls back to a built-in default silently).
  CHECK(embedded_prices().operating.provenance.size() == 7);
}

TEST_CASE("prices gate: every accelerator and model named in prices is in the catalog",
          "[prices][gate]") {
  const Catalog& catalog = embedded_catalog();
  const PriceCatalog& prices = embedded_prices();
  for (const CloudPrice& c : prices.cloud) {
    INFO(c.gpu << " " << c.provider);
    CHECK(catalog.find_gpu(c.gpu) != nullptr);
  }
  for (const OwnedPrice& o : prices.owned) {
    INFO(o.gpu);
    CHECK(catalog.find_gpu(o.gpu) != nullptr);
  }
  for (const ApiPrice& a : prices.apis) {
    INFO(a.model << " " << a.provider);
    CHECK(catalog.find_model(a.model) != nullptr);
  }
}

TEST_CASE("prices gate: the embedded catalog carries the shipped prices", "[prices][gate]") {
  CHECK(embedded_catalog_with_prices().prices.cloud.size() == embedded_prices().cloud.size());
  CHECK(embedded_catalog_with_prices().prices.apis.size() == embedded_prices().apis.size());
}

TEST_CASE("prices gate: the common accelerators have an offer in each provider class",
          "[prices][gate]") {
  // Where offers were found (no citable marketplace price for L4, MI300X or A10G, which AWS
  // alone rents; no hyperscaler price for GB200, MI325X or Gaudi 3): more may be added.
  struct Expect {
    const char* gpu;
    bool hyperscaler, specialist, marketplace;
  };
  const Expect expected[] = {{"h100-sxm", true, true, true}, {"h200-sxm", true, true, true},
                             {"b200", true, true, true},     {"a100-80gb-sxm", true, true, true},
                             {"l40s", true, true, true},     {"l4", true, false, false},
                             {"mi300x", true, true, false},  {"a10g", true, false, false},
                             {"gb200", false, true, true},   {"mi325x", false, true, false},
                             {"gaudi3", false, true, false}, {"tpu-v5e", true, false, false}};
  for (const Expect& e : expected) {
    INFO(e.gpu);
    std::set<ProviderClass> classes;
    for (const CloudPrice& c : embedded_prices().cloud) {
      if (c.gpu == e.gpu) classes.insert(c.provider_class);
    }
    if (e.hyperscaler) CHECK(classes.count(ProviderClass::hyperscaler) == 1);
    if (e.specialist) CHECK(classes.count(ProviderClass::specialist) == 1);
    if (e.marketplace) CHECK(classes.count(ProviderClass::marketplace) == 1);
  }
}

TEST_CASE("prices gate: hand-checked rows", "[prices][gate]") {
  const PriceCatalog& prices = embedded_prices();

  // AWS p5.48xlarge: $55.04 per instance-hour / 8 H100 = $6.88 per GPU-hour.
  const CloudPrice* p5 = find_cloud(prices, "h100-sxm", "AWS", "p5.48xlarge");
  REQUIRE(p5 != nullptr);
  CHECK(p5->provider_class == ProviderClass::hyperscaler);
  CHECK(*p5->on_demand_usd_per_gpu_hour == Approx(55.04 / 8));
  CHECK(*p5->on_demand_usd_per_gpu_hour == Approx(6.88));
  // Spot: 52% below on-demand (Spot Advisor); bucket ">20%" taken as 25% of instances a month:
  // -ln(0.75) / 730 h.
  CHECK(*p5->spot_usd_per_gpu_hour == Approx(6.88 * 0.48).epsilon(1e-3));
  CHECK(*p5->spot_interruptions_per_hour == Approx(-std::log(0.75) / 730).epsilon(1e-2));
  CHECK(p5->provenance.at("/on_demand_usd_per_gpu_hour").source.find("tsaol/aws-gpu") !=
        std::string::npos);

  // AWS p4de.24xlarge: 1-year reserved, no upfront, $17.401365 / 8.
  const CloudPrice* p4de = find_cloud(prices, "a100-80gb-sxm", "AWS", "p4de.24xlarge");
  REQUIRE(p4de != nullptr);
  CHECK(*p4de->commit_1y_usd_per_gpu_hour == Approx(17.401365 / 8).epsilon(1e-4));
  // Bucket "<5%" taken as 2.5% a month.
  CHECK(*p4de->spot_interruptions_per_hour == Approx(-std::log(0.975) / 730).epsilon(1e-2));

  // Google a3-highgpu-8g, us-central1: 3-year commitment $28,370.998 per month / 730 h / 8.
  const CloudPrice* a3 = find_cloud(prices, "h100-sxm", "Google Cloud", "a3-highgpu-8g");
  REQUIRE(a3 != nullptr);
  CHECK(*a3->on_demand_usd_per_gpu_hour == Approx(88.49 / 8).epsilon(1e-3));
  CHECK(*a3->commit_1y_usd_per_gpu_hour == Approx(44810.08066464 / 730 / 8).epsilon(1e-4));
  CHECK(*a3->commit_3y_usd_per_gpu_hour == Approx(28370.99821392 / 730 / 8).epsilon(1e-4));
  CHECK_FALSE(a3->spot_interruptions_per_hour.has_value());  // Google publishes none

  // CoreWeave HGX H100: $49.24 per 8-GPU hour; spot $19.71.
  const CloudPrice* cw = find_cloud(prices, "h100-sxm", "CoreWeave", "NVIDIA HGX H100");
  REQUIRE(cw != nullptr);
  CHECK(cw->provider_class == ProviderClass::specialist);
  CHECK(*cw->on_demand_usd_per_gpu_hour == Approx(6.155));
  CHECK(*cw->spot_usd_per_gpu_hour == Approx(19.71 / 8).epsilon(1e-4));

  // RunPod is the marketplace: H100 SXM Community Cloud $2.69.
  const CloudPrice* runpod = find_cloud(prices, "h100-sxm", "RunPod", "H100 SXM, Community Cloud");
  REQUIRE(runpod != nullptr);
  CHECK(runpod->provider_class == ProviderClass::marketplace);
  CHECK(*runpod->on_demand_usd_per_gpu_hour == Approx(2.69));

  // Together AI, Llama 3.1 8B Turbo: $0.18 per million input and output tokens.
  const ApiPrice* together = find_api(prices, "llama-3.1-8b", "Together AI");
  REQUIRE(together != nullptr);
  CHECK(together->usd_per_million_input_tokens == Approx(0.18));
  CHECK(together->usd_per_million_output_tokens == Approx(0.18));
  // DeepSeek's own API, standard hours: $0.27 / $1.10, cache hits $0.07.
  const ApiPrice* deepseek = find_api(prices, "deepseek-v3", "DeepSeek");
  REQUIRE(deepseek != nullptr);
  CHECK(deepseek->usd_per_million_output_tokens == Approx(1.1));
  CHECK(deepseek->usd_per_million_cached_input_tokens.value() == Approx(0.07));

  // Operating: Uptime's 2023 PUE, CBRE's H2 2024 colocation rate.
  CHECK(prices.operating.pue == Approx(1.58));
  CHECK(prices.operating.hosting_usd_per_kw_month == Approx(184.06));
  CHECK(prices.operating.depreciation_years == Approx(5));

  // Grid: the planner's default region exists.
  bool us_average = false;
  for (const GridIntensity& g : prices.grid) us_average = us_average || g.region == "us-average";
  CHECK(us_average);
}

// ---------------------------------------------------------------------------------------------
// Parsing

TEST_CASE("prices: a minimal catalog parses, plain numbers inherit the row's provenance",
          "[prices]") {
  Json row = cloud_row();
  row["source"] = "https://example.org/prices";
  row["as_of"] = "2026-01";
  row["spot_usd_per_gpu_hour"] = {
      {"value", 1.0}, {"source", "https://example.org/spot"}, {"as_of", "2026-02-03"}};
  row["spot_interruptions_per_hour"] = 0.001;
  const Json document = {{"$schema", "./prices.schema.json"},
                         {"schema_version", 1},
                         {"cloud", {row}},
                         {"owned", {{{"gpu", "h100-sxm"}, {"purchase_usd_per_gpu", 30000}}}},
                         {"operating", {{"pue", 1.2}}},
                         {"apis",
                          {{{"model", "llama-3.1-8b"},
                            {"provider", "Example"},
                            {"usd_per_million_input_tokens", 0.1},
                            {"usd_per_million_output_tokens", 0.2}}}},
                         {"grid", {{{"region", "france"}, {"g_co2e_per_kwh", 56}}}}};
  Result<PriceCatalog> parsed = parse_price_catalog(document.dump());
  for (const Diagnostic& d : parsed.ok() ? Diagnostics{} : parsed.diagnostics()) {
    INFO(d.to_string());
  }
  REQUIRE(parsed.ok());
  const PriceCatalog& prices = parsed.value();
  const CloudPrice& c = prices.cloud.at(0);
  CHECK(c.provider_class == ProviderClass::specialist);
  CHECK(*c.on_demand_usd_per_gpu_hour == Approx(2.5));
  CHECK_FALSE(c.commit_1y_usd_per_gpu_hour.has_value());
  CHECK(c.provenance.at("/on_demand_usd_per_gpu_hour").source == "https://example.org/prices");
  CHECK(c.provenance.at("/on_demand_usd_per_gpu_hour").as_of == "2026-01");
  CHECK(c.provenance.at("/spot_usd_per_gpu_hour").source == "https://example.org/spot");
  CHECK(prices.owned.at(0).server_usd_per_gpu == 0);
  CHECK(prices.operating.pue == Approx(1.2));
  CHECK(prices.operating.usd_per_kwh == Approx(OperatingCosts{}.usd_per_kwh));  // default kept
  CHECK(prices.operating.provenance.count("/pue") == 1);
  CHECK(prices.operating.provenance.count("/usd_per_kwh") == 0);
  CHECK_FALSE(prices.apis.at(0).usd_per_million_cached_input_tokens.has_value());
  CHECK(prices.grid.at(0).g_co2e_per_kwh == Approx(56));

  // Without sources the gate complains, naming each figure.
  const Diagnostics gate = check_price_provenance(document.dump());
  bool named = false;
  for (const Diagnostic& d : gate) {
    named = named ||
            (d.code == ErrorCode::missing_source && d.json_path == "/owned/0/purchase_usd_per_gpu");
  }
  CHECK(named);
}

TEST_CASE("prices: provider classes round-trip", "[prices]") {
  for (ProviderClass c :
       {ProviderClass::hyperscaler, ProviderClass::specialist, ProviderClass::marketplace}) {
    CHECK(parse_provider_class(to_string(c)) == c);
  }
  CHECK_FALSE(parse_provider_class("neocloud").has_value());
}

TEST_CASE("prices: a negative price names its path", "[prices][errors]") {
  Json bad = cloud_row();
  bad["spot_usd_per_gpu_hour"] = -1;
  const Diagnostic d = price_error(cloud_document_with(bad));
  CHECK(d.code == ErrorCode::out_of_range);
  CHECK(d.to_string() == "/cloud/3/spot_usd_per_gpu_hour: must be >= 0");
}

TEST_CASE("prices: a negative price inside a figure object names the figure", "[prices][errors]") {
  Json bad = cloud_row();
  bad["on_demand_usd_per_gpu_hour"] = {
      {"value", -2}, {"source", "https://example.org"}, {"as_of", "2026"}};
  CHECK(price_error(cloud_document_with(bad)).to_string() ==
        "/cloud/3/on_demand_usd_per_gpu_hour: must be >= 0");
}

TEST_CASE("prices: unknown keys are errors at every level", "[prices][errors]") {
  Json bad = cloud_row();
  bad["ondemand"] = 2;
  Diagnostic d = price_error(cloud_document_with(bad));
  CHECK(d.code == ErrorCode::unknown_field);
  CHECK(d.json_path == "/cloud/3/ondemand");

  d = price_error({{"cloud", Json::array()}, {"spot", Json::array()}});
  CHECK(d.code == ErrorCode::unknown_field);
  CHECK(d.json_path == "/spot");

  d = price_error({{"operating", {{"pue", 1.2}, {"kwh_price", 0.1}}}});
  CHECK(d.json_path == "/operating/kwh_price");

  Json figure = cloud_row();
  figure["on_demand_usd_per_gpu_hour"] = {{"value", 2}, {"url", "https://example.org"}};
  d = price_error(cloud_document_with(figure));
  CHECK(d.json_path == "/cloud/3/on_demand_usd_per_gpu_hour/url");
}

TEST_CASE("prices: a PUE below 1 names the field", "[prices][errors]") {
  const Diagnostic d = price_error({{"operating", {{"pue", 0.9}}}});
  CHECK(d.code == ErrorCode::out_of_range);
  CHECK(d.to_string() == "/operating/pue: must be >= 1 (facility power / IT power)");
}

TEST_CASE("prices: operating figures out of range name the field", "[prices][errors]") {
  CHECK(price_error({{"operating", {{"depreciation_years", 0}}}}).to_string() ==
        "/operating/depreciation_years: must be > 0");
  CHECK(price_error({{"operating", {{"depreciation_years", -3}}}}).to_string() ==
        "/operating/depreciation_years: must be > 0");
  CHECK(price_error({{"operating", {{"usd_per_kwh", -0.1}}}}).to_string() ==
        "/operating/usd_per_kwh: must be >= 0");
  CHECK(price_error({{"operating", {{"cost_of_capital_per_year", 8}}}}).to_string() ==
        "/operating/cost_of_capital_per_year: must be <= 1");
  CHECK(price_error({{"operating", {{"hosting_usd_per_kw_month", nullptr}}}}).to_string() ==
        "/operating/hosting_usd_per_kw_month: must be a number, not null");
}

TEST_CASE("prices: rows name their missing and invalid fields", "[prices][errors]") {
  Json bad = cloud_row();
  bad.erase("provider_class");
  Diagnostic d = price_error(cloud_document_with(bad));
  CHECK(d.code == ErrorCode::missing_field);
  CHECK(d.to_string() == "/cloud/3/provider_class: is required");

  bad = cloud_row();
  bad["provider_class"] = "neocloud";
  d = price_error(cloud_document_with(bad));
  CHECK(d.code == ErrorCode::invalid_value);
  CHECK(d.to_string() ==
        "/cloud/3/provider_class: must be one of hyperscaler, specialist, marketplace");

  bad = cloud_row();
  bad["gpu"] = "H100 SXM";
  d = price_error(cloud_document_with(bad));
  CHECK(d.code == ErrorCode::invalid_value);
  CHECK(d.json_path == "/cloud/3/gpu");

  bad = cloud_row();
  bad["provider"] = "";
  CHECK(price_error(cloud_document_with(bad)).to_string() ==
        "/cloud/3/provider: must not be empty");

  bad = cloud_row();
  bad.erase("on_demand_usd_per_gpu_hour");
  bad["commit_1y_usd_per_gpu_hour"] = nullptr;
  d = price_error(cloud_document_with(bad));
  CHECK(d.code == ErrorCode::inconsistent);
  CHECK(d.json_path == "/cloud/3");

  bad = cloud_row();
  bad["spot_interruptions_per_hour"] = 0.01;
  d = price_error(cloud_document_with(bad));
  CHECK(d.code == ErrorCode::inconsistent);
  CHECK(d.json_path == "/cloud/3/spot_interruptions_per_hour");

  bad = cloud_row();
  bad["spot_usd_per_gpu_hour"] = 1;
  bad["spot_interruptions_per_hour"] = -0.01;
  CHECK(price_error(cloud_document_with(bad)).to_string() ==
        "/cloud/3/spot_interruptions_per_hour: must be >= 0");

  CHECK(price_error({{"cloud", Json::array({"h100"})}}).to_string() ==
        "/cloud/0: must be an object, not a string");
  CHECK(price_error({{"apis", {{"model", "x"}}}}).to_string() ==
        "/apis: must be an array, not an object");
}

TEST_CASE("prices: owned, API and grid rows check their figures", "[prices][errors]") {
  CHECK(
      price_error({{"owned", {{{"gpu", "h100-sxm"}, {"purchase_usd_per_gpu", -1}}}}}).to_string() ==
      "/owned/0/purchase_usd_per_gpu: must be > 0");
  CHECK(price_error({{"owned", {{{"gpu", "h100-sxm"}}}}}).to_string() ==
        "/owned/0/purchase_usd_per_gpu: is required");
  CHECK(
      price_error(
          {{"owned",
            {{{"gpu", "h100-sxm"}, {"purchase_usd_per_gpu", 30000}, {"server_usd_per_gpu", -5}}}}})
          .to_string() == "/owned/0/server_usd_per_gpu: must be >= 0");

  const Json api = {{"model", "llama-3.1-8b"},
                    {"provider", "Example"},
                    {"usd_per_million_input_tokens", 0.1},
                    {"usd_per_million_output_tokens", -0.2}};
  CHECK(price_error({{"apis", {api}}}).to_string() ==
        "/apis/0/usd_per_million_output_tokens: must be >= 0");
  Json cached = api;
  cached["usd_per_million_output_tokens"] = 0.2;
  cached["usd_per_million_cached_input_tokens"] = 0.5;
  const Diagnostic d = price_error({{"apis", {cached}}});
  CHECK(d.code == ErrorCode::inconsistent);
  CHECK(d.json_path == "/apis/0/usd_per_million_cached_input_tokens");

  CHECK(price_error({{"grid", {{{"region", "france"}, {"g_co2e_per_kwh", -1}}}}}).to_string() ==
        "/grid/0/g_co2e_per_kwh: must be >= 0");
  CHECK(price_error({{"grid", {{{"region", "france"}}}}}).to_string() ==
        "/grid/0/g_co2e_per_kwh: is required");
}

TEST_CASE("prices: duplicate rows in one document are errors", "[prices][errors]") {
  const Json row = cloud_row();
  Diagnostic d = price_error({{"cloud", {row, row}}});
  CHECK(d.code == ErrorCode::duplicate_id);
  CHECK(d.json_path == "/cloud/1");
  const Json grid = {{"region", "france"}, {"g_co2e_per_kwh", 56}};
  d = price_error({{"grid", {grid, grid}}});
  CHECK(d.code == ErrorCode::duplicate_id);
  CHECK(d.json_path == "/grid/1");
}

TEST_CASE("prices: schema_version must be 1 and JSON must be JSON", "[prices][errors]") {
  CHECK(price_error({{"schema_version", 2}}).json_path == "/schema_version");
  Result<PriceCatalog> parsed = parse_price_catalog("{\"cloud\": [");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.diagnostics().front().code == ErrorCode::json_syntax);
}

// ---------------------------------------------------------------------------------------------
// A user catalog's prices

TEST_CASE("prices: a catalog document's prices report paths under /prices", "[prices][errors]") {
  Json bad = cloud_row();
  bad["spot_usd_per_gpu_hour"] = -1;
  Result<CatalogDocument> parsed =
      parse_catalog_document(Json{{"prices", cloud_document_with(bad)}}.dump());
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.diagnostics().front().to_string() ==
        "/prices/cloud/3/spot_usd_per_gpu_hour: must be >= 0");
  // The file header keys belong to a price file, not to the object inside a catalog document.
  parsed = parse_catalog_document(Json{{"prices", {{"schema_version", 1}}}}.dump());
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.diagnostics().front().json_path == "/prices/schema_version");
}

TEST_CASE("prices: a user catalog extends the shipped prices", "[prices]") {
  const std::size_t shipped_cloud = embedded_prices().cloud.size();
  const double shipped_kwh = embedded_prices().operating.usd_per_kwh;

  Json replaced = {
      {"gpu", "h100-sxm"},         {"provider", "AWS"},     {"provider_class", "hyperscaler"},
      {"instance", "p5.48xlarge"}, {"region", "us-east-1"}, {"on_demand_usd_per_gpu_hour", 5.0}};
  Json added = cloud_row();
  const Json overlay = {{"prices",
                         {{"cloud", {replaced, added}},
                          {"operating", {{"pue", 1.1}}},
                          {"grid", {{{"region", "my-site"}, {"g_co2e_per_kwh", 12.5}}}}}}};
  Result<CatalogDocument> document = parse_catalog_document(overlay.dump());
  REQUIRE(document.ok());
  REQUIRE(document.value().prices.has_value());
  const Catalog merged = merge_catalog(embedded_catalog_with_prices(), document.value());

  CHECK(merged.prices.cloud.size() == shipped_cloud + 1);
  const CloudPrice* p5 = find_cloud(merged.prices, "h100-sxm", "AWS", "p5.48xlarge");
  REQUIRE(p5 != nullptr);
  CHECK(*p5->on_demand_usd_per_gpu_hour == Approx(5.0));
  CHECK_FALSE(p5->spot_usd_per_gpu_hour.has_value());  // the row is replaced, not patched
  CHECK(find_cloud(merged.prices, "h100-sxm", "Example Cloud", "") != nullptr);
  CHECK(merged.prices.operating.pue == Approx(1.1));
  CHECK(merged.prices.operating.usd_per_kwh == Approx(shipped_kwh));  // not given: kept
  CHECK(merged.prices.operating.provenance.at("/pue").source.empty());
  CHECK(merged.prices.grid.back().region == "my-site");
  // The shipped catalog itself is untouched.
  CHECK(embedded_prices().cloud.size() == shipped_cloud);

  // A document without prices leaves them as they are.
  Result<CatalogDocument> none = parse_catalog_document(Json{{"gpus", Json::array()}}.dump());
  REQUIRE(none.ok());
  CHECK_FALSE(none.value().prices.has_value());
  CHECK(merge_catalog(embedded_catalog_with_prices(), none.value()).prices.cloud.size() ==
        shipped_cloud);
}

}  // namespace
}  // namespace pertoken::test
