// The exercise library: every Garmin number and Connect key exists in the
// FIT profile table (src/fit/exercise_names.csv, from Garmin's SDK), the CTS corrective set and the
// §4.2 groups are there, and user libraries merge or fail with clear errors.
#include "plan/library.hpp"
#include "plan/prescription.hpp"
#include "tests/support/fit_exercise_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

namespace ultrastrength {
namespace {

TEST(ExerciseLibrary, EveryExerciseMapsToARealFitAndConnectEntry) {
    const auto rows = test::fit_exercise_table();
    ASSERT_GT(rows.size(), 1000U) << "src/fit/exercise_names.csv not read";
    const ExerciseLibrary& library = builtin_library();
    ASSERT_GE(library.exercises().size(), 30U);
    for (const Exercise& e : library.exercises()) {
        SCOPED_TRACE(e.id);
        const auto row = rows.find({e.fit_category, e.fit_name});
        ASSERT_NE(row, rows.end()) << "no FIT exercise " << e.fit_category << "/" << e.fit_name;
        EXPECT_EQ(row->second.category_key, e.connect_category);
        if (e.fit_match == "exact") {
            // Garmin's exercise: its key, and no title of ours over Garmin's name.
            EXPECT_EQ(row->second.connect_key, e.connect_name);
            EXPECT_TRUE(e.fit_title.empty());
        } else {
            // Not Garmin's: the category alone in Connect, our title in FIT
            // (docs/garmin-exercises.md), never another exercise's key.
            EXPECT_EQ(e.connect_name, "");
            EXPECT_FALSE(e.fit_title.empty());
        }
    }
}

/// No two library exercises claim to be the same Garmin exercise: the watch
/// would show both under one name.
TEST(ExerciseLibrary, NoTwoExercisesClaimOneGarminExercise) {
    std::map<std::pair<int, int>, std::string> exact;
    for (const Exercise& e : builtin_library().exercises()) {
        if (e.fit_match == "exact") {
            const auto [it, fresh] = exact.emplace(std::pair{e.fit_category, e.fit_name}, e.id);
            EXPECT_TRUE(fresh) << e.id << " and " << it->second << " on " << e.fit_category << "/"
                               << e.fit_name;
        }
    }
}

TEST(ExerciseLibrary, HoldsTheWholeCorrectiveSetAndEveryGroup) {
    const ExerciseLibrary& library = builtin_library();
    // The CTS list (analysis.md §4.2 C) runners are taught.
    for (const char* id : {"lateral_band_walk", "lateral_step_up", "banded_single_leg_bridge",
                           "banded_glute_bridge", "king_deadlift", "dead_bug", "suitcase_carry",
                           "sl_banded_hip_flexion_extension", "barefoot_sl_balance"}) {
        const Exercise* e = library.find(id);
        ASSERT_NE(e, nullptr) << id;
        EXPECT_EQ(e->group, ExerciseGroup::corrective) << id;
    }
    for (const char* id : {"rfe_split_squat_db", "trap_bar_deadlift", "romanian_deadlift_barbell",
                           "loaded_step_up", "seated_calf_raise"}) {
        ASSERT_NE(library.find(id), nullptr) << id;
        EXPECT_EQ(library.find(id)->group, ExerciseGroup::heavy) << id;
    }
    for (const char* id : {"pogo_hops", "ankle_hops_single_leg", "box_jump", "skips_for_height",
                           "bounds", "lateral_hops", "drop_jump"}) {
        ASSERT_NE(library.find(id), nullptr) << id;
        EXPECT_EQ(library.find(id)->group, ExerciseGroup::plyometric) << id;
    }
    EXPECT_EQ(library.find("drop_jump")->level, Level::advanced);
    for (const char* id : {"slow_eccentric_step_down", "spanish_squat", "eccentric_calf_lower"}) {
        ASSERT_NE(library.find(id), nullptr) << id;
        EXPECT_EQ(library.find(id)->group, ExerciseGroup::eccentric) << id;
    }
    // King deadlift has no Garmin exercise: the step carries our title (output-formats.md §1.5).
    EXPECT_EQ(library.find("king_deadlift")->fit_title, "King Deadlift");
    EXPECT_EQ(library.find("lateral_band_walk")->fit_category, 37);
    EXPECT_EQ(library.find("lateral_band_walk")->fit_name, 24);
}

TEST(ExerciseLibrary, EveryPrescribedPatternHasABandOnlyOption) {
    const ExerciseLibrary& library = builtin_library();
    const std::set<std::string> band = {"band"};
    const Prescriptions& rx = builtin_prescriptions();
    for (const PhasePrescription& phase : rx.phases) {
        for (std::size_t g = 0; g < phase.groups.size(); ++g) {
            if (!phase.groups[g]) {
                continue;
            }
            for (const std::string& pattern : phase.groups[g]->patterns) {
                bool found = false;
                for (const Exercise& e : library.exercises()) {
                    found = found ||
                            (e.group == static_cast<ExerciseGroup>(g) && e.pattern == pattern &&
                             e.level == Level::novice && has_equipment(e, band) &&
                             (!phase.groups[g]->low_amplitude_only || e.low_amplitude));
                }
                EXPECT_TRUE(found) << pattern;
            }
        }
    }
}

class LibraryFile : public ::testing::Test {
protected:
    std::filesystem::path write(const std::string& text) {
        // One file per test: ctest runs the tests of this fixture in parallel processes.
        const auto path =
            std::filesystem::path(US_BINARY_DIR) /
            (std::string("library_test-") +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json");
        std::ofstream(path) << text;
        m_written = path;
        return path;
    }
    void TearDown() override {
        if (!m_written.empty()) {
            std::filesystem::remove(m_written);
        }
    }
    std::filesystem::path m_written;
    static std::string error_of(const std::filesystem::path& path) {
        try {
            load_library(path, builtin_library());
        } catch (const LibraryError& error) {
            return error.what();
        }
        return "no error";
    }
    static std::string entry(const std::string& fields) {
        return R"json({"format": "ultrastrength-exercise-library", "version": 1, "exercises": [)json" +
               fields + "]}";
    }
};

const char* const nordic = R"json({"id": "nordic_curl", "name": "Nordic curl", "group": "heavy",
  "pattern": "hinge", "equipment": ["none"], "unilateral": false, "mode": "reps",
  "level": "advanced", "cues": ["Fall forward as slowly as you can"], "easier": "dead_bug",
  "harder": null, "fit": {"category": 15, "name": 0, "title": "Nordic Curl", "match": "none"},
  "connect": {"category": "LEG_CURL", "name": "LEG_CURL"}})json";

TEST_F(LibraryFile, MergesByIdAndAddsNewEntries) {
    const std::string renamed =
        R"json({"id": "dead_bug", "name": "Dead bug (slow)", "group": "corrective",
      "pattern": "core", "equipment": [], "unilateral": false, "mode": "reps", "level": "novice",
      "cues": ["Exhale fully"], "fit": {"category": 11, "name": 1, "title": "", "match": "exact"},
      "connect": {"category": "HIP_STABILITY", "name": "DEAD_BUG"}})json";
    const ExerciseLibrary merged =
        load_library(write(entry(std::string(nordic) + "," + renamed)), builtin_library());
    EXPECT_EQ(merged.exercises().size(), builtin_library().exercises().size() + 1);
    ASSERT_NE(merged.find("nordic_curl"), nullptr);
    EXPECT_EQ(merged.find("nordic_curl")->level, Level::advanced);
    EXPECT_EQ(merged.find("dead_bug")->name, "Dead bug (slow)");
    EXPECT_EQ(merged.find("dead_bug")->cues.front(), "Exhale fully");
}

