// Bytes through decode_input with every reader registered: gzip, zip,
// nested containers, export indexes and whatever readers the members reach.
// Seed with small zips and gzips (tests/support/archive_builder.hpp builds
// them; .ci/run adds the corpus containers).
#include "converters/exports/csv.hpp"
#include "converters/exports/export_index.hpp"
#include "converters/reader.hpp"
#include "converters/scan.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

using namespace ultrastrength;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const ReaderRegistry* registry = [] {
        auto* r = new ReaderRegistry;
        register_all(*r);
        return r;
    }();
    DecodeOptions options;
    options.jobs = 1;
    // Smaller than the defaults so that each run stays fast; the checks are
    // the same code.
    options.limits.max_expanded_bytes = 64ULL << 20;
    options.limits.max_buffered_member_bytes = 1ULL << 20;
    MemoryStream in(std::span<const std::uint8_t>(data, size));
    (void)decode_input(*registry, in, "fuzz.zip", options);

    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)parse_csv(text);
    try {
        (void)parse_export_index(text, "fuzz/activities.csv");
    } catch (const ReadError&) {
    }
    try {
        (void)parse_export_index(text, "fuzz/DI_CONNECT/x_summarizedActivities.json");
    } catch (const ReadError&) {
    }
    return 0;
}
