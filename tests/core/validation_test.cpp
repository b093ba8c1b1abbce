// Validation against published measurements (assets/calibration): prints predicted vs measured
// per row and fails when the model drifts beyond its target.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "pertoken/serving/estimate.hpp"
#include "pertoken/validation/validation.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

// The header of a hand-built set with every column the shipped files have.
const std::string full_header =
    "id,gpu,num_gpus,tp,ep,model,weights,kv_cache,input_tokens,output_tokens,concurrency,metric,"
    "value,assumptions,framework,source_url\n";

ValidationReport run_set(std::string_view csv, const char* name) {
  Result<std::vector<Measurement>> rows = parse_measurements_csv(csv);
  REQUIRE(rows.ok());
  const ValidationReport report = validate_measurements(rows.value(), embedded_catalog());
  std::printf("\n%s: predicted vs measured\n", name);
  for (const ValidationRow& row : report.rows) {
    const Measurement& m = row.measurement;
    if (row.predicted) {
      std::printf("  %-5s %-14s %-16s %-24s measured %12.5g predicted %12.5g error %+7.1f%%\n",
                  m.id.c_str(), m.gpu.c_str(), m.model.c_str(), m.metric.c_str(), m.value,
                  *row.predicted, row.percent_error);
    } else {
      std::printf("  %-5s %-14s %-16s FAILED: %s\n", m.id.c_str(), m.gpu.c_str(), m.model.c_str(),
                  row.error.c_str());
    }
  }
  std::printf("%s: %zu rows, median absolute error %.1f%%, within +-25%%: %.0f%%\n", name,
              report.rows.size(), report.median_absolute_percent_error,
              report.share_within_25_percent * 100);
  return report;
}

// The number an id ends in ("H-E1043" -> 1043): ids sort by it, not as text.
int id_number(const std::string& id) {
  std::size_t digits = id.size();
  while (digits > 0 && std::isdigit(static_cast<unsigned char>(id[digits - 1]))) --digits;
  return std::stoi(id.substr(digits));
}

// The MoE holdout's report, validated once and shared by the tests that read its subsets.
const ValidationReport& moe_holdout_report() {
  static const ValidationReport report = run_set(embedded_moe_holdout_csv(), "MoE holdout");
  return report;
}

// The MoE holdout's rows with ids from `first` to `last` (one gathering's), summarised from the
// predictions already made for the whole file rather than estimated again.
ValidationReport moe_holdout_subset(const std::string& first, const std::string& last) {
  std::vector<Measurement> rows;
  std::vector<GivenPrediction> predictions;
  for (const ValidationRow& row : moe_holdout_report().rows) {
    const int number = id_number(row.measurement.id);
    if (number < id_number(first) || number > id_number(last)) continue;
    rows.push_back(row.measurement);
    predictions.push_back({row.measurement.id, row.predicted});
  }
  Result<ValidationReport> subset =
      validation_report_from_predictions(rows, predictions, embedded_catalog());
  REQUIRE(subset.ok());
  return subset.value();
}

// The report's group of attention data-parallel + expert-parallel rows; null when it has none.
const ValidationSummary* dep_group(const ValidationReport& report) {
  for (const ValidationSummary& g : report.groups) {
    if (g.name == "attention data-parallel + ep") return &g;
  }
  return nullptr;
}

TEST_CASE("validation: the calibration set is within the model's error target", "[validation]") {
  const ValidationReport report = run_set(embedded_measured_csv(), "calibration set");
  CHECK(report.rows.size() >= 29);
  CHECK(report.rows_failed == 0);  // no row skipped
  CHECK(report.median_absolute_percent_error <= 15.0);
  // NOTE: 0.80 before the fit also covered the 77 MoE calibration rows (issue 10); the shared fit
  // leaves 23 of these 29 dense rows within +-25% (median 6.4%).
  CHECK(report.share_within_25_percent >= 0.75);
}

