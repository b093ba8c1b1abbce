// Test helpers: run scenarios through the core's public API and read results.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/scenario/scenario.hpp"
#include "pertoken/serving/estimate.hpp"

namespace pertoken::test {

using Json = nlohmann::json;

// Parses a scenario against the built-in catalog; fails the test if it does not parse.
Scenario scenario(const Json& fields);

// estimate() with the shipped efficiency factors.
Estimate run(const Json& fields);

// The result JSON of the door, parsed.
Json run_json(const Json& fields);

// The first diagnostic of a scenario that must fail to parse.
Diagnostic scenario_error(const std::string& json_text);

// The first diagnostic of a catalog document that must fail to parse.
Diagnostic catalog_error(const std::string& json_text);

// Minimal valid catalog entries for tests to modify.
Json minimal_gpu();
Json minimal_model();

}  // namespace pertoken::test
