// Catalog parsing: every error code has a bad-input fixture asserting its code, path and message.
#include <catch2/catch.hpp>

#include "catalog/catalog_entries.hpp"
#include "json/json_reader.hpp"
#include "pertoken/json/json_api.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

std::string gpus_document(const Json& gpu) { return Json{{"gpus", Json::array({gpu})}}.dump(); }
std::string models_document(const Json& model) {
  return Json{{"models", Json::array({model})}}.dump();
}

TEST_CASE("catalog: a minimal document parses into SI units", "[catalog]") {
  Result<CatalogDocument> parsed =
      parse_catalog_document(Json{{"gpus", {minimal_gpu()}}, {"models", {minimal_model()}}}.dump());
  REQUIRE(parsed.ok());
  const GpuSpec& gpu = parsed.value().gpus.at(0);
  // 80 GiB = 80 x 2^30 B; 3.35 TB/s = 3.35e12 B/s; 989.4 TFLOP/s = 9.894e14 FLOP/s.
  CHECK(gpu.memory_capacity_bytes == 80.0 * 1073741824.0);
  CHECK(gpu.memory_bandwidth_bytes_per_s == Approx(3.35e12));
  CHECK(gpu.peak(Precision::bf16).flop_per_s.value() == Approx(9.894e14));
  CHECK_FALSE(gpu.peak(Precision::fp4).supported);
  CHECK(gpu.scale_up_bytes_per_s_per_direction.value() == Approx(450e9));
}

TEST_CASE("catalog: a figure object carries its provenance", "[catalog]") {
  Json gpu = minimal_gpu();
  gpu["memory_gib"] = {{"value", 80}, {"source", "https://example.org/h"}, {"as_of", "2024-01"}};
  Result<CatalogDocument> parsed = parse_catalog_document(gpus_document(gpu));
  REQUIRE(parsed.ok());
  const Provenance& p = parsed.value().gpus.at(0).provenance.at("/memory_gib");
  CHECK(p.source == "https://example.org/h");
  CHECK(p.as_of == "2024-01");
}

TEST_CASE("catalog: a figure marked as an estimate says so; the mark is true or absent",
          "[catalog][errors]") {
  Json gpu = minimal_gpu();
  gpu["tdp_w"] = {{"value", 700}, {"estimate", true}, {"note", "ESTIMATE: scaled from a sibling"}};
  Result<CatalogDocument> parsed = parse_catalog_document(gpus_document(gpu));
  REQUIRE(parsed.ok());
  CHECK(parsed.value().gpus.at(0).provenance.at("/tdp_w").estimate);
  CHECK_FALSE(parsed.value().gpus.at(0).provenance.at("/memory_gib").estimate);

  for (const Json& mark : {Json(false), Json("yes"), Json(1)}) {
    gpu["tdp_w"]["estimate"] = mark;
    const Diagnostic d = catalog_error(gpus_document(gpu));
    CHECK(d.code == ErrorCode::wrong_type);
    CHECK(d.json_path == "/gpus/0/tdp_w/estimate");
    CHECK(d.message == "must be true (leave it out for a published figure)");
  }
}

// Whatever reads a device's figures says which of them are estimates: the result's notes name
// each estimated figure the estimate used, and none that it did not.
TEST_CASE("catalog: an estimate that reads an estimated figure names it in its notes",
          "[catalog]") {
  auto notes_of = [](const Json& gpu, int num_gpus) {
    const Json result = run_json({{"model", minimal_model()},
                                  {"gpu", gpu},
                                  {"num_gpus", num_gpus},
                                  {"input_tokens", 512},
                                  {"output_tokens", 128}});
    std::string all;
    for (const Json& note : result["notes"]) all += note.get<std::string>() + "\n";
    return all;
  };
  const Json published = minimal_gpu();
  CHECK(notes_of(published, 1).find("estimate") == std::string::npos);

  Json gpu = minimal_gpu();
  gpu["memory_bandwidth_tb_per_s"] = {{"value", 3.35}, {"estimate", true}};
  CHECK(notes_of(gpu, 1).find("test-gpu: its memory bandwidth in the catalog is an estimate, not a "
                              "published figure") != std::string::npos);

  // The link is read only when devices talk; fp8 math only for fp8 weights (bf16 here).
  gpu = minimal_gpu();
  gpu["scale_up"]["bandwidth_gb_per_s_per_direction"] = {{"value", 450}, {"estimate", true}};
  gpu["dense_tflops"]["fp8"] = {{"value", 1978.9}, {"estimate", true}};
  CHECK(notes_of(gpu, 1).find("estimate") == std::string::npos);
  CHECK(notes_of(gpu, 2).find("test-gpu: its scale-up bandwidth in the catalog is an estimate") !=
        std::string::npos);

  gpu = minimal_gpu();
  gpu["tdp_w"] = {{"value", 700}, {"estimate", true}};
  gpu["memory_gib"] = {{"value", 80}, {"estimate", true}};
  CHECK(notes_of(gpu, 1).find("test-gpu: its memory capacity and power (TDP) in the catalog are "
                              "estimates, not published figures") != std::string::npos);
}