TEST_CASE("validation: the MoE sets run and are reported", "[validation][moe]") {
  const ValidationReport calibration = run_set(embedded_moe_calibration_csv(), "MoE calibration");
  const ValidationReport& holdout = moe_holdout_report();
  CHECK(calibration.rows.size() == 77);
  CHECK(holdout.rows.size() == 1540);
  CHECK(calibration.rows_failed == 0);
  CHECK(holdout.rows_failed == 0);
  // Guards at the figures of issue 10's model (calibration 35.8%, holdout 38.5%): a change that
  // makes either worse fails here. The targets (25% and 20%) are not met yet. The holdout
  // guard covers the rows gathered up to the fourth gathering (H-E001...H-E166), at 32.0% since
  // candidate V (35.4% before); the later gatherings have guards of their own below.
  CHECK(calibration.median_absolute_percent_error <= 38.0);
  const ValidationReport earlier = moe_holdout_subset("H-E001", "H-E166");
  CHECK(earlier.rows.size() == 166);
  CHECK(earlier.median_absolute_percent_error <= 32.5);
  // Every group the report lists is a subset of the rows.
  for (const ValidationSummary& g : holdout.groups) CHECK(g.rows <= 1540);
}

TEST_CASE("validation: the later gatherings' rows hold the figures they were judged at",
          "[validation][moe]") {
  // Guards, not targets: a change that makes these unseen rows worse fails here (MOE_SOURCES.md).
  struct Gathering {
    const char* first;
    const char* last;
    std::size_t rows;
    double median_limit_percent;
  };
  const Gathering gatherings[] = {
      // The third ("Third gathering"): judged once on 2026-12-05 at 36.3% (the factors before
      // the 64-row tile: 40.5%); 32.1% since candidate V.
      {"H-E053", "H-E144", 92, 32.6},
      // The sixth ("A sixth gathering and a data candidate"): vLLM and SGLang runs of gpt-oss on
      // A100 and B200, GLM-4.6 on A100/H100/H200, DeepSeek-R1 on MI325X, Qwen3-30B-A3B on
      // MI300X, judged once on 2026-12-05 (Y rejected) at 56.5%; 59.2% since candidate V, which
      // its rule let worsen these rows (its burst runs on NVIDIA read faster still).
      {"H-E167", "H-E284", 118, 59.7},
      // The seventh ("A scope candidate and a seventh gathering"): vLLM runs of gpt-oss-120b on
      // H100/H200/B200 (InferenceMAX's sweeps, 900 rows), DeepSeek-R1 on H200, SGLang 0.5 on
      // MI355X and more; judged V on 2026-12-05 (60.4% before V), at 32.5% with it.
      {"H-E285", "H-E1317", 1033, 33.0},
      // The eighth ("An eighth gathering and a rate candidate"): vLLM 0.19-0.25 on H100, H200 and
      // A100 PCIe at a bounded load (Qwen3-30B-A3B, Mixtral, gpt-oss-20b); too few sources for
      // candidate P's decision, so no model change; 38.5% when recorded on 2026-12-06.
      {"H-E1318", "H-E1451", 134, 39.0},
      // The ninth ("A ninth gathering for the same candidate"): vLLM 0.11-0.26 result files of
      // gpt-oss on H100, H200 NVL and L40S and Qwen3-30B-A3B on B200; candidate P rejected; 30.7%
      // when recorded on 2026-12-06.
      {"H-E1452", "H-E1518", 67, 31.2},
      // The tenth ("A tenth gathering and a prompt-step candidate"): Qwen3-235B-A22B on 8 B200
      // and GLM-4.6 on 8 H200 under vLLM; too few sources for candidate Q's decision; 28.1% when
      // recorded on 2026-12-06.
      {"H-E1519", "H-E1540", 22, 28.6},
  };
  for (const Gathering& g : gatherings) {
    const ValidationReport report = moe_holdout_subset(g.first, g.last);
    CHECK(report.rows.size() == g.rows);
    CHECK(report.rows_failed == 0);
    CHECK(report.median_absolute_percent_error <= g.median_limit_percent);
  }
}