TEST_F(LibraryFile, ErrorsNameTheFileTheEntryAndTheField) {
    const auto path = write(entry(R"json({"id": "x1", "name": "X", "group": "heavy"})json"));
    EXPECT_EQ(error_of(path), path.string() + ": exercise \"x1\": missing \"pattern\"");

    std::string bad_group = nordic;
    bad_group.replace(bad_group.find("\"heavy\""), 7, "\"cardio\"");
    EXPECT_EQ(error_of(write(entry(bad_group))),
              path.string() +
                  ": exercise \"nordic_curl\": \"group\" must be heavy, plyometric, corrective or "
                  "eccentric");

    std::string bad_variant = nordic;
    bad_variant.replace(bad_variant.find("\"dead_bug\""), 10, "\"no_such\"");
    EXPECT_EQ(error_of(write(entry(bad_variant))),
              path.string() +
                  ": exercise \"nordic_curl\": variant \"no_such\" is not in the library");

    std::string bad_kit = nordic;
    bad_kit.replace(bad_kit.find("[\"none\"]"), 8, "[\"sled\"]");
    EXPECT_EQ(error_of(write(entry(bad_kit))),
              path.string() +
                  ": exercise \"nordic_curl\": unknown equipment \"sled\" (none, band, dumbbell, "
                  "barbell, box, gym)");

    std::string no_title = nordic;
    no_title.replace(no_title.find("\"Nordic Curl\""), 13, "\"\"");
    EXPECT_EQ(error_of(write(entry(no_title))),
              path.string() +
                  ": exercise \"nordic_curl\": \"fit.title\" is required when \"fit.match\" is not "
                  "exact");

    EXPECT_EQ(error_of(write(entry(std::string(nordic) + "," + nordic))),
              path.string() + ": exercise \"nordic_curl\": id appears twice in this file");

    EXPECT_EQ(
        error_of(write(R"json({"format": "something-else", "version": 1, "exercises": []})json")),
        path.string() + ": \"format\" must be \"ultrastrength-exercise-library\"");
    EXPECT_EQ(error_of(write("{\"format\": ")).rfind(path.string() + ": not valid JSON: ", 0), 0U);
    EXPECT_EQ(error_of("/nonexistent/lib.json"), "/nonexistent/lib.json: cannot open the file");
}

