// A PNG read back into RGB pixels (libpng's simplified API), for the tests
// that check what a browser drew: colours counted in solid horizontal runs.
#ifndef ULTRASTRENGTH_TESTS_SUPPORT_PNG_IMAGE_HPP
#define ULTRASTRENGTH_TESTS_SUPPORT_PNG_IMAGE_HPP

#include <png.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace ultrastrength::test {

struct Rgb {
    int r = 0;
    int g = 0;
    int b = 0;
};

inline Rgb hex(const char* text) {
    const auto v = std::strtoul(text + 1, nullptr, 16);
    return {static_cast<int>((v >> 16) & 0xff), static_cast<int>((v >> 8) & 0xff),
            static_cast<int>(v & 0xff)};
}

struct Image {
    unsigned width = 0;
    unsigned height = 0;
    std::vector<unsigned char> rgb;
    std::string error;

    bool matches(std::size_t pixel, Rgb colour, int tolerance) const {
        const std::size_t i = 3 * pixel;
        return std::abs(rgb[i] - colour.r) <= tolerance &&
               std::abs(rgb[i + 1] - colour.g) <= tolerance &&
               std::abs(rgb[i + 2] - colour.b) <= tolerance;
    }

    /// Pixels within `tolerance` (per channel) of `colour` that lie in a
    /// horizontal run of at least `min_run` such pixels: solid shapes such as
    /// bars, not text in the same colour.
    int count(Rgb colour, int tolerance, unsigned min_run = 1) const {
        int n = 0;
        for (std::size_t y = 0; y < height; ++y) {
            unsigned run = 0;
            for (std::size_t x = 0; x <= width; ++x) {
                if (x < width && matches(y * width + x, colour, tolerance)) {
                    ++run;
                    continue;
                }
                n += run >= min_run ? static_cast<int>(run) : 0;
                run = 0;
            }
        }
        return n;
    }
};

inline Image read_png(const std::string& path) {
    Image out;
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (png_image_begin_read_from_file(&image, path.c_str()) == 0) {
        out.error = image.message;
        return out;
    }
    image.format = PNG_FORMAT_RGB;
    out.rgb.resize(PNG_IMAGE_SIZE(image));
    if (png_image_finish_read(&image, nullptr, out.rgb.data(), 0, nullptr) == 0) {
        out.error = image.message;
        out.rgb.clear();
        return out;
    }
    out.width = image.width;
    out.height = image.height;
    return out;
}

} // namespace ultrastrength::test

#endif