TEST_CASE("validation: attention data-parallel layouts are reported as a group of their own",
          "[validation][moe]") {
  // DeepSeek's "DEP": attention in num_gpus / (tp x pp) data-parallel ranks, experts over ep.
  // TP8 with EP8 is one attention group (not DEP); tp 1 ep 8 and TP8 x DP2 with EP16 are DEP.
  const char* csv =
      "id,gpu,num_gpus,tp,ep,model,weights,kv_cache,input_tokens,output_tokens,concurrency,metric,"
      "value\n"
      "T1,h200-sxm,8,8,8,deepseek-r1,fp8,fp8,1000,1000,64,output_tokens_per_second,5000\n"
      "D1,h200-sxm,8,1,8,deepseek-r1,fp8,fp8,1000,1000,64,output_tokens_per_second,5000\n"
      "D2,h200-sxm,16,8,16,deepseek-r1,fp8,fp8,1000,1000,64,output_tokens_per_second,5000\n"
      "P1,h200-sxm,8,8,1,llama-3.1-70b,fp8,fp8,1000,1000,64,output_tokens_per_second,5000\n";
  Result<std::vector<Measurement>> rows = parse_measurements_csv(csv);
  REQUIRE(rows.ok());
  const ValidationReport report = validate_measurements(rows.value(), embedded_catalog());
  REQUIRE(dep_group(report) != nullptr);
  CHECK(dep_group(report)->rows == 2);
  // The shipped MoE holdout: H-E024, H-E025, H-E035, H-E036, H-E037, H-E039 from the first
  // gathering, all 11 rows of the second (H-E042...H-E052) and 14 of the third (TensorRT-LLM
  // 1.2's DEP2/4/8 rows, H-E096...H-E112), and the tenth's six NVFP4 Qwen3-235B-A22B rows
  // (TP1 DP8 with EP, H-E1525...H-E1530).
  const ValidationReport& holdout = moe_holdout_report();
  REQUIRE(dep_group(holdout) != nullptr);
  CHECK(dep_group(holdout)->rows == 37);
}

TEST_CASE("validation: an attention data-parallel + ep estimate states how the model reads there",
          "[validation][moe]") {
  // The note's first claim: no calibration row uses the layout.
  const auto calibration = parse_measurements_csv(*shipped_measurements_csv("calibration"));
  REQUIRE(calibration.ok());
  CHECK(dep_group(validate_measurements(calibration.value(), embedded_catalog())) == nullptr);
  // Its second: on the held-out runs that do, the median error is about a third (25-40%), with
  // no systematic direction (geometric-mean speed ratio within 0.8-1.25).
  const auto holdout = parse_measurements_csv(*shipped_measurements_csv("holdout"));
  REQUIRE(holdout.ok());
  const ValidationReport held = validate_measurements(holdout.value(), embedded_catalog());
  const ValidationSummary* dep = dep_group(held);
  REQUIRE(dep != nullptr);
  CHECK(dep->rows >= 17);
  CHECK(dep->median_absolute_percent_error >= 25.0);
  CHECK(dep->median_absolute_percent_error <= 40.0);
  CHECK(dep->geomean_speed_ratio >= 0.8);
  CHECK(dep->geomean_speed_ratio <= 1.25);

  // Every MoE estimate with the layout carries the note; tp over all GPUs (one attention group)
  // and a dense model do not.
  auto notes_of = [](int tp, int ep, const char* model) {
    const Json scenario{{"model", model}, {"gpu", "h200-sxm"}, {"num_gpus", 8},    {"tp", tp},
                        {"ep", ep},       {"weights", "fp8"},  {"concurrency", 64}};
    Result<Scenario> s = parse_scenario(scenario.dump(), embedded_catalog());
    REQUIRE(s.ok());
    return estimate(s.value(), default_efficiency()).notes;
  };
  auto has_caveat = [](const std::vector<std::string>& notes) {
    return std::find(notes.begin(), notes.end(), attention_dp_caveat) != notes.end();
  };
  CHECK(has_caveat(notes_of(1, 8, "deepseek-r1")));
  CHECK(has_caveat(notes_of(2, 8, "deepseek-r1")));
  CHECK_FALSE(has_caveat(notes_of(8, 8, "deepseek-r1")));
  CHECK_FALSE(has_caveat(notes_of(8, 1, "deepseek-r1")));
  CHECK_FALSE(has_caveat(notes_of(8, 1, "llama-3.1-70b")));
}

TEST_CASE("validation: the holdout set runs and is reported", "[validation]") {
  const ValidationReport report = run_set(embedded_holdout_csv(), "holdout set");
  CHECK(report.rows_failed == 0);
  // Never fitted on: a guard against changes that only help the calibration set.
  CHECK(report.median_absolute_percent_error <= 25.0);
}

