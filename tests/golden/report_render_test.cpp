// The HTML report of `analyze --report` as a browser shows it: Debian's
// chromium renders the sample athlete's report headless and takes a
// screenshot; the test reads the PNG (libpng) and checks that the charts are
// drawn: bars in every phase colour, and the fitness, fatigue and form lines.
#include "cli_run.hpp"

#include "tests/support/png_image.hpp"

#include <gtest/gtest.h>

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
using test::hex;
using test::Image;
using test::read_png;

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
