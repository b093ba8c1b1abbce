// Internal: strict, non-throwing JSON reading with JSON-pointer diagnostics.
#include "json/json_reader.hpp"

#include "pertoken/scenario/fields.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace pertoken::detail {
namespace {

// One SAX pass that builds the document (nlohmann's own DOM builder, fed event by event) and
// checks what its parser lets through: nesting deeper than max_json_depth (no unbounded
// recursion), and a key given twice in one object, which nlohmann would read as the last value
// silently. Building through sax_parse, never Json::parse, also keeps nlohmann's callback parser
// (and its std::vector<bool>) out of the WebAssembly module.
class ReadingSax {
 public:
  ReadingSax(Json& root, bool checked)
      : dom_(root, /*allow_exceptions=*/false), checked_(checked) {}

  bool null() { return value(dom_.null()); }
  bool boolean(bool v) { return value(dom_.boolean(v)); }
  bool number_integer(Json::number_integer_t v) { return value(dom_.number_integer(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return value(dom_.number_unsigned(v)); }
  bool number_float(Json::number_float_t v, const Json::string_t& s) {
    return value(dom_.number_float(v, s));
  }
  bool string(Json::string_t& v) { return value(dom_.string(v)); }
  bool binary(Json::binary_t& v) { return value(dom_.binary(v)); }
  bool start_object(std::size_t n) { return enter(false) && dom_.start_object(n); }
  bool key(Json::string_t& k) {
    if (checked_) {
      Frame& object = frames_.back();
      for (const std::string& seen : object.keys) {
        if (seen == k) {
          path = pointer() + "/" + json_pointer_token(k);
          error = "is given twice in one object; give each key once";
          return false;
        }
      }
      object.keys.push_back(k);
    }
    return dom_.key(k);
  }
  bool end_object() { return leave() && dom_.end_object(); }
  bool start_array(std::size_t n) { return enter(true) && dom_.start_array(n); }
  bool end_array() { return leave() && dom_.end_array(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) {
    error = std::string(ex.what());
    // nlohmann's what() starts with "[json.exception.parse_error.101] "; keep the readable part.
    if (auto bracket = error.find("] "); bracket != std::string::npos)
      error = error.substr(bracket + 2);
    return false;
  }

  std::string error;
  std::string path;  // where a key is given twice

 private:
  struct Frame {
    bool array = false;
    std::size_t count = 0;          // children completed (an array's index of the next)
    std::vector<std::string> keys;  // an object's keys so far
  };
  bool value(bool ok) {
    if (!frames_.empty()) ++frames_.back().count;
    return ok;
  }
  // Levels are counted in checked mode only: text the core wrote itself is neither deep nor
  // given twice, so its reading keeps no bookkeeping.
  bool enter(bool array) {
    if (!checked_) return true;
    if (static_cast<int>(frames_.size()) >= max_json_depth) {
      error = "nested deeper than " + std::to_string(max_json_depth) + " levels";
      return false;
    }
    frames_.push_back({array, 0, {}});
    return true;
  }
  bool leave() {
    if (checked_) frames_.pop_back();
    return value(true);
  }
  // The pointer of the object being read: each enclosing level's current key or index.
  std::string pointer() const {
    std::string p;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      p += "/" + (frames_[i].array ? std::to_string(frames_[i].count)
                                   : json_pointer_token(frames_[i].keys.back()));
    }
    return p;
  }

  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  bool checked_;
  std::vector<Frame> frames_;
};

std::optional<Json> read(std::string_view text, Diagnostics& diagnostics, bool checked) {
  Json document;
  ReadingSax sax(document, checked);
  if (!Json::sax_parse(text.begin(), text.end(), &sax, Json::input_format_t::json,
                       /*strict=*/true, /*ignore_comments=*/false)) {
    diagnostics.push_back({ErrorCode::json_syntax, sax.path,
                           sax.error.empty()  ? "not valid JSON"
                           : sax.path.empty() ? "not valid JSON: " + sax.error
                                              : sax.error});
    return std::nullopt;
  }
  return document;
}

}  // namespace

std::optional<Json> parse_json(std::string_view text, Diagnostics& diagnostics) {
  return read(text, diagnostics, /*checked=*/true);
}

std::optional<Json> parse_shipped_json(std::string_view text, Diagnostics& diagnostics) {
  return read(text, diagnostics, /*checked=*/false);
}

Json parse_trusted_json(std::string_view text) {
  Diagnostics ignored;
  return read(text, ignored, /*checked=*/false).value_or(Json());
}

std::string child_path(const std::string& path, std::string_view key) {
  return path + "/" + json_pointer_token(key);
}

std::string child_path(const std::string& path, std::size_t index) {
  return path + "/" + std::to_string(index);
}

std::string_view type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "a number";
    default: return "an unsupported value";
  }
}

