// Our output files, checked by tools we did not write: Garmin's FIT SDK
// (decode + integrity), Ajv (JSON Schema), python3-icalendar (RFC 5545) and
// Python's csv module (RFC 4180). The decoded content is compared with the
// plan it was written from.
#include "plugins/garmin_connect/garmin_connect_writer.hpp"
#include "plugins/garmin_fit/garmin_fit_writer.hpp"
#include "plugins/ics/ics_writer.hpp"
#include "plugins/prescription.hpp"
#include "plugins/workout_names.hpp"
#include "plugins/writer.hpp"
#include "tests/support/fit_exercise_table.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/sample_plans.hpp"
#ifdef US_HAVE_PLANNER
#include "plan/planner.hpp"
#include "tests/unit/plan_test_support.hpp"
#endif
#ifdef US_HAVE_PLAN_PIPELINE
#include "pipeline/plan_athlete.hpp"
#endif

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>

namespace ultrastrength {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

using test::read_file;
using test::TempDir;

std::string quote(const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

/// Runs a command and parses its standard output as JSON; fails the test
/// with the command's standard error when it does not exit 0.
Json run_json(const std::vector<std::string>& argv) {
    TempDir dir;
    std::string command;
    for (const auto& arg : argv) {
        command += quote(arg) + ' ';
    }
    command += "2>" + quote((dir.path / "stderr").string());
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        ADD_FAILURE() << "cannot run " << command;
        return {};
    }
    std::string out;
    std::array<char, 65536> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
        out.append(buffer.data(), n);
    }
    const int status = ::pclose(pipe);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        ADD_FAILURE() << command << " failed (status " << status << "):\n"
                      << read_file(dir.path / "stderr");
        return {};
    }
    return Json::parse(out);
}

/// run_json for many files: their paths go to a list file passed as @LIST,
/// since a command line holds at most 128 KiB per argument string.
Json run_json_files(std::vector<std::string> argv, const std::vector<std::string>& files) {
    TempDir dir;
    const auto list = dir.path / "files.txt";
    {
        std::ofstream out(list);
        for (const auto& f : files) {
            out << f << '\n';
        }
    }
    argv.push_back("@" + list.string());
    return run_json(argv);
}

std::string interop(const char* file) {
    return std::string(US_INTEROP_DIR) + "/" + file;
}

