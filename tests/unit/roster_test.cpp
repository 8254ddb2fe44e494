#include "pipeline/roster.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

using namespace ultrastrength;
using namespace ultrastrength::pipeline;

TEST(Roster, SampleRosterReadsEveryRow) {
    const auto athletes = read_roster(std::string(US_SOURCE_DIR) + "/samples/roster/roster.csv");
    ASSERT_EQ(athletes.size(), 3U);
    const RosterAthlete& alex = athletes[0];
    EXPECT_TRUE(alex.error.empty()) << alex.error;
    EXPECT_EQ(alex.id, "alex");
    EXPECT_EQ(alex.line, 2U);
    ASSERT_EQ(alex.exports.size(), 1U);
    EXPECT_EQ(alex.exports[0], std::string(US_SOURCE_DIR) + "/samples/roster/alex/garmin");
    ASSERT_EQ(alex.races.size(), 1U);
    EXPECT_EQ(alex.races[0].name, "Three Fells 100K");
    EXPECT_EQ(*alex.races[0].distance_km, 100.0);
    EXPECT_EQ(*alex.settings.hr_max, 184.0);
    EXPECT_NEAR(*alex.settings.threshold_speed_mps, 1000.0 / 228.0, 1e-9);
    EXPECT_EQ(*alex.equipment, (std::set<std::string>{"barbell", "box", "dumbbell"}));
    EXPECT_EQ(alex.days, (std::vector<int>{1, 3}));
    EXPECT_EQ(alex.formats, (std::vector<std::string>{"garmin-fit", "trainingpeaks", "ics"}));
    EXPECT_EQ(*alex.trainingpeaks_athlete_id, 1184321);
    EXPECT_EQ(alex.calendar_name, "Alex – strength");
    EXPECT_EQ(*athletes[2].equipment, (std::set<std::string>{"none"}));
    EXPECT_TRUE(athletes[2].formats.empty());
}

TEST(Roster, BadRowsAreReportedWithTheirLineAndTheRestIsKept) {
    const std::string text = "id,exports,hr_max_bpm,days,races\n"
                             "ok1,a,180,tue,\n"
                             "bad1,b,fast,,\n"
                             "bad2,c,,someday,\n"
                             "\"bad 3\",d,,,\n"
                             "ok2,\"e;f\",,,\"2026-05-01,Spring 50K,50,2000;2026-09-01\"\n"
                             "ok1,g,,,\n"
                             "bad4,,,,\n"
                             "bad5,h,,\n";
    const auto athletes = parse_roster(text, "/r", "roster.csv");
    ASSERT_EQ(athletes.size(), 8U);
    EXPECT_TRUE(athletes[0].error.empty());
    EXPECT_EQ(athletes[1].error, "roster.csv: line 3: hr_max_bpm: 'fast' is not a number");
    EXPECT_EQ(athletes[2].error, "roster.csv: line 4: days: 'someday' is not a weekday");
    EXPECT_NE(athletes[3].error.find("line 5: id: 'bad 3'"), std::string::npos);
    EXPECT_TRUE(athletes[4].error.empty()) << athletes[4].error;
    EXPECT_EQ(athletes[4].exports, (std::vector<std::string>{"/r/e", "/r/f"}));
    EXPECT_EQ(athletes[4].races.size(), 2U);
    EXPECT_NE(athletes[5].error.find("already used"), std::string::npos);
    EXPECT_NE(athletes[6].error.find("exports: no export path"), std::string::npos);
    EXPECT_NE(athletes[7].error.find("4 fields where the header has 5"), std::string::npos);
}

// analysis.md §4.7: strength history (none gets an introductory block) and --no-jumps.
TEST(Roster, StrengthHistoryAndNoJumpsColumns) {
    const auto athletes = parse_roster("id,exports,strength_history,no_jumps\n"
                                       "a,x,none,yes\n"
                                       "b,x,,\n"
                                       "c,x,lots,\n"
                                       "d,x,some,maybe\n",
                                       "/r", "roster.csv");
    ASSERT_EQ(athletes.size(), 4U);
    EXPECT_EQ(athletes[0].strength_history, StrengthHistory::none);
    EXPECT_TRUE(athletes[0].no_jumps);
    EXPECT_FALSE(athletes[1].strength_history.has_value());
    EXPECT_FALSE(athletes[1].no_jumps);
    EXPECT_EQ(athletes[2].error,
              "roster.csv: line 4: strength_history: 'lots': expected none, some or experienced");
    EXPECT_EQ(athletes[3].error, "roster.csv: line 5: no_jumps: 'maybe': expected yes or no");
}

TEST(Roster, BadHeaderRejectsTheRoster) {
    EXPECT_THROW(parse_roster("", "", "r.csv"), RosterError);
    EXPECT_THROW(parse_roster("id,exports,hrmax\n", "", "r.csv"), RosterError);
    EXPECT_THROW(parse_roster("id,name\n", "", "r.csv"), RosterError);
    EXPECT_THROW(parse_roster("id,exports,id\n", "", "r.csv"), RosterError);
    try {
        parse_roster("id,exports,equipmnet\nx,y,band\n", "", "r.csv");
        FAIL();
    } catch (const RosterError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown column 'equipmnet'"), std::string::npos);
    }
}

TEST(Roster, ColumnsAreThoseOfTheSchema) {
    std::ifstream in(std::string(US_SOURCE_DIR) + "/schemas/roster.schema.json");
    const auto schema = nlohmann::json::parse(in);
    std::vector<std::string> in_schema;
    for (const auto& [key, value] : schema["properties"].items()) {
        in_schema.push_back(key);
    }
    std::vector<std::string> known(roster_columns().begin(), roster_columns().end());
    std::sort(in_schema.begin(), in_schema.end());
    std::sort(known.begin(), known.end());
    EXPECT_EQ(known, in_schema);
    EXPECT_EQ(schema["required"], nlohmann::json::array({"id", "exports"}));
}

TEST(Roster, ShardOfAnIdIsFnv1aOfItsBytesModuloTheCount) {
    // FNV-1a 64 published test vectors: "a" -> af63dc4c8601ec8c,
    // "foobar" -> 85944171f73967e8, "" -> cbf29ce484222325 (the offset basis).
    EXPECT_EQ(shard_of("a", 1000), 0xaf63dc4c8601ec8cULL % 1000);
    EXPECT_EQ(shard_of("foobar", 7), 0x85944171f73967e8ULL % 7);
    EXPECT_EQ(shard_of("", 10), 0xcbf29ce484222325ULL % 10);
    EXPECT_EQ(shard_of("anything", 1), 0U);
}

TEST(Roster, ShardsOfManyIdsAreBalanced) {
    std::vector<std::size_t> counts(4);
    for (int i = 0; i < 1000; ++i) {
        ++counts[shard_of("athlete-" + std::to_string(i), 4)];
    }
    for (const std::size_t n : counts) {
        EXPECT_GT(n, 200U);
        EXPECT_LT(n, 300U);
    }
}