void reject_unknown_keys(const Json& object, const std::string& path,
                         std::initializer_list<std::string_view> allowed,
                         Diagnostics& diagnostics) {
  if (!object.is_object()) return;
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool known = false;
    for (std::string_view key : allowed) known = known || key == it.key();
    if (!known) {
      diagnostics.push_back({ErrorCode::unknown_field, child_path(path, it.key()), "unknown key"});
    }
  }
}

bool expect_object(const Json& value, const std::string& path, Diagnostics& diagnostics) {
  if (value.is_object()) return true;
  diagnostics.push_back(
      {ErrorCode::wrong_type, path, "must be an object, not " + std::string(type_name(value))});
  return false;
}

namespace {
const Json* member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}
}  // namespace

std::optional<std::string> read_string(const Json& object, std::string_view key,
                                       const std::string& path, bool required,
                                       Diagnostics& diagnostics) {
  const Json* value = member(object, key);
  const std::string at = child_path(path, key);
  if (value == nullptr) {
    if (required) diagnostics.push_back({ErrorCode::missing_field, at, "is required"});
    return std::nullopt;
  }
  if (!value->is_string()) {
    diagnostics.push_back(
        {ErrorCode::wrong_type, at, "must be a string, not " + std::string(type_name(*value))});
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<bool> read_bool(const Json& object, std::string_view key, const std::string& path,
                              bool required, Diagnostics& diagnostics) {
  const Json* value = member(object, key);
  const std::string at = child_path(path, key);
  if (value == nullptr) {
    if (required) diagnostics.push_back({ErrorCode::missing_field, at, "is required"});
    return std::nullopt;
  }
  if (!value->is_boolean()) {
    diagnostics.push_back({ErrorCode::wrong_type, at,
                           "must be true or false, not " + std::string(type_name(*value))});
    return std::nullopt;
  }
  return value->get<bool>();
}

std::optional<double> as_number(const Json& value, const std::string& path,
                                Diagnostics& diagnostics) {
  if (!value.is_number()) {
    diagnostics.push_back(
        {ErrorCode::wrong_type, path, "must be a number, not " + std::string(type_name(value))});
    return std::nullopt;
  }
  const double number = value.get<double>();
  if (!std::isfinite(number)) {
    diagnostics.push_back({ErrorCode::out_of_range, path, "must be a finite number"});
    return std::nullopt;
  }
  return number;
}

std::optional<long long> as_integer(const Json& value, const std::string& path, long long min,
                                    long long max, Diagnostics& diagnostics) {
  std::optional<double> number = as_number(value, path, diagnostics);
  if (!number) return std::nullopt;
  if (*number != std::floor(*number)) {
    diagnostics.push_back({ErrorCode::wrong_type, path, "must be a whole number"});
    return std::nullopt;
  }
  if (*number < static_cast<double>(min) || *number > static_cast<double>(max)) {
    std::string message = min == 1 ? "must be > 0" : "must be >= " + std::to_string(min);
    message += " and <= " + std::to_string(max);
    diagnostics.push_back({ErrorCode::out_of_range, path, message});
    return std::nullopt;
  }
  return static_cast<long long>(*number);
}

namespace {
void check_range(Figure& figure, double number, const std::string& at, const FigureRule& rule,
                 Diagnostics& diagnostics) {
  if (rule.integer && number != std::floor(number)) {
    diagnostics.push_back({ErrorCode::wrong_type, at, "must be a whole number"});
    figure.valid = false;
  } else if (rule.positive && !(number > 0)) {
    diagnostics.push_back({ErrorCode::out_of_range, at, "must be > 0"});
    figure.valid = false;
  } else if (!rule.positive && number < 0) {
    diagnostics.push_back({ErrorCode::out_of_range, at, "must be >= 0"});
    figure.valid = false;
  } else if (number > rule.max) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "must be <= %g", rule.max);
    diagnostics.push_back({ErrorCode::out_of_range, at, buffer});
    figure.valid = false;
  } else {
    figure.value = number;
  }
}
}  // namespace

