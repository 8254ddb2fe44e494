// Bytes as a coach's roster (src/pipeline/roster.hpp): any row problem becomes that
// row's error, a broken file one RosterError. Seeded by .ci/run with the
// sample roster and the corpus' CSV files.
#include "pipeline/roster.hpp"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string_view>

using namespace ultrastrength::pipeline;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)parse_roster(std::string_view(reinterpret_cast<const char*>(data), size), "/fuzz",
                           "/fuzz/roster.csv");
    } catch (const RosterError&) {
        // A clear error naming the roster.
    } catch (const std::exception&) {
        // Caught so that the run goes on: what is hunted here is memory
        // errors, undefined behaviour, leaks and hangs (ASan, UBSan, -timeout).
    }
    return 0;
}
