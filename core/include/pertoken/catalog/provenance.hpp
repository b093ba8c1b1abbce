// Where one figure comes from; shown next to the number by every front end.
#pragma once

#include <string>

namespace pertoken {

struct Provenance {
  std::string source;  // public https URL
  std::string as_of;   // YYYY, YYYY-MM or YYYY-MM-DD
  std::string note;    // optional caveat ("unknown: not published")
  // The value is the catalog's estimate, not a published figure ("estimate": true; the note says
  // how it was derived). Results that read it say so (estimated_figures_note).
  bool estimate = false;
};

}  // namespace pertoken