TEST_CASE("validation: the CSV reader reports bad rows by row and column", "[validation][errors]") {
  Result<std::vector<Measurement>> rows = parse_measurements_csv(
      "id,gpu,num_gpus,tp,ep,model,weights,kv_cache,input_tokens,output_tokens,concurrency,metric,"
      "value\nX1,h100-sxm,two,1,1,llama-3.1-8b,bf16,bf16,10,10,1,tpot_seconds,0.01\n");
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.diagnostics().front().to_string() ==
        "/1/num_gpus: must be a whole number > 0, got 'two'");
  rows = parse_measurements_csv("id,gpu\nX,h100\n");
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.diagnostics().front().code == ErrorCode::missing_field);
}

TEST_CASE("validation: a disaggregated run's prefill pool comes from its own columns",
          "[validation]") {
  // Decode on 8 H200 (attention DP 8 + EP 8), prompts on a pool of 8 more at tp 8: the row is the
  // scenario with those prefill_* keys, and a run without the columns shares its GPUs.
  const char* header =
      "id,gpu,num_gpus,tp,ep,prefill_gpus,prefill_tp,prefill_ep,model,weights,kv_cache,"
      "input_tokens,output_tokens,concurrency,metric,value\n";
  Result<std::vector<Measurement>> rows = parse_measurements_csv(
      std::string(header) +
      "PD,h200-sxm,8,1,8,8,8,1,deepseek-r1,fp8,fp8,2000,500,256,ttft_seconds,1\n"
      "AG,h200-sxm,8,1,8,,,,deepseek-r1,fp8,fp8,2000,500,256,ttft_seconds,1\n");
  REQUIRE(rows.ok());
  const Measurement& pd = rows.value()[0];
  CHECK(pd.prefill_gpus == 8);
  CHECK(pd.prefill_tp == 8);
  CHECK(pd.prefill_ep == 1);
  const Json scenario = Json::parse(measurement_scenario_json(pd));
  CHECK(scenario.at("prefill_gpus") == 8);
  CHECK(scenario.at("prefill_tp") == 8);
  CHECK(scenario.at("prefill_ep") == 1);
  const Json aggregated = Json::parse(measurement_scenario_json(rows.value()[1]));
  CHECK_FALSE(aggregated.contains("prefill_gpus"));
  CHECK_FALSE(aggregated.contains("prefill_tp"));

  // Validated, the row is predicted as that scenario's estimate.
  const Json fields{{"model", "deepseek-r1"},
                    {"gpu", "h200-sxm"},
                    {"num_gpus", 8},
                    {"tp", 1},
                    {"ep", 8},
                    {"prefill_gpus", 8},
                    {"prefill_tp", 8},
                    {"prefill_ep", 1},
                    {"weights", "fp8"},
                    {"kv_cache", "fp8"},
                    {"input_tokens", 2000},
                    {"output_tokens", 500},
                    {"concurrency", 256}};
  Result<Scenario> s = parse_scenario(fields.dump(), embedded_catalog());
  REQUIRE(s.ok());
  const ValidationReport report = validate_measurements(rows.value(), embedded_catalog());
  REQUIRE(report.rows[0].predicted);
  CHECK(*report.rows[0].predicted == Approx(estimate(s.value(), default_efficiency()).ttft_s));
  REQUIRE(report.rows[1].predicted);
  CHECK(*report.rows[1].predicted != Approx(*report.rows[0].predicted));

  // A bad value is refused naming its row and column.
  rows = parse_measurements_csv(std::string(header) +
                                "X,h200-sxm,8,1,8,half,8,1,deepseek-r1,fp8,fp8,2000,500,256,"
                                "ttft_seconds,1\n");
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.diagnostics().front().to_string() ==
        "/1/prefill_gpus: must be a whole number > 0, got 'half'");
}

TEST_CASE("validation: quoted CSV fields may hold commas and quotes", "[validation]") {
  Result<std::vector<Measurement>> rows = parse_measurements_csv(
      "id,gpu,num_gpus,tp,ep,model,weights,kv_cache,input_tokens,output_tokens,concurrency,metric,"
      "value,assumptions\nX1,h100-sxm,1,1,1,llama-3.1-8b,bf16,bf16,10,10,1,tpot_seconds,0.01,"
      "\"a, \"\"b\"\"\"\n");
  REQUIRE(rows.ok());
  CHECK(rows.value().at(0).assumptions == "a, \"b\"");
}

