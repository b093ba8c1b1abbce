// The article's case studies: each parses into a plan that meets its SLA, audio hours become
// requests by the encoder's window, and the comparison's device-hours follow from the bills.
#include <catch2/catch.hpp>

#include "pertoken/plan/case_studies.hpp"
#include "pertoken/plan/plan_json.hpp"
#include "test_support.hpp"

namespace pertoken::test {

TEST_CASE("case studies: every one plans, and its ids are the table's", "[plan]") {
  REQUIRE(case_studies().size() == case_study_ids.size());
  for (std::size_t i = 0; i < case_study_ids.size(); ++i) {
    CHECK(case_studies()[i].id == case_study_ids[i]);
    const std::string request = R"({"case_study": ")" + std::string(case_study_ids[i]) + R"("})";
    Result<PlanRequest> r = parse_plan_request(request, embedded_catalog_with_prices());
    INFO(case_study_ids[i]);
    REQUIRE(r.ok());
    CHECK(r.value().case_study == case_study_ids[i]);
    const Plan plan = make_plan(r.value(), embedded_catalog_with_prices());
    CHECK(plan.meets_sla);
    const CaseStudyComparison c = compare_case_study(case_studies()[i], plan);
    CHECK_FALSE(c.why.empty());
    if (case_studies()[i].article_usd_per_month_after) {
      // Device-hours a day the article's bill buys: $/month over days a month over $/hour.
      const double expected = *case_studies()[i].article_usd_per_month_after / (730.0 / 24) /
                              plan.best->usd_per_gpu_hour;
      CHECK(*c.article_device_hours_per_day == Approx(expected));
      CHECK(*c.computed_device_hours_per_day == Approx(plan.gpus_total * 24.0));
      // Said with the count's noun in the singular for one device (it said "1 devices").
      const std::string devices = plan.gpus_total == 1
                                      ? "(1 device around the clock, "
                                      : "(" + std::to_string(plan.gpus_total) + " devices around";
      REQUIRE(plan.gpus_total < 1000);  // no thousands separator in the expected text
      CHECK(c.why.front().find(devices) != std::string::npos);
    }
  }
}

TEST_CASE("case studies: audio hours become one request per encoder window", "[plan]") {
  const Catalog& catalog = embedded_catalog_with_prices();
  Result<PlanRequest> r = parse_plan_request(R"({"case_study": "transcription"})", catalog);
  REQUIRE(r.ok());
  const Plan plan = make_plan(r.value(), catalog);
  // 5,000 hours x 3,600 s / 30 s per window / 86,400 s a day.
  CHECK(plan.requests_per_s == Approx(5000.0 * 3600 / 30 / 86400));
  CHECK(plan.tokens_per_day == Approx(5000.0 * 120 * (4 + 83)));
  // The request's own keys override the case's.
  Result<PlanRequest> doubled = parse_plan_request(
      R"({"case_study": "transcription", "audio_hours_per_day": 10000})", catalog);
  REQUIRE(doubled.ok());
  CHECK(make_plan(doubled.value(), catalog).requests_per_s == Approx(2 * plan.requests_per_s));
}

TEST_CASE("case studies: bad ids and audio without an audio encoder are named", "[plan]") {
  auto error = [](const char* json) {
    Result<PlanRequest> r = parse_plan_request(json, embedded_catalog_with_prices());
    REQUIRE_FALSE(r.ok());
    return r.diagnostics().front().to_string();
  };
  CHECK(error(R"({"case_study": "pizza"})").rfind("/case_study: ", 0) == 0);
  CHECK(error(R"({"model": "llama-3.1-8b", "audio_hours_per_day": 10})")
            .rfind("/audio_hours_per_day: ", 0) == 0);
  CHECK(
      error(
          R"({"model": "whisper-large-v3", "input_tokens": 4, "output_tokens": 80, "audio_hours_per_day": 10, "tokens_per_day": 5})")
          .find("give one of") != std::string::npos);
}

}  // namespace pertoken::test
