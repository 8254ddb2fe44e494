// `plan` on the sample athlete, as users run it: the plan.json of each case
// is compared with a reviewed file under tests/golden/plan/, and the rules of
// analysis.md §4.3-§4.4 are checked against the generator's ground truth
// (samples/athlete/truth.json: the athlete's long-run days, the phases of her
// season, her race). Also: two runs give byte-identical folders, a band-only
// athlete gets band and body-weight exercises only, and the command's errors.
//
// plan.txt and plan.html of each case are compared with reviewed files too,
// and plan.txt is read as an athlete reads it: no formulas, every exercise
// with its cue and swaps, every heavy one with a load.
//
// After a reviewed change of the planner, the analysis or the session sheet,
// regenerate plan.json, plan.txt and plan.html of every case with
//   US_UPDATE_GOLDEN=1 ./build/tests/golden/plan_golden_tests
// and review the diff of tests/golden/plan/ before committing it.
#include "cli_run.hpp"
#include "plan/library.hpp"
#include "store/output_lock.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace ultrastrength {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using test::read_file;
using test::run_cli;
using test::run_cli_shell;
using test::TempDir;

const std::string athlete_dir = std::string(US_SOURCE_DIR) + "/samples/athlete/";
const std::string all_formats = "garmin-fit,garmin-connect,trainingpeaks,ics,csv";

std::string quoted(const std::string& s) {
    return "'" + s + "'";
}

struct Case {
    std::string name;    ///< golden file stem
    std::string options; ///< after `plan INPUT`
    std::string today;   ///< the analysis day (the last activity's day unless --today)
    bool race = false;
    int weeks = 0; ///< --weeks; 0 = the default (up to race day, else 4)
};

const std::vector<Case>& cases() {
    static const std::vector<Case> all = {
        // The whole history: the season is over, no race ahead.
        {"athlete", "", "2026-11-22", false},
        // Six weeks before her goal race, as she would have run it that Sunday.
        {"athlete-race", "--race '2026-09-26,Alpenglow Trail 50K,50,2500' --today 2026-08-16",
         "2026-08-16", true},
        // Three weeks before the race, through the race and its recovery into the transition.
        {"athlete-race-recovery",
         "--race '2026-09-26,Alpenglow Trail 50K,50,2500' --today 2026-09-06 --weeks 8",
         "2026-09-06", true, 8},
    };
    return all;
}

Json truth() {
    return Json::parse(read_file(athlete_dir + "truth.json"));
}

std::int64_t day_of(const std::string& iso) {
    return days_from_civil(*parse_date(iso));
}

/// The weekday (0 = Monday) of the athlete's long effort in the six weeks
/// before `today`, from the generator's plan of her season: the second day of
/// a back-to-back block, else the long run.
int truth_long_run_weekday(const Json& t, const std::string& today) {
    const std::int64_t end = day_of(today);
    std::map<std::int64_t, std::int64_t> per_week; // monday -> day of the long effort
    for (const auto& a : t["activities"]) {
        const std::string kind = a["kind"];
        const std::int64_t day = day_of(a["local_date"]);
        if (day > end || day <= end - 42) {
            continue;
        }
        const std::int64_t monday = day - ((day % 7 + 7 + 3) % 7);
        if (kind == "b2b") {
            per_week[monday] = day;
        } else if ((kind == "long" || kind == "long_trail") && per_week.count(monday) == 0) {
            per_week[monday] = day;
        }
    }
    std::array<int, 7> count{};
    for (const auto& [monday, day] : per_week) {
        ++count[static_cast<std::size_t>(day - monday)];
    }
    return static_cast<int>(std::max_element(count.begin(), count.end()) - count.begin());
}

/// Phase of the season's week containing `day`, from the generator.
std::string truth_phase(const Json& t, std::int64_t day) {
    for (const auto& w : t["weeks"]) {
        const std::int64_t monday = day_of(w["monday"]);
        if (day >= monday && day < monday + 7) {
            return w["phase"];
        }
    }
    return "";
}

/// The exercise's own group (a heavy block may carry corrective exercises in its rests).
std::string step_group(const Json& step) {
    const Exercise* e = builtin_library().find(step["exercise_id"].get<std::string>());
    return e != nullptr ? std::string(to_string(e->group)) : std::string();
}

bool has_group(const Json& session, const std::string& group) {
    return std::any_of(session["blocks"].begin(), session["blocks"].end(), [&](const Json& b) {
        return std::any_of(b["steps"].begin(), b["steps"].end(),
                           [&](const Json& step) { return step_group(step) == group; });
    });
}

