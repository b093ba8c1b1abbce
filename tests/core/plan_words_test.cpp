// The plan's answer in words, as every door shows it (the CLI's plan table, the planner page,
// the app): plans built by hand, the expected sentences written out in full. And the figures'
// own formats, which those sentences use.
#include <limits>

#include <catch2/catch.hpp>

#include "pertoken/plan/plan_words.hpp"
#include "pertoken/text/figure_text.hpp"

namespace pertoken::test {
namespace {

PlanOption option(int replicas) {
  PlanOption o;
  o.scenario.gpu.name = "NVIDIA H100 SXM";
  o.scenario.num_gpus = 8;
  o.scenario.tp = 8;
  o.scenario.weights = Precision::fp8;
  o.scenario.kv_cache = Precision::bf16;
  o.scenario.speculative.method = SpeculativeMethod::eagle;
  o.scenario.concurrency = 64;
  o.replicas = replicas;
  o.gpus_total = replicas * 8;
  return o;
}

// A plan that meets the SLA with this best and these whole-deployment figures.
Plan met_plan(int best_replicas, int gpus_total, double utilization, double usd_per_month,
              double usd_per_million_tokens) {
  Plan p;
  p.meets_sla = true;
  p.best = option(best_replicas);
  p.gpus_total = gpus_total;
  p.utilization = utilization;
  p.usd_per_month = usd_per_month;
  p.usd_per_million_tokens = usd_per_million_tokens;
  return p;
}

const char* const h100_words =
    "8 × NVIDIA H100 SXM (tp 8, pp 1, ep 1; fp8 weights, bf16 KV cache; eagle speculative "
    "decoding; 64 requests in flight)";

}  // namespace

TEST_CASE("plan words: a configuration, and its fleet in the singular and the plural",
          "[plan][words]") {
  PlanOption o = option(3);
  CHECK(configuration_words(o.scenario) == h100_words);
  CHECK(fleet_words(o) == "3 replicas, 24 devices in all");
  o.scenario.speculative.method = SpeculativeMethod::none;
  o.scenario.num_gpus = 1;
  o.scenario.tp = 1;
  o.scenario.concurrency = 1;
  o.replicas = 1;
  o.gpus_total = 1;
  CHECK(configuration_words(o.scenario) ==
        "1 × NVIDIA H100 SXM (tp 1, pp 1, ep 1; fp8 weights, bf16 KV cache; 1 request in flight)");
  CHECK(fleet_words(o) == "1 replica, 1 device in all");
  // A draft model is named by its catalog id.
  o.scenario.speculative.method = SpeculativeMethod::draft_model;
  o.scenario.speculative.draft_model = ModelSpec{};
  o.scenario.speculative.draft_model->id = "llama-3.2-1b";
  CHECK(configuration_words(o.scenario) ==
        "1 × NVIDIA H100 SXM (tp 1, pp 1, ep 1; fp8 weights, bf16 KV cache; speculative decoding "
        "with the draft model llama-3.2-1b; 1 request in flight)");
}

TEST_CASE("plan words: a plan that meets the SLA gives its price, fleet and month",
          "[plan][words]") {
  const PlanRequest r;  // centralized, on-demand at a specialist cloud
  const PlanAnswer a = plan_answer(r, met_plan(3, 24, 0.473, 1095.4, 0.09404));
  CHECK(a.verdict == "Meets the SLA at $0.0940 per million tokens (on-demand:specialist prices).");
  CHECK(a.detail == std::string("Best: ") + h100_words +
                        "; 3 replicas, 24 devices in all, 47.3% utilized, $1,095 a month.");
}

TEST_CASE("plan words: a deployment of several pools names each pool", "[plan][words]") {
  PlanRequest r;
  r.deployment.pattern = DeploymentPattern::edge;
  Plan p = met_plan(1, 32, 0.5, 20000, 1.5);
  DeploymentPart site;
  site.role = "edge site";
  site.model = "llama-3.1-8b";
  site.sites = 4;
  site.best = option(1);
  p.parts = {site};
  const PlanAnswer a = plan_answer(r, p);
  CHECK(a.verdict == "Meets the SLA at $1.50 per million tokens (on-demand:specialist prices).");
  CHECK(a.detail == std::string("Best: 32 devices in all (edge deployment), 50% utilized, "
                                "$20,000 a month. Its pools: edge site (llama-3.1-8b, each of 4 "
                                "sites): ") +
                        h100_words + ", 1 replica, 8 devices in all.");
}

TEST_CASE("plan words: a plan that misses the SLA names the closest and by how much",
          "[plan][words]") {
  PlanRequest r;
  Plan p;
  p.closest = option(2);
  p.closest->estimate.ttft_s = 0.85;
  p.closest->estimate.tpot_s = 0.0123;
  p.closest->sla_excess = 1.25;
  p.closest->usd_per_month = 2000;
  PlanAnswer a = plan_answer(r, p);
  CHECK(a.verdict == std::string("Nothing meets this SLA; the closest is ") + h100_words +
                         " at TTFT 850 ms, TPOT 12.3 ms (1.25× the target).");
  CHECK(a.detail == "That fleet: 2 replicas, 16 devices in all, $2,000 a month.");

  // Beyond the replica limit the replicas are the limit, too few: no month is quoted.
  p.closest->replicas = 1000000;
  p.closest->beyond_replica_limit = true;
  a = plan_answer(r, p);
  CHECK(a.detail ==
        "At this volume it would need more than 1,000,000 replicas: beyond what the planner "
        "sizes.");
}

TEST_CASE("plan words: with no closest the answer says whether the volume or the SLA is why",
          "[plan][words]") {
  PlanRequest r;
  Plan p;
  p.beyond_replica_limit = true;
  CHECK(plan_answer(r, p).verdict ==
        "Nothing is listed: the volume needs more replicas than the planner sizes, as the notes "
        "say.");
  CHECK(plan_answer(r, p).detail.empty());
  p.beyond_replica_limit = false;
  CHECK(plan_answer(r, p).verdict ==
        "Nothing is listed: no configuration the search tried holds the model and its requests.");
}

TEST_CASE("plan words: a deployment with a pool that has no plan names that pool",
          "[plan][words]") {
  PlanRequest r;
  r.deployment.pattern = DeploymentPattern::hybrid;
  Plan p;
  p.best = option(1);  // the edge sites' pool has one; the central pool has none
  DeploymentPart central;
  central.role = "central";
  central.model = "llama-3.1-405b";
  DeploymentPart site;
  site.role = "edge site";
  site.model = "llama-3.1-8b";
  site.meets_sla = true;
  site.best = option(1);
  p.parts = {central, site};
  CHECK(plan_answer(r, p).verdict ==
        "Nothing is listed for the central pool (llama-3.1-405b), so the hybrid deployment has no "
        "plan: the notes say why.");
  CHECK(plan_answer(r, p).detail.empty());
}

TEST_CASE("figure text: the formats the answers are written in", "[words]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(format_number(1234.6) == "1,235");
  CHECK(format_number(123.4) == "123");
  CHECK(format_number(12.34) == "12.3");
  CHECK(format_number(0.012345) == "0.0123");
  CHECK(format_number(nan) == "-");
  CHECK(format_integer(1e6) == "1,000,000");
  CHECK(format_integer(-12345) == "-12,345");
  CHECK(format_count(1, "accelerator") == "1 accelerator");
  CHECK(format_count(0, "model") == "0 models");
  CHECK(format_count(2000, "token") == "2,000 tokens");
  // Past a quadrillion the digits are noise, and 1e70 would not fit a 64-byte buffer.
  CHECK(format_integer(999e12) == "999,000,000,000,000");
  CHECK(format_integer(1e17) == "1e+17");
  CHECK(format_number(1e70) == "1e+70");
  CHECK(format_usd(2.5e20) == "$2.5e+20");
  CHECK(format_number(0.000012) == "1.20e-05");
  CHECK(format_seconds(0.00085) == "850 µs");
  CHECK(format_seconds(0.0736) == "73.6 ms");
  CHECK(format_seconds(22.1) == "22.1 s");
  CHECK(format_bytes(15.0 * 1024 * 1024 * 1024) == "15 GiB");
  CHECK(format_bytes(1.5 * 1024 * 1024 * 1024) == "1.50 GiB");
  CHECK(format_bytes(320.0 * 1024 * 1024) == "320 MiB");
  CHECK(format_usd(0.094) == "$0.0940");
  CHECK(format_usd(6.876) == "$6.88");
  CHECK(format_usd(1095.4) == "$1,095");
  CHECK(format_usd(-0.0237) == "-$0.0237");  // a lever that raises the cost
  CHECK(format_usd(-6.876) == "-$6.88");
  CHECK(format_usd(-1095.4) == "-$1,095");
  CHECK(format_percent(0.47) == "47%");
  CHECK(format_percent(0.619) == "61.9%");  // three significant digits, as the page writes them
  CHECK(format_percent(0.0125) == "1.25%");
  CHECK(format_percent(1.0) == "100%");
  CHECK(format_bandwidth(3.35e12) == "3.35 TB/s");
  CHECK(format_bandwidth(300e9) == "300 GB/s");
}

TEST_CASE("figure text: a rounding that carries keeps three digits and the next unit", "[words]") {
  // A rounding that carries into a new digit still shows three.
  CHECK(format_number(9.9996) == "10.0");
  CHECK(format_number(-9.9996) == "-10.0");
  CHECK(format_number(99.996) == "100");
  CHECK(format_number(0.99996) == "1.00");
  CHECK(format_number(0.00099996) == "0.00100");
  CHECK(format_number(0.09999999999999999) == "0.100");  // the double just below 0.1
  CHECK(format_usd(0.99996) == "$1.00");
  CHECK(format_bytes(9.9996 * 1024 * 1024 * 1024) == "10.0 GiB");
  // A figure that would round to 1,000 of its unit is written in the next.
  CHECK(format_seconds(0.9996) == "1.00 s");
  CHECK(format_seconds(0.9994) == "999 ms");
  CHECK(format_seconds(0.0009996) == "1.00 ms");
  CHECK(format_seconds(0.0009994) == "999 µs");
  CHECK(format_usd(99.996) == "$100");
  CHECK(format_usd(99.994) == "$99.99");
  CHECK(format_bytes(1023.6 * 1024 * 1024) == "1.00 GiB");
  CHECK(format_bytes(1023.4 * 1024 * 1024) == "1,023 MiB");
  CHECK(format_bytes(1023.6 * 1024) == "1.00 MiB");
  CHECK(format_bandwidth(999.6e9) == "1.00 TB/s");
  CHECK(format_bandwidth(999.4e9) == "999 GB/s");
  // A difference of bandwidths is written as its size is: a negative one moves unit as well.
  CHECK(format_bandwidth(-999.6e9) == "-1.00 TB/s");
  CHECK(format_bandwidth(-999.4e9) == "-999 GB/s");
  CHECK(format_seconds(-0.9996) == "-1.00 s");
}

TEST_CASE("plan words: each savings lever in words, an unknown one as it is", "[words]") {
  CHECK(lever_words("quantization") == "Quantization");
  CHECK(lever_words("batching") == "Batching");
  CHECK(lever_words("paged_kv") == "Paged KV cache");
  CHECK(lever_words("speculative") == "Speculative decoding");
  CHECK(lever_words("accelerator") == "Accelerator choice");
  CHECK(lever_words("payment") == "Way of paying");
  CHECK(lever_words("routing") == "Routing");
  CHECK(lever_words("utilization") == "Fleet utilization");
  CHECK(lever_words("cooling") == "cooling");
}

}  // namespace pertoken::test
