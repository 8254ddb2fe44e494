// Bytes as a coach's roster (src/cli/roster.hpp): any row problem becomes that
// row's error, a broken file one RosterError. Seeded by .ci/run with the
// sample roster and the corpus' CSV files.
#include "cli/roster.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace ultrastrength::cli;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)parse_roster(std::string_view(reinterpret_cast<const char*>(data), size), "/fuzz",
                           "/fuzz/roster.csv");
    } catch (const RosterError&) {
        // A clear error naming the roster; anything else is a bug.
    }
    return 0;
}
