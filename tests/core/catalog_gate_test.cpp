// The shipped catalog gate: it parses, every figure has a source and date, the required ids are
// present, and the architecture numbers agree with the published parameter counts.
#include <cctype>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace pertoken::test {
namespace {

TEST_CASE("catalog gate: the shipped catalog parses without diagnostics", "[catalog][gate]") {
  for (const Diagnostic& d : embedded_catalog_diagnostics()) INFO(d.to_string());
  CHECK(embedded_catalog_diagnostics().empty());
}

TEST_CASE("catalog gate: every shipped figure has a public source and an as_of date",
          "[catalog][gate]") {
  for (std::string_view text : {embedded_gpus_json(), embedded_models_json()}) {
    const Diagnostics missing = check_provenance(text);
    for (const Diagnostic& d : missing) INFO(d.to_string());
    CHECK(missing.empty());
  }
}

TEST_CASE("catalog gate: the required accelerators are present and usable", "[catalog][gate]") {
  const char* ids[] = {"a100-40gb-sxm",
                       "a100-80gb-sxm",
                       "a100-80gb-pcie",
                       "h100-sxm",
                       "h100-pcie",
                       "h100-nvl",
                       "h200-sxm",
                       "h200-nvl",
                       "b200",
                       "gb200",
                       "b300",
                       "l40s",
                       "l4",
                       "a10g",
                       "rtx-4090",
                       "rtx-5090",
                       "mi250x",
                       "mi300x",
                       "mi325x",
                       "mi355x",
                       "gaudi2",
                       "gaudi3",
                       "tpu-v5e",
                       "tpu-v5p",
                       "tpu-v6e",
                       "inferentia2",
                       "trainium2",
                       "graviton4"};
  for (const char* id : ids) {
    INFO(id);
    const GpuSpec* gpu = embedded_catalog().find_gpu(id);
    REQUIRE(gpu != nullptr);
    CHECK(gpu->memory_capacity_bytes > 0);
    CHECK(gpu->memory_bandwidth_bytes_per_s > 0);
    // Every device carries at least one reference cloud price.
    CHECK(gpu->reference_usd_per_hour.has_value());
  }
}

TEST_CASE("catalog gate: the required models are present", "[catalog][gate]") {
  const char* ids[] = {
      "llama-2-7b",      "llama-2-13b",   "llama-2-70b",     "llama-3.1-8b", "llama-3.1-70b",
      "llama-3.1-405b",  "llama-3.3-70b", "mistral-7b-v0.1", "mixtral-8x7b", "mixtral-8x22b",
      "deepseek-v3",     "deepseek-r1",   "qwen2.5-7b",      "qwen2.5-72b",  "qwen3-32b",
      "qwen3-235b-a22b", "gpt-oss-20b",   "gpt-oss-120b",    "gemma-2-27b",  "gemma-3-27b",
      "phi-3-mini-4k",   "phi-4",         "falcon-180b",     "gpt-3-175b",   "whisper-large-v3"};
  for (const char* id : ids) {
    INFO(id);
    const ModelSpec* model = embedded_catalog().find_model(id);
    REQUIRE(model != nullptr);
    CHECK(model->unknown_fields.empty());
  }
}

TEST_CASE("catalog gate: Llama 3.1 405B has 8 KV heads, not its BF16 config's 16",
          "[catalog][gate]") {
  CHECK(embedded_catalog().find_model("llama-3.1-405b")->num_kv_heads == 8);
}

// Weights counted from the layer shapes must agree with the published totals: a wrong width or
// layer count in the catalog shows up here. Tolerance 10%: published totals are rounded
// ("7B" for Qwen2.5's 7.6B) and some exclude parts (biases, norms, MTP heads).
TEST_CASE("catalog gate: weights derived from the architecture match published totals",
          "[catalog][gate]") {
  for (const ModelSpec& model : embedded_catalog().models) {
    INFO(model.id);
    if (!model.published_total_params) continue;
    // bf16, one GPU: weights_bytes_per_gpu / 2 bytes = parameters (embedding + head included).
    const Json result = run_json({{"model", model.id},
                                  {"gpu", "b300"},
                                  {"weights", "bf16"},
                                  {"input_tokens", 16},
                                  {"output_tokens", 16}});
    const double derived = result["weights_bytes_per_gpu"].get<double>() / 2.0;
    CHECK(std::fabs(derived / *model.published_total_params - 1.0) < 0.10);
  }
}

// A figure labelled as an estimate ("ESTIMATE..." in its note) must be said to be one in its
// entry's notes too, which the page and the app show beside the specs: a reader of the entry alone
// must not take an estimated power or bandwidth for a vendor figure. A power estimate is named as
// power (or TDP) there.
void estimated_figures(const Json& node, const std::string& path, std::vector<std::string>& out) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "note" && value.is_string() &&
          value.get<std::string>().rfind("ESTIMATE", 0) == 0) {
        out.push_back(path);
      } else {
        estimated_figures(value, path + "/" + key, out);
      }
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      estimated_figures(node[i], path + "/" + std::to_string(i), out);
    }
  }
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The machine-readable mark and the prose agree: a figure is marked "estimate": true exactly
// when its note starts with ESTIMATE, so the core's notes (which read the mark) name every one.
// The web core's embedded catalog leaves the figures' notes out (cmake/embed_text.cmake): there
// the marks are counted only; the native build checks each against its note.
TEST_CASE("catalog gate: a figure noted as an ESTIMATE carries the estimate mark, and only then",
          "[catalog][gate]") {
  const Json gpus = Json::parse(embedded_gpus_json());
  std::size_t marked = 0;
  std::function<void(const Json&, const std::string&)> walk = [&](const Json& node,
                                                                  const std::string& path) {
    if (node.is_object()) {
      if (node.contains("value")) {
        if (node.contains("note")) {
          const bool noted = node["note"].get<std::string>().rfind("ESTIMATE", 0) == 0;
          INFO(path);
          CHECK(node.value("estimate", false) == noted);
        }
        if (node.contains("estimate")) ++marked;
      }
      for (const auto& [key, value] : node.items()) walk(value, path + "/" + key);
    } else if (node.is_array()) {
      for (std::size_t i = 0; i < node.size(); ++i) walk(node[i], path + "/" + std::to_string(i));
    }
  };
  walk(gpus, "");
  CHECK(marked == 9);  // A10G int8; power of TPU v5e, v5p, v6e, Inferentia2, Trainium2, Graviton4;
                       // the scale-up links of Inferentia2 and Trainium2
}

