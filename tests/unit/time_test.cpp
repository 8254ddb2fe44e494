#include "model/time.hpp"

#include <gtest/gtest.h>

using namespace ultrastrength;

TEST(Time, FitEpochIsUnix631065600) {
    EXPECT_EQ(days_from_civil({1989, 12, 31}) * 86400, 631065600);
    EXPECT_EQ(format_utc(631065600), "1989-12-31T00:00:00Z");
}

TEST(Time, CivilRoundTripAcrossLeapYears) {
    for (std::int64_t d = -800000; d < 800000; d += 97) {
        EXPECT_EQ(days_from_civil(civil_from_days(d)), d);
    }
    EXPECT_EQ(format_date(civil_from_days(days_from_civil({2024, 2, 29}))), "2024-02-29");
}

TEST(Time, ParsesTheDateTimeVariantsSeenInTcxAndGpx) {
    EXPECT_EQ(parse_iso8601("2016-09-11T15:57:36Z").value(), 1473609456.0);
    EXPECT_EQ(parse_iso8601("2016-09-11T15:57:36.000Z").value(), 1473609456.0);
    EXPECT_NEAR(parse_iso8601("2016-09-11T15:57:36.909Z").value(), 1473609456.909, 1e-6);
    EXPECT_EQ(parse_iso8601("2016-09-11T17:57:36+02:00").value(), 1473609456.0);
    EXPECT_EQ(parse_iso8601("  2016-09-11T15:57:36Z\n").value(), 1473609456.0);
    EXPECT_EQ(parse_iso8601("2016-09-11T15:57:36").value(), 1473609456.0);
    EXPECT_EQ(parse_iso8601("1901-12-13T20:45:52Z").value(), -2147483648.0);
}

TEST(Time, RejectsWhatIsNotADate) {
    EXPECT_FALSE(parse_iso8601(""));
    EXPECT_FALSE(parse_iso8601("2016-13-11T15:57:36Z"));
    EXPECT_FALSE(parse_iso8601("2016-02-30T15:57:36Z"));
    EXPECT_FALSE(parse_iso8601("2016-09-11T25:57:36Z"));
    EXPECT_FALSE(parse_iso8601("2016-09-11T15:57:36Zjunk"));
    EXPECT_FALSE(parse_iso8601("2016-09-11T15:57:36."));
    EXPECT_FALSE(parse_date("2016-9-11"));
}
