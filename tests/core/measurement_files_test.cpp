// The web page validates the shipped measurements from files it fetches (the planner's module does
// not carry them): a set's files by name, their texts joined as the shipped set is, and errors
// that name what is wrong.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pertoken/json/json_api.hpp"
#include "pertoken/validation/validation.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

using Json = nlohmann::json;

const char* const kHeader =
    "id,gpu,num_gpus,tp,ep,model,weights,kv_cache,input_tokens,output_tokens,concurrency,metric,"
    "value,assumptions,framework,source_url\n";

TEST_CASE("measurement files: each shipped set names its files in the order they join",
          "[validation][web]") {
  using Files = std::vector<std::string_view>;
  CHECK(measurement_set_files("calibration") ==
        Files{"assets/calibration/measured.csv", "assets/calibration/moe_calibration.csv"});
  CHECK(measurement_set_files("holdout") ==
        Files{"assets/calibration/holdout.csv", "assets/calibration/moe_holdout.csv"});
  CHECK(measurement_set_files("dense") == Files{"assets/calibration/measured.csv"});
  CHECK(measurement_set_files("moe-holdout") == Files{"assets/calibration/moe_holdout.csv"});
  CHECK(measurement_set_files("everything").empty());
  CHECK(Json::parse(measurement_set_files_json("dense-holdout")) ==
        Json::array({"assets/calibration/holdout.csv"}));
  CHECK(Json::parse(measurement_set_files_json("nope")) == Json::array());
}

TEST_CASE("measurement files: joined, the first file's header is kept and the others' dropped",
          "[validation][web]") {
  CHECK(join_measurement_csvs({"h\nA\n", "h\nB", "h\n", "h\nC\nD\n"}) == "h\nA\nB\nC\nD\n");
  CHECK(join_measurement_csvs({"h\nA"}) == "h\nA\n");
  CHECK(join_measurement_csvs({}).empty());
}

TEST_CASE("measurement files: the texts of a set's files validate as that set",
          "[validation][web]") {
  // Two files of one row each, as a two-file set: both rows are read, the second header is not.
  const std::string first =
      std::string(kHeader) +
      "X001,h100-sxm,1,1,1,llama-3.1-8b,fp8,fp8,128,128,max,"
      "output_tokens_per_second,28836.8,,TensorRT-LLM,https://example.com/a\n";
  const std::string second = std::string(kHeader) +
                             "X002,a100-80gb-sxm,1,1,1,llama-3.1-8b,fp16,fp16,128,128,max,"
                             "output_tokens_per_second,6627,,TensorRT-LLM,https://example.com/b\n";
  const Json report = Json::parse(validation_json_from_files(
      "calibration", Json::array({first, second}).dump(), embedded_catalog()));
  REQUIRE_FALSE(report.contains("errors"));
  CHECK(report["set"] == "calibration");
  CHECK(report["rows"] == 2);
  REQUIRE(report["results"].size() == 2);
  CHECK(report["results"][0]["id"] == "X001");
  CHECK(report["results"][1]["id"] == "X002");
  CHECK(report["results"][1]["measured"] == 6627.0);
  CHECK(report["results"][1]["predicted"].get<double>() > 0);

  // The shipped dense calibration file, passed in as the page passes it, gives the report of the
  // rows built in.
  const std::string dense = validation_json_from_files(
      "dense", Json::array({std::string(embedded_measured_csv())}).dump(), embedded_catalog());
  const auto rows = parse_measurements_csv(*shipped_measurements_csv("dense"));
  REQUIRE(rows.ok());
  CHECK(dense ==
        validation_report_json(validate_measurements(rows.value(), embedded_catalog()), "dense"));
}

TEST_CASE("measurement files: what is wrong is named", "[validation][web][errors]") {
  auto first_error = [](std::string_view set, std::string_view texts) {
    const Json j = Json::parse(validation_json_from_files(set, texts, embedded_catalog()));
    REQUIRE(j.contains("errors"));
    REQUIRE_FALSE(j["errors"].empty());
    return j["errors"][0];
  };
  CHECK(first_error("everything", "[]")["path"] == "/set");
  CHECK(first_error("dense", "[not json")["code"] == "json_syntax");
  const Json count = first_error("calibration", R"(["only one"])");
  CHECK(count["code"] == "wrong_type");
  CHECK(count["message"].get<std::string>().find("2 files") != std::string::npos);
  CHECK(first_error("calibration", R"(["a", 7])")["path"] == "/1");
  // A file that is not the measurements' CSV: the reader's own error, by row and column.
  const Json bad =
      first_error("dense", Json::array({std::string(kHeader) + "X1,h100-sxm,one\n"}).dump());
  CHECK_FALSE(bad["message"].get<std::string>().empty());
}

}  // namespace
}  // namespace pertoken::test
