// plan.html as a browser shows and prints it: Debian's chromium, headless,
// prints the sample athlete's plans to PDF; poppler's pdftoppm and pdftotext
// read the pages back. The PDF has one page per calendar week of the plan,
// in order, and page 1 shows the overview chart: strength bars in the colour
// of every phase of the plan, and the running-load line. A screenshot of
// the page as a screen shows it has the chart too.
#include "cli_run.hpp"
#include "model/time.hpp"

#include "tests/support/png_image.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

namespace ultrastrength {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using test::hex;
using test::Image;
using test::read_png;

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string quoted(const std::string& s) {
    return "'" + s + "'";
}

const std::map<std::string, const char*>& phase_colours() {
    static const std::map<std::string, const char*> colours = {
        {"off-season", "#9e9e9e"}, {"early", "#4caf50"}, {"mid", "#2196f3"},
        {"late", "#9c27b0"},       {"taper", "#ff9800"}, {"race", "#f44336"},
        {"recovery", "#00bcd4"}};
    return colours;
}

/// Headless chromium with the flags CI needs: no sandbox (root), no GPU, no
/// network chatter, its own new profile. Returns its log; fails the test on a
/// non-zero exit or a page problem.
std::string chromium(const fs::path& dir, const std::string& label, const std::string& what,
                     const fs::path& html) {
    const fs::path log = dir / (label + ".log");
    const std::string command =
        "chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
        "--disable-component-update --no-first-run --hide-scrollbars --user-data-dir=" +
        quoted((dir / ("profile-" + label)).string()) + " --enable-logging=stderr --v=0 " + what +
        " " + quoted("file://" + html.string()) + " >" + quoted(log.string()) + " 2>&1";
    const int status = std::system(command.c_str());
    const std::string messages = read_text(log);
    EXPECT_EQ(status, 0) << "chromium failed (is Debian's chromium installed?):\n" << messages;
    for (const char* problem : {"CONSOLE", "Uncaught", "net::ERR_", "Failed to load"}) {
        EXPECT_EQ(messages.find(problem), std::string::npos) << problem << " in:\n" << messages;
    }
    return messages;
}

struct Case {
    std::string name;
    std::string options;
};

/// The three golden plans (plan_golden_test.cpp).
const std::vector<Case>& cases() {
    static const std::vector<Case> all = {
        {"athlete", ""},
        {"athlete-race", "--race '2026-09-26,Alpenglow Trail 50K,50,2500' --today 2026-08-16"},
        {"athlete-race-recovery",
         "--race '2026-09-26,Alpenglow Trail 50K,50,2500' --today 2026-09-06 --weeks 8"},
    };
    return all;
}

/// The Mondays of the plan's calendar weeks (plan.json `weeks_overview`),
/// checked against `start` and `weeks`: as many as the plan has weeks, the
/// first in the week of the start.
std::vector<std::string> plan_mondays(const Json& plan) {
    const std::int64_t start = days_from_civil(*parse_date(plan["start"].get<std::string>()));
    std::vector<std::string> mondays;
    std::int64_t expected = start - (((start % 7) + 7 + 3) % 7);
    for (const auto& week : plan["weeks_overview"]) {
        mondays.push_back(week["start"].get<std::string>());
        EXPECT_EQ(mondays.back(), format_date(civil_from_days(expected)));
        expected += 7;
    }
    EXPECT_EQ(mondays.size(), plan["weeks"].get<std::size_t>());
    return mondays;
}

TEST(PlanRender, ChromiumPrintsOnePagePerWeekWithTheChartOnPageOne) {
    const fs::path root = fs::path(US_BINARY_DIR) / ("plan-render-" + std::to_string(::getpid()));
    fs::remove_all(root);
    for (const Case& c : cases()) {
        SCOPED_TRACE(c.name);
        const fs::path dir = root / c.name;
        fs::create_directories(dir);
        const auto r =
            test::run_cli("plan " + quoted(std::string(US_SOURCE_DIR) + "/samples/athlete/") + " " +
                          c.options + " --out " + quoted((dir / "out").string()) + " --quiet");
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const Json plan = Json::parse(read_text(dir / "out/plan.json"));
        const fs::path html = dir / "out/plan.html";
        const fs::path pdf = dir / "plan.pdf";
        chromium(dir, "pdf", "--no-pdf-header-footer --print-to-pdf=" + quoted(pdf.string()), html);
        ASSERT_TRUE(fs::exists(pdf));

        // pdftoppm writes one PNG per page: page-1.png, page-2.png, ...
        const std::string ppm =
            "pdftoppm -r 60 -png " + quoted(pdf.string()) + " " + quoted((dir / "page").string());
        ASSERT_EQ(std::system(ppm.c_str()), 0) << "pdftoppm failed (is poppler-utils installed?)";
        std::vector<fs::path> pages;
        for (const auto& entry : fs::directory_iterator(dir)) {
            const std::string name = entry.path().filename().string();
            if (name.starts_with("page-") && name.ends_with(".png")) {
                pages.push_back(entry.path());
            }
        }
        const auto mondays = plan_mondays(plan);
        ASSERT_EQ(pages.size(), mondays.size()) << "one printed page per plan week";

        // Page i is week i's sheet.
        for (std::size_t i = 0; i < mondays.size(); ++i) {
            const fs::path txt = dir / ("page-" + std::to_string(i + 1) + ".txt");
            const std::string cmd = "pdftotext -f " + std::to_string(i + 1) + " -l " +
                                    std::to_string(i + 1) + " " + quoted(pdf.string()) + " " +
                                    quoted(txt.string());
            ASSERT_EQ(std::system(cmd.c_str()), 0);
            EXPECT_NE(read_text(txt).find("Week of " + mondays[i]), std::string::npos)
                << "page " << i + 1;
        }

        // Page 1 shows the chart: a bar in the colour of every phase the plan
        // has (the week headings are one phase each; the table's swatches are
        // too narrow to count), and the running-load line.
        std::string name = pages.front().filename().string();
        for (const auto& p : pages) {
            name = std::min(name, p.filename().string());
        }
        const Image page1 = read_png((dir / name).string());
        ASSERT_TRUE(page1.error.empty()) << page1.error;
        std::set<std::string> phases;
        for (const auto& s : plan["sessions"]) {
            phases.insert(s["phase"].get<std::string>());
        }
        for (const auto& phase : phases) {
            EXPECT_GT(page1.count(hex(phase_colours().at(phase)), 6, 14), 150) << phase;
        }
        EXPECT_GT(page1.count(hex("#37474f"), 40, 3), 100) << "running-load line";
    }

    // The screen view: the chart at the top of the page.
    const fs::path dir = root / "screen";
    fs::create_directories(dir);
    const fs::path png = dir / "shot.png";
    chromium(dir, "screenshot", "--window-size=1000,1400 --screenshot=" + quoted(png.string()),
             root / "athlete-race/out/plan.html");
    const Image shot = read_png(png.string());
    ASSERT_TRUE(shot.error.empty()) << shot.error;
    const Json plan = Json::parse(read_text(root / "athlete-race/out/plan.json"));
    std::set<std::string> phases;
    for (const auto& s : plan["sessions"]) {
        phases.insert(s["phase"].get<std::string>());
    }
    EXPECT_GE(phases.size(), 2U);
    for (const auto& phase : phases) {
        EXPECT_GT(shot.count(hex(phase_colours().at(phase)), 6, 20), 400) << phase;
    }
    EXPECT_GT(shot.count(hex("#37474f"), 40, 3), 200) << "running-load line";
    fs::remove_all(root);
}

} // namespace
} // namespace ultrastrength
