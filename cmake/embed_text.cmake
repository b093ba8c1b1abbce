# Script mode (cmake -P): writes a C++ source that returns the text of INPUT as a string_view from
# the function FUNCTION in namespace pertoken. Used to compile the shipped catalog into the core.
# Arguments: -DINPUT=file -DOUTPUT=file.cpp -DFUNCTION=name
file(READ "${INPUT}" _text)
if(INPUT MATCHES "\\.json$")
  # Indentation is for people reading the file; the core (and the wasm download) does not need it.
  string(REGEX REPLACE "\n[ ]+" "\n" _text "${_text}")
  if(STRIP_FIGURE_NOTES)
    # The web calculator's download: each figure keeps its value, source and as-of date; the
    # figure's prose note (always its last key, never with an escaped quote) is left out, and the
    # page links to the catalog file that holds it.
    string(REGEX REPLACE ",\n\"note\": \"[^\"]*\"" "" _text "${_text}")
    # So are the entries' own prose notes (never the first key, never an escaped quote): the page
    # shows an entry's figures, sources and confidence, and links to the file for the rest.
    string(REGEX REPLACE ",\n\"notes\": \"[^\"]*\"" "" _text "${_text}")
    # The engine profiles likewise keep what the model reads: their file's comment, where each
    # schedule is documented and the ids of the rows each was fitted on (its last key) stay in
    # assets/engines.json.
    string(REGEX REPLACE "\"\\$comment\": \"[^\"]*\",\n" "" _text "${_text}")
    string(REGEX REPLACE "\"schedule_source\": \"[^\"]*\",\n" "" _text "${_text}")
    string(REGEX REPLACE ",\n\"fitted_on\": \\[[^]]*\\]" "" _text "${_text}")
    # So are the date and sources of an engine's kernel timings (engines.json keeps them; the
    # estimate's note names the year).
    string(REGEX REPLACE ",\n\"as_of\": \"[^\"]*\",\n\"sources\": \\[[^]]*\\]" "" _text "${_text}")
    # The parser reads a model's null section (sliding window, MoE, MLA, encoder) as it reads an
    # absent one (core/src/catalog/catalog.cpp), so the download leaves the nulls out.
    string(REGEX REPLACE "\n\"(sliding_window|moe|mla|encoder)\": null," "" _text "${_text}")
    # And the layout goes: no line breaks, no space after a key's colon. A JSON string holds no
    # raw line break, and the download holds no escaped quote (checked here), so '": ' only ever
    # ends a key.
    string(FIND "${_text}" "\\\"" _escaped_quote)
    if(NOT _escaped_quote EQUAL -1)
      message(FATAL_ERROR "${INPUT}: an escaped quote in the web download; the compaction below would misread it")
    endif()
    string(REPLACE "\": " "\":" _text "${_text}")
  endif()
endif()
string(FIND "${_text}" ")pertoken_embed\"" _clash)
if(NOT _clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter used for embedding")
endif()
set(_out "// Generated from ${INPUT} by cmake/embed_text.cmake; do not edit.\n")
string(APPEND _out "#include <string_view>\n\nnamespace pertoken {\n\n")
# The length is written out (string(LENGTH) counts bytes, as the literal holds them): a view
# built from the literal alone would count it at compile time, and GCC stops counting at 262,144
# characters (-fconstexpr-loop-limit).
string(LENGTH "${_text}" _length)
string(APPEND _out "std::string_view ${FUNCTION}() {\n  static constexpr std::string_view text{R\"pertoken_embed(")
string(APPEND _out "${_text}")
string(APPEND _out ")pertoken_embed\", ${_length}};\n  return text;\n}\n\n}  // namespace pertoken\n")
file(WRITE "${OUTPUT}.tmp" "${_out}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
