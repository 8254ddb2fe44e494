// Structural check of a FIT input for the `validate` command: every chained
// part's header, header CRC and file CRC, and the record structure
// (definitions, undefined local types, overruns, truncation).
#ifndef ULTRASTRENGTH_CONVERTERS_FIT_FIT_VALIDATE_HPP
#define ULTRASTRENGTH_CONVERTERS_FIT_FIT_VALIDATE_HPP

#include "converters/stream.hpp"

#include <string>
#include <vector>

namespace ultrastrength {

/// Every problem found, each as "source: byte N: what was expected"; empty
/// when the input is a well-formed FIT file (or chain of FIT files).
/// Throws InputError only on I/O failure.
std::vector<std::string> validate_fit(ByteStream& in, const std::string& source);

} // namespace ultrastrength

#endif
