// Every reader, one line each. The order is deliberate: when two readers are
// equally sure of an input, the earlier one wins.
#include "converters/fit/fit_reader.hpp"
#include "converters/gpx/gpx_reader.hpp"
#include "converters/reader.hpp"
#include "converters/tcx/tcx_reader.hpp"

namespace ultrastrength {

void register_all(ReaderRegistry& registry) {
    registry.add(make_fit_reader());
    registry.add(make_tcx_reader());
    registry.add(make_gpx_reader());
}

} // namespace ultrastrength
