// libFuzzer target: the TCX reader must return activities, a skip reason or
// a ReadError on any bytes, never crash, hang or grow without bound.
#include "converters/reader.hpp"
#include "converters/stream.hpp"
#include "converters/tcx/tcx_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto reader = ultrastrength::make_tcx_reader();
    const std::span<const std::uint8_t> bytes(data, size);
    (void)reader->identify(bytes, "fuzz.tcx");
    ultrastrength::MemoryStream in(bytes);
    try {
        (void)reader->read(in, "fuzz.tcx");
    } catch (const ultrastrength::ReadError&) {
    }
    return 0;
}