/// Runs `plan` for a case into `out` (all formats) and returns plan.json.
std::string run_case(const Case& c, const fs::path& out) {
    const auto r = run_cli("plan " + quoted(athlete_dir) + " " + c.options + " --format " +
                           all_formats + " --out " + quoted(out.string()) + " --quiet");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    return read_file(out / "plan.json");
}

TEST(PlanGolden, SampleAthletePlansEqualTheReviewedFiles) {
    const bool update = std::getenv("US_UPDATE_GOLDEN") != nullptr;
    for (const Case& c : cases()) {
        SCOPED_TRACE(c.name);
        TempDir dir;
        const std::string got = run_case(c, dir.path);
        ASSERT_FALSE(got.empty());
        const fs::path golden =
            fs::path(US_SOURCE_DIR) / "tests/golden/plan" / (c.name + ".plan.json");
        if (update) {
            fs::create_directories(golden.parent_path());
            std::ofstream(golden, std::ios::binary) << got;
            continue;
        }
        ASSERT_TRUE(fs::exists(golden)) << golden;
        EXPECT_EQ(got, read_file(golden))
            << "plan.json differs from " << golden
            << "; after reviewing the change, regenerate with "
               "US_UPDATE_GOLDEN=1 ./build/tests/golden/plan_golden_tests";
    }
}

TEST(PlanGolden, SampleAthleteTextAndHtmlEqualTheReviewedFiles) {
    const bool update = std::getenv("US_UPDATE_GOLDEN") != nullptr;
    for (const Case& c : cases()) {
        for (const char* kind : {"txt", "html"}) {
            SCOPED_TRACE(c.name + " " + kind);
            TempDir dir;
            run_case(c, dir.path);
            const std::string got = read_file(dir.path / ("plan." + std::string(kind)));
            ASSERT_FALSE(got.empty());
            const fs::path golden = fs::path(US_SOURCE_DIR) / "tests/golden/plan" /
                                    (c.name + ".plan." + std::string(kind));
            if (update) {
                std::ofstream(golden, std::ios::binary) << got;
                continue;
            }
            ASSERT_TRUE(fs::exists(golden)) << golden;
            EXPECT_EQ(got, read_file(golden))
                << "plan." << kind << " differs from " << golden
                << "; after reviewing the change, regenerate with "
                   "US_UPDATE_GOLDEN=1 ./build/tests/golden/plan_golden_tests";
        }
    }
}

/// The marks of a formula in text meant for an athlete: Greek letters (UTF-8
/// lead bytes 0xCE, 0xCF), section signs, document references, the load
/// model's abbreviations, multipliers ("×0.8") and two-decimal ratios.
std::vector<std::string> formula_marks(const std::string& text) {
    std::vector<std::string> found;
    for (const char c : text) {
        if (static_cast<unsigned char>(c) == 0xCE || static_cast<unsigned char>(c) == 0xCF) {
            found.emplace_back("a Greek letter");
            break;
        }
    }
    for (const char* mark :
         {"\u00a7", "analysis.md", "ATL", "CTL", "TSB", "\u00d70.", "\u00d71."}) {
        if (text.find(mark) != std::string::npos) {
            found.emplace_back(mark);
        }
    }
    for (std::size_t i = 0; i + 3 < text.size(); ++i) {
        const auto digit = [&](std::size_t k) { return text[k] >= '0' && text[k] <= '9'; };
        if (digit(i) && text[i + 1] == '.' && digit(i + 2) && digit(i + 3)) {
            found.push_back("ratio " + text.substr(i, 4));
            break;
        }
    }
    return found;
}