// A shipped accelerator whose power is an estimate: its results say so beside energy per token.
TEST_CASE("catalog gate: the shipped TPU v5p's estimated power is named in its results",
          "[catalog][gate]") {
  const Json result = run_json({{"model", "llama-3.1-8b"}, {"gpu", "tpu-v5p"}, {"num_gpus", 1}});
  std::string notes;
  for (const Json& note : result["notes"]) notes += note.get<std::string>() + "\n";
  CHECK(notes.find("Google Cloud TPU v5p: its power (TDP) in the catalog is an estimate") !=
        std::string::npos);
  const Json h100 = run_json({{"model", "llama-3.1-8b"}, {"gpu", "h100-sxm"}, {"num_gpus", 1}});
  CHECK(h100["notes"].dump().find("estimate") == std::string::npos);
}

TEST_CASE("catalog gate: an entry with an estimated figure says so in its notes",
          "[catalog][gate]") {
  const Json gpus = Json::parse(embedded_gpus_json());
  for (const Json& gpu : gpus["gpus"]) {
    std::vector<std::string> estimated;
    estimated_figures(gpu, "", estimated);
    const std::string notes = lower(gpu.value("notes", ""));
    for (const std::string& path : estimated) {
      INFO(gpu["id"].get<std::string>() << path << ": notes: " << notes);
      CHECK(notes.find("estimate") != std::string::npos);
      if (path == "/tdp_w") {
        CHECK((notes.find("power") != std::string::npos || notes.find("tdp") != std::string::npos));
      }
    }
  }
}

}  // namespace
}  // namespace pertoken::test
