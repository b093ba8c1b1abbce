// The shipped catalog read in part (a first answer's two entries, the pickers' names) answers
// exactly as the whole catalog does, and the structure scan behind it reads what JSON says.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "catalog/shipped_text_index.hpp"
#include "pertoken/json/json_api.hpp"
#include "pertoken/serving/estimate.hpp"
#include "test_support.hpp"

namespace pertoken::test {
namespace {

using detail::array_element_texts;
using detail::string_member;

TEST_CASE("structure scan: elements and string members, whatever their strings hold",
          "[catalog][subset]") {
  const std::string text = R"( { "note": "a } ] \" , { [ inside", "gpus" : [
      {"id": "a", "n": [1, {"x": "]"}], "name": "A \"quoted\" \u00e9"} ,
      {"name": "no id first", "id": "b"},
      7, "s", [ ], {}
    ], "models": [] } )";
  const std::vector<std::string_view> gpus = array_element_texts(text, "gpus");
  REQUIRE(gpus.size() == 6);
  CHECK(gpus[0].front() == '{');
  CHECK(gpus[0].back() == '}');
  CHECK(gpus[2] == "7");
  CHECK(gpus[3] == "\"s\"");
  CHECK(gpus[4] == "[ ]");
  CHECK(gpus[5] == "{}");
  CHECK(string_member(gpus[0], "id") == "a");
  CHECK(string_member(gpus[0], "name") == "A \"quoted\" \xc3\xa9");
  CHECK(string_member(gpus[1], "id") == "b");
  CHECK_FALSE(string_member(gpus[0], "n").has_value());  // not a string
  CHECK_FALSE(string_member(gpus[0], "x").has_value());  // not a top-level member
  CHECK_FALSE(string_member(gpus[2], "id").has_value());
  CHECK(array_element_texts(text, "models").empty());
  CHECK(array_element_texts(text, "prices").empty());
  // A key inside a string or a nested object is no member.
  CHECK(array_element_texts(R"({"a": {"gpus": [1]}, "b": "\"gpus\": [2]"})", "gpus").empty());
}

TEST_CASE("structure scan: text that is not well-formed gives less, never more",
          "[catalog][subset]") {
  for (std::string_view broken :
       {"", "{", "{\"gpus\"", "{\"gpus\": [", "{\"gpus\": [{\"id\": \"a\"", "{\"gpus\": [\"open",
        "[1, 2]", "{\"gpus\": [1, 2", "{\"id\": \"unterminated}", "{\"id\" \"a\"}"}) {
    INFO(broken);
    CHECK(array_element_texts(broken, "gpus").size() <= 1);
    CHECK_FALSE(string_member(broken, "id").has_value());
  }
}

TEST_CASE("shipped names read in part equal the whole catalog's", "[catalog][subset]") {
  const CatalogNames whole = catalog_names(embedded_catalog());
  REQUIRE(whole.models.size() >= 30);
  REQUIRE(whole.gpus.size() >= 20);
  CHECK(catalog_names_json(embedded_catalog_names()) == catalog_names_json(whole));
}

std::string scenario_text(const std::string& model, const std::string& gpu,
                          const std::string& more) {
  return R"({"model": ")" + model + R"(", "gpu": ")" + gpu + R"(")" + more + "}";
}

TEST_CASE("every shipped model on every shipped accelerator: the named entries answer as all do",
          "[catalog][subset]") {
  const Catalog& whole = embedded_catalog();
  int compared = 0;
  int ran = 0;
  for (const ModelSpec& model : whole.models) {
    for (const GpuSpec& gpu : whole.gpus) {
      const std::string text = scenario_text(model.id, gpu.id, R"(, "num_gpus": 8)");
      const Catalog named = embedded_catalog_for_scenario(text);
      CHECK(named.models.size() == 1);
      CHECK(named.gpus.size() == 1);
      const std::string expected = evaluate_scenario_point_json(text, whole, "2026-12-01");
      const std::string got = evaluate_scenario_point_json(text, named, "2026-12-01");
      if (got != expected) FAIL_CHECK(text);
      ran += expected.find("\"fits\":true") != std::string::npos ? 1 : 0;
      ++compared;
    }
  }
  CHECK(compared == static_cast<int>(whole.models.size() * whole.gpus.size()));
  CHECK(ran > compared / 4);  // the comparison covers real estimates, not only refusals
}

TEST_CASE("the named entries fail where the whole catalog fails, in the same words",
          "[catalog][subset]") {
  const Catalog& whole = embedded_catalog();
  const std::string model = whole.models.front().id;
  const std::string gpu = whole.gpus.front().id;
  const std::string draft = whole.find_model("llama-3.2-1b") ? "llama-3.2-1b" : model;
  for (const std::string& text : std::vector<std::string>{
           scenario_text("no-such-model", gpu, ""),
           scenario_text(model, "no-such-gpu", ""),
           scenario_text("llama-3.1-70b", "h100-sxm", R"(, "speculative": "draft:llama-3.2-1b")"),
           scenario_text("llama-3.1-70b", "h100-sxm", R"(, "speculative": "draft:nothing")"),
           scenario_text("llama-3.1-70b", "h100-sxm", R"(, "speculative": "mtp")"),
           scenario_text("llama-3.1-8b", "h100-sxm", R"(, "num_gpus": "two")"),
           R"({"gpu": "h100-sxm"})",
           R"({"model": 7, "gpu": ["h100-sxm"]})",
           R"({"model": "llama-3.1-8b", "gpu": "h100-sxm")",  // not JSON
           R"([1, 2])",
           "",
       }) {
    INFO(text);
    CHECK(evaluate_scenario_point_json(text, embedded_catalog_for_scenario(text), "") ==
          evaluate_scenario_point_json(text, whole, ""));
    CHECK(scenario_defaults_json(text, embedded_catalog_for_scenario(text)) ==
          scenario_defaults_json(text, whole));
    // With the uncertainty bands too (the web page's second evaluation).
    CHECK(evaluate_scenario_json(text, embedded_catalog_for_scenario(text), "") ==
          evaluate_scenario_json(text, whole, ""));
  }
  // The draft model is read too, and an id the catalog lacks stays out.
  const Catalog drafted = embedded_catalog_for_scenario(
      scenario_text("llama-3.1-70b", "h100-sxm", R"(, "speculative": "draft:)" + draft + "\""));
  CHECK(drafted.models.size() == (draft == "llama-3.1-70b" ? 1u : 2u));
  CHECK(embedded_catalog_for_scenario(scenario_text("no-such-model", "no-such-gpu", ""))
            .models.empty());
}

}  // namespace
}  // namespace pertoken::test