TEST(PlanGolden, PlanTextReadsAsASessionSheetWithoutFormulas) {
    for (const Case& c : cases()) {
        SCOPED_TRACE(c.name);
        TempDir dir;
        const Json plan = Json::parse(run_case(c, dir.path));
        const std::string text = read_file(dir.path / "plan.txt");
        const auto marks = formula_marks(text);
        EXPECT_TRUE(marks.empty()) << marks.front();
        EXPECT_EQ(text.find("Rules for real life"), text.rfind("Rules for real life"));
        EXPECT_NE(text.find("Rules for real life"), std::string::npos);
        std::size_t at = 0;
        std::size_t exercises = 0;
        for (const auto& session : plan["sessions"]) {
            at = text.find(session["title"].get<std::string>() + "\n", at);
            ASSERT_NE(at, std::string::npos) << session["id"];
            const auto warmup = text.find("Warm-up: ", at);
            EXPECT_NE(warmup, std::string::npos);
            for (const auto& block : session["blocks"]) {
                for (const auto& step : block["steps"]) {
                    const std::string name = step["name"];
                    at = text.find(" " + name + " \u2013 ", at);
                    ASSERT_NE(at, std::string::npos) << name;
                    // The exercise's sheet: its indented lines below the step line.
                    auto end = text.find('\n', at);
                    while (end != std::string::npos && text.compare(end + 1, 3, "   ") == 0) {
                        end = text.find('\n', end + 1);
                    }
                    const std::string sheet = text.substr(at, end - at);
                    EXPECT_NE(sheet.find("\n   Cue: " + step["cue"].get<std::string>()),
                              std::string::npos)
                        << sheet;
                    EXPECT_NE(sheet.find("\n   Easier: "), std::string::npos) << sheet;
                    EXPECT_NE(sheet.find("Harder: "), std::string::npos) << sheet;
                    EXPECT_NE(sheet.find("\n   Effort: "), std::string::npos) << sheet;
                    if (step_group(step) == "heavy") {
                        EXPECT_NE(sheet.find("\n   Load: "), std::string::npos) << sheet;
                        EXPECT_NE(sheet.find("\n   Tempo: "), std::string::npos) << sheet;
                    }
                    ++exercises;
                }
            }
            const auto cooldown = text.find("Cool-down: ", at);
            EXPECT_NE(cooldown, std::string::npos);
            EXPECT_NE(text.find("\nWhy:\n- ", cooldown), std::string::npos);
        }
        EXPECT_GT(exercises, 10U);
    }
}

TEST(PlanGolden, VerbosePlanTextAddsTheRuleTraceWithReferences) {
    TempDir dir;
    const Case& c = cases()[1];
    const auto r = run_cli("plan " + quoted(athlete_dir) + " " + c.options + " --out " +
                           quoted(dir.path.string()) + " --quiet --verbose");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string text = read_file(dir.path / "plan.txt");
    EXPECT_FALSE(formula_marks(text).empty());
    EXPECT_NE(text.find("\nAnalysis\n  "), std::string::npos);
    EXPECT_NE(text.find("(analysis.md \u00a74.5)"), std::string::npos);
    EXPECT_NE(text.find("\nRules applied:\n- "), std::string::npos);
    // The plain sheet is all there too.
    EXPECT_NE(text.find("\nWhy:\n- "), std::string::npos);
    EXPECT_NE(text.find("Rules for real life"), std::string::npos);
}