TEST(Prescriptions, TheBuiltInTableMatchesAnalysisSection43) {
    const Prescriptions& rx = builtin_prescriptions();
    const auto& early = rx.phases[static_cast<std::size_t>(Phase::early)];
    const auto& heavy = *early.groups[static_cast<std::size_t>(ExerciseGroup::heavy)];
    EXPECT_EQ(heavy.sets.low, 3);
    EXPECT_EQ(heavy.sets.high, 4);
    EXPECT_EQ(heavy.reps.low, 4);
    EXPECT_EQ(heavy.reps.high, 6);
    EXPECT_EQ(heavy.percent_1rm->low, 80);
    EXPECT_EQ(early.groups[static_cast<std::size_t>(ExerciseGroup::plyometric)]->contacts->high,
              100);
    // The taper's templates hold no eccentric work; its one set is the last downhill
    // session of a mountain race, 10-14 days out (§4.7 rule 6), never in the last 10.
    const auto& taper = rx.phases[static_cast<std::size_t>(Phase::taper)];
    ASSERT_TRUE(taper.groups[static_cast<std::size_t>(ExerciseGroup::eccentric)]);
    EXPECT_EQ(taper.groups[static_cast<std::size_t>(ExerciseGroup::eccentric)]->sets.high, 1);
    for (const auto* list : {&taper.sessions, &taper.sessions_later_weeks}) {
        for (const SessionGroups& groups : *list) {
            EXPECT_EQ(std::count(groups.begin(), groups.end(), ExerciseGroup::eccentric), 0);
        }
    }
    EXPECT_EQ(rx.rules.last_eccentric_days_before_race, 10);
    EXPECT_EQ(rx.rules.last_heavy_days_before_race, 10);
    EXPECT_EQ(rx.phases[static_cast<std::size_t>(Phase::late)].sessions.size(), 1U);

    try {
        parse_prescriptions(R"json({"rules": {}})json", "rx.json");
        FAIL() << "no error";
    } catch (const std::runtime_error& error) {
        EXPECT_STREQ(error.what(), "rx.json: rules: missing \"last_heavy_days_before_race\"");
    }
}

} // namespace
} // namespace ultrastrength
