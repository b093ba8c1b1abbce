// A JSON structure scanner: strings are skipped with their escapes, containers by depth, and
// nothing is decoded except the member asked for.
#include "catalog/shipped_text_index.hpp"

#include "json/json_reader.hpp"

namespace pertoken::detail {

namespace {

constexpr std::size_t npos = std::string_view::npos;

std::size_t skip_space(std::string_view text, std::size_t i) {
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) {
    ++i;
  }
  return i;
}

// From an opening quote to just past its closing quote; npos if the string never closes.
std::size_t skip_string(std::string_view text, std::size_t i) {
  for (++i; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return npos;
}

// Just past the value starting at i (after white space); npos if it does not end.
std::size_t skip_value(std::string_view text, std::size_t i) {
  if (i >= text.size()) return npos;
  if (text[i] == '"') return skip_string(text, i);
  if (text[i] == '{' || text[i] == '[') {
    int depth = 0;
    while (i < text.size()) {
      const char c = text[i];
      if (c == '"') {
        i = skip_string(text, i);
        if (i == npos) return npos;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return i + 1;
      ++i;
    }
    return npos;
  }
  while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' && text[i] != ' ' &&
         text[i] != '\n' && text[i] != '\r' && text[i] != '\t') {
    ++i;
  }
  return i;
}

// Calls visit(raw key, value text) for each top-level member of the object text, in order, until
// visit returns true (found) or the text ends or stops being an object.
template <class Visit>
void for_each_member(std::string_view text, Visit visit) {
  std::size_t i = skip_space(text, 0);
  if (i >= text.size() || text[i] != '{') return;
  i = skip_space(text, i + 1);
  while (i < text.size() && text[i] == '"') {
    const std::size_t key_end = skip_string(text, i);
    if (key_end == npos) return;
    const std::string_view key = text.substr(i + 1, key_end - i - 2);
    i = skip_space(text, key_end);
    if (i >= text.size() || text[i] != ':') return;
    const std::size_t value_start = skip_space(text, i + 1);
    const std::size_t value_end = skip_value(text, value_start);
    if (value_end == npos) return;
    if (visit(key, text.substr(value_start, value_end - value_start))) return;
    i = skip_space(text, value_end);
    if (i >= text.size() || text[i] != ',') return;
    i = skip_space(text, i + 1);
  }
}

}  // namespace

std::vector<std::string_view> array_element_texts(std::string_view object_text,
                                                  std::string_view key) {
  std::vector<std::string_view> elements;
  for_each_member(object_text, [&](std::string_view name, std::string_view value) {
    if (name != key) return false;
    if (value.empty() || value.front() != '[') return true;
    std::size_t i = skip_space(value, 1);
    while (i < value.size() && value[i] != ']') {
      const std::size_t end = skip_value(value, i);
      if (end == npos || end == i) break;
      elements.push_back(value.substr(i, end - i));
      i = skip_space(value, end);
      if (i < value.size() && value[i] == ',') i = skip_space(value, i + 1);
    }
    return true;
  });
  return elements;
}

std::optional<std::string> string_member(std::string_view object_text, std::string_view key) {
  std::optional<std::string> found;
  for_each_member(object_text, [&](std::string_view name, std::string_view value) {
    if (name != key) return false;
    if (value.size() < 2 || value.front() != '"') return true;
    const std::string_view inner = value.substr(1, value.size() - 2);
    if (inner.find('\\') == std::string_view::npos) {
      found = std::string(inner);
    } else {
      // Escapes are rare in names: the JSON reader decodes them (\u, surrogate pairs).
      Diagnostics ignored;
      std::optional<Json> decoded = parse_shipped_json(value, ignored);
      if (decoded && decoded->is_string()) found = decoded->get<std::string>();
    }
    return true;
  });
  return found;
}

}  // namespace pertoken::detail
