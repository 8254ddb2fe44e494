// What the README promises about --quiet, --1rm, --weeks with a race, the
// files a rerun removes, and validate on broken XML, run on the sample
// athlete as a user would.
#include "cli_run.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using ultrastrength::test::read_file;
using ultrastrength::test::run_cli;
using ultrastrength::test::TempDir;

namespace {

std::string quoted(const fs::path& p) {
    std::string out = p.string();
    out.insert(out.begin(), '\'');
    out.push_back('\'');
    return out;
}

const std::string athlete = quoted(fs::path(US_SOURCE_DIR) / "samples" / "athlete");

} // namespace

TEST(Quiet, DropsTheSummaryNeverTheOutputAskedFor) {
    const auto plan = run_cli("plan " + athlete + " --quiet");
    EXPECT_EQ(plan.exit_code, 0) << plan.err;
    EXPECT_NE(plan.out.find("Strength plan for athlete"), std::string::npos);
    EXPECT_EQ(plan.err, "");
    const auto loud = run_cli("plan " + athlete);
    EXPECT_EQ(loud.out, plan.out);
    EXPECT_NE(loud.err.find("inputs:"), std::string::npos);

    const auto analyze = run_cli("analyze " + athlete + " --quiet");
    EXPECT_EQ(analyze.exit_code, 0);
    EXPECT_NE(analyze.out.find("Phase:"), std::string::npos);
    EXPECT_EQ(analyze.err, "");

    const auto scan = run_cli("scan " + athlete + " --quiet");
    EXPECT_NE(scan.out.find("start (UTC)"), std::string::npos);
    EXPECT_EQ(scan.out.find("inputs:"), std::string::npos);

    TempDir dir;
    const auto written = run_cli("plan " + athlete + " --out " + quoted(dir.path) + " --quiet");
    EXPECT_EQ(written.exit_code, 0);
    EXPECT_EQ(written.out, "");
    EXPECT_EQ(written.err, "");
    EXPECT_TRUE(fs::is_regular_file(dir.path / "plan.txt"));
}

TEST(OneRepMax, UnknownOrNonHeavyIdsAreRejected) {
    auto r = run_cli("plan " + athlete + " --1rm trap_bar_dedlift=120");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("--1rm 'trap_bar_dedlift': no exercise with this id in the library; "
                         "heavy exercises: trap_bar_deadlift, "),
              std::string::npos)
        << r.err;
    r = run_cli("plan " + athlete + " --1rm pogo_hops=80");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--1rm 'pogo_hops': not a heavy exercise"), std::string::npos) << r.err;

    // A heavy id sets %1RM and kg after the technique weeks, which stay in RIR.
    r = run_cli(
        "plan " + athlete +
        " --1rm trap_bar_deadlift=120 --equipment gym --level advanced --weeks 6 --json --quiet");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto plan = nlohmann::json::parse(r.out);
    bool technique_rir = false;
    bool later_percent = false;
    for (const auto& s : plan["sessions"]) {
        const bool technique = s["reasons"].dump().find("technique week") != std::string::npos;
        for (const auto& b : s["blocks"]) {
            for (const auto& st : b["steps"]) {
                if (st.value("exercise_id", "") != "trap_bar_deadlift") {
                    continue;
                }
                if (technique) {
                    technique_rir |= st.contains("reps_in_reserve") && !st.contains("percent_1rm");
                } else {
                    later_percent |= st.contains("percent_1rm") && st.contains("load_kg");
                }
            }
        }
    }
    EXPECT_TRUE(technique_rir);
    EXPECT_TRUE(later_percent);
}

TEST(Weeks, OverridesTheRaceHorizon) {
    // Race 3 weeks after the plan starts (2026-11-23).
    const std::string race = " --race 2026-12-13,Test,50,2000 --json --quiet";
    auto plan = nlohmann::json::parse(run_cli("plan " + athlete + race).out);
    for (const auto& s : plan["sessions"]) {
        EXPECT_LT(s["date"].get<std::string>(), "2026-12-13");
    }
    plan = nlohmann::json::parse(run_cli("plan " + athlete + race + " --weeks 8").out);
    bool after_race = false;
    bool recovery = false;
    for (const auto& s : plan["sessions"]) {
        after_race |= s["date"].get<std::string>() > "2026-12-13";
        recovery |= s["phase"] == "recovery";
    }
    EXPECT_TRUE(after_race);
    EXPECT_TRUE(recovery);
    plan = nlohmann::json::parse(run_cli("plan " + athlete + race + " --weeks 1").out);
    for (const auto& s : plan["sessions"]) {
        EXPECT_LT(s["date"].get<std::string>(), "2026-11-30");
    }
}

TEST(Rerun, RemovesOnlyItsOwnFilesIncludingADroppedFormat) {
    TempDir dir;
    ASSERT_EQ(run_cli("plan " + athlete + " --out " + quoted(dir.path) + " --quiet").exit_code, 0);
    const fs::path mine = dir.path / "garmin-fit" / "my-own-workout.fit";
    const fs::path notes = dir.path / "notes.txt";
    std::ofstream(mine) << "not written by ultrastrength";
    std::ofstream(notes) << "coach notes";
    ASSERT_FALSE(fs::is_empty(dir.path / "garmin-fit"));

    const auto r =
        run_cli("plan " + athlete + " --out " + quoted(dir.path) + " --format ics --verbose");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("removed (no longer planned): garmin-fit/"), std::string::npos);
    // Every file of the dropped formats is gone, the folder and foreign files stay.
    for (const char* format : {"garmin-fit", "garmin-connect", "trainingpeaks", "csv"}) {
        for (const auto& e : fs::directory_iterator(dir.path / format)) {
            EXPECT_EQ(e.path(), mine) << e.path();
        }
    }
    EXPECT_TRUE(fs::exists(mine));
    EXPECT_EQ(read_file(notes), "coach notes");
    EXPECT_FALSE(fs::is_empty(dir.path / "ics"));
}

TEST(Validate, BrokenXmlGetsItsLineAndReason) {
    TempDir dir;
    const fs::path gpx = dir.path / "broken.gpx";
    std::ofstream(gpx) << "<?xml version=\"1.0\"?>\n"
                          "<gpx version=\"1.1\" creator=\"t\" "
                          "xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
                          "<trk><trkseg>\n<trkpt lat=\"1\" lon=\"2\"></trk>\n</gpx>\n";
    const auto r = run_cli("validate " + quoted(gpx));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find(gpx.string() +
                         ":4: not well-formed XML: Opening and ending tag mismatch: trkpt line 4 "
                         "and trk"),
              std::string::npos)
        << r.out;
}

TEST(Validate, HelpSaysWhatIsNotBundledAndWhereSchemasAre) {
    const auto help = run_cli("validate --help").out;
    EXPECT_NE(help.find("the GPX 1.0 XSD"), std::string::npos);
    EXPECT_NE(help.find("/usr/share/ultrastrength/schemas"), std::string::npos);
    EXPECT_NE(help.find("$ULTRASTRENGTH_SCHEMAS"), std::string::npos);
    // No path of the machine the program was built on.
    EXPECT_EQ(help.find(US_SOURCE_DIR), std::string::npos);
}
