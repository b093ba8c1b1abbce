// The scenario field table: the parser, the defaults the form shows, the flags and the schema all
// come from it, so these tests walk it rather than a list of their own.
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "pertoken/json/json_api.hpp"
#include "pertoken/scenario/fields.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

TEST_CASE("fields: keys, flags and aliases are unique and every flag finds its field", "[fields]") {
  std::set<std::string> keys;
  std::set<std::string> flags;
  for (const ScenarioField& f : scenario_fields()) {
    CHECK(keys.insert(std::string(f.key)).second);
    if (!f.alias.empty()) CHECK(keys.insert(std::string(f.alias)).second);
    CHECK(flags.insert(std::string(f.flag)).second);
    CHECK(f.flag.rfind("--", 0) == 0);
    CHECK(find_scenario_flag(f.flag) == &f);
    CHECK(find_scenario_field(f.key) == &f);
    CHECK_FALSE(f.help.empty());
    CHECK_FALSE(f.default_rule.empty());
  }
  CHECK(keys.size() >= 23);
}

TEST_CASE("fields: a literal default is what the parser uses when the key is absent", "[fields]") {
  // The parser's resolved scenario (the result JSON's "scenario") for a document that gives only
  // model and gpu must show each literal default of the table.
  const Json result = run_json({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}});
  for (const ScenarioField& f : scenario_fields()) {
    if (f.default_literal.empty() || !result["scenario"].contains(std::string(f.key))) continue;
    INFO(f.key);
    CHECK(result["scenario"][std::string(f.key)] == Json::parse(f.default_literal));
  }
  // And the Scenario a program builds in code starts from the same values.
  const Scenario code;
  CHECK(code.num_gpus == 1);
  CHECK(code.input_tokens == 2000);
  CHECK(code.output_tokens == 500);
  CHECK(code.max_batch_size == 2048);
  CHECK(code.max_num_tokens == 8192);
  CHECK(code.chunked_prefill);
  CHECK(code.prefix_cache_hit_rate == 0);
}

TEST_CASE("fields: a value outside the table's range is rejected at its path", "[fields]") {
  for (const ScenarioField& f : scenario_fields()) {
    if (f.type != FieldType::integer && f.type != FieldType::number) continue;
    INFO(f.key);
    Json doc = {{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}};
    doc[std::string(f.key)] = f.max * 2 + 1;
    if (f.key == "draft_tokens") doc["speculative"] = "eagle";
    const Diagnostic d = scenario_error(doc.dump());
    CHECK(d.json_path == "/" + std::string(f.key));
  }
}

TEST_CASE("fields: the KV cache follows fp16 weights by default, and bf16 can be asked for",
          "[fields]") {
  const Json fp16 = run_json({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"weights", "fp16"}});
  CHECK(fp16["scenario"]["kv_cache"] == "fp16");
  const Json bf16 = run_json(
      {{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"weights", "fp16"}, {"kv_cache", "bf16"}});
  CHECK(bf16["scenario"]["kv_cache"] == "bf16");
  CHECK(bf16["kv_cache_bytes_per_token"] == fp16["kv_cache_bytes_per_token"]);  // both 2 bytes
}

TEST_CASE("fields: the defaults the form shows are the ones the parser applies", "[fields]") {
  const Json docs[] = {
      {{"model", "llama-3.1-70b"}, {"gpu", "h200-sxm"}, {"num_gpus", 8}, {"pp", 2}},
      {{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"weights", "fp16"}},
      {{"model", "deepseek-r1"}, {"gpu", "h200-sxm"}, {"num_gpus", 8}},
      {{"model", "llama-3.1-70b"}, {"gpu", "h100-sxm"}, {"num_gpus", 4}, {"speculative", "eagle"}},
  };
  for (const Json& doc : docs) {
    INFO(doc.dump());
    const Json defaults = Json::parse(scenario_defaults_json(doc.dump(), embedded_catalog()));
    const Json resolved = run_json(doc)["scenario"];
    for (auto it = defaults.begin(); it != defaults.end(); ++it) {
      if (doc.contains(it.key()) || it->is_null() || !resolved.contains(it.key())) continue;
      INFO(it.key());
      CHECK(resolved[it.key()] == *it);
    }
  }
  // A rule that needs an invalid field gives null rather than a guess.
  const Json broken = Json::parse(
      scenario_defaults_json(R"({"model": "llama-3.1-8b", "weights": "fp6"})", embedded_catalog()));
  CHECK(broken["kv_cache"].is_null());
  CHECK(broken["usd_per_gpu_hour"].is_null());  // no gpu given
}

TEST_CASE("fields: overlaying flags on a file replaces alternatives of the file only", "[fields]") {
  auto overlay = [](const char* file, std::vector<std::pair<std::string, std::string>> flags) {
    Result<std::string> merged = overlay_scenario(file, flags);
    REQUIRE(merged.ok());
    return Json::parse(merged.value());
  };
  // A flag's concurrency replaces the file's arrival rate.
  Json m = overlay(R"({"request_rate_per_s": 2, "gpus": 4})", {{"concurrency", "8"}});
  CHECK_FALSE(m.contains("request_rate_per_s"));
  CHECK(m["concurrency"] == 8);
  // num_gpus replaces the file's alias.
  m = overlay(R"({"gpus": 4})", {{"num_gpus", "2"}});
  CHECK_FALSE(m.contains("gpus"));
  // Two flags that exclude each other both stay, so the parser names the pair.
  m = overlay("{}", {{"concurrency", "8"}, {"request_rate_per_s", "2"}});
  CHECK(m.contains("concurrency"));
  CHECK(m.contains("request_rate_per_s"));
  Json doc = m;
  doc["model"] = "llama-3.1-8b";
  doc["gpu"] = "h100-sxm";
  CHECK(scenario_error(doc.dump()).json_path == "/request_rate_per_s");
}

TEST_CASE("fields: the scenario schema lists every field with the table's range", "[fields]") {
  const Json schema = Json::parse(scenario_schema_json());
  for (const ScenarioField& f : scenario_fields()) {
    INFO(f.key);
    REQUIRE(schema["properties"].contains(std::string(f.key)));
    if (f.type == FieldType::integer) {
      CHECK(schema["properties"][std::string(f.key)]["maximum"] == f.max);
    }
  }
  CHECK(schema["additionalProperties"] == false);
}

}  // namespace
}  // namespace pertoken::test
