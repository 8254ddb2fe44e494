// Every reader, one line each. The order is deliberate: when two readers are
// equally sure of an input, the earlier one wins.
#include "converters/fit/fit_reader.hpp"
#include "converters/reader.hpp"

namespace ultrastrength {

void register_all(ReaderRegistry& registry) {
    registry.add(make_fit_reader());
}

} // namespace ultrastrength