TEST(PlanGolden, SampleAthletePlansKeepTheSchedulingRules) {
    const Json t = truth();
    for (const Case& c : cases()) {
        SCOPED_TRACE(c.name);
        TempDir dir;
        const Json plan = Json::parse(run_case(c, dir.path));
        const int long_run = truth_long_run_weekday(t, c.today);
        const std::int64_t start = day_of(plan["start"]);
        const int weeks = plan["weeks"];
        EXPECT_EQ(start, day_of(c.today) + 1) << "the plan starts the day after the analysis";
        const auto& sessions = plan["sessions"];
        ASSERT_GE(sessions.size(), static_cast<std::size_t>(weeks)) << "at least one a week";
        std::int64_t race_day = 0;
        if (c.race) {
            race_day = day_of(t["race"]["date"]);
            ASSERT_EQ(plan["race"]["date"], t["race"]["date"]);
            if (c.weeks == 0) { // default length: up to race day
                EXPECT_EQ(start + 7 * weeks - 7 <= race_day && race_day < start + 7 * weeks, true);
            } else {
                EXPECT_EQ(weeks, c.weeks);
            }
        } else {
            EXPECT_TRUE(plan["race"].is_null());
            EXPECT_EQ(weeks, 4);
        }
        std::map<std::int64_t, int> per_week;
        std::map<std::int64_t, bool> corrective_weeks;
        std::int64_t previous = -1000;
        for (const auto& s : sessions) {
            const std::int64_t day = day_of(s["date"]);
            SCOPED_TRACE(s["id"].get<std::string>());
            const int weekday = static_cast<int>(((day % 7) + 7 + 3) % 7);
            ASSERT_GE(day, start);
            ASSERT_LT(day, start + 7 * weeks);
            ++per_week[(day - start) / 7];
            // §4.4 rule 4: at least 48 h apart.
            EXPECT_GE(day - previous, 2);
            previous = day;
            // Never on the long-run day; no heavy, plyometric or eccentric work in
            // the 48 h before it (rule 2) or on the day after it (rule 3).
            EXPECT_NE(weekday, long_run);
            if (has_group(s, "heavy") || has_group(s, "plyometric") || has_group(s, "eccentric")) {
                EXPECT_NE(weekday, (long_run + 6) % 7);
                EXPECT_NE(weekday, (long_run + 5) % 7);
                EXPECT_NE(weekday, (long_run + 1) % 7);
            }
            // The phase of the week: the race-date schedule of her season (§3.1)
            // or, after the season, the current phase (early) carried on.
            if (c.race) {
                EXPECT_EQ(s["phase"], truth_phase(t, day));
            } else {
                EXPECT_EQ(s["phase"], truth_phase(t, day_of(c.today)));
            }
            if (c.race && day > race_day) {
                // After the race (§4.3 Recovery, R = 14 days for 75 effort-km): nothing in
                // the first 2 days, heavy work from R/2, no plyometric or eccentric work
                // before R.
                const std::int64_t since = day - race_day;
                EXPECT_GE(since, 3);
                if (has_group(s, "heavy")) {
                    EXPECT_GE(since, 7);
                }
                if (since < 14) {
                    EXPECT_FALSE(has_group(s, "plyometric"));
                    EXPECT_FALSE(has_group(s, "eccentric"));
                }
            } else if (c.race) {
                const std::int64_t to_race = race_day - day;
                EXPECT_GE(to_race, 3) << "nothing in the last 48 h before the race";
                if (has_group(s, "heavy")) {
                    EXPECT_GE(to_race, 10) << "last heavy session at least 7-10 days out";
                }
                if (has_group(s, "eccentric")) {
                    EXPECT_GE(to_race, 10) << "no eccentric work in the last 10 days";
                }
                if (s["phase"] == "race") {
                    EXPECT_FALSE(has_group(s, "heavy"));
                    EXPECT_LE(s["estimated_minutes"].get<int>(), 20);
                }
            }
            // §4.2: the corrective set runs all year: every calendar week holds it.
            const std::int64_t monday = day - weekday;
            corrective_weeks[monday] = corrective_weeks[monday] || has_group(s, "corrective");
            EXPECT_FALSE(s["reasons"].empty());
            EXPECT_GE(s["estimated_minutes"].get<int>(), 5);
            // §4.3 says 30-45 min; its own full-volume Early table (3-4 heavy sets of three
            // patterns at 2-3 min rest plus corrective work) runs longer, and the planner
            // keeps the table's sets when the load allows them.
            EXPECT_LE(s["estimated_minutes"].get<int>(), 60);
        }
        for (const auto& [monday, corrective] : corrective_weeks) {
            EXPECT_TRUE(corrective) << "corrective work in the week of " << monday;
        }
        // §4.3 sessions per week: Early 2 (3 at very low volume), Late 1 (2 if r < 0.8),
        // Taper 1, Race at most 1.
        for (const auto& [week, count] : per_week) {
            const std::string phase = truth_phase(t, start + 7 * week);
            if (c.race && (phase == "taper" || phase == "race")) {
                EXPECT_LE(count, 1) << "week " << week;
            } else if (c.race && (phase == "late" || phase == "recovery")) {
                EXPECT_LE(count, 2) << "week " << week;
            } else {
                EXPECT_LE(count, 3) << "week " << week;
            }
        }
    }
}

/// Every output file under `root`, name -> bytes. The lock file is left out:
/// it holds the process id of the run that wrote the folder, not output.
std::map<std::string, std::string> folder_bytes(const fs::path& root) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (e.is_regular_file() && e.path().filename() != OutputLock::file_name) {
            out[fs::relative(e.path(), root).generic_string()] = read_file(e.path());
        }
    }
    return out;
}

void expect_same_files(const std::map<std::string, std::string>& a,
                       const std::map<std::string, std::string>& b) {
    std::vector<std::string> names_a;
    std::vector<std::string> names_b;
    for (const auto& [name, bytes] : a) {
        names_a.push_back(name);
    }
    for (const auto& [name, bytes] : b) {
        names_b.push_back(name);
    }
    ASSERT_EQ(names_a, names_b);
    for (const auto& [name, bytes] : a) {
        EXPECT_TRUE(bytes == b.at(name)) << name << " differs";
    }
}

