// The TCX reader (converters/tcx): Garmin Training Center Database v2 ->
// ActivityFeatures, one per Activity (a MultiSportSession gives one per leg).
#ifndef ULTRASTRENGTH_CONVERTERS_TCX_TCX_READER_HPP
#define ULTRASTRENGTH_CONVERTERS_TCX_TCX_READER_HPP

#include "converters/reader.hpp"

#include <memory>

namespace ultrastrength {

std::unique_ptr<Reader> make_tcx_reader();

} // namespace ultrastrength

#endif
