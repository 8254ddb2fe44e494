// The HTML report of `analyze --report` as a browser shows it: Debian's
// chromium renders the sample athlete's report headless and takes a
// screenshot; the test reads the PNG (libpng) and checks that the charts are
// drawn: bars in every phase colour, and the fitness, fatigue and form lines.
#include "cli_run.hpp"

#include <gtest/gtest.h>
#include <png.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>
#include <vector>

namespace ultrastrength {
namespace {

namespace fs = std::filesystem;

struct Rgb {
    int r = 0;
    int g = 0;
    int b = 0;
};

Rgb hex(const char* text) {
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

Image read_png(const std::string& path) {
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

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(ReportRender, ChromiumDrawsTheChartsOfTheSampleReport) {
    const fs::path dir = fs::path(US_BINARY_DIR) / ("report-render-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string html = (dir / "season.html").string();
    const auto analysed =
        test::run_cli("analyze --jobs 2 --race 2026-09-26,Alpenglow,50,2500 --report '" + html +
                      "' '" + US_SOURCE_DIR + "/samples/athlete'");
    ASSERT_EQ(analysed.exit_code, 0) << analysed.err;

    // Headless chromium (Debian's package, installed by .ci/install-deps.sh);
    // --no-sandbox because CI runs as root; its own profile in the temp folder.
    const std::string png = (dir / "shot.png").string();
    const std::string log = (dir / "chromium.log").string();
    const std::string command = "chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "
                                "--user-data-dir='" +
                                (dir / "profile").string() +
                                "' --window-size=1200,1500 --enable-logging=stderr --v=0 "
                                "--screenshot='" +
                                png + "' 'file://" + html + "' >'" + log + "' 2>&1";
    const int status = std::system(command.c_str());
    const std::string messages = read_text(log);
    ASSERT_EQ(status, 0) << "chromium failed (is Debian's chromium installed?):\n" << messages;
    // No page errors: the report has no script, and nothing it refers to may fail to load.
    for (const char* problem : {"CONSOLE", "Uncaught", "net::ERR_", "Failed to load"}) {
        EXPECT_EQ(messages.find(problem), std::string::npos) << problem << " in:\n" << messages;
    }

    const Image shot = read_png(png);
    ASSERT_TRUE(shot.error.empty()) << shot.error;
    ASSERT_EQ(shot.width, 1200U);
    // Weekly bars (24 px wide): every phase of the sample season is drawn in
    // its colour; the 12 px legend swatches and the coloured phase names of
    // the table are too narrow to count.
    const std::map<std::string, const char*> phases = {
        {"off-season", "#9e9e9e"}, {"early", "#4caf50"}, {"mid", "#2196f3"},
        {"late", "#9c27b0"},       {"taper", "#ff9800"}, {"race", "#f44336"},
        {"recovery", "#00bcd4"}};
    for (const auto& [phase, colour] : phases) {
        EXPECT_GT(shot.count(hex(colour), 2, 16), 1000) << phase << " bars";
    }
    // Fitness, fatigue and form lines (1.5 px, anti-aliased) across the chart.
    for (const char* line : {"#1565c0", "#e53935", "#fbc02d"}) {
        EXPECT_GT(shot.count(hex(line), 12), 600) << line;
    }
    fs::remove_all(dir);
}

} // namespace
} // namespace ultrastrength
