// Workload presets: the table's shape, the lengths a preset gives a scenario (explicit values
// win), the defaults the form shows, and the latency-target verdict in the result JSON.
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "pertoken/scenario/presets.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

TEST_CASE("presets: the named workloads, each with lengths, a target and a reason", "[presets]") {
  const Json list = Json::parse(workload_presets_json());
  std::set<std::string> ids;
  for (const Json& p : list) {
    INFO(p.dump());
    ids.insert(p["id"].get<std::string>());
    CHECK(p["input_tokens"].get<int>() > 0);
    CHECK(p["output_tokens"].get<int>() > 0);
    CHECK(p["max_ttft_seconds"].get<double>() > 0);
    CHECK(p["max_tpot_seconds"].get<double>() > 0);
    CHECK(p["reason"].get<std::string>().size() > 20);
    CHECK(p["scenario"]["preset"] == p["id"]);
  }
  CHECK(ids == std::set<std::string>{"chat", "rag", "code-completion", "batch-summarisation",
                                     "reasoning"});
  // The scenario field accepts exactly none and these ids.
  const ScenarioField* field = find_scenario_field("preset");
  REQUIRE(field != nullptr);
  std::set<std::string> words(field->values.begin(), field->values.end());
  ids.insert("none");
  CHECK(words == ids);
  // RAG's prompt is long and reasoning's output is long: that is what they are for.
  const WorkloadPreset* rag = find_workload_preset("rag");
  const WorkloadPreset* reasoning = find_workload_preset("reasoning");
  REQUIRE(rag != nullptr);
  REQUIRE(reasoning != nullptr);
  CHECK(rag->input_tokens > 10 * rag->output_tokens);
  CHECK(reasoning->output_tokens > 4 * reasoning->input_tokens);
  CHECK(find_workload_preset("none") == nullptr);
}

TEST_CASE("presets: a preset sets the lengths it names; given lengths win", "[presets]") {
  // chat: 1,000 tokens in, 300 out (the table's row).
  Scenario s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"preset", "chat"}});
  CHECK(s.input_tokens == 1000);
  CHECK(s.output_tokens == 300);
  s = scenario(
      {{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"preset", "chat"}, {"input_tokens", 700}});
  CHECK(s.input_tokens == 700);
  CHECK(s.output_tokens == 300);
  // Without a preset the field table's defaults (2,000 and 500) apply.
  s = scenario({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}});
  CHECK(s.preset == nullptr);
  CHECK(s.input_tokens == 2000);
  CHECK(s.output_tokens == 500);
  // And the form's defaults follow the preset: reasoning is 1,000 in, 8,000 out.
  const Json defaults = Json::parse(scenario_defaults_json(
      R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "preset": "reasoning"})",
      embedded_catalog()));
  CHECK(defaults["input_tokens"] == 1000);
  CHECK(defaults["output_tokens"] == 8000);
  CHECK(defaults["preset"] == "none");
}

TEST_CASE("presets: an unknown preset is an error at /preset", "[presets]") {
  const Diagnostic d =
      scenario_error(R"({"model": "llama-3.1-8b", "gpu": "h100-sxm", "preset": "chatbot"})");
  CHECK(d.json_path == "/preset");
  CHECK(d.message.find("chat") != std::string::npos);
}

TEST_CASE("presets: the latency target is checked against the estimate", "[presets]") {
  const WorkloadPreset target{"t", "T", 100, 10, 1.0, 0.05, "a test target"};
  LatencyTargetCheck c = check_latency_target(target, 0.5, 0.06);
  CHECK(c.ttft_met == true);   // 0.5 s <= 1 s
  CHECK(c.tpot_met == false);  // 60 ms > 50 ms
  c = check_latency_target(target, 1.0, 0.05);
  CHECK(c.ttft_met == true);  // the target itself meets it
  CHECK(c.tpot_met == true);
  c = check_latency_target(target, std::nullopt, std::nullopt);
  CHECK_FALSE(c.ttft_met.has_value());
  CHECK_FALSE(c.tpot_met.has_value());

  // In the result: code completion asks TTFT <= 0.3 s and TPOT <= 20 ms.
  const Json r = run_json({{"model", "llama-3.1-8b"},
                           {"gpu", "h100-sxm"},
                           {"preset", "code-completion"},
                           {"concurrency", 1}});
  REQUIRE(r["latency_target"].is_object());
  CHECK(r["scenario"]["preset"] == "code-completion");
  CHECK(r["latency_target"]["max_ttft_seconds"] == 0.3);
  CHECK(r["latency_target"]["max_tpot_seconds"] == 0.02);
  CHECK(r["latency_target"]["ttft_met"] == (r["ttft_seconds"].get<double>() <= 0.3));
  CHECK(r["latency_target"]["tpot_met"] == (r["tpot_seconds"].get<double>() <= 0.02));
  CHECK(run_json({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}})["latency_target"].is_null());
  // A deployment that does not run meets nothing and misses nothing: 405B on one L4.
  const Json none = run_json(
      {{"model", "llama-3.1-405b"}, {"gpu", "l4"}, {"preset", "chat"}, {"weights", "bf16"}});
  REQUIRE(none["fits"] == false);
  CHECK(none["latency_target"]["ttft_met"].is_null());
}

}  // namespace
}  // namespace pertoken::test
