// The FIT activity reader (converters/fit): FIT bytes -> ActivityFeatures,
// one per session, in one streaming pass.
#ifndef ULTRASTRENGTH_CONVERTERS_FIT_FIT_READER_HPP
#define ULTRASTRENGTH_CONVERTERS_FIT_FIT_READER_HPP

#include "converters/reader.hpp"

#include <memory>

namespace ultrastrength {

std::unique_ptr<Reader> make_fit_reader();

} // namespace ultrastrength

#endif
