#include "converters/fit/fit_reader.hpp"

#include <cstring>

namespace ultrastrength {

namespace {
class FitReader final : public Reader {
public:
    std::string_view name() const noexcept override { return "fit"; }
    std::string_view description() const noexcept override {
        return "Garmin FIT activity files (protocol 1.0/2.0, chained files, developer fields)";
    }
    std::string_view extensions() const noexcept override { return ".fit"; }
    Format format() const noexcept override { return Format::fit; }

    int identify(std::span<const std::uint8_t> head, std::string_view /*file_name*/) const noexcept override {
        if (head.size() >= 12 && (head[0] == 12 || head[0] == 14) && std::memcmp(head.data() + 8, ".FIT", 4) == 0) {
            return 100;
        }
        return 0;
    }

    ReadResult read(ByteStream& /*in*/, const std::string& source) const override {
        throw ReadError(source, {}, "FIT decoding is not available in this build");
    }
};
} // namespace

std::unique_ptr<Reader> make_fit_reader() { return std::make_unique<FitReader>(); }

} // namespace ultrastrength