std::vector<std::string> files_under(const fs::path& folder, const std::string& extension) {
    std::vector<std::string> out;
    if (!fs::is_directory(folder)) {
        return out;
    }
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (entry.path().extension() == extension) {
            out.push_back(entry.path().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// Plans built by the pipeline the `plan` command runs, for the sample athlete.
#ifdef US_HAVE_PLAN_PIPELINE
pipeline::PlanRequest sample_athlete_request() {
    pipeline::PlanRequest request;
    request.inputs = {std::string(US_SOURCE_DIR) + "/samples/athlete/"};
    return request;
}

/// The issue's two plans: the sample athlete's year-long plan with body
/// weight only, and a gym plan with known 1RMs (`--1rm`).
pipeline::PlanRequest year_body_weight_request() {
    pipeline::PlanRequest request = sample_athlete_request();
    request.weeks = 52;
    request.equipment = std::set<std::string>{"none"};
    return request;
}
pipeline::PlanRequest gym_one_rep_max_request() {
    pipeline::PlanRequest request = sample_athlete_request();
    request.weeks = 11;
    request.equipment = std::set<std::string>{"band", "dumbbell", "barbell", "box", "gym"};
    request.one_rep_max_kg = {{"trap_bar_deadlift", 140.0},
                              {"romanian_deadlift_barbell", 100.0},
                              {"rfe_split_squat_barbell", 70.0},
                              {"goblet_squat", 40.0},
                              {"seated_calf_raise", 120.0}};
    return request;
}

const Plan& planned(const pipeline::PlanRequest& request) {
    static std::map<std::string, Plan> cache;
    const std::string key =
        std::to_string(request.weeks.value_or(0)) + std::to_string(request.one_rep_max_kg.size());
    if (const auto it = cache.find(key); it != cache.end()) {
        return it->second;
    }
    auto outcome = pipeline::plan_athlete(request);
    if (!outcome.error.empty() || outcome.plan.sessions.empty()) {
        throw std::runtime_error("plan failed: " + outcome.error);
    }
    return cache.emplace(key, std::move(outcome.plan)).first->second;
}
#endif

/// Every plan the writers are checked on: the hand-built plans; once the
/// planner is in the build its plans for every phase with full equipment and
/// with a band only, and the plans of the property test's generated contexts
/// (`generated_plan_count` of them); and the sample athlete's plans as the
/// `plan` command makes them (no race, the goal race ahead, band only).
constexpr int generated_plan_count = 120;

const std::vector<Plan>& sample_plans() {
    static const std::vector<Plan> plans = [] {
        std::vector<Plan> out = {test::runner_plan(), test::band_only_plan()};
#ifdef US_HAVE_PLANNER
        int n = 0;
        for (const Phase phase : {Phase::off_season, Phase::early, Phase::mid, Phase::late,
                                  Phase::taper, Phase::recovery}) {
            for (const bool band_only : {false, true}) {
                if (band_only && phase != Phase::early && phase != Phase::late) {
                    continue;
                }
                PlanContext context = test::steady_context(phase, 6);
                context.athlete_id = "planner-" + std::to_string(n++);
                if (band_only) {
                    context.equipment = {"band"};
                }
                out.push_back(build_plan(context, builtin_library(), builtin_prescriptions()));
            }
        }
        // The property test's seed: the same generated histories. A plan without
        // sessions (the whole plan inside a race recovery) has no files to check.
        test::Rng rng(20260302);
        for (int i = 0, kept = 0; kept < generated_plan_count; ++i) {
            Plan plan = build_plan(test::random_context(rng, i), builtin_library(),
                                   builtin_prescriptions());
            if (!plan.sessions.empty()) {
                out.push_back(std::move(plan));
                ++kept;
            }
        }
#endif
#ifdef US_HAVE_PLAN_PIPELINE
        for (int variant = 0; variant < 3; ++variant) {
            pipeline::PlanRequest request = sample_athlete_request();
            if (variant == 1) {
                request.races = {Race{CivilDate{2026, 9, 26}, "Alpenglow Trail 50K", 50.0, 2500.0}};
                request.today = days_from_civil(CivilDate{2026, 8, 16});
            } else if (variant == 2) {
                request.equipment = std::set<std::string>{"band"};
            }
            auto outcome = pipeline::plan_athlete(request);
            if (!outcome.error.empty() || outcome.plan.sessions.empty()) {
                throw std::runtime_error("the sample athlete's plan failed: " + outcome.error);
            }
            out.push_back(std::move(outcome.plan));
        }
        out.push_back(planned(year_body_weight_request()));
        out.push_back(planned(gym_one_rep_max_request()));
#endif
        return out;
    }();
    return plans;
}

/// The folder of the i-th plan when all plans are written side by side, so
/// that each tool runs once over every plan's files.
std::string plan_folder(std::size_t index) {
    const std::string digits = std::to_string(index);
    return "p" + std::string(digits.size() < 3 ? 3 - digits.size() : 0, '0') + digits;
}

void write_with(const Writer& writer, const Plan& plan, const fs::path& folder,
                const WriteOptions& options = {}) {
    FolderSink sink(folder);
    writer.write(plan, options, sink);
}

/// The same files for the many-plan tests, without FolderSink's fsync per
/// file (thousands of them): the bytes are the writer's either way.
void write_many(const Writer& writer, const Plan& plan, const fs::path& folder,
                const WriteOptions& options = {}) {
    MemorySink sink;
    writer.write(plan, options, sink);
    for (const auto& [name, bytes] : sink.files()) {
        const fs::path path = folder / name;
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << bytes;
    }
}

const Writer& writer_named(std::string_view name) {
    static const WriterRegistry registry = [] {
        WriterRegistry r;
        register_all_writers(r);
        return r;
    }();
    const auto* writer = registry.find(name);
    if (writer == nullptr) {
        throw std::runtime_error("no writer " + std::string(name));
    }
    return *writer;
}

// ---- FIT: Garmin's SDK ------------------------------------------------------

struct ExpectedStep {
    int duration_type;
    std::int64_t duration_value; ///< -1: field absent
    int intensity;               ///< -1: absent (repeat steps)
    std::int64_t target_value;   ///< repeat count, -1 when absent
    const PlanStep* exercise;
};

/// The FIT steps the plan calls for (output-formats.md §1.6): per exercise a
/// reps or time step, a timed rest when the plan rests, and one repeat step
/// per block of more than one set pointing at the block's first step.
std::vector<ExpectedStep> expected_steps(const PlanSession& session) {
    std::vector<ExpectedStep> out;
    for (const auto& block : session.blocks) {
        const auto first = static_cast<std::int64_t>(out.size());
        for (const auto& step : block.steps) {
            if (step.reps) {
                // Reps on each side: the watch's target counts both sides.
                out.push_back({29, *step.reps * (step.per_side ? 2LL : 1LL), 0, -1, &step});
            } else if (step.seconds) {
                out.push_back({0, *step.seconds * 1000LL * (step.per_side ? 2 : 1), 0, -1, &step});
            } else {
                out.push_back({5, -1, 0, -1, &step}); // open: ends on the lap button
            }
            if (step.rest_s > 0) {
                out.push_back({0, step.rest_s * 1000LL, 1, -1, nullptr});
            }
        }
        if (block.sets > 1) {
            out.push_back({6, first, -1, block.sets, nullptr});
        }
    }
    return out;
}

using DecodedFit = std::map<std::string, const Json*>; ///< file path -> decode_fit.mjs entry

DecodedFit by_file(const Json& decoded) {
    DecodedFit out;
    for (const auto& entry : decoded) {
        out.emplace(entry["file"].get<std::string>(), &entry);
    }
    return out;
}

/// Checks the FIT workouts of `plan` in `folder` (decoded by Garmin's SDK)
/// against the plan: file per session, header, file_id, workout, every step.
void check_fit_plan(const Plan& plan, const fs::path& folder, const DecodedFit& decoded_files) {
    SCOPED_TRACE(plan.athlete_id);
    ASSERT_EQ(files_under(folder, ".fit").size(), plan.sessions.size());
    {
        const auto stems = detail::session_file_stems(plan);
        const auto names = detail::workout_names(plan);
        std::set<std::string> watch_names;
        std::set<std::uint32_t> serials;
        for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
            const auto& session = plan.sessions[i];
            const auto want_file = (folder / (stems[i] + ".fit")).string();
            const auto it = decoded_files.find(want_file);
            ASSERT_NE(it, decoded_files.end()) << want_file;
            const Json& fit = *it->second;
            SCOPED_TRACE(want_file);
            EXPECT_TRUE(fit["isFIT"].get<bool>());
            EXPECT_TRUE(fit["integrity"].get<bool>());
            EXPECT_EQ(fit["errors"], Json::array());
            EXPECT_EQ(fit["header"]["size"], 14);
            EXPECT_EQ(fit["header"]["protocol"], 0x10);
            EXPECT_EQ(fit["header"]["tag"], ".FIT");
            EXPECT_EQ(fit["header"]["dataSize"].get<int>(), fit["size"].get<int>() - 16);

            ASSERT_EQ(fit["fileId"].size(), 1U);
            const auto& file_id = fit["fileId"][0];
            EXPECT_EQ(file_id["type"], 5);
            EXPECT_EQ(file_id["manufacturer"], 255);
            EXPECT_EQ(file_id["product"], 0);
            const auto serial = file_id["serialNumber"].get<std::uint32_t>();
            EXPECT_NE(serial, 0U);
            EXPECT_TRUE(serials.insert(serial).second) << "serial number reused";
            // time_created: the session's date at 00:00 UTC in FIT seconds (since 1989-12-31).
            EXPECT_EQ(file_id["timeCreated"].get<std::int64_t>(),
                      days_from_civil(session.date) * 86400 - 631065600);

            ASSERT_EQ(fit["workout"].size(), 1U);
            const auto& workout = fit["workout"][0];
            EXPECT_EQ(workout["sport"], 10);
            EXPECT_EQ(workout["subSport"], 20);
            EXPECT_EQ(workout["wktName"], names[i].watch);
            EXPECT_LE(names[i].watch.size(), 15U) << "wkt_name is 16 bytes with the NUL";
            EXPECT_TRUE(watch_names.insert(names[i].watch).second) << names[i].watch;

            const auto want = expected_steps(session);
            const auto& steps = fit["steps"];
            ASSERT_EQ(steps.size(), want.size());
            EXPECT_EQ(workout["numValidSteps"], want.size());
            EXPECT_LE(want.size(), fit_max_workout_steps);
            std::map<std::pair<int, int>, std::string> pair_owner; // pair -> exercise
            std::map<std::pair<int, int>, std::string> displayed;  // pair -> our title or ""
            for (std::size_t s = 0; s < want.size(); ++s) {
                SCOPED_TRACE("step " + std::to_string(s));
                const auto& got = steps[s];
                const auto& w = want[s];
                EXPECT_EQ(got["messageIndex"], s);
                EXPECT_EQ(got["durationType"], w.duration_type);
                EXPECT_EQ(got["targetType"], 2);
                if (w.duration_value >= 0) {
                    EXPECT_EQ(got["durationValue"], w.duration_value);
                }
                if (w.intensity >= 0) {
                    EXPECT_EQ(got["intensity"], w.intensity);
                } else {
                    EXPECT_FALSE(got.contains("intensity"));
                }
                if (w.target_value >= 0) {
                    EXPECT_EQ(got["targetValue"], w.target_value);
                }
                if (w.exercise == nullptr) {
                    EXPECT_FALSE(got.contains("exerciseCategory"));
                    continue;
                }
                const auto& ex = *w.exercise;
                const auto& shown = ex.fit_title.empty() ? ex.name : ex.fit_title;
                EXPECT_EQ(got["wktStepName"], detail::short_label(shown, 31));
                if (ex.fit_category) {
                    EXPECT_EQ(got["exerciseCategory"], *ex.fit_category);
                } else {
                    EXPECT_FALSE(got.contains("exerciseCategory"));
                }
                if (ex.fit_category && ex.fit_name) {
                    ASSERT_TRUE(got.contains("exerciseName"));
                    const std::pair pair{got["exerciseCategory"].get<int>(),
                                         got["exerciseName"].get<int>()};
                    // Garmin's SDK knows the pair: its profile names it.
                    EXPECT_TRUE(fit["names"][s].is_string())
                        << "pair " << pair.first << "/" << pair.second << " not in the profile";
                    const std::string identity = ex.exercise_id + '\n' + ex.name;
                    const auto [owner, fresh] = pair_owner.emplace(pair, identity);
                    EXPECT_TRUE(fresh || owner->second == identity)
                        << ex.name << " shares pair " << pair.first << "/" << pair.second
                        << " with another exercise of the workout";
                    if (ex.fit_title.empty()) {
                        // Garmin's own exercise: its pair, shown under Garmin's name.
                        EXPECT_EQ(got["exerciseName"], *ex.fit_name);
                        displayed.emplace(pair, "");
                    } else {
                        displayed.emplace(pair, detail::short_label(ex.fit_title, 31));
                    }
                } else {
                    EXPECT_FALSE(got.contains("exerciseName"));
                }
                if (ex.load_kg) {
                    EXPECT_DOUBLE_EQ(got["exerciseWeight"].get<double>(), *ex.load_kg);
                    EXPECT_EQ(got["weightDisplayUnit"], 1);
                } else {
                    EXPECT_FALSE(got.contains("exerciseWeight"));
                }
                const auto notes = got["notes"].get<std::string>();
                EXPECT_TRUE(notes.starts_with(detail::set_dose(ex))) << notes;
                if (!ex.cue.empty()) {
                    EXPECT_NE(notes.find(detail::truncate_utf8(ex.cue, 40)), std::string::npos)
                        << notes;
                }
                if (shown.size() > 31) { // a shortened name is given in full in the notes
                    EXPECT_NE(notes.find(ex.name), std::string::npos) << notes;
                }
            }
            std::map<std::pair<int, int>, std::string> got_titles;
            for (std::size_t t = 0; t < fit["titles"].size(); ++t) {
                const auto& title = fit["titles"][t];
                EXPECT_EQ(title["messageIndex"], t);
                got_titles.emplace(std::pair{title["exerciseCategory"].get<int>(),
                                             title["exerciseName"].get<int>()},
                                   title["wktStepName"].get<std::string>());
            }
            // Every pair carrying an exercise of ours (not Garmin's) has our
            // title, and no pair of Garmin's own exercises has one: what the
            // watch shows is our exercise or Garmin's name for it.
            std::map<std::pair<int, int>, std::string> want_titles;
            for (const auto& [pair, title] : displayed) {
                if (!title.empty()) {
                    want_titles.emplace(pair, title);
                }
            }
            EXPECT_EQ(got_titles, want_titles);
        }
    }
}

TEST(GarminFitInterop, EveryWorkoutDecodesWithGarminsSdkAndEqualsThePlan) {
    const auto& plans = sample_plans();
    TempDir dir;
    // One SDK run over every plan's files keeps the test fast.
    std::vector<std::string> all;
    for (std::size_t p = 0; p < plans.size(); ++p) {
        const auto folder = dir.path / plan_folder(p);
        write_many(writer_named("garmin-fit"), plans[p], folder);
        const auto files = files_under(folder / "garmin-fit", ".fit");
        all.insert(all.end(), files.begin(), files.end());
    }
    const auto decoded = run_json_files({US_NODE, interop("decode_fit.mjs")}, all);
    ASSERT_EQ(decoded.size(), all.size());
    const auto files = by_file(decoded);
    std::size_t sessions = 0;
    for (std::size_t p = 0; p < plans.size(); ++p) {
        check_fit_plan(plans[p], dir.path / plan_folder(p) / "garmin-fit", files);
        sessions += plans[p].sessions.size();
    }
#ifdef US_HAVE_PLANNER
    EXPECT_GT(plans.size(), static_cast<std::size_t>(generated_plan_count));
    EXPECT_GT(sessions, 1000U) << "the generated plans should give many workouts";
#endif
}

TEST(GarminFitInterop, PoundsAreADisplayUnitOnly) {
    TempDir dir;
    WriteOptions options;
    options.weight_unit = WeightUnit::pound;
    write_with(writer_named("garmin-fit"), test::runner_plan(), dir.path, options);
    const auto decoded =
        run_json({US_NODE, interop("decode_fit.mjs"),
                  (dir.path / "garmin-fit/2026-12-01_heavy-corrective.fit").string()});
    ASSERT_EQ(decoded.size(), 1U);
    const auto& king = decoded[0]["steps"][0];
    EXPECT_DOUBLE_EQ(king["exerciseWeight"].get<double>(), 12.0); // always kg on the wire
    EXPECT_EQ(king["weightDisplayUnit"], 2);
}

TEST(GarminFitInterop, OversizedSessionIsCutToFiftyValidSteps) {
    TempDir dir;
    write_with(writer_named("garmin-fit"), test::oversized_plan(), dir.path);
    const auto decoded = run_json({US_NODE, interop("decode_fit.mjs"),
                                   (dir.path / "garmin-fit/2026-12-01_corrective.fit").string()});
    ASSERT_EQ(decoded.size(), 1U);
    const auto& fit = decoded[0];
    EXPECT_TRUE(fit["integrity"].get<bool>());
    EXPECT_EQ(fit["errors"], Json::array());
    const auto& steps = fit["steps"];
    EXPECT_LE(steps.size(), fit_max_workout_steps);
    EXPECT_GE(steps.size(), fit_max_workout_steps - 4);
    EXPECT_EQ(fit["workout"][0]["numValidSteps"], steps.size());
    for (std::size_t s = 0; s < steps.size(); ++s) {
        if (steps[s]["durationType"] == 6) {
            EXPECT_LT(steps[s]["durationValue"].get<std::size_t>(), s);
            EXPECT_GE(steps[s]["targetValue"].get<int>(), 2);
        }
    }
    EXPECT_EQ(steps.back()["durationType"], 6); // the last kept block still repeats
    EXPECT_NE(fit["workout"][0]["wktDescription"].get<std::string>().find("left out"),
              std::string::npos);
}

// ---- JSON: Ajv against schemas/ ---------------------------------------------

Json validate(const std::string& schema, const std::vector<std::string>& files) {
    return run_json_files(
        {US_NODE, interop("validate_json.mjs"), std::string(US_SOURCE_DIR) + "/schemas/" + schema},
        files);
}

/// (category key, Connect exercise key) pairs of the FIT profile table
/// (src/fit/exercise_names.csv, from Garmin's SDK); `categories` gets every
/// category key.
std::set<std::pair<std::string, std::string>>
connect_exercise_keys(std::set<std::string>& categories) {
    std::set<std::pair<std::string, std::string>> out;
    for (const auto& [pair, row] : test::fit_exercise_table()) {
        categories.insert(row.category_key);
        out.emplace(row.category_key, row.connect_key);
    }
    return out;
}

void collect_steps(const Json& steps, std::vector<const Json*>& out) {
    for (const auto& step : steps) {
        out.push_back(&step);
        if (step.contains("workoutSteps")) {
            collect_steps(step["workoutSteps"], out);
        }
    }
}

/// The Connect workouts of `plan` in `folder` (schema-validated by the caller)
/// against the plan: schedule, step order, exercise keys, repeat groups.
void check_connect_plan(const Plan& plan, const fs::path& folder,
                        const std::set<std::pair<std::string, std::string>>& keys,
                        const std::set<std::string>& categories) {
    SCOPED_TRACE(plan.athlete_id);
    {
        const auto schedule = Json::parse(read_file(folder / "schedule.json"));
        ASSERT_EQ(schedule["workouts"].size(), plan.sessions.size());
        const auto stems = detail::session_file_stems(plan);
        const auto names = detail::workout_names(plan);
        std::set<std::string> workout_names;
        for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
            const auto& session = plan.sessions[i];
            EXPECT_EQ(schedule["workouts"][i]["date"], format_date(session.date));
            EXPECT_EQ(schedule["workouts"][i]["file"], stems[i] + ".json");
            EXPECT_EQ(schedule["workouts"][i]["workoutName"], names[i].full);
            const auto workout = Json::parse(read_file(folder / (stems[i] + ".json")));
            EXPECT_EQ(workout["workoutName"], names[i].full);
            EXPECT_TRUE(workout_names.insert(names[i].full).second) << names[i].full;
            const auto description = workout["description"].get<std::string>();
            EXPECT_LE(description.size(), 1024U);
            const auto full_text = detail::prescription_text(plan, session, WeightUnit::kilogram);
            if (description != full_text) {
                // Cut at a word or line end, never inside a word.
                ASSERT_TRUE(description.ends_with("\u2026")) << description;
                const auto kept = description.size() - 3;
                EXPECT_EQ(full_text.substr(0, kept), description.substr(0, kept));
                EXPECT_TRUE(full_text[kept] == ' ' || full_text[kept] == '\n')
                    << "cut inside a word: " << description.substr(kept > 20 ? kept - 20 : 0);
            }
            std::vector<const PlanStep*> plan_steps;
            for (const auto& block : session.blocks) {
                for (const auto& step : block.steps) {
                    plan_steps.push_back(&step);
                }
            }
            std::vector<const Json*> steps;
            collect_steps(workout["workoutSegments"][0]["workoutSteps"], steps);
            // stepOrder 1..n depth-first.
            for (std::size_t s = 0; s < steps.size(); ++s) {
                EXPECT_EQ((*steps[s])["stepOrder"], s + 1);
            }
            std::size_t exercises = 0;
            std::size_t groups = 0;
            for (const auto* step : steps) {
                if ((*step)["type"] == "RepeatGroupDTO") {
                    ++groups;
                    continue;
                }
                if ((*step)["stepType"]["stepTypeKey"] != "interval") {
                    continue;
                }
                ASSERT_LT(exercises, plan_steps.size());
                const PlanStep& ex = *plan_steps[exercises++];
                // Weights in kilograms with Connect's kilogram unit, as a
                // workout read back from Connect holds them (tests/data/connect).
                if (ex.load_kg && *ex.load_kg > 0) {
                    EXPECT_DOUBLE_EQ((*step)["weightValue"].get<double>(),
                                     std::round(*ex.load_kg * 100.0) / 100.0);
                    EXPECT_EQ((*step)["weightUnit"]["unitKey"], "kilogram");
                } else {
                    EXPECT_FALSE(step->contains("weightValue"));
                }
                if (!step->contains("category")) {
                    EXPECT_TRUE(ex.connect_category.empty());
                    continue;
                }
                const auto category = (*step)["category"].get<std::string>();
                EXPECT_EQ(category, ex.connect_category);
                ASSERT_TRUE(step->contains("exerciseName"));
                const auto name = (*step)["exerciseName"].get<std::string>();
                if (ex.fit_title.empty()) {
                    // Garmin's exercise, by its key in Garmin's list.
                    EXPECT_EQ(name, ex.connect_name);
                    EXPECT_TRUE(categories.count(category)) << category;
                    EXPECT_TRUE(keys.count({category, name})) << category << "/" << name;
                } else {
                    EXPECT_EQ(name, "") << ex.name << ": category only, never another's key";
                }
            }
            std::size_t plan_exercises = 0;
            std::size_t plan_groups = 0;
            for (const auto& block : session.blocks) {
                plan_exercises += block.steps.size();
                plan_groups += block.sets > 1 ? 1 : 0;
            }
            EXPECT_EQ(exercises, plan_exercises);
            EXPECT_EQ(groups, plan_groups);
        }
    }
}

TEST(GarminConnectInterop, WorkoutsValidateAndUseConnectsExerciseKeys) {
    std::set<std::string> categories;
    const auto keys = connect_exercise_keys(categories);
    ASSERT_GT(keys.size(), 1400U) << "src/fit/exercise_names.csv not read";
    const auto& plans = sample_plans();
    TempDir dir;
    std::vector<std::string> all;
    for (std::size_t p = 0; p < plans.size(); ++p) {
        const auto folder = dir.path / plan_folder(p) / "garmin-connect";
        write_many(writer_named("garmin-connect"), plans[p], folder.parent_path());
        auto files = files_under(folder, ".json");
        std::erase(files, (folder / "schedule.json").string());
        ASSERT_EQ(files.size(), plans[p].sessions.size()) << plans[p].athlete_id;
        all.insert(all.end(), files.begin(), files.end());
    }
    const auto results = validate("garmin-connect-workout.schema.json", all);
    ASSERT_EQ(results.size(), all.size());
    for (const auto& result : results) {
        EXPECT_TRUE(result["valid"].get<bool>()) << result.dump(2);
    }
    for (std::size_t p = 0; p < plans.size(); ++p) {
        check_connect_plan(plans[p], dir.path / plan_folder(p) / "garmin-connect", keys,
                           categories);
    }
}

/// Every object of a Connect workout by kind: "workout", "segment", and each
/// step's "type" (ExecutableStepDTO, RepeatGroupDTO).
void objects_by_kind(const Json& workout, std::map<std::string, std::vector<const Json*>>& out) {
    out["workout"].push_back(&workout);
    for (const auto& segment : workout["workoutSegments"]) {
        out["segment"].push_back(&segment);
        std::vector<const Json*> steps;
        collect_steps(segment["workoutSteps"], steps);
        for (const auto* step : steps) {
            out[(*step)["type"].get<std::string>()].push_back(step);
        }
    }
}

// Our Connect workouts against a strength workout built in Connect and read
// back (tests/data/connect, re-created from ColinPlatt/workout-relay's
// read-back): every key we write is one Connect returns for that kind of
// object, with the same JSON type; every id/key object (sport, step type, end
// condition, target, weight unit) equals Connect's; weights are kilograms as
// Connect stores them (6.0 for 6 kg); a step without a Garmin exercise is the
// category with an empty name, as Connect writes it.
TEST(GarminConnectInterop, MatchesAConnectReadBack) {
    const auto readback = Json::parse(
        read_file(fs::path(US_SOURCE_DIR) / "tests/data/connect/strength_workout_readback.json"));
    std::map<std::string, std::vector<const Json*>> theirs;
    objects_by_kind(readback, theirs);
    ASSERT_FALSE(theirs["ExecutableStepDTO"].empty());
    ASSERT_FALSE(theirs["RepeatGroupDTO"].empty());
    // The read-back's own weights: kilograms, not grams.
    bool six_kg = false;
    for (const auto* step : theirs["ExecutableStepDTO"]) {
        if ((*step)["exerciseName"] == "KETTLEBELL_SWING") {
            six_kg =
                (*step)["weightValue"] == 6.0 && (*step)["weightUnit"]["unitKey"] == "kilogram";
        }
    }
    ASSERT_TRUE(six_kg);

    const Plan plan = test::runner_plan();
    MemorySink sink;
    writer_named("garmin-connect").write(plan, {}, sink);
    const auto stems = detail::session_file_stems(plan);
    std::size_t loads = 0;
    std::size_t category_only = 0;
    for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
        const auto ours = Json::parse(sink.files().at("garmin-connect/" + stems[i] + ".json"));
        std::map<std::string, std::vector<const Json*>> mine;
        objects_by_kind(ours, mine);
        for (const auto& [kind, objects] : mine) {
            ASSERT_TRUE(theirs.count(kind)) << kind;
            for (const auto* object : objects) {
                for (const auto& [key, value] : object->items()) {
                    SCOPED_TRACE(kind + "." + key);
                    bool known = false;
                    bool same_type = false;
                    bool same_object = !value.is_object();
                    for (const auto* other : theirs[kind]) {
                        if (!other->contains(key)) {
                            continue;
                        }
                        known = true;
                        const auto& their = (*other)[key];
                        same_type = same_type || their.is_null() ||
                                    (their.is_number() && value.is_number()) ||
                                    their.type() == value.type();
                        same_object = same_object || their == value;
                    }
                    EXPECT_TRUE(known) << "Connect returns no such key";
                    EXPECT_TRUE(same_type) << value.dump();
                    EXPECT_TRUE(same_object) << "not as Connect returns it: " << value.dump();
                }
            }
        }
        std::vector<const PlanStep*> plan_steps;
        for (const auto& block : plan.sessions[i].blocks) {
            for (const auto& step : block.steps) {
                plan_steps.push_back(&step);
            }
        }
        std::size_t e = 0;
        for (const auto* step : mine["ExecutableStepDTO"]) {
            if ((*step)["stepType"]["stepTypeKey"] != "interval") {
                continue;
            }
            const PlanStep& ex = *plan_steps.at(e++);
            if (ex.load_kg) {
                EXPECT_DOUBLE_EQ((*step)["weightValue"].get<double>(), *ex.load_kg) << ex.name;
                ++loads;
            }
            if (!ex.fit_title.empty()) {
                EXPECT_EQ((*step)["exerciseName"], "") << ex.name;
                ++category_only;
            }
        }
    }
    EXPECT_GT(loads, 0U);
    EXPECT_GT(category_only, 0U);
}

