// The GPX reader (converters/gpx): GPX 1.0 / 1.1 tracks -> ActivityFeatures,
// one per track, or per group of tracks close in time.
#ifndef ULTRASTRENGTH_CONVERTERS_GPX_GPX_READER_HPP
#define ULTRASTRENGTH_CONVERTERS_GPX_GPX_READER_HPP

#include "converters/reader.hpp"

#include <memory>

namespace ultrastrength {

std::unique_ptr<Reader> make_gpx_reader();

} // namespace ultrastrength

#endif