TEST_CASE("catalog: json_syntax names the problem", "[catalog][errors]") {
  const Diagnostic d = catalog_error("{\"gpus\": [");
  CHECK(d.code == ErrorCode::json_syntax);
  CHECK(d.json_path.empty());
  CHECK(d.message.rfind("not valid JSON", 0) == 0);
}

TEST_CASE("catalog: too deep nesting is a syntax error, not a crash", "[catalog][errors]") {
  const Diagnostic d = catalog_error(std::string(10000, '[') + std::string(10000, ']'));
  CHECK(d.code == ErrorCode::json_syntax);
  CHECK(d.message == "not valid JSON: nested deeper than 64 levels");
  // 64 levels are read; the 65th is refused.
  Diagnostics ok;
  CHECK(detail::parse_json(std::string(64, '[') + std::string(64, ']'), ok).has_value());
  Diagnostics refused;
  CHECK_FALSE(detail::parse_json(std::string(65, '[') + std::string(65, ']'), refused));
}

TEST_CASE("catalog: a key given twice is refused at its path, not read as the last value",
          "[catalog][errors]") {
  // {"gpus": [{...}, {"id": "x", "memory_gib": 1, "memory_gib": 2}]}: nlohmann alone keeps 2.
  Diagnostics d;
  CHECK_FALSE(detail::parse_json(
      R"({"gpus": [{"id": "a"}, {"id": "x", "memory_gib": 1, "memory_gib": 2}]})", d));
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == ErrorCode::json_syntax);
  CHECK(d[0].to_string() == "/gpus/1/memory_gib: is given twice in one object; give each key once");
  // The same key in two objects, or a key's name as a value, is not a repeat.
  Diagnostics fine;
  CHECK(detail::parse_json(R"({"a": {"k": 1}, "b": {"k": "k"}, "k": [{"k": 1}, {"k": 2}]})", fine));
  CHECK(fine.empty());
  // A pointer token escapes "/" and "~" (RFC 6901).
  Diagnostics escaped;
  CHECK_FALSE(detail::parse_json(R"({"a/b": {"~": 1, "~": 2}})", escaped));
  REQUIRE(escaped.size() == 1);
  CHECK(escaped[0].json_path == "/a~1b/~0");
  // Through the catalog reader, as a user's file meets it.
  const Diagnostic twice = catalog_error(R"({"gpus": [], "gpus": []})");
  CHECK(twice.to_string() == "/gpus: is given twice in one object; give each key once");
}

TEST_CASE("catalog: wrong_type at the array and at a figure", "[catalog][errors]") {
  Diagnostic d = catalog_error(R"({"gpus": {}})");
  CHECK(d.code == ErrorCode::wrong_type);
  CHECK(d.to_string() == "/gpus: must be an array, not an object");

  Json gpu = minimal_gpu();
  gpu["memory_gib"] = "80";
  d = catalog_error(gpus_document(gpu));
  CHECK(d.code == ErrorCode::wrong_type);
  CHECK(d.json_path == "/gpus/0/memory_gib");
}

TEST_CASE("catalog: missing_field names the key", "[catalog][errors]") {
  Json gpu = minimal_gpu();
  gpu.erase("memory_bandwidth_tb_per_s");
  const Diagnostic d = catalog_error(gpus_document(gpu));
  CHECK(d.code == ErrorCode::missing_field);
  CHECK(d.to_string() == "/gpus/0/memory_bandwidth_tb_per_s: is required");
}

TEST_CASE("catalog: unknown_field catches typos", "[catalog][errors]") {
  Json gpu = minimal_gpu();
  gpu["memroy_gib"] = 80;
  const Diagnostic d = catalog_error(gpus_document(gpu));
  CHECK(d.code == ErrorCode::unknown_field);
  CHECK(d.to_string() == "/gpus/0/memroy_gib: unknown key");
}