TEST(GarminConnectInterop, SchemaRejectsAWorkoutWithoutSport) {
    TempDir dir;
    write_with(writer_named("garmin-connect"), test::band_only_plan(), dir.path);
    auto workout = Json::parse(read_file(dir.path / "garmin-connect/2026-12-08_corrective.json"));
    workout.erase("sportType");
    workout["workoutSegments"][0]["workoutSteps"][0]["numberOfIterations"] = 1;
    std::ofstream(dir.path / "broken.json") << workout.dump();
    const auto result =
        validate("garmin-connect-workout.schema.json", {(dir.path / "broken.json").string()});
    ASSERT_EQ(result.size(), 1U);
    EXPECT_FALSE(result[0]["valid"].get<bool>());
    EXPECT_NE(result[0]["errors"].dump().find("must have required property 'sportType'"),
              std::string::npos)
        << result.dump(2);
}

TEST(TrainingPeaksInterop, PlannedWorkoutsValidateAndCarryThePrescription) {
    const auto& plans = sample_plans();
    TempDir all_dir;
    WriteOptions options;
    options.trainingpeaks_athlete_id = 1234567;
    std::vector<std::string> all;
    for (std::size_t p = 0; p < plans.size(); ++p) {
        const auto folder = all_dir.path / plan_folder(p);
        write_many(writer_named("trainingpeaks"), plans[p], folder, options);
        const auto files = files_under(folder / "trainingpeaks", ".json");
        ASSERT_EQ(files.size(), plans[p].sessions.size()) << plans[p].athlete_id;
        all.insert(all.end(), files.begin(), files.end());
    }
    const auto results = validate("trainingpeaks-workout.schema.json", all);
    ASSERT_EQ(results.size(), all.size());
    for (const auto& result : results) {
        EXPECT_TRUE(result["valid"].get<bool>()) << result.dump(2);
    }
    for (std::size_t p = 0; p < plans.size(); ++p) {
        const auto& plan = plans[p];
        const auto& dir = all_dir.path / plan_folder(p);
        SCOPED_TRACE(plan.athlete_id);
        const auto stems = detail::session_file_stems(plan);
        const auto names = detail::workout_names(plan);
        std::set<std::string> titles;
        for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
            const auto& session = plan.sessions[i];
            const auto body = Json::parse(read_file(dir / "trainingpeaks" / (stems[i] + ".json")));
            EXPECT_EQ(body["AthleteId"], 1234567);
            EXPECT_EQ(body["WorkoutDay"], format_date(session.date));
            EXPECT_EQ(body["WorkoutType"], "strength");
            EXPECT_EQ(body["Title"], names[i].full);
            EXPECT_TRUE(titles.insert(body["Title"].get<std::string>()).second) << body["Title"];
            EXPECT_NEAR(body["TotalTimePlanned"].get<double>(), session.estimated_minutes / 60.0,
                        0.005);
            EXPECT_NEAR(body["TSSPlanned"].get<double>(), session.estimated_load, 0.05);
            const auto text = read_file(dir / "trainingpeaks" / (stems[i] + ".txt"));
            EXPECT_EQ(body["Description"], text);
            for (const auto& block : session.blocks) {
                for (const auto& step : block.steps) {
                    EXPECT_NE(text.find(step.name), std::string::npos) << step.name;
                }
            }
        }
    }
    TempDir dir;
    write_with(writer_named("trainingpeaks"), test::band_only_plan(), dir.path, options);
    auto body = Json::parse(read_file(dir.path / "trainingpeaks/2026-12-08_corrective.json"));
    body.erase("AthleteId");
    body["WorkoutType"] = "lifting";
    body["WorkoutDay"] = "08/12/2026";
    std::ofstream(dir.path / "broken.json") << body.dump();
    const auto result =
        validate("trainingpeaks-workout.schema.json", {(dir.path / "broken.json").string()});
    EXPECT_FALSE(result[0]["valid"].get<bool>());
    EXPECT_NE(result[0]["errors"].dump().find("/WorkoutDay must match format \\\"date\\\""),
              std::string::npos)
        << result.dump(2);
    EXPECT_NE(
        result[0]["errors"].dump().find("/WorkoutType must be equal to one of the allowed values"),
        std::string::npos)
        << result.dump(2);
    EXPECT_NE(result[0]["errors"].dump().find("must have required property 'AthleteId'"),
              std::string::npos)
        << result.dump(2);
}

