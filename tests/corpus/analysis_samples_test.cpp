// The phases `analyze` finds on the generated sample athletes (samples/),
// against the phases the generator planned them with (each truth.json,
// analysis.md §3.1 counted back from the athlete's A race): with the race
// date given, and without it, when the race must be found in the data.
#include "cli_run.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

namespace ultrastrength {
namespace {

const std::string samples = std::string(US_SOURCE_DIR) + "/samples";

nlohmann::json load_truth(const std::string& folder) {
    std::ifstream in(folder + "/truth.json");
    return nlohmann::json::parse(in);
}

/// `DATE,NAME,KM,D+` of the truth's race, as a user would type it.
std::string race_argument(const nlohmann::json& truth) {
    const auto& race = truth["race"];
    char km[32];
    std::snprintf(km, sizeof km, "%g,%g", race["distance_km"].get<double>(),
                  race["dplus_m"].get<double>());
    return race["date"].get<std::string>() + "," + race["name"].get<std::string>() + "," + km;
}

struct Agreement {
    int agreed = 0;
    int weeks = 0;
    nlohmann::json document;
};

/// Runs `analyze --json` on the athlete's folder and counts the weeks whose
/// phase equals the truth's; prints every disagreement with its rule.
Agreement agreement(const std::string& folder, const std::string& extra) {
    const auto truth = load_truth(folder);
    const auto result = test::run_cli("analyze --json --jobs 2 " + extra + " '" + folder + "'");
    Agreement a;
    EXPECT_EQ(result.exit_code, 0) << result.err;
    a.document = nlohmann::json::parse(result.out);
    std::map<std::string, std::string> detected;
    std::map<std::string, std::string> rule;
    for (const auto& w : a.document["weeks"]) {
        detected[w["week_start"].get<std::string>()] = w["phase"].get<std::string>();
        rule[w["week_start"].get<std::string>()] = w["rule"].get<std::string>();
    }
    for (const auto& w : truth["weeks"]) {
        const auto monday = w["monday"].get<std::string>();
        const auto want = w["phase"].get<std::string>();
        ++a.weeks;
        if (detected[monday] == want) {
            ++a.agreed;
        } else {
            std::printf("%s week %s: intended %s, found %s (%s)\n", folder.c_str(), monday.c_str(),
                        want.c_str(), detected[monday].c_str(), rule[monday].c_str());
        }
    }
    EXPECT_EQ(a.document["weeks"].size(), static_cast<std::size_t>(a.weeks));
    return a;
}

int ninety_percent(int weeks) {
    return static_cast<int>(std::ceil(0.9 * weeks));
}

bool race_found(const nlohmann::json& document, const std::string& date) {
    for (const auto& r : document["races"]["detected"]) {
        if (r["date"] == date && r["level"] == "race") {
            return true;
        }
    }
    return false;
}

TEST(SamplePhases, AthleteWithTheRaceDate) {
    const std::string folder = samples + "/athlete";
    const auto a = agreement(folder, "--race '" + race_argument(load_truth(folder)) + "'");
    EXPECT_GE(a.agreed, ninety_percent(a.weeks)) << a.agreed << " of " << a.weeks;
}

TEST(SamplePhases, AthleteWithoutARaceDate) {
    const std::string folder = samples + "/athlete";
    const auto truth = load_truth(folder);
    const auto a = agreement(folder, "");
    EXPECT_GE(a.agreed, ninety_percent(a.weeks)) << a.agreed << " of " << a.weeks;
    // The A race is found in the data ...
    EXPECT_TRUE(race_found(a.document, truth["race"]["date"].get<std::string>()));
    // ... and the flat 10K road race of a recovery week (a tune-up, truth
    // week 18) is reported but changes no phase.
    for (const auto& act : truth["activities"]) {
        if (act["kind"] != "road_race") {
            continue;
        }
        const auto day = act["local_date"].get<std::string>();
        const auto week = truth["weeks"][act["week"].get<std::size_t>()];
        for (const auto& w : a.document["weeks"]) {
            if (w["week_start"] == week["monday"]) {
                EXPECT_EQ(w["phase"], week["phase"]) << "tune-up race on " << day;
            }
        }
    }
}

// The roster athletes: 12 weeks each. Alex (100 km) and Sam (80 km) race
// inside the history; Jana's race is after its end, so only its date can
// place her weeks (a series alone cannot know she is 22 weeks out).
TEST(SamplePhases, RosterWithTheRaceDates) {
    for (const char* id : {"alex", "jana", "sam"}) {
        const std::string folder = samples + "/roster/" + id;
        const auto a = agreement(folder, "--race '" + race_argument(load_truth(folder)) + "'");
        EXPECT_GE(a.agreed, ninety_percent(a.weeks)) << id << ": " << a.agreed << " of " << a.weeks;
    }
}

TEST(SamplePhases, RosterRacesInsideTheHistoryWithoutADate) {
    for (const char* id : {"alex", "sam"}) {
        const std::string folder = samples + "/roster/" + id;
        const auto truth = load_truth(folder);
        const auto a = agreement(folder, "");
        EXPECT_GE(a.agreed, ninety_percent(a.weeks)) << id << ": " << a.agreed << " of " << a.weeks;
        EXPECT_TRUE(race_found(a.document, truth["race"]["date"].get<std::string>())) << id;
    }
}

} // namespace
} // namespace ultrastrength