TEST_CASE("catalog: out_of_range for zero and negative sizes", "[catalog][errors]") {
  Json gpu = minimal_gpu();
  gpu["memory_gib"] = 0;
  Diagnostic d =
      catalog_error(Json{{"gpus", {minimal_gpu(), minimal_gpu(), minimal_gpu(), gpu}}}.dump());
  // The three copies of the minimal GPU share an id; the out-of-range figure is reported first.
  CHECK(d.code == ErrorCode::out_of_range);
  CHECK(d.to_string() == "/gpus/3/memory_gib: must be > 0");

  Json model = minimal_model();
  model["num_layers"] = -4;
  d = catalog_error(models_document(model));
  CHECK(d.code == ErrorCode::out_of_range);
  CHECK(d.to_string() == "/models/0/num_layers: must be > 0");
}

TEST_CASE("catalog: a figure object with a bad value reports the figure's path",
          "[catalog][errors]") {
  Json gpu = minimal_gpu();
  gpu["memory_gib"] = {{"value", -1}, {"source", "https://example.org"}, {"as_of", "2024"}};
  const Diagnostic d = catalog_error(gpus_document(gpu));
  CHECK(d.to_string() == "/gpus/0/memory_gib: must be > 0");
}

TEST_CASE("catalog: invalid_value for enumerations", "[catalog][errors]") {
  Json gpu = minimal_gpu();
  gpu["kind"] = "tpu";
  Diagnostic d = catalog_error(gpus_document(gpu));
  CHECK(d.code == ErrorCode::invalid_value);
  CHECK(d.to_string() == "/gpus/0/kind: must be one of gpu, accelerator, cpu");

  Json model = minimal_model();
  model["attention"] = "flash";
  d = catalog_error(models_document(model));
  CHECK(d.code == ErrorCode::invalid_value);
  CHECK(d.json_path == "/models/0/attention");

  model = minimal_model();
  model["fp4_format"] = "mxfp6";
  d = catalog_error(models_document(model));
  CHECK(d.to_string() == "/models/0/fp4_format: must be one of nvfp4, mxfp4");
}

TEST_CASE("catalog: duplicate_id points at the second entry", "[catalog][errors]") {
  const Diagnostic d = catalog_error(Json{{"gpus", {minimal_gpu(), minimal_gpu()}}}.dump());
  CHECK(d.code == ErrorCode::duplicate_id);
  CHECK(d.to_string() == "/gpus/1/id: duplicates id 'test-gpu'");
}

TEST_CASE("catalog: inconsistent architecture fields", "[catalog][errors]") {
  Json model = minimal_model();
  model["attention"] = "mha";  // but 8 KV heads for 32 query heads
  Diagnostic d = catalog_error(models_document(model));
  CHECK(d.code == ErrorCode::inconsistent);
  CHECK(d.to_string() ==
        "/models/0/attention: is mha, so num_kv_heads must equal num_attention_heads");

  model = minimal_model();
  model["num_kv_heads"] = 5;  // does not divide 32
  d = catalog_error(models_document(model));
  CHECK(d.code == ErrorCode::inconsistent);
  CHECK(d.json_path == "/models/0/num_kv_heads");
}

TEST_CASE("catalog: missing_source is enforced by the provenance gate only", "[catalog][errors]") {
  Json gpu = minimal_gpu();
  gpu["memory_gib"] = {{"value", 80}, {"as_of", "2024"}};
  const std::string text = gpus_document(gpu);
  REQUIRE(parse_catalog_document(text).ok());  // user catalogs may omit sources
  const Diagnostics gate = check_provenance(text);
  REQUIRE_FALSE(gate.empty());
  bool found = false;
  for (const Diagnostic& d : gate) {
    CHECK(d.code == ErrorCode::missing_source);
    found = found || d.to_string() == "/gpus/0/memory_gib: needs a source: an https:// URL";
  }
  CHECK(found);
}