// Without the athlete's TrainingPeaks id the Partner API refuses every
// workout: no JSON is written, the readable text is, and one note says what
// is missing.
TEST(TrainingPeaksInterop, WithoutAnAthleteIdOnlyTheTextIsWrittenAndOneNoteSaysWhy) {
    const Plan plan = test::runner_plan();
    MemorySink sink;
    writer_named("trainingpeaks").write(plan, {}, sink);
    std::size_t texts = 0;
    for (const auto& [name, bytes] : sink.files()) {
        EXPECT_FALSE(name.ends_with(".json")) << name;
        texts += name.ends_with(".txt") ? 1 : 0;
    }
    EXPECT_EQ(texts, plan.sessions.size());
    ASSERT_EQ(sink.notes().size(), 1U);
    EXPECT_EQ(sink.notes()[0].level, OutputSink::NoteLevel::action);
    EXPECT_NE(sink.notes()[0].message.find("--trainingpeaks-athlete-id"), std::string::npos);
    EXPECT_NE(sink.notes()[0].message.find("trainingpeaks_athlete_id column"), std::string::npos);
}

// The Partner API plans days from 7 days back to a year ahead of the request:
// sessions outside are reported and kept out of the JSON.
TEST(TrainingPeaksInterop, SessionsOutsideTheApisDateWindowAreReportedNotWritten) {
    const Plan plan = test::runner_plan();
    ASSERT_GE(plan.sessions.size(), 2U);
    WriteOptions options;
    options.trainingpeaks_athlete_id = 42;
    // "Today" 9 days after the first session: it is more than 7 days past.
    options.today = civil_from_days(days_from_civil(plan.sessions[0].date) + 9);
    MemorySink sink;
    writer_named("trainingpeaks").write(plan, options, sink);
    const auto stems = detail::session_file_stems(plan);
    std::size_t outside = 0;
    for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
        const auto day = days_from_civil(plan.sessions[i].date);
        const bool in_window = day >= days_from_civil(*options.today) - 7;
        EXPECT_EQ(sink.files().count("trainingpeaks/" + stems[i] + ".json"), in_window ? 1U : 0U)
            << stems[i];
        EXPECT_EQ(sink.files().count("trainingpeaks/" + stems[i] + ".txt"), 1U);
        outside += in_window ? 0 : 1;
    }
    ASSERT_GE(outside, 1U);
    ASSERT_EQ(sink.notes().size(), 1U);
    EXPECT_NE(sink.notes()[0].message.find(std::to_string(outside) + " session(s) outside"),
              std::string::npos)
        << sink.notes()[0].message;
    EXPECT_NE(sink.notes()[0].message.find(format_date(plan.sessions[0].date)), std::string::npos);
}