TEST(PlanGolden, TwoRunsGiveByteIdenticalFolders) {
    const Case& c = cases()[1];
    TempDir a;
    TempDir b;
    run_case(c, a.path);
    run_case(c, b.path);
    const auto first = folder_bytes(a.path);
    const auto second = folder_bytes(b.path);
    ASSERT_GT(first.size(), 10U);
    expect_same_files(first, second);
    for (const auto* sub : {"garmin-fit", "garmin-connect", "trainingpeaks", "ics", "csv"}) {
        EXPECT_TRUE(fs::is_directory(a.path / sub)) << sub;
    }

    // A rerun into the same folder leaves every file alone (same bytes, same
    // mtime): found up to date by the run fingerprint, and, without the state
    // that holds it, planned again with every file found unchanged. The plan's
    // files are the folder's but the manifest and the state.
    const std::string files = std::to_string(first.size() - 2);
    struct stat before {};
    ASSERT_EQ(::stat((a.path / "plan.json").c_str(), &before), 0);
    const std::string rerun = "plan " + quoted(athlete_dir) + " " + c.options + " --format " +
                              all_formats + " --out " + quoted(a.path.string());
    const auto r = run_cli(rerun);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("plan up to date"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(" " + files + " files in "), std::string::npos) << r.err;
    fs::remove(a.path / ".ultrastrength-state");
    const auto full = run_cli(rerun);
    EXPECT_EQ(full.exit_code, 0) << full.err;
    EXPECT_NE(full.err.find(" 0 created, 0 updated, " + files + " unchanged"), std::string::npos)
        << full.err;
    struct stat after {};
    ASSERT_EQ(::stat((a.path / "plan.json").c_str(), &after), 0);
    EXPECT_EQ(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
    EXPECT_EQ(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
    expect_same_files(folder_bytes(a.path), first);
}

TEST(PlanGolden, ARerunRemovesTheFilesOfSessionsNoLongerPlanned) {
    TempDir dir;
    const std::string base = "plan " + quoted(athlete_dir) + " --format " + all_formats +
                             " --out " + quoted(dir.path.string()) + " --quiet";
    ASSERT_EQ(run_cli(base + " --weeks 4").exit_code, 0);
    std::ofstream(dir.path / "garmin-fit" / "my-own-workout.fit") << "not ours";
    const auto four = folder_bytes(dir.path);
    const auto manifest = read_file(dir.path / ".ultrastrength-files");
    EXPECT_NE(manifest.find("garmin-fit/2026-12-17_"), std::string::npos) << manifest;
    EXPECT_EQ(manifest.find("my-own-workout"), std::string::npos);

    ASSERT_EQ(run_cli(base + " --weeks 2").exit_code, 0);
    const auto two = folder_bytes(dir.path);
    const Json plan = Json::parse(read_file(dir.path / "plan.json"));
    std::size_t fit_files = 0;
    for (const auto& [name, bytes] : two) {
        if (name.starts_with("garmin-fit/") && name.ends_with(".fit")) {
            ++fit_files;
            if (name != "garmin-fit/my-own-workout.fit") {
                EXPECT_LT(name.substr(11, 10), "2026-12-07") << name << " is past the 2-week plan";
            }
        }
    }
    EXPECT_EQ(fit_files, plan["sessions"].size() + 1) << "one per session, plus the user's own";
    EXPECT_EQ(two.at("garmin-fit/my-own-workout.fit"), "not ours");
    EXPECT_LT(two.size(), four.size());
}

TEST(PlanGolden, BandOnlyAthleteGetsBandAndBodyWeightExercisesOnly) {
    for (const Case& c : cases()) {
        SCOPED_TRACE(c.name);
        const auto r = run_cli("plan " + quoted(athlete_dir) + " " + c.options +
                               " --equipment band --json --quiet");
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const Json plan = Json::parse(r.out);
        ASSERT_GE(plan["sessions"].size(), 4U);
        std::set<std::string> groups;
        for (const auto& s : plan["sessions"]) {
            ASSERT_FALSE(s["blocks"].empty());
            for (const auto& block : s["blocks"]) {
                groups.insert(block["group"]);
                ASSERT_FALSE(block["steps"].empty());
                if (block["group"] == "heavy") {
                    EXPECT_EQ(
                        std::count_if(block["steps"].begin(), block["steps"].end(),
                                      [](const Json& step) { return step_group(step) == "heavy"; }),
                        3)
                        << "squat, hinge and calf patterns";
                }
                for (const auto& step : block["steps"]) {
                    const Exercise* e =
                        builtin_library().find(step["exercise_id"].get<std::string>());
                    ASSERT_NE(e, nullptr) << step["exercise_id"];
                    for (const auto& item : e->equipment) {
                        EXPECT_TRUE(item == "band" || item == "none") << e->id << " needs " << item;
                    }
                }
            }
        }
        // A complete plan: strength and corrective work, not just mobility.
        EXPECT_TRUE(groups.count("heavy")) << "no heavy block with a band only";
        EXPECT_TRUE(groups.count("corrective"));
    }
}

TEST(PlanCli, HelpAnswersTheQuestions) {
    const auto r = run_cli("plan --help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out.rfind("Usage: ultrastrength plan", 0), 0U) << r.out;
    for (const char* text :
         {"--out", "--format", "--race", "--equipment", "--level", "--days", "--long-run-day",
          "--weeks", "--start", "--library", "--hrmax", "GARMIN/NewFiles", "Exit status",
          "Examples", "garmin-connect", "trainingpeaks", "ics", "csv"}) {
        EXPECT_NE(r.out.find(text), std::string::npos) << text;
    }
    EXPECT_NE(run_cli("--help").out.find("plan"), std::string::npos);
}

TEST(PlanCli, WithoutOutTheSummaryIsPrintedAndJsonIsThePlan) {
    const auto text = run_cli("plan " + quoted(athlete_dir));
    EXPECT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("Strength plan for athlete: 4 weeks from 2026-11-23"),
              std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("Why:"), std::string::npos);
    const auto json = run_cli("plan " + quoted(athlete_dir) + " --json --quiet");
    EXPECT_EQ(json.exit_code, 0);
    TempDir dir;
    EXPECT_EQ(json.out, run_case(cases()[0], dir.path));
}

// analysis.md §4.6-§4.7, one load scale, on real data: the sample athlete's recorded
// strength sessions (no RPE recorded) score within 0.6-1.6x the load per minute of the
// planned sessions of the same kind (heavy or jump sessions, session-RPE 6); scored
// by heart rate they would read about a quarter of it.
TEST(PlanGolden, RecordedStrengthIsOnThePlannedScale) {
    const auto analysis = run_cli("analyze " + quoted(athlete_dir) + " --json --quiet");
    ASSERT_EQ(analysis.exit_code, 0) << analysis.err;
    const Json a = Json::parse(analysis.out);
    std::vector<double> recorded;
    for (const auto& s : a["sessions"]) {
        if (s["sport"] == "strength" && s["moving_s"].get<double>() > 0) {
            recorded.push_back(s["load"].get<double>() / (s["moving_s"].get<double>() / 60));
        }
    }
    ASSERT_GE(recorded.size(), 10U) << "the sample athlete records her strength sessions";
    TempDir dir;
    const Json plan = Json::parse(run_case(cases()[0], dir.path));
    int compared = 0;
    for (const auto& s : plan["sessions"]) {
        const std::string kind = s["kind"];
        if (kind.find("heavy") == std::string::npos &&
            kind.find("plyometric") == std::string::npos) {
            continue;
        }
        const double planned =
            s["estimated_load"].get<double>() / s["estimated_minutes"].get<double>();
        for (const double r : recorded) {
            EXPECT_GE(r / planned, 0.6) << s["id"];
            EXPECT_LE(r / planned, 1.6) << s["id"];
        }
        ++compared;
    }
    EXPECT_GE(compared, 4);
    const double mean = std::accumulate(recorded.begin(), recorded.end(), 0.0) /
                        static_cast<double>(recorded.size());
    std::printf("recorded strength: %zu sessions, %.3f load/min on average; %d planned heavy or "
                "jump sessions compared\n",
                recorded.size(), mean, compared);
}

// analysis.md §4.4-§4.7 on a real history (tests/data/history/qjw-coros: 25 months of
// one runner, no recorded strength, hard runs on Tuesday and Saturday, long run on
// Sunday) planned for flat, rolling and mountain races 3 to 40 weeks away, as every
// strength history: the rules plan.json shows are checked on each plan.
TEST(PlanGolden, RealHistoryPlansKeepTheRules) {
    const std::string history = std::string(US_CORPUS_DIR) + "/history/qjw-coros";
    const std::vector<std::string> races = {
        "2026-01-17,Flat 10K,10,50", "2026-03-14,Road 42,42.2,300", "2026-06-20,Hilly 50,50,2500",
        "2026-09-26,Mountain 100,100,6500"};
    int plans = 0;
    int checks = 0;
    for (const std::string& race : races) {
        for (const char* history_option : {"none", "some", "experienced"}) {
            const auto r = run_cli("plan " + quoted(history) + " --race " + quoted(race) +
                                   " --strength-history " + history_option + " --json --quiet");
            ASSERT_EQ(r.exit_code, 0) << r.err;
            const Json plan = Json::parse(r.out);
            SCOPED_TRACE(race + " " + history_option);
            ++plans;
            const std::int64_t race_day = day_of(plan["race"]["date"]);
            const bool ultra = plan["race"]["distance_km"].get<double>() > 42.2;
            std::optional<std::int64_t> last_hard;
            for (const auto& s : plan["sessions"]) {
                const std::int64_t day = day_of(s["date"]);
                const std::string kind = s["kind"];
                const std::string phase = s["phase"];
                const int cap = phase == "off-season" || phase == "early" ? 60
                                : phase == "mid" || phase == "recovery"   ? 45
                                : phase == "late"                         ? 40
                                : phase == "taper"                        ? 30
                                                                          : 15;
                EXPECT_LE(s["estimated_minutes"].get<int>(), cap) << s["id"];
                const bool heavy = kind.find("heavy") != std::string::npos;
                const bool jumps = kind.find("plyometric") != std::string::npos;
                const bool eccentric = kind.find("eccentric") != std::string::npos;
                const int weekday = static_cast<int>(((day % 7) + 7 + 3) % 7); // 0 = Monday
                // Rule 11: the introductory block's light lifting is placed like
                // corrective work.
                bool intro = false;
                for (const auto& reason : s["reasons"]) {
                    intro = intro || reason.get<std::string>().find("introductory block, week") !=
                                         std::string::npos;
                }
                if ((heavy && !intro) || jumps || eccentric) {
                    // Rule 8: 48 h apart; not the day before the Tuesday or Saturday hard
                    // run, the 48 h before the Sunday long run or the Monday after it.
                    EXPECT_TRUE(!last_hard || day - *last_hard >= 2) << s["id"];
                    last_hard = day;
                    EXPECT_TRUE(weekday != 0 && weekday != 4 && weekday != 5) << s["id"];
                    checks += 2;
                }
                if (eccentric) {
                    EXPECT_TRUE(weekday != 3 && weekday != 6)
                        << s["id"] << " 48 h before a hard run";
                    EXPECT_GE(race_day - day, 10) << s["id"];
                    checks += 2;
                }
                if (heavy && day <= race_day) {
                    EXPECT_GE(race_day - day, ultra ? 10 : 7) << s["id"];
                    ++checks;
                }
                for (const auto& b : s["blocks"]) {
                    for (const auto& st : b["steps"]) {
                        if (st.contains("reps_in_reserve")) {
                            EXPECT_GE(st["reps_in_reserve"].get<int>(), 1) << s["id"];
                            ++checks;
                        }
                    }
                }
            }
            for (const auto& w : plan["weeks_overview"]) {
                EXPECT_LE(w["plyometric_contacts"].get<int>(), 150);
                const std::string phase = w["phase"];
                const int budget = phase == "off-season" || phase == "early" ? 150
                                   : phase == "mid"                          ? 120
                                   : phase == "late"                         ? 80
                                                                             : 1000;
                EXPECT_LE(w["minutes"].get<int>(), budget) << w["start"];
                checks += 2;
            }
            // Rule 11: new to strength, the first weeks are the introductory block.
            if (std::string(history_option) == "none") {
                EXPECT_EQ(plan["strength_history"]["value"], "none");
                for (const auto& s : plan["sessions"]) {
                    if (day_of(s["date"]) - day_of(plan["start"]) >= 14) {
                        break;
                    }
                    const std::string kind = s["kind"];
                    EXPECT_EQ(kind.find("plyometric"), std::string::npos) << s["id"];
                    EXPECT_EQ(kind.find("eccentric"), std::string::npos) << s["id"];
                    ++checks;
                }
            }
        }
    }
    std::printf("qjw-coros: %d plans, %d rule checks\n", plans, checks);
    EXPECT_GT(checks, 100);
}

// analysis.md §3.1 behind plan, on the real half-marathoner at the end of 2025: the
// history alone reads off-season (25 % of his peak), so a half 12 weeks out asks for
// Mid two phases early: every Mid and Late week is flagged, race week is not.
TEST(PlanGolden, BehindPlanComparesTheRaceWithTheHistoryWithoutIt) {
    const std::string history = std::string(US_CORPUS_DIR) + "/history/qjw-coros";
    const auto analysis = run_cli("analyze " + quoted(history) + " --today 2025-12-31");
    ASSERT_EQ(analysis.exit_code, 0) << analysis.err;
    EXPECT_NE(analysis.out.find("Phase: Off-season"), std::string::npos) << analysis.out;
    const auto r = run_cli("plan " + quoted(history) + " --today 2025-12-31 --race " +
                           quoted("2026-03-22,City Half,21.1,80") + " --json --quiet");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Json plan = Json::parse(r.out);
    EXPECT_TRUE(plan["behind_plan"].get<bool>());
    int mid = 0;
    for (const auto& week : plan["weeks_overview"]) {
        const std::string phase = week["phase"];
        SCOPED_TRACE(week["start"].get<std::string>() + " " + phase);
        EXPECT_EQ(week["behind_plan"].get<bool>(),
                  phase == "mid" || phase == "late" || phase == "taper");
        mid += phase == "mid" ? 1 : 0;
    }
    EXPECT_GE(mid, 2);
}

// analysis.md §4.7: a plan starts the later of the day after the last activity
// (2026-11-22) and today; plan.txt and plan.json say when it was moved.
TEST(PlanCli, TheStartIsNeverBeforeToday) {
    const std::string plan = "plan " + quoted(athlete_dir) + " --json --quiet";
    auto json = nlohmann::json::parse(
        run_cli_shell("ULTRASTRENGTH_TODAY=2026-12-02 " + std::string(US_CLI) + " " + plan));
    EXPECT_EQ(json["start"], "2026-12-02");
    EXPECT_NE(json["start_note"].get<std::string>().find("not the day after the last activity "
                                                         "(2026-11-22)"),
              std::string::npos)
        << json["start_note"];
    const std::string text = run_cli_shell("ULTRASTRENGTH_TODAY=2026-12-02 " + std::string(US_CLI) +
                                           " plan " + quoted(athlete_dir));
    EXPECT_NE(text.find("from 2026-12-02 to 2026-12-27\nStart: starts today, 2026-12-02"),
              std::string::npos)
        << text;
    for (const auto& s : json["sessions"]) {
        EXPECT_GE(s["date"].get<std::string>(), "2026-12-02");
    }
    // Today earlier than the history: the day after the last activity, no note.
    json = nlohmann::json::parse(
        run_cli_shell("ULTRASTRENGTH_TODAY=2026-11-01 " + std::string(US_CLI) + " " + plan));
    EXPECT_EQ(json["start"], "2026-11-23");
    EXPECT_EQ(json["start_note"], "");
    // --today is today: the analysis day decides the start.
    json = nlohmann::json::parse(run_cli_shell("ULTRASTRENGTH_TODAY=2026-12-02 " +
                                               std::string(US_CLI) + " " + plan +
                                               " --today 2026-10-04"));
    EXPECT_EQ(json["start"], "2026-10-05");
    // The system clock without the variable.
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&now, &local);
    char today[16];
    std::strftime(today, sizeof today, "%Y-%m-%d", &local);
    json = nlohmann::json::parse(
        run_cli_shell("env -u ULTRASTRENGTH_TODAY " + std::string(US_CLI) + " " + plan));
    EXPECT_EQ(json["start"], std::max<std::string>(today, "2026-11-23"));
    const std::string bad = run_cli_shell("ULTRASTRENGTH_TODAY=soon " + std::string(US_CLI) + " " +
                                          plan + " 2>&1 >/dev/null");
    EXPECT_TRUE(bad.starts_with("ultrastrength plan: ULTRASTRENGTH_TODAY 'soon': expected "
                                "YYYY-MM-DD\n"))
        << bad;
}

TEST(PlanCli, BadArgumentsAndInputsGiveClearErrors) {
    auto r = run_cli("plan " + quoted(athlete_dir) + " --format garmin-fit,nope");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--format 'nope'"), std::string::npos) << r.err;
    r = run_cli("plan " + quoted(athlete_dir) + " --equipment band,trampoline");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("trampoline"), std::string::npos) << r.err;
    r = run_cli("plan " + quoted(athlete_dir) + " --weeks 60");
    EXPECT_EQ(r.exit_code, 2);
    r = run_cli("plan " + quoted(athlete_dir) + " --days mon,someday");
    EXPECT_EQ(r.exit_code, 2);
    r = run_cli("plan");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no INPUT given"), std::string::npos);

    TempDir dir;
    r = run_cli("plan /nonexistent/history --out " + quoted(dir.path.string()));
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("/nonexistent/history: no such file or folder"), std::string::npos)
        << r.err;
    EXPECT_FALSE(fs::exists(dir.path / "plan.json"));

    std::ofstream(dir.path / "library.json") << "{\"exercises\": [{\"id\": 3}]}";
    r = run_cli("plan " + quoted(athlete_dir) + " --library " +
                quoted((dir.path / "library.json").string()));
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("library.json"), std::string::npos) << r.err;
}

TEST(PlanCli, ABusyOutputFolderIsReportedOrWaitedFor) {
    TempDir dir;
    {
        OutputLock held(dir.path.string(), false);
        const auto r =
            run_cli("plan " + quoted(athlete_dir) + " --out " + quoted(dir.path.string()));
        EXPECT_EQ(r.exit_code, 3);
        EXPECT_NE(r.err.find("another run is writing this output folder"), std::string::npos)
            << r.err;
        EXPECT_FALSE(fs::exists(dir.path / "plan.json"));
    }
    const auto r = run_cli("plan " + quoted(athlete_dir) + " --out " + quoted(dir.path.string()) +
                           " --wait --quiet");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(dir.path / "plan.json"));
}

} // namespace
} // namespace ultrastrength