namespace {
// A figure's "estimate" mark: absent, or true (false would say nothing a missing mark does not).
bool read_estimate_mark(const Json& figure, const std::string& path, Diagnostics& diagnostics) {
  const Json* mark = member(figure, "estimate");
  if (mark == nullptr) return false;
  if (!mark->is_boolean() || !mark->get<bool>()) {
    diagnostics.push_back({ErrorCode::wrong_type, child_path(path, "estimate"),
                           "must be true (leave it out for a published figure)"});
    return false;
  }
  return true;
}
}  // namespace

Figure read_figure(const Json& object, std::string_view key, const std::string& path,
                   const FigureRule& rule, bool required, Diagnostics& diagnostics) {
  Figure figure;
  const Json* value = member(object, key);
  const std::string at = child_path(path, key);
  if (value == nullptr) {
    if (required) {
      diagnostics.push_back({ErrorCode::missing_field, at, "is required"});
      figure.valid = false;
    }
    return figure;
  }
  figure.present = true;
  const Json* number = value;
  if (value->is_object()) {
    reject_unknown_keys(*value, at, {"value", "source", "as_of", "estimate", "note"}, diagnostics);
    auto source = read_string(*value, "source", at, false, diagnostics);
    auto as_of = read_string(*value, "as_of", at, false, diagnostics);
    auto note = read_string(*value, "note", at, false, diagnostics);
    figure.provenance = {source.value_or(""), as_of.value_or(""), note.value_or(""),
                         read_estimate_mark(*value, at, diagnostics)};
    number = member(*value, "value");
    if (number == nullptr) {
      diagnostics.push_back({ErrorCode::missing_field, child_path(at, "value"),
                             "is required (use null for an unknown figure)"});
      figure.valid = false;
      return figure;
    }
  }
  if (number->is_null()) {
    if (!rule.nullable) {
      diagnostics.push_back({ErrorCode::wrong_type, at, "must be a number, not null"});
      figure.valid = false;
    }
    return figure;
  }
  if (!number->is_number()) {
    diagnostics.push_back(
        {ErrorCode::wrong_type, at,
         "must be a number, null or a figure object, not " + std::string(type_name(*number))});
    figure.valid = false;
    return figure;
  }
  const double parsed = number->get<double>();
  if (!std::isfinite(parsed)) {
    diagnostics.push_back({ErrorCode::out_of_range, at, "must be a finite number"});
    figure.valid = false;
    return figure;
  }
  check_range(figure, parsed, at, rule, diagnostics);
  return figure;
}

namespace {

// YYYY, YYYY-MM or YYYY-MM-DD with a plausible month and day.
bool plausible_date(const std::string& text) {
  auto digits = [&](std::size_t from, std::size_t count) {
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
    }
    return true;
  };
  auto number = [&](std::size_t from) { return (text[from] - '0') * 10 + (text[from + 1] - '0'); };
  if (text.size() != 4 && text.size() != 7 && text.size() != 10) return false;
  if (!digits(0, 4)) return false;
  if (text.size() >= 7 && (text[4] != '-' || !digits(5, 2) || number(5) < 1 || number(5) > 12)) {
    return false;
  }
  if (text.size() == 10 && (text[7] != '-' || !digits(8, 2) || number(8) < 1 || number(8) > 31)) {
    return false;
  }
  return true;
}

}  // namespace

