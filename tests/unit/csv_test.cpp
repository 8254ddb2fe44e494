#include "converters/exports/csv.hpp"
#include "converters/exports/export_index.hpp"
#include "converters/reader.hpp"

#include <gtest/gtest.h>

namespace ultrastrength {
namespace {

TEST(Csv, QuotedFieldsWithCommasQuotesAndLineBreaks) {
    const auto t = parse_csv("\xEF\xBB\xBF"
                             "a,b,c\r\n"
                             "1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
                             "2,\"first line\r\nsecond line\n third\",\r\n"
                             "3,,\n");
    ASSERT_EQ(t.rows.size(), 4U);
    EXPECT_EQ(t.rows[0], (CsvRow{"a", "b", "c"}));
    EXPECT_EQ(t.rows[1], (CsvRow{"1", "x, y", "say \"hi\""}));
    // Line breaks inside quotes are data and stay as written (RFC 4180).
    EXPECT_EQ(t.rows[2], (CsvRow{"2", "first line\r\nsecond line\n third", ""}));
    EXPECT_EQ(t.rows[3], (CsvRow{"3", "", ""}));
    EXPECT_FALSE(t.unterminated_quote_line);
}

TEST(Csv, LastRowWithoutNewlineAndEmptyLines) {
    const auto t = parse_csv("a\n\nb");
    ASSERT_EQ(t.rows.size(), 2U);
    EXPECT_EQ(t.rows[1], (CsvRow{"b"}));
}

TEST(Csv, UnterminatedQuoteIsReportedWithItsLine) {
    const auto t = parse_csv("a,b\n1,2\n3,\"open\nstill open\n");
    ASSERT_TRUE(t.unterminated_quote_line);
    EXPECT_EQ(*t.unterminated_quote_line, 3U);
    try {
        parse_export_index("a,b\n1,2\n3,\"open\nstill open\n", "x.zip!activities.csv");
        FAIL() << "no error";
    } catch (const ReadError& e) {
        EXPECT_STREQ(e.what(),
                     "x.zip!activities.csv: line 3: quoted field not closed before the end of "
                     "the file");
    }
}

TEST(Csv, DuplicateHeaderNamesAreKeptApart) {
    const auto t = parse_csv("Activity ID, Distance,Elapsed Time,Distance\n1,10.5,3600,10500.2\n");
    const CsvHeader header(t.rows[0]);
    EXPECT_EQ(header.find("Distance"), 1U);
    EXPECT_EQ(header.find("Distance", 1), 3U);
    EXPECT_FALSE(header.find("Distance", 2));
    EXPECT_EQ(header.find_any({"Dateiname", "Elapsed Time"}), 2U);
    EXPECT_EQ(t.rows[1][*header.find("Distance", 1)], "10500.2");
}

TEST(StravaIndex, GermanHeaderAndTypes) {
    const auto index = parse_export_index(
        "Aktivitäts-ID,Aktivitätsdatum,Name der Aktivität,Aktivitätsart,Dateiname\n"
        "5,\"12.09.2018, 15:02:23\",Abendlauf,Lauf,activities/5.fit.gz\n"
        "6,\"13.09.2018, 15:02:23\",Tour,Wanderung,activities/6.gpx\n",
        "/home/a/export/activities.csv");
    EXPECT_EQ(index.base, "/home/a/export/");
    ASSERT_EQ(index.entries.size(), 2U);
    EXPECT_EQ(index.entries[0].file, "activities/5.fit.gz");
    EXPECT_EQ(index.entries[0].name, "Abendlauf");
    EXPECT_EQ(index.entries[0].sport, Sport::running);
    EXPECT_EQ(index.entries[1].sport, Sport::hiking);
}

TEST(StravaIndex, WithoutFilenameColumnItIsNotUsed) {
    const auto index = parse_export_index("id,date\n1,2\n", "e.zip!activities.csv");
    EXPECT_TRUE(index.entries.empty());
    EXPECT_EQ(index.unusable,
              "no Filename column in the header; the files' own names and sports are kept");
}

TEST(StravaIndex, ActivityTypes) {
    EXPECT_EQ(sport_from_strava_type("Run"), Sport::running);
    EXPECT_EQ(sport_from_strava_type("Trail Run"), Sport::trail_running);
    EXPECT_EQ(sport_from_strava_type("Virtual Run"), Sport::treadmill_running);
    EXPECT_EQ(sport_from_strava_type("Ride"), Sport::cycling);
    EXPECT_EQ(sport_from_strava_type("Walk"), Sport::walking);
    EXPECT_EQ(sport_from_strava_type("Hike"), Sport::hiking);
    EXPECT_EQ(sport_from_strava_type("Weight Training"), Sport::strength);
    EXPECT_EQ(sport_from_strava_type("Swim"), Sport::swimming);
    EXPECT_FALSE(sport_from_strava_type("Kitesurf"));
}

TEST(GarminIndex, SummariesInMillisecondsSkipMultisportParents) {
    const auto index = parse_export_index(
        R"([{"summarizedActivitiesExport":[)"
        R"({"name":"B","activityType":"running","startTimeGmt":1700000500000},)"
        R"({"name":"P","activityType":"multi_sport","parent":true,"startTimeGmt":1700000000000},)"
        R"({"name":"A","activityType":{"typeKey":"strength_training"},"startTimeGmt":1699999999499.0}]}])",
        "g.zip!DI_CONNECT/DI-Connect-Fitness/x_0_summarizedActivities.json");
    EXPECT_EQ(index.base, "g.zip!");
    ASSERT_EQ(index.entries.size(), 2U);
    EXPECT_EQ(index.entries[0].name, "A");
    EXPECT_EQ(index.entries[0].start_utc, 1699999999);
    EXPECT_EQ(index.entries[0].sport, Sport::strength);
    EXPECT_EQ(index.entries[1].start_utc, 1700000500);
}

TEST(GarminIndex, BrokenJsonIsRejected) {
    try {
        parse_export_index("[{", "x_summarizedActivities.json");
        FAIL() << "no error";
    } catch (const ReadError& e) {
        EXPECT_STREQ(e.what(),
                     "x_summarizedActivities.json: not valid JSON: unexpected end of the file "
                     "(byte 2)");
    }
}

} // namespace
} // namespace ultrastrength
