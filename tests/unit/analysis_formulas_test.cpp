// The analysis formulas against values worked out by hand from the spec
// (analysis.md §1.1-§1.5).
#include "history/history.hpp"
#include "history/load.hpp"
#include "history/races.hpp"
#include "model/text.hpp"
#include "phase/phase.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string_view>
#include <vector>

namespace ultrastrength {
namespace {

TEST(Pmc, OneDayOfLoadRisesByTheExactExponentialFraction) {
    // 100 x (1 - e^(-1/42)) and 100 x (1 - e^(-1/7)) (§1.4, GoldenCheetah).
    EXPECT_NEAR(pmc_step(0, 100, 42), 2.3528313, 1e-6);
    EXPECT_NEAR(pmc_step(0, 100, 7), 13.3122100, 1e-6);
    // Not TrainingPeaks' 1/42 nor Runalyze's 2/(N+1).
    EXPECT_GT(std::abs(pmc_step(0, 100, 42) - 100.0 / 42), 0.02);
}

TEST(Pmc, DecaysByEToTheMinusOneOverTheTimeConstant) {
    double ctl = pmc_step(0, 100, 42);
    for (int d = 0; d < 42; ++d) {
        ctl = pmc_step(ctl, 0, 42);
    }
    EXPECT_NEAR(ctl, 2.3528313 * std::exp(-1.0), 1e-6); // 0.86556
}

TEST(Trimp, PerBpmHistogramMatchesBanisterByHand) {
    HeartRateHistogram h{};
    h[150] = 3600; // one hour at 150 bpm, HRrest 60, HRmax 200: HRr = 90/140
    EXPECT_NEAR(trimp_from_histogram(h, 60, 200, Sex::male), 84.818224, 1e-5);
    EXPECT_NEAR(trimp_from_histogram(h, 60, 200, Sex::unknown), 88.690543, 1e-5);
}

TEST(Trimp, DropsDropoutsAndSpikes) {
    HeartRateHistogram h{};
    h[30] = 600;  // below 40 bpm: strap dropout
    h[220] = 600; // above HRmax + 5: spike
    EXPECT_EQ(trimp_from_histogram(h, 60, 200, Sex::male), 0.0);
    h[205] = 60; // HRmax + 5 is still kept
    EXPECT_GT(trimp_from_histogram(h, 60, 200, Sex::male), 0.0);
}

TEST(HrTss, OneHourAtLthrIsOneHundred) {
    HeartRateHistogram h{};
    h[170] = 3600;
    const double trimp = trimp_from_histogram(h, 60, 200, Sex::male);
    EXPECT_NEAR(trimp, 136.382963, 1e-5);
    EXPECT_NEAR(hr_tss(trimp, 170, 60, 200, Sex::male), 100.0, 1e-9);
    EXPECT_NEAR(trimp_one_hour(170, 60, 200, Sex::male), 136.382963, 1e-5);
}

TEST(GapTss, HoursTimesIntensitySquared) {
    EXPECT_NEAR(gap_tss(3600, 4.0, 4.0), 100.0, 1e-9);
    EXPECT_NEAR(gap_tss(7200, 3.2, 4.0), 128.0, 1e-9); // 2 h x 0.8^2 x 100
    EXPECT_EQ(gap_tss(3600, 3.0, 0.0), 0.0);
}

TEST(GapCostCurve, MinettiMatchesTheSpecCrossCheck) {
    EXPECT_NEAR(minetti_cost(0), 3.6, 1e-12);
    // Extra flat-equivalent metres per metre climbed (§1.5): 6.6 at 10 %, 7.5 at 20 %.
    const auto extra = [](double g) { return (minetti_cost(g) - 3.6) / 3.6 / g; };
    EXPECT_NEAR(extra(0.10), 6.58, 0.01);
    EXPECT_NEAR(extra(0.20), 7.51, 0.01);
    EXPECT_NEAR(extra(0.30), 8.3, 0.1);
    EXPECT_EQ(minetti_cost(0.9), minetti_cost(0.45)); // clamped to Minetti's range
    EXPECT_LT(minetti_cost(-0.15), 0.6 * 3.6);        // descents are cheap
}

TEST(EffortKm, KmPlusClimbOverOneHundred) {
    EXPECT_NEAR(effort_km(42195, 2500), 67.195, 1e-9);
    EXPECT_NEAR(effort_km(10000, 0), 10.0, 1e-12);
}

TEST(SessionRpe, RpeTimesMinutes) {
    EXPECT_NEAR(session_rpe(7, 3600), 420.0, 1e-12);
    // Default c: 1 h at RPE 7 = 100.
    EXPECT_NEAR(session_rpe(7, 3600) * HistorySettings{}.rpe_default_c, 100.0, 1e-9);
}

TEST(Riegel, SixtyMinuteEquivalentSpeed) {
    EXPECT_NEAR(riegel_speed_60min(3.0, 7200), 3.120044, 1e-6);
    EXPECT_NEAR(riegel_speed_60min(3.0, 3600), 3.0, 1e-12);
}

TEST(TimeZone, FixedOffsets) {
    EXPECT_EQ(parse_utc_offset("UTC"), 0);
    EXPECT_EQ(parse_utc_offset("+01:00"), 3600);
    EXPECT_EQ(parse_utc_offset("-05:30"), -19800);
    EXPECT_EQ(parse_utc_offset("+0530"), 19800);
    EXPECT_EQ(parse_utc_offset("+8"), 28800);
    EXPECT_EQ(parse_utc_offset("UTC+02:00"), 7200);
    EXPECT_FALSE(parse_utc_offset("Europe/Paris"));
    EXPECT_FALSE(parse_utc_offset("+25:00"));
    EXPECT_FALSE(parse_utc_offset(""));
}

TEST(Weeks, MondayOf) {
    // 1970-01-01 was a Thursday; 1969-12-29 the Monday before it.
    EXPECT_EQ(monday_of(0), -3);
    EXPECT_EQ(monday_of(4), 4);  // 1970-01-05, a Monday
    EXPECT_EQ(monday_of(10), 4); // the Sunday after
    EXPECT_EQ(monday_of(-4), -10);
}

TEST(RaceArgument, ParsesDateNameDistanceAndClimb) {
    std::string error;
    const auto r = parse_race("2026-06-27,Lavaredo,120,5800", error);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->date.year, 2026);
    EXPECT_EQ(r->name, "Lavaredo");
    EXPECT_EQ(r->distance_km, 120.0);
    EXPECT_EQ(r->ascent_m, 5800.0);
    EXPECT_NEAR(*race_effort_km(*r), 178.0, 1e-9);
    EXPECT_TRUE(parse_race("2026-06-27", error));
    EXPECT_FALSE(parse_race("27/06/2026", error));
    EXPECT_EQ(error, "race '27/06/2026': date '27/06/2026' is not YYYY-MM-DD");
    EXPECT_FALSE(parse_race("2026-06-27,X,far", error));
    EXPECT_EQ(error, "race '2026-06-27,X,far': distance 'far' is not a number of km");
    // Fields are positional: an empty name keeps the distance in its place.
    const auto unnamed = parse_race("2026-06-27,,120", error);
    ASSERT_TRUE(unnamed);
    EXPECT_EQ(unnamed->name, "");
    EXPECT_EQ(unnamed->distance_km, 120.0);
    EXPECT_FALSE(parse_race("2026-06-27,a,1,2,3", error));
}

TEST(TextFields, KeepEmptyFieldsInPlace) {
    EXPECT_EQ(split_fields("a,,c", ','), (std::vector<std::string_view>{"a", "", "c"}));
    EXPECT_EQ(split_fields("", ','), (std::vector<std::string_view>{""}));
    EXPECT_EQ(split_fields(" a ;b;", ';'), (std::vector<std::string_view>{" a ", "b", ""}));
    EXPECT_EQ(split_list(" a ;b;", ';'), (std::vector<std::string>{"a", "b"}));
}

TEST(PhaseSettingsTest, RecoveryDaysByRaceSize) {
    const PhaseSettings ps;
    EXPECT_EQ(ps.recovery_days(21), 7);
    EXPECT_EQ(ps.recovery_days(60), 14);
    EXPECT_EQ(ps.recovery_days(178), 21);
    EXPECT_EQ(ps.recovery_days(250), 28);
}

TEST(Trend, RelativeLeastSquaresSlope) {
    // 10, 20, ..., 60: slope 10, mean 35.
    EXPECT_NEAR(*relative_trend({10, 20, 30, 40, 50, 60}), 10.0 / 35.0, 1e-12);
    EXPECT_NEAR(*relative_trend({5, 5, 5}), 0.0, 1e-12);
    EXPECT_FALSE(relative_trend({0, 0, 0}));
}

} // namespace
} // namespace ultrastrength