void check_provenance_figures(const std::map<std::string, Provenance>& provenance,
                              const std::string& entry_path, Diagnostics& diagnostics) {
  static constexpr char source[] = "a source: an https:// URL";
  static constexpr char date[] = "as_of: a date YYYY, YYYY-MM or YYYY-MM-DD";
  for (const auto& [key, p] : provenance) {
    const bool sourced = p.source.rfind("https://", 0) == 0;
    const bool dated = plausible_date(p.as_of);
    if (sourced && dated) continue;
    const std::string needs = sourced ? date : dated ? source : std::string(source) + "; " + date;
    diagnostics.push_back({ErrorCode::missing_source, entry_path + key, "needs " + needs});
  }
}

std::string number_text_message(const std::string& given, const ScenarioField& f) {
  const std::size_t first = given.find_first_not_of(" \t");
  const std::size_t last = given.find_last_not_of(" \t");
  const std::string text = first == std::string::npos ? "" : given.substr(first, last - first + 1);
  const std::string shown = text.size() > 24 ? text.substr(0, 24) + "..." : text;
  auto read = [](const std::string& t, double& out) {
    if (t.empty() || t.find_first_not_of("0123456789.eE+-") != std::string::npos) return false;
    char* end = nullptr;
    out = std::strtod(t.c_str(), &end);
    return end != nullptr && *end == '\0';
  };
  auto plain = [](double x) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.15g", x);
    return std::string(buffer);
  };
  double x = 0;
  if (read(text, x)) {
    if (std::isfinite(x)) return "write it as a plain number, " + plain(x);
    return x > 0 ? shown + " is too large (at most " + plain(f.max) + ")"
                 : shown + " is too small (at least " + plain(f.min) + ")";
  }
  // What people write around a number: a currency sign, thousands separators, spaces, a k or M
  // (thousand, million) or % suffix. Not B for billion: 18 B more of the calculator's first view.
  std::string bare;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\xe2\x82\xac") == 0 || text.compare(i, 2, "\xc2\xa3") == 0) {
      i += text[i] == '\xe2' ? 2 : 1;  // the euro and pound signs (UTF-8)
    } else if (text[i] != '$' && text[i] != ',' && text[i] != '_' && text[i] != ' ') {
      bare += text[i];
    }
  }
  double scale = 1;
  if (!bare.empty()) {
    const char suffix = bare.back();
    scale = suffix == 'k' || suffix == 'K' ? 1e3 : suffix == 'M' ? 1e6 : suffix == '%' ? 0.01 : 1;
    if (scale != 1) bare.pop_back();
  }
  if (read(bare, x) && std::isfinite(x * scale)) {
    return "write a plain number like " + plain(x * scale) + ", not '" + shown + "'";
  }
  return "must be a number, got '" + shown + "'";
}

std::optional<double> read_field_number(const Json& object, const ScenarioField& field,
                                        Diagnostics& diagnostics) {
  auto it = object.find(field.key);
  if (it == object.end()) return std::nullopt;
  const std::string path = "/" + std::string(field.key);
  if (it->is_string()) {
    diagnostics.push_back(
        {ErrorCode::wrong_type, path, number_text_message(it->get<std::string>(), field)});
    return std::nullopt;
  }
  std::optional<double> number = as_number(*it, path, diagnostics);
  if (!number) return std::nullopt;
  const bool below = field.min_exclusive ? *number <= field.min : *number < field.min;
  if (below || *number > field.max) {
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "must be %s %g and <= %g",
                  field.min_exclusive ? ">" : ">=", field.min, field.max);
    diagnostics.push_back({ErrorCode::out_of_range, path, buffer});
    return std::nullopt;
  }
  if (field.type == FieldType::integer && *number != std::floor(*number)) {
    diagnostics.push_back({ErrorCode::wrong_type, path, "must be a whole number"});
    return std::nullopt;
  }
  return number;
}

}  // namespace pertoken::detail
