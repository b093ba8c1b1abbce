// Internal: finds entries in the shipped catalog's JSON text without building a document of all
// of it. A first answer needs two entries of about sixty; parsing the whole text is what a web
// page's first view waited on (tens of ms in WebAssembly, against about 1 ms natively).
// The text is the program's own, checked in full by the tests (parse_catalog_document); on text
// that is not well-formed JSON these functions return less or nothing, never read out of bounds.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pertoken::detail {

// The texts of the elements of the top-level array member `key` of a JSON object's text, in order.
std::vector<std::string_view> array_element_texts(std::string_view object_text,
                                                  std::string_view key);

// The value of the top-level string member `key` of a JSON object's text, unescaped; nullopt when
// the object has no such member or it is not a string.
std::optional<std::string> string_member(std::string_view object_text, std::string_view key);

}  // namespace pertoken::detail