TEST_CASE("validation: predictions made elsewhere are summarised by the same rules",
          "[validation]") {
  // The fit's loss term: |ln(predicted / measured)| up to a factor of e, 1 beyond it or without a
  // prediction.
  CHECK(capped_log_error(2.0, 1.0) == Approx(std::log(2.0)));
  CHECK(capped_log_error(0.5, 1.0) == Approx(std::log(2.0)));
  CHECK(capped_log_error(10.0, 1.0) == 1.0);
  CHECK(capped_log_error(std::nullopt, 1.0) == 1.0);
  CHECK(capped_log_error(0.0, 1.0) == 1.0);

  Result<std::vector<Measurement>> rows = parse_measurements_csv(
      "id,gpu,num_gpus,tp,ep,model,weights,kv_cache,input_tokens,output_tokens,concurrency,metric,"
      "value\nA,h100-sxm,1,1,1,llama-3.1-8b,fp8,fp8,128,128,max,output_tokens_per_second,100\n"
      "B,h100-sxm,1,1,1,llama-3.1-8b,fp8,fp8,128,128,1,ttft_seconds,1\n"
      "C,h100-sxm,1,1,1,llama-3.1-8b,fp8,fp8,128,128,1,tpot_seconds,1\n");
  REQUIRE(rows.ok());
  const auto given = parse_predictions_csv("id,predicted\nB,0.5\nA,110\nC,\n");
  REQUIRE(given.ok());
  const auto report =
      validation_report_from_predictions(rows.value(), given.value(), embedded_catalog());
  REQUIRE(report.ok());
  // By hand: errors 10%, 50%, 100% (C has none): median 50%, a third within 25%; speed ratio
  // (110/100 x 1/0.5)^(1/2); loss (ln 1.1 + ln 2 + 1) / 3.
  const ValidationSummary& all = report.value().groups.front();
  CHECK(all.name == "all");
  CHECK(all.rows_failed == 1);
  CHECK(all.median_absolute_percent_error == Approx(50.0));
  CHECK(all.share_within_25_percent == Approx(1.0 / 3));
  CHECK(all.geomean_speed_ratio == Approx(std::sqrt(2.2)));
  CHECK(all.mean_capped_log_error == Approx((std::log(1.1) + std::log(2.0) + 1) / 3));

  // Rows without a source_url column share the empty source.
  CHECK(all.sources == 1);
  CHECK(all.source_weighted_median_absolute_percent_error == Approx(50.0));

  // Bad entries are named by their line.
  const auto bad_number = parse_predictions_csv("id,p\nA,-1\n");
  REQUIRE_FALSE(bad_number.ok());
  CHECK(bad_number.diagnostics().front().to_string() ==
        "/1/predicted: must be a number >= 0 or empty, got '-1'");
  const auto unknown = validation_report_from_predictions(
      rows.value(), parse_predictions_csv("id,p\nA,1\nZ,1\nA,2\n").value(), embedded_catalog());
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.diagnostics().at(0).to_string() == "/2/id: 'Z' is not a row of the set");
  CHECK(unknown.diagnostics().at(1).to_string() == "/3/id: 'A' is given more than once");
}

TEST_CASE("validation: each source weighs the same in its figure; groups by metric and accelerator",
          "[validation]") {
  const std::string row = ",1,1,1,llama-3.1-8b,fp8,fp8,128,128,1,";
  Result<std::vector<Measurement>> rows = parse_measurements_csv(
      full_header + "A1,h100-sxm" + row + "output_tokens_per_second,100,,,https://a\n" +
      "A2,h100-sxm" + row + "output_tokens_per_second,100,,,https://a\n" + "A3,h100-sxm" + row +
      "tpot_seconds,1,,,https://a\n" + "B1,l40s" + row + "ttft_seconds,1,,,https://b\n");
  REQUIRE(rows.ok());
  // Errors by hand: A 10%, 20%, 30%; B 80%.
  const auto given = parse_predictions_csv("id,predicted\nA1,110\nA2,80\nA3,1.3\nB1,0.2\n");
  REQUIRE(given.ok());
  const auto report =
      validation_report_from_predictions(rows.value(), given.value(), embedded_catalog());
  REQUIRE(report.ok());
  auto group = [&](const std::string& name) -> const ValidationSummary& {
    for (const ValidationSummary& g : report.value().groups) {
      if (g.name == name) return g;
    }
    FAIL("no group " << name);
    return report.value().groups.front();
  };
  // Rows: median of 10, 20, 30, 80 is 25. Sources: A's median 20, B's 80: their median 50.
  CHECK(group("all").median_absolute_percent_error == Approx(25.0));
  CHECK(group("all").sources == 2);
  CHECK(group("all").source_weighted_median_absolute_percent_error == Approx(50.0));
  CHECK(group("throughput").rows == 2);
  CHECK(group("throughput").median_absolute_percent_error == Approx(15.0));
  CHECK(group("tpot").rows == 1);
  CHECK(group("ttft").rows == 1);
  CHECK(group("accelerator h100-sxm").rows == 3);
  CHECK(group("accelerator h100-sxm").sources == 1);
  CHECK(group("accelerator l40s").median_absolute_percent_error == Approx(80.0));
  // Predictions made elsewhere say nothing of the load they were made at: no group by load. The
  // family is the catalog's, so the dense TTFT row still has its group.
  for (const ValidationSummary& g : report.value().groups) {
    CHECK(g.name != "ttft alone");
    CHECK(g.name != "ttft loaded");
  }
  CHECK(group("ttft dense").median_absolute_percent_error == Approx(80.0));
}