// One message per figure, so that a file's summary can count figures by the gate's messages.
TEST_CASE("catalog: the provenance gate names everything a figure lacks, once", "[catalog]") {
  Json gpu = minimal_gpu();
  gpu["memory_gib"] = {{"value", 80}};
  gpu["memory_bandwidth_tb_per_s"] = {{"value", 3.35}, {"source", "https://example.com/h100"}};
  const Diagnostics gate = check_provenance(gpus_document(gpu));
  std::vector<std::string> memory;
  std::vector<std::string> bandwidth;
  for (const Diagnostic& d : gate) {
    if (d.json_path == "/gpus/0/memory_gib") memory.push_back(d.to_string());
    if (d.json_path == "/gpus/0/memory_bandwidth_tb_per_s") bandwidth.push_back(d.to_string());
  }
  CHECK(memory == std::vector<std::string>{"/gpus/0/memory_gib: needs a source: an https:// URL; "
                                           "as_of: a date YYYY, YYYY-MM or YYYY-MM-DD"});
  CHECK(bandwidth == std::vector<std::string>{"/gpus/0/memory_bandwidth_tb_per_s: needs as_of: a "
                                              "date YYYY, YYYY-MM or YYYY-MM-DD"});
}

TEST_CASE("catalog: an overlay replaces by id and extends with new ids", "[catalog]") {
  Json faster = minimal_gpu();
  faster["id"] = "h100-sxm";
  faster["memory_bandwidth_tb_per_s"] = 10.0;
  Json added = minimal_gpu();
  added["id"] = "my-chip";
  Result<CatalogDocument> overlay = parse_catalog_document(Json{{"gpus", {faster, added}}}.dump());
  REQUIRE(overlay.ok());
  const Catalog merged = merge_catalog(embedded_catalog(), overlay.value());
  CHECK(merged.gpus.size() == embedded_catalog().gpus.size() + 1);
  CHECK(merged.find_gpu("h100-sxm")->memory_bandwidth_bytes_per_s == Approx(10e12));
  CHECK(merged.find_gpu("my-chip") != nullptr);
}

TEST_CASE("catalog: an efficiency overlay is range-checked", "[catalog][errors]") {
  Diagnostic d = catalog_error(R"({"efficiency": {"compute_fraction": 1.5}})");
  CHECK(d.code == ErrorCode::out_of_range);
  CHECK(d.to_string() == "/efficiency/compute_fraction: must be > 0 and <= 1");
  d = catalog_error(R"({"efficiency": {"compute_fractoin": 0.5}})");
  CHECK(d.code == ErrorCode::unknown_field);

  Result<CatalogDocument> ok =
      parse_catalog_document(R"({"efficiency": {"compute_fraction": 0.5}})");
  REQUIRE(ok.ok());
  const Catalog merged = merge_catalog(embedded_catalog(), ok.value());
  CHECK(merged.efficiency.compute_fraction == 0.5);
  CHECK(merged.efficiency.memory_bandwidth_fraction ==
        embedded_catalog().efficiency.memory_bandwidth_fraction);
}

// The shipped catalog is read in one pass (parse_shipped_json, no separate syntax-and-depth pass:
// a web page's first answer waits on it). It must read exactly as the checked reader does.
TEST_CASE("catalog: the shipped catalog reads the same in one pass as through the checks",
          "[catalog]") {
  for (std::string_view text : {embedded_gpus_json(), embedded_models_json()}) {
    Result<CatalogDocument> checked = parse_catalog_document(text);
    Result<CatalogDocument> shipped = detail::parse_shipped_catalog_document(text);
    REQUIRE(checked.ok());
    REQUIRE(shipped.ok());
    REQUIRE(shipped.value().gpus.size() == checked.value().gpus.size());
    REQUIRE(shipped.value().models.size() == checked.value().models.size());
    for (std::size_t i = 0; i < checked.value().gpus.size(); ++i) {
      const GpuSpec& a = checked.value().gpus[i];
      const GpuSpec& b = shipped.value().gpus[i];
      CHECK(b.id == a.id);
      CHECK(b.name == a.name);
      CHECK(b.memory_capacity_bytes == a.memory_capacity_bytes);
      CHECK(b.memory_bandwidth_bytes_per_s == a.memory_bandwidth_bytes_per_s);
      CHECK(b.peak(Precision::bf16).flop_per_s == a.peak(Precision::bf16).flop_per_s);
      CHECK(b.provenance.size() == a.provenance.size());
    }
    for (std::size_t i = 0; i < checked.value().models.size(); ++i) {
      const ModelSpec& a = checked.value().models[i];
      const ModelSpec& b = shipped.value().models[i];
      CHECK(b.id == a.id);
      CHECK(b.num_layers == a.num_layers);
      CHECK(b.hidden_size == a.hidden_size);
      CHECK(b.provenance.size() == a.provenance.size());
    }
  }
  // The built-in catalog is what the one-pass reader made of both files.
  CHECK(embedded_catalog().gpus.size() ==
        parse_catalog_document(embedded_gpus_json()).value().gpus.size());
}