// ---- ICS: python3-icalendar -------------------------------------------------

TEST(IcsInterop, CalendarParsesStrictlyAndEqualsThePlan) {
    const auto& plans = sample_plans();
    TempDir dir;
    std::vector<std::string> files;
    for (std::size_t p = 0; p < plans.size(); ++p) {
        const auto folder = dir.path / plan_folder(p);
        write_many(writer_named("ics"), plans[p], folder);
        files.push_back((folder / "ics" / (detail::athlete_stem(plans[p]) + ".ics")).string());
    }
    const auto calendars =
        run_json_files({US_PYTHON3, interop("check_text_outputs.py"), "ics"}, files);
    ASSERT_EQ(calendars.size(), plans.size());
    for (std::size_t p = 0; p < plans.size(); ++p) {
        const auto& plan = plans[p];
        const auto& cal = calendars[p];
        SCOPED_TRACE(plan.athlete_id);
        EXPECT_EQ(cal["errors"], Json::array());
        EXPECT_LE(cal["longest_line"].get<int>(), 75);
        EXPECT_EQ(cal["version"], "2.0");
        // METHOD:PUBLISH would need an ORGANIZER (RFC 5546 §3.2.1): none.
        EXPECT_TRUE(cal["method"].is_null());
        ASSERT_EQ(cal["events"].size(), plan.sessions.size());
        std::set<std::string> uids;
        for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
            const auto& session = plan.sessions[i];
            const auto& event = cal["events"][i];
            EXPECT_TRUE(uids.insert(event["uid"].get<std::string>()).second);
            EXPECT_TRUE(event["uid"].get<std::string>().ends_with("@ultrastrength.invalid"));
            EXPECT_EQ(event["dtstart"], format_date(session.date));
            EXPECT_EQ(event["dtend"],
                      format_date(civil_from_days(days_from_civil(session.date) + 1)));
            // First written: SEQUENCE 0, stamped the day before the plan starts
            // (no "today" given).
            const auto stamp =
                format_date(civil_from_days(days_from_civil(plan.start) - 1)) + "T00:00:00+00:00";
            EXPECT_EQ(event["dtstamp"], stamp);
            EXPECT_EQ(event["last_modified"], stamp);
            EXPECT_EQ(event["sequence"], 0);
            EXPECT_EQ(event["summary"], session.title);
            EXPECT_EQ(event["description"],
                      detail::prescription_text(plan, session, WeightUnit::kilogram));
            EXPECT_EQ(event["categories"],
                      Json::array({"Strength", std::string(to_string(session.phase))}));
        }
    }
}

