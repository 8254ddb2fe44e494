// libFuzzer target: any bytes through the FIT reader and the FIT validator.
// The only acceptable failure is a ReadError; anything else (a crash, a
// sanitizer report, another exception) is a bug.
#include "converters/fit/fit_reader.hpp"
#include "converters/fit/fit_validate.hpp"
#include "converters/stream.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ultrastrength;
    static const auto reader = make_fit_reader();
    const std::span<const std::uint8_t> bytes(data, size);
    try {
        MemoryStream stream(bytes);
        (void)reader->read(stream, "fuzz.fit");
    } catch (const ReadError&) {
    }
    MemoryStream again(bytes);
    (void)validate_fit(again, "fuzz.fit");
    return 0;
}
