// Bytes as a Strava activities.csv and as a Garmin summarizedActivities.json,
// through the streamed, bounded readers (converters/exports/export_index.hpp).
// Seeded by .ci/run with the corpus' index files.
#include "converters/exports/export_index.hpp"
#include "converters/reader.hpp"
#include "converters/stream.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

using namespace ultrastrength;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    for (const char* source :
         {"fuzz.zip!activities.csv",
          "fuzz.zip!DI_CONNECT/DI-Connect-Fitness/x_summarizedActivities.json"}) {
        MemoryStream in(std::span<const std::uint8_t>(data, size));
        try {
            (void)parse_export_index(in, source);
        } catch (const ReadError&) {
            // Bad input is a ReadError naming the file; anything else is a bug.
        }
    }
    return 0;
}