/// Writes the calendar of `plan` with the previous run's state, as the plan
/// command does, and returns the bytes and the state to keep.
std::pair<std::string, CalendarState>
write_calendar(const Plan& plan, const std::optional<CalendarState>& previous, CivilDate today) {
    WriteOptions options;
    options.today = today;
    options.calendar_state = previous;
    MemorySink sink;
    writer_named("ics").write(plan, options, sink);
    return {sink.files().at("ics/" + detail::athlete_stem(plan) + ".ics"),
            ics_calendar_state(plan, options)};
}

/// The lines of a calendar with folding undone, split into its events.
std::vector<std::string> calendar_events(const std::string& ics) {
    std::string unfolded;
    for (std::size_t i = 0; i < ics.size(); ++i) {
        if (ics.compare(i, 3, "\r\n ") == 0) {
            i += 2;
            continue;
        }
        unfolded += ics[i];
    }
    std::vector<std::string> events;
    std::size_t at = 0;
    while ((at = unfolded.find("BEGIN:VEVENT", at)) != std::string::npos) {
        const auto end = unfolded.find("END:VEVENT", at);
        events.push_back(unfolded.substr(at, end - at));
        at = end;
    }
    return events;
}

TEST(IcsInterop, RerunWithOneChangedSessionRaisesOnlyItsSequence) {
    auto plan = test::runner_plan();
    const CivilDate day1{2026, 11, 20};
    const auto [first, state1] = write_calendar(plan, std::nullopt, day1);

    // Nothing changed, a later day: byte for byte the same file.
    const auto [same, state2] = write_calendar(plan, state1, CivilDate{2026, 11, 27});
    EXPECT_EQ(same, first);

    // One session changed: its event gets SEQUENCE 1 and the new day's stamp;
    // every other event, and the calendar around them, stays byte for byte.
    plan.sessions[1].blocks.pop_back();
    const CivilDate day3{2026, 11, 28};
    const auto [changed, state3] = write_calendar(plan, state2, day3);
    ASSERT_NE(changed, first);
    const auto before = calendar_events(first);
    const auto after = calendar_events(changed);
    ASSERT_EQ(before.size(), after.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
        if (i == 1) {
            EXPECT_NE(after[i].find("SEQUENCE:1\r\n"), std::string::npos) << after[i];
            EXPECT_NE(after[i].find("DTSTAMP:20261128T000000Z\r\n"), std::string::npos);
            EXPECT_NE(after[i].find("LAST-MODIFIED:20261128T000000Z\r\n"), std::string::npos);
        } else {
            EXPECT_EQ(after[i], before[i]) << "event " << i;
        }
    }
    EXPECT_EQ(first.substr(0, first.find("BEGIN:VEVENT")),
              changed.substr(0, changed.find("BEGIN:VEVENT")));

    // A second change the same day still moves the stamp forward.
    plan.sessions[1].title += " (moved)";
    const auto [again, state4] = write_calendar(plan, state3, day3);
    const auto again_events = calendar_events(again);
    EXPECT_NE(again_events[1].find("SEQUENCE:2\r\n"), std::string::npos) << again_events[1];
    EXPECT_NE(again_events[1].find("DTSTAMP:20261128T000001Z\r\n"), std::string::npos);
    EXPECT_EQ(state4.size(), plan.sessions.size());

    // The state survives its JSON form.
    const auto text = calendar_state_to_json(state4);
    const auto back = calendar_state_from_json(text);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(calendar_state_to_json(*back), text);
    EXPECT_FALSE(calendar_state_from_json("[1, 2]").has_value());
}

