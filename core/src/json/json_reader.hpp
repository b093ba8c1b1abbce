// Internal: strict, non-throwing reading of JSON documents with JSON-pointer diagnostics.
// Every accessor checks type and range and records a Diagnostic instead of throwing.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/diagnostics.hpp"

namespace pertoken::detail {

using Json = nlohmann::ordered_json;  // one instantiation in the core (smaller wasm)

// Parses `text`; on failure records a json_syntax diagnostic and returns nullopt. Documents
// nested deeper than max_json_depth are rejected (no unbounded recursion), and so is a key given
// twice in one object (the diagnostic's path is that key's), which would otherwise keep the last
// value without a word.
inline constexpr int max_json_depth = 64;
std::optional<Json> parse_json(std::string_view text, Diagnostics& diagnostics);

// The same for text the program ships (the embedded catalog): one pass, without parse_json's
// separate syntax-and-depth pass, which guards against hostile input this text is not (the tests
// read it with parse_json). It is what a web page's first answer waits on.
std::optional<Json> parse_shipped_json(std::string_view text, Diagnostics& diagnostics);

// JSON the core wrote itself (a field's default literal, a result it serialized): null if it is
// not JSON. Use this, never Json::parse, in the core: that one instantiates nlohmann's callback
// parser too, which costs the calculator's WebAssembly module kilobytes.
Json parse_trusted_json(std::string_view text);

std::string child_path(const std::string& path, std::string_view key);
std::string child_path(const std::string& path, std::size_t index);

// A short description of a JSON value's type for messages ("a string", "an array").
std::string_view type_name(const Json& value);

// Records unknown_field for every key of `object` that is not in `allowed`.
void reject_unknown_keys(const Json& object, const std::string& path,
                         std::initializer_list<std::string_view> allowed, Diagnostics& diagnostics);

bool expect_object(const Json& value, const std::string& path, Diagnostics& diagnostics);

// Reads object[key] as a string; absent -> nullopt (+ missing_field when required).
std::optional<std::string> read_string(const Json& object, std::string_view key,
                                       const std::string& path, bool required,
                                       Diagnostics& diagnostics);
std::optional<bool> read_bool(const Json& object, std::string_view key, const std::string& path,
                              bool required, Diagnostics& diagnostics);

// Reads a finite JSON number (integers included) from `value`.
std::optional<double> as_number(const Json& value, const std::string& path,
                                Diagnostics& diagnostics);
// Reads an integer in [min, max]; a float with no fraction (2.0) is accepted.
std::optional<long long> as_integer(const Json& value, const std::string& path, long long min,
                                    long long max, Diagnostics& diagnostics);

// What a figure must satisfy.
struct FigureRule {
  bool integer = false;  // value must be a whole number
  bool positive = true;  // value must be > 0 (else >= 0)
  double max = 1e30;     // value must be <= max (rejects absurd magnitudes)
  bool nullable = true;  // value may be null (unknown)
};

struct Figure {
  bool present = false;         // the key exists
  std::optional<double> value;  // nullopt: unknown (null) or invalid
  bool valid = true;            // false: a diagnostic was recorded
  Provenance provenance;
};

// Reads a figure: a plain number/null, or {"value", "source", "as_of", "note"}. Range errors are
// reported at the figure's own path ("/gpus/3/memory_gib"), whichever form it takes.
Figure read_figure(const Json& object, std::string_view key, const std::string& path,
                   const FigureRule& rule, bool required, Diagnostics& diagnostics);

// The shipped catalog's gate: every figure of an entry (provenance keyed by JSON pointer below
// `entry_path`) has an https:// source and an as_of of YYYY, YYYY-MM or YYYY-MM-DD. One message
// per figure, naming what it lacks: a catalog file's summary counts these figures by its messages.
void check_provenance_figures(const std::map<std::string, Provenance>& provenance,
                              const std::string& entry_path, Diagnostics& diagnostics);

}  // namespace pertoken::detail

namespace pertoken {
struct ScenarioField;
}

namespace pertoken::detail {

// A number written as text ("$3.50", "4k", "1e309", "abc"), in words: the plain number to write
// instead, or why there is none. Every door passes such text through, so all of them say this,
// for the scenario's fields and the plan's alike.
std::string number_text_message(const std::string& given, const ScenarioField& field);

// Reads object[field.key] as a number in the field table row's range (a field of the plan or
// sensitivity tables: one place says what the range is). Absent -> nullopt, no diagnostic; text
// -> number_text_message's words.
std::optional<double> read_field_number(const Json& object, const ScenarioField& field,
                                        Diagnostics& diagnostics);

}  // namespace pertoken::detail
