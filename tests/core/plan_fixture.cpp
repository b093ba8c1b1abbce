#include "plan_fixture.hpp"

#include <utility>

#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace pertoken::test {

Catalog one_accelerator_catalog(CloudPrice offer) {
  Json g = minimal_gpu();
  g["id"] = "fast";
  g["memory_gib"] = 40;
  g["memory_bandwidth_tb_per_s"] = 3.0;
  g["dense_tflops"] = {{"bf16", 800}, {"fp8", 1600}};
  g["scale_up"]["domain_size"] = 4;
  Result<CatalogDocument> doc = parse_catalog_document(Json{{"gpus", {g}}}.dump());
  REQUIRE(doc.ok());
  Catalog c = embedded_catalog();
  c.gpus = {doc.value().gpus.front()};
  c.prices = PriceCatalog{};
  offer.gpu = "fast";
  c.prices.cloud = {std::move(offer)};
  return c;
}

CloudPrice specialist_offer(double usd_per_gpu_hour) {
  CloudPrice offer;
  offer.provider = "test-cloud";
  offer.provider_class = ProviderClass::specialist;
  offer.on_demand_usd_per_gpu_hour = usd_per_gpu_hour;
  return offer;
}

PlanRequest one_accelerator_request(const Catalog& catalog, double tokens_per_day) {
  PlanRequest r;
  Result<Scenario> base = parse_scenario(Json{{"model", minimal_model()},
                                              {"gpu", catalog.gpus.front().id},
                                              {"input_tokens", 1000},
                                              {"output_tokens", 200}}
                                             .dump(),
                                         catalog);
  REQUIRE(base.ok());
  r.base = base.value();
  r.workload.tokens_per_day = tokens_per_day;
  r.workload.peak_to_average = 2;
  r.max_devices = 4;
  r.search_speculative = false;
  return r;
}

}  // namespace pertoken::test