// A calendar that imports the first file and then the rerun's keeps one event
// per session, and takes the changed session's new content (the old event
// is replaced, not duplicated), by python3-icalendar's reading of the files.
TEST(IcsInterop, ReimportReplacesTheChangedSessionOnly) {
    auto plan = test::runner_plan();
    const auto [first, state1] = write_calendar(plan, std::nullopt, CivilDate{2026, 11, 20});
    plan.sessions[0].title = "W01 Strength A (moved load)";
    plan.sessions[0].blocks.pop_back();
    const auto [second, state2] = write_calendar(plan, state1, CivilDate{2026, 11, 21});
    TempDir dir;
    std::ofstream(dir.path / "first.ics", std::ios::binary) << first;
    std::ofstream(dir.path / "second.ics", std::ios::binary) << second;
    const auto store =
        run_json({US_PYTHON3, interop("check_text_outputs.py"), "reimport",
                  (dir.path / "first.ics").string(), (dir.path / "second.ics").string()});
    ASSERT_EQ(store.size(), plan.sessions.size()); // no duplicates
    std::size_t replaced = 0;
    for (const auto& [uid, event] : store.items()) {
        replaced += event["replaced"].get<int>();
        if (event["summary"] == "W01 Strength A (moved load)") {
            EXPECT_EQ(event["sequence"], 1);
            EXPECT_EQ(event["replaced"], 1);
            EXPECT_EQ(event["description"],
                      detail::prescription_text(plan, plan.sessions[0], WeightUnit::kilogram));
        } else {
            EXPECT_EQ(event["sequence"], 0);
        }
    }
    EXPECT_EQ(replaced, 1U);
    // Without SEQUENCE and DTSTAMP moving on, the same import would keep the
    // old event: the second file's stamps are what make the update apply.
    const auto [stale, unused] = write_calendar(plan, std::nullopt, CivilDate{2026, 11, 20});
    std::ofstream(dir.path / "stale.ics", std::ios::binary) << stale;
    const auto kept =
        run_json({US_PYTHON3, interop("check_text_outputs.py"), "reimport",
                  (dir.path / "first.ics").string(), (dir.path / "stale.ics").string()});
    for (const auto& [uid, event] : kept.items()) {
        EXPECT_NE(event["summary"], "W01 Strength A (moved load)");
    }
}

#ifdef US_HAVE_PLAN_PIPELINE
// The plan command keeps the calendar's state in the output folder: a rerun
// writes the calendar from it (byte for byte the same when nothing changed),
// whatever else the run recomputes.
TEST(IcsInterop, PlanCommandKeepsTheCalendarStateInTheOutputFolder) {
    TempDir dir;
    pipeline::PlanRequest request = sample_athlete_request();
    request.formats = {"ics"};
    request.out_dir = dir.path;
    request.skip_when_up_to_date = false; // write every time
    const auto first = pipeline::plan_athlete(request);
    ASSERT_TRUE(first.error.empty()) << first.error;
    const auto ics = dir.path / "ics/athlete.ics";
    const std::string bytes = read_file(ics);
    auto state = Json::parse(read_file(dir.path / ".ultrastrength-state"));
    ASSERT_TRUE(state.contains("calendar")) << state.dump(1);
    ASSERT_EQ(state["calendar"].size(), first.plan.sessions.size());

    const auto second = pipeline::plan_athlete(request);
    ASSERT_TRUE(second.error.empty()) << second.error;
    EXPECT_EQ(read_file(ics), bytes);

    // A state that says an event changed three times, last in 2026-01-02:
    // the unchanged event keeps that SEQUENCE and stamp.
    auto& entry = state["calendar"].begin().value();
    entry["sequence"] = 3;
    entry["changed"] = "2026-01-02T03:04:05Z";
    std::ofstream(dir.path / ".ultrastrength-state", std::ios::binary) << state.dump(1);
    const auto third = pipeline::plan_athlete(request);
    ASSERT_TRUE(third.error.empty()) << third.error;
    const auto text = read_file(ics);
    const std::string uid = state["calendar"].begin().key();
    const auto event = text.find("UID:" + uid);
    ASSERT_NE(event, std::string::npos);
    const std::string want =
        "DTSTAMP:20260102T030405Z\r\nLAST-MODIFIED:20260102T030405Z\r\nSEQUENCE:3\r\n";
    EXPECT_EQ(text.substr(event + 4 + uid.size() + 2, want.size()), want)
        << text.substr(event, 200);
}
#endif

#ifdef US_HAVE_PLAN_PIPELINE
// The issue's acceptance plans (both are also among sample_plans(), so every
// check above runs over them): a year of body-weight sessions and a gym plan
// with 1RMs. Names are distinct in each; the gym plan carries loads; a rerun
// of the year's calendar with one changed session raises only its SEQUENCE.
TEST(AcceptancePlans, YearOfBodyWeightAndGymWithOneRepMax) {
    const Plan& year = planned(year_body_weight_request());
    const Plan& gym = planned(gym_one_rep_max_request());
    EXPECT_GE(year.sessions.size(), 90U);
    EXPECT_GE(gym.sessions.size(), 18U);
    for (const Plan* plan : {&year, &gym}) {
        std::set<std::string> full;
        std::set<std::string> watch;
        std::set<std::string> titles;
        for (const auto& name : detail::workout_names(*plan)) {
            EXPECT_TRUE(full.insert(name.full).second) << name.full;
            EXPECT_TRUE(watch.insert(name.watch).second) << name.watch;
            EXPECT_LE(name.watch.size(), detail::watch_name_max_bytes);
        }
        for (const auto& session : plan->sessions) {
            titles.insert(session.title);
        }
        // The planner's titles repeat (a handful for a whole year); the names do not.
        EXPECT_LT(titles.size(), plan->sessions.size() / 4);
        EXPECT_EQ(full.size(), plan->sessions.size());
    }
    std::size_t loads = 0;
    for (const auto& session : gym.sessions) {
        for (const auto& block : session.blocks) {
            for (const auto& step : block.steps) {
                loads += step.load_kg ? 1 : 0;
            }
        }
    }
    EXPECT_GT(loads, 0U) << "the gym plan should prescribe loads from the 1RMs";

    Plan changed = year;
    const auto [first, state] = write_calendar(year, std::nullopt, CivilDate{2026, 11, 22});
    const auto [same, state2] = write_calendar(year, state, CivilDate{2026, 11, 29});
    EXPECT_EQ(same, first);
    const std::size_t k = changed.sessions.size() / 2;
    changed.sessions[k].blocks.back().sets += 1;
    const auto [next, state3] = write_calendar(changed, state2, CivilDate{2026, 11, 29});
    const auto before = calendar_events(first);
    const auto after = calendar_events(next);
    ASSERT_EQ(before.size(), after.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
        if (i == k) {
            EXPECT_NE(after[i].find("SEQUENCE:1\r\n"), std::string::npos);
        } else {
            EXPECT_EQ(after[i], before[i]) << "event " << i;
        }
    }
}
#endif

