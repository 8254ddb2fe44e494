// Our output files, checked by tools we did not write: Garmin's FIT SDK
// (decode + integrity), Ajv (JSON Schema), python3-icalendar (RFC 5545) and
// Python's csv module (RFC 4180). The decoded content is compared with the
// plan it was written from.
#include "plugins/garmin_connect/garmin_connect_writer.hpp"
#include "plugins/garmin_fit/garmin_fit_writer.hpp"
#include "plugins/prescription.hpp"
#include "plugins/writer.hpp"
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
                out.push_back({29, *step.reps, 0, -1, &step});
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
            EXPECT_EQ(workout["wktName"], detail::short_label(session.title, 31));

            const auto want = expected_steps(session);
            const auto& steps = fit["steps"];
            ASSERT_EQ(steps.size(), want.size());
            EXPECT_EQ(workout["numValidSteps"], want.size());
            EXPECT_LE(want.size(), fit_max_workout_steps);
            std::map<std::pair<int, int>, std::string> want_titles;
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
                if (ex.fit_name) {
                    EXPECT_EQ(got["exerciseName"], *ex.fit_name);
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
                if (!ex.fit_title.empty() && ex.fit_category && ex.fit_name) {
                    want_titles.emplace(std::pair{*ex.fit_category, *ex.fit_name},
                                        detail::short_label(ex.fit_title, 31));
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

/// (category_key, gc_exercise_key) pairs of fit-exercise-names.csv.
std::set<std::pair<std::string, std::string>>
connect_exercise_keys(std::set<std::string>& categories) {
    std::ifstream in(std::string(US_SPECS_DIR) + "/fit-exercise-names.csv");
    std::set<std::pair<std::string, std::string>> out;
    std::string line;
    std::getline(
        in,
        line); // category_id,category_key,exercise_id,exercise_key,gc_exercise_key,gc_display_name
    while (std::getline(in, line)) {
        std::vector<std::string> cols;
        std::stringstream row(line);
        std::string col;
        for (int i = 0; i < 5 && std::getline(row, col, ','); ++i) {
            cols.push_back(col);
        }
        if (cols.size() == 5) {
            categories.insert(cols[1]);
            if (!cols[4].empty()) {
                out.emplace(cols[1], cols[4]);
            }
        }
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
        for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
            const auto& session = plan.sessions[i];
            EXPECT_EQ(schedule["workouts"][i]["date"], format_date(session.date));
            EXPECT_EQ(schedule["workouts"][i]["file"], stems[i] + ".json");
            const auto workout = Json::parse(read_file(folder / (stems[i] + ".json")));
            EXPECT_EQ(workout["workoutName"], session.title);
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
                ++exercises;
                if (!step->contains("category")) {
                    continue;
                }
                const auto category = (*step)["category"].get<std::string>();
                EXPECT_TRUE(categories.count(category)) << category;
                if (step->contains("exerciseName")) {
                    const auto name = (*step)["exerciseName"].get<std::string>();
                    // Each category also has a generic entry named after itself (§2.2).
                    EXPECT_TRUE(keys.count({category, name}) || name == category)
                        << category << "/" << name;
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
    ASSERT_GT(keys.size(), 1400U) << "fit-exercise-names.csv not found under " << US_SPECS_DIR;
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
        for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
            const auto& session = plan.sessions[i];
            const auto body = Json::parse(read_file(dir / "trainingpeaks" / (stems[i] + ".json")));
            EXPECT_EQ(body["AthleteId"], 1234567);
            EXPECT_EQ(body["WorkoutDay"], format_date(session.date));
            EXPECT_EQ(body["WorkoutType"], "strength");
            EXPECT_EQ(body["Title"], session.title);
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
    write_with(writer_named("trainingpeaks"), test::band_only_plan(), dir.path);
    auto body = Json::parse(read_file(dir.path / "trainingpeaks/2026-12-08_corrective.json"));
    EXPECT_FALSE(body.contains("AthleteId"));
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
            EXPECT_EQ(event["dtstamp"], format_date(plan.start) + "T00:00:00+00:00");
            EXPECT_EQ(event["summary"], session.title);
            EXPECT_EQ(event["description"],
                      detail::prescription_text(plan, session, WeightUnit::kilogram));
            EXPECT_EQ(event["categories"],
                      Json::array({"Strength", std::string(to_string(session.phase))}));
        }
    }
}

TEST(IcsInterop, UidsStayWhenASessionChanges) {
    auto plan = test::runner_plan();
    TempDir before;
    write_with(writer_named("ics"), plan, before.path);
    plan.sessions[0].title = "W01 Strength A (moved load)";
    plan.sessions[0].blocks.pop_back();
    TempDir after;
    write_with(writer_named("ics"), plan, after.path);
    const auto a = run_json({US_PYTHON3, interop("check_text_outputs.py"), "ics",
                             (before.path / "ics/ana-garcia.ics").string()});
    const auto b = run_json({US_PYTHON3, interop("check_text_outputs.py"), "ics",
                             (after.path / "ics/ana-garcia.ics").string()});
    ASSERT_EQ(a["events"].size(), b["events"].size());
    for (std::size_t i = 0; i < a["events"].size(); ++i) {
        EXPECT_EQ(a["events"][i]["uid"], b["events"][i]["uid"]);
    }
    EXPECT_NE(a["events"][0]["summary"], b["events"][0]["summary"]);
}

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
                                " --format garmin-fit,garmin-connect,trainingpeaks,ics,csv --out " +
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