TEST_CASE("validation: time to first token is grouped by load, one request in flight or more",
          "[validation]") {
  const std::string lead = ",h100-sxm,1,1,1,llama-3.1-8b,fp8,fp8,1024,128,";
  // Alone: a closed loop of one, and one run of ten prompts one at a time; loaded: 32 at a time.
  Result<std::vector<Measurement>> rows = parse_measurements_csv(
      full_header + "T1" + lead + "1,ttft_seconds,0.05,,,https://a\n" + "T2" + lead +
      "1 (10 prompts),ttft_seconds,0.05,,,https://a\n" + "T3" + lead +
      "32,ttft_seconds,0.05,,,https://a\n" + "T4" + lead + "32,tpot_seconds,0.01,,,https://a\n");
  REQUIRE(rows.ok());
  const ValidationReport report = validate_measurements(rows.value(), embedded_catalog());
  std::map<std::string, int> counts;
  for (const ValidationSummary& g : report.groups) counts[g.name] = g.rows;
  CHECK(counts["ttft"] == 3);
  CHECK(counts["ttft alone"] == 2);
  CHECK(counts["ttft loaded"] == 1);
  CHECK(report.rows[0].requests_in_flight == 1.0);
  CHECK(report.rows[2].requests_in_flight == 32.0);
}

TEST_CASE("validation: time to first token is judged for dense and MoE models apart",
          "[validation]") {
  const std::string dense = ",h100-sxm,1,1,1,llama-3.1-8b,fp8,fp8,1024,128,";
  const std::string moe = ",h100-sxm,2,2,1,gpt-oss-120b,fp4,bf16,1024,128,";
  // One dense TTFT row, two MoE TTFT rows, and a MoE TPOT row that no TTFT group holds.
  Result<std::vector<Measurement>> rows = parse_measurements_csv(
      full_header + "F1" + dense + "8,ttft_seconds,0.05,,,https://a\n" + "F2" + moe +
      "8,ttft_seconds,0.05,,,https://b\n" + "F3" + moe + "1,ttft_seconds,0.2,,,https://b\n" + "F4" +
      moe + "8,tpot_seconds,0.01,,,https://b\n");
  REQUIRE(rows.ok());
  const ValidationReport report = validate_measurements(rows.value(), embedded_catalog());
  REQUIRE(report.rows.size() == 4);
  for (const ValidationRow& row : report.rows) REQUIRE(row.predicted);
  std::map<std::string, const ValidationSummary*> groups;
  for (const ValidationSummary& g : report.groups) groups[g.name] = &g;
  REQUIRE(groups.count("ttft dense") == 1);
  REQUIRE(groups.count("ttft moe") == 1);
  CHECK(groups["ttft"]->rows == 3);
  CHECK(groups["ttft dense"]->rows == 1);
  CHECK(groups["ttft moe"]->rows == 2);
  // Each group's median is its own rows' median: F1's error alone; the mean of F2's and F3's.
  const auto error = [&](std::size_t i) { return std::fabs(report.rows[i].percent_error); };
  CHECK(groups["ttft dense"]->median_absolute_percent_error == Approx(error(0)));
  CHECK(groups["ttft moe"]->median_absolute_percent_error == Approx(0.5 * (error(1) + error(2))));
  CHECK(groups["ttft moe"]->sources == 1);
}

}  // namespace
}  // namespace pertoken::test