TEST_CASE("catalog: the one-pass reader still names broken text", "[catalog][errors]") {
  Result<CatalogDocument> parsed = detail::parse_shipped_catalog_document("{\"gpus\": [");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.diagnostics().at(0).code == ErrorCode::json_syntax);
  // With where it broke: the one pass and the checked reader share nlohmann's message.
  CHECK(parsed.diagnostics().at(0).message ==
        "not valid JSON: parse error at line 1, column 11: syntax error while parsing value - "
        "unexpected end of input; expected '[', '{', or a literal");
}

TEST_CASE("catalog: a model using more weights per token than it has is refused",
          "[catalog][errors]") {
  Json model = minimal_model();
  model["total_params_billion"] = 8;
  model["active_params_billion"] = 80;  // a typo for 8.0, or the two swapped
  const Diagnostic d = catalog_error(Json{{"models", Json::array({model})}}.dump());
  CHECK(d.to_string() == "/models/0/active_params_billion: must be <= total_params_billion (8)");
  model["active_params_billion"] = 8;  // a dense model uses all of them
  CHECK(parse_catalog_document(Json{{"models", Json::array({model})}}.dump()).ok());
}

TEST_CASE("catalog: every door extends the catalog one way, price ids checked",
          "[catalog][errors]") {
  const Catalog& base = embedded_catalog_with_prices();
  // A price row for an accelerator neither the catalog nor the file holds never prices anything.
  const std::string typo =
      R"({"prices": {"cloud": [{"gpu": "h100sxm", "provider": "X", "provider_class": "specialist",
          "on_demand_usd_per_gpu_hour": 0.01}]}})";
  const Result<Catalog> refused = extend_catalog(base, typo);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.diagnostics().at(0).to_string() ==
        "/prices/cloud/0/gpu: gpu 'h100sxm' is in neither the catalog nor the file");
  // The web doors and the app apply files through the same function: refused, and the catalog in
  // use stays as it was.
  Catalog active = base;
  const std::string report = apply_catalog_json(typo, base, active);
  CHECK(report.find("is in neither the catalog nor the file") != std::string::npos);
  CHECK(active.prices.cloud.size() == base.prices.cloud.size());
  // A row for an accelerator the file itself adds is fine.
  Json gpu = minimal_gpu();
  gpu["id"] = "my-x1";
  Json file{{"gpus", Json::array({gpu})},
            {"prices",
             {{"cloud", Json::array({{{"gpu", "my-x1"},
                                      {"provider", "X"},
                                      {"provider_class", "specialist"},
                                      {"on_demand_usd_per_gpu_hour", 1.25}}})}}}};
  const Result<Catalog> extended = extend_catalog(base, file.dump());
  REQUIRE(extended.ok());
  CHECK(extended.value().find_gpu("my-x1") != nullptr);
  CHECK(extended.value().prices.cloud.size() == base.prices.cloud.size() + 1);
  // Applied at a door, the file's report counts what it holds: one accelerator, no model, no
  // efficiency overlay, and its unsourced figures, counted by hand: the accelerator's memory,
  // bandwidth, bf16 and fp8 FLOPS, power, scale-up bandwidth and reference price (7), and the
  // price row's on-demand price (1). A hand-written file need not cite; the count says so.
  const Json applied = Json::parse(apply_catalog_json(file.dump(), base, active));
  CHECK(applied.at("ok") == true);
  CHECK(applied.at("gpus") == 1);
  CHECK(applied.at("models") == 0);
  CHECK(applied.at("efficiency") == false);
  CHECK(applied.at("unsourced") == 7 + 1);
  CHECK(active.find_gpu("my-x1") != nullptr);
  // The CLI's validate-catalog reads the same summary from the core.
  CatalogFileSummary summary;
  const Result<Catalog> direct = apply_catalog_file(base, file.dump(), summary);
  REQUIRE(direct.ok());
  CHECK(summary.gpus == 1);
  CHECK(summary.unsourced_figures == 7 + 1);
  CHECK(direct.value().find_gpu("my-x1") != nullptr);
  // One figure cited (source and date) leaves seven.
  file["gpus"][0]["tdp_w"] = {
      {"value", 700}, {"source", "https://example.org/x1"}, {"as_of", "2026-01"}};
  CHECK(Json::parse(apply_catalog_json(file.dump(), base, active)).at("unsourced") == 7);
}

}  // namespace
}  // namespace pertoken::test
