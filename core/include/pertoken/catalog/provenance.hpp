// Where one figure comes from; shown next to the number by every front end.
#pragma once

#include <string>

namespace pertoken {

struct Provenance {
  std::string source;  // public https URL
  std::string as_of;   // YYYY, YYYY-MM or YYYY-MM-DD
  std::string note;    // optional caveat ("unknown: not published")
};

}  // namespace pertoken