// ---- CSV: Python's csv module -----------------------------------------------

TEST(CsvInterop, ParsesBackWithOneRowPerExercise) {
    const auto& plans = sample_plans();
    TempDir dir;
    std::vector<std::string> files;
    for (std::size_t p = 0; p < plans.size(); ++p) {
        const auto folder = dir.path / plan_folder(p);
        write_many(writer_named("csv"), plans[p], folder);
        files.push_back((folder / "csv" / (detail::athlete_stem(plans[p]) + ".csv")).string());
    }
    const auto all = run_json_files({US_PYTHON3, interop("check_text_outputs.py"), "csv"}, files);
    ASSERT_EQ(all.size(), plans.size());
    for (std::size_t p = 0; p < plans.size(); ++p) {
        const auto& plan = plans[p];
        const auto& parsed = all[p];
        SCOPED_TRACE(plan.athlete_id);
        EXPECT_TRUE(parsed["crlf_only"].get<bool>());
        const auto& rows = parsed["rows"];
        std::size_t exercises = 0;
        for (const auto& session : plan.sessions) {
            for (const auto& block : session.blocks) {
                exercises += block.steps.size();
            }
        }
        ASSERT_EQ(rows.size(), exercises + 1);
        const auto& header = rows[0];
        auto column = [&header](const std::string& name) {
            const auto it = std::find(header.begin(), header.end(), name);
            EXPECT_NE(it, header.end()) << name;
            return static_cast<std::size_t>(it - header.begin());
        };
        std::size_t r = 1;
        for (const auto& session : plan.sessions) {
            for (const auto& block : session.blocks) {
                for (const auto& step : block.steps) {
                    const auto& row = rows[r++];
                    ASSERT_EQ(row.size(), header.size());
                    EXPECT_EQ(row[column("date")], format_date(session.date));
                    EXPECT_EQ(row[column("phase")], to_string(session.phase));
                    EXPECT_EQ(row[column("group")], to_string(block.group));
                    EXPECT_EQ(row[column("exercise")], step.name);
                    EXPECT_EQ(row[column("sets")], std::to_string(block.sets));
                    EXPECT_EQ(row[column("reps")], step.reps ? std::to_string(*step.reps) : "");
                    EXPECT_EQ(row[column("seconds")],
                              step.seconds ? std::to_string(*step.seconds) : "");
                    EXPECT_EQ(row[column("per_side")], step.per_side ? "yes" : "no");
                    EXPECT_EQ(row[column("rest_s")], std::to_string(step.rest_s));
                    EXPECT_EQ(row[column("cue")], step.cue);
                    EXPECT_EQ(row[column("load_kg")],
                              step.load_kg ? detail::format_decimal(*step.load_kg, 2) : "");
                }
            }
        }
    }
}

// ---- The `plan` command's files ---------------------------------------------

#ifdef US_HAVE_PLAN_PIPELINE
// `plan samples/athlete/ --format garmin-fit,garmin-connect,trainingpeaks,ics,csv
// --out DIR`, the README's first command, run as users run it: every file it
// writes passes the same third-party checks, against the plan it wrote.
TEST(PlanCommandInterop, SampleAthletesFilesPassEveryCheck) {
    TempDir dir;
    const std::string command = std::string(US_CLI) + " plan " +
                                quote(std::string(US_SOURCE_DIR) + "/samples/athlete/") +
                                " --format garmin-fit,garmin-connect,trainingpeaks,ics,csv "
                                "--trainingpeaks-athlete-id 1234567 --out " +
                                quote(dir.path.string()) + " --quiet";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    // The same request in-process gives the Plan the files were written from.
    const auto outcome = pipeline::plan_athlete(sample_athlete_request());
    ASSERT_TRUE(outcome.error.empty()) << outcome.error;
    const Plan& plan = outcome.plan;
    ASSERT_GE(plan.sessions.size(), 4U);
    ASSERT_EQ(read_file(dir.path / "plan.json"), outcome.plan_json);
    EXPECT_EQ(read_file(dir.path / "plan.txt"), outcome.plan_text);

    // FIT: Garmin's SDK.
    std::vector<std::string> args = {US_NODE, interop("decode_fit.mjs")};
    const auto fit_files = files_under(dir.path / "garmin-fit", ".fit");
    args.insert(args.end(), fit_files.begin(), fit_files.end());
    const auto decoded = run_json(args);
    check_fit_plan(plan, dir.path / "garmin-fit", by_file(decoded));

    // Garmin Connect and TrainingPeaks: Ajv against schemas/.
    auto connect = files_under(dir.path / "garmin-connect", ".json");
    std::erase(connect, (dir.path / "garmin-connect/schedule.json").string());
    ASSERT_EQ(connect.size(), plan.sessions.size());
    for (const auto& result : validate("garmin-connect-workout.schema.json", connect)) {
        EXPECT_TRUE(result["valid"].get<bool>()) << result.dump(2);
    }
    std::set<std::string> categories;
    const auto keys = connect_exercise_keys(categories);
    check_connect_plan(plan, dir.path / "garmin-connect", keys, categories);
    const auto tp = files_under(dir.path / "trainingpeaks", ".json");
    ASSERT_EQ(tp.size(), plan.sessions.size());
    for (const auto& file : tp) {
        EXPECT_EQ(Json::parse(read_file(file))["AthleteId"], 1234567) << file;
    }
    for (const auto& result : validate("trainingpeaks-workout.schema.json", tp)) {
        EXPECT_TRUE(result["valid"].get<bool>()) << result.dump(2);
    }

    // ICS: python3-icalendar; CSV: Python's csv module.
    const auto cal = run_json({US_PYTHON3, interop("check_text_outputs.py"), "ics",
                               (dir.path / "ics/athlete.ics").string()});
    EXPECT_EQ(cal["errors"], Json::array());
    ASSERT_EQ(cal["events"].size(), plan.sessions.size());
    for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
        EXPECT_EQ(cal["events"][i]["dtstart"], format_date(plan.sessions[i].date));
        EXPECT_EQ(cal["events"][i]["summary"], plan.sessions[i].title);
    }
    const auto csv = run_json({US_PYTHON3, interop("check_text_outputs.py"), "csv",
                               (dir.path / "csv/athlete.csv").string()});
    EXPECT_TRUE(csv["crlf_only"].get<bool>());
    std::size_t exercises = 0;
    for (const auto& session : plan.sessions) {
        for (const auto& block : session.blocks) {
            exercises += block.steps.size();
        }
    }
    EXPECT_EQ(csv["rows"].size(), exercises + 1);
}
#endif

} // namespace
} // namespace ultrastrength
