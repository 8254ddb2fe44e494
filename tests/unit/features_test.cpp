#include "converters/features.hpp"

#include <gtest/gtest.h>

using namespace ultrastrength;

namespace {
Sample at(double t, double dist, double alt = Sample::none, double hr = Sample::none) {
    Sample s;
    s.time_s = 1.6e9 + t;
    s.distance_m = dist;
    s.altitude_m = alt;
    s.heart_rate = hr;
    return s;
}
} // namespace

TEST(Features, MinettiCostCurveMatchesThePublishedPolynomial) {
    EXPECT_DOUBLE_EQ(FeatureBuilder::minetti_cost(0.0), 3.6);
    // 155.4e-5 - 30.4e-4 - 43.3e-3 + 46.3e-2 + 1.95 + 3.6 = 5.968214
    EXPECT_NEAR(FeatureBuilder::minetti_cost(0.10), 5.968214, 1e-9);
    EXPECT_NEAR(FeatureBuilder::minetti_cost(-0.10), 2.151706, 1e-9);
    EXPECT_DOUBLE_EQ(FeatureBuilder::minetti_cost(0.9), FeatureBuilder::minetti_cost(0.45));
}

TEST(Features, HaversineOfOneDegreeOfLatitude) {
    EXPECT_NEAR(FeatureBuilder::haversine_m(45, 7, 46, 7), 111195.08, 0.01);
}

TEST(Features, SteadyFlatRunGivesItsSpeedAsNgpAndBest60) {
    FeatureBuilder b;
    for (int t = 0; t <= 2 * 3600; ++t) {
        b.add(at(t, 3.0 * t, 100.0, 150));
    }
    const StreamFeatures f = b.finish();
    ASSERT_TRUE(f.ngp_speed_mps && f.best60_gap_speed_mps && f.moving_s);
    EXPECT_NEAR(*f.ngp_speed_mps, 3.0, 0.01);
    EXPECT_NEAR(*f.best60_gap_speed_mps, 3.0, 0.01);
    EXPECT_DOUBLE_EQ(*f.moving_s, 7200);
    EXPECT_DOUBLE_EQ(*f.device_distance_m, 21600);
    EXPECT_DOUBLE_EQ(*f.ascent_m, 0);
    EXPECT_DOUBLE_EQ(*f.avg_hr, 150);
    EXPECT_EQ(f.hr_histogram[150], 7200U);
}

TEST(Features, UphillRunIsWorthMoreFlatSpeed) {
    FeatureBuilder b;
    for (int t = 0; t <= 3600; ++t) {
        b.add(at(t, 2.0 * t, 0.2 * t)); // 10 % grade at 2 m/s
    }
    const StreamFeatures f = b.finish();
    ASSERT_TRUE(f.ngp_speed_mps);
    EXPECT_NEAR(*f.ngp_speed_mps, 2.0 * 5.968214 / 3.6, 0.01);
    EXPECT_NEAR(*f.ascent_m, 720, 3.0);
}

TEST(Features, HysteresisIgnoresSmallWobbles) {
    FeatureBuilder b;
    for (int t = 0; t < 600; ++t) {
        b.add(at(t, 3.0 * t, 100.0 + ((t / 10) % 2 == 0 ? 0.0 : 2.5)));
    }
    const StreamFeatures f = b.finish();
    EXPECT_DOUBLE_EQ(*f.ascent_m, 0);
    EXPECT_DOUBLE_EQ(*f.descent_m, 0);
}

TEST(Features, LongStopIsNotMovingAndSegmentsDoNotAddDistance) {
    FeatureBuilder b;
    b.add(at(0, 0));
    b.add(at(600, 1800));  // 10 min at 3 m/s
    b.add(at(1200, 1805)); // 10 min standing (5 m of drift)
    const StreamFeatures f = b.finish();
    EXPECT_DOUBLE_EQ(*f.moving_s, 600);

    FeatureBuilder g;
    Sample a;
    a.time_s = 0;
    a.lat_deg = 45.0;
    a.lon_deg = 7.0;
    g.add(a);
    a.time_s = 100;
    a.lat_deg = 45.001;
    g.add(a);
    g.begin_segment();
    a.time_s = 4000;
    a.lat_deg = 45.1; // 11 km away after a gap: not distance
    g.add(a);
    a.time_s = 4100;
    a.lat_deg = 45.101;
    g.add(a);
    const StreamFeatures h = g.finish();
    EXPECT_NEAR(*h.haversine_m, 2 * 111.195, 0.01);
    EXPECT_FALSE(h.gps_jumps);
}

TEST(Features, GpsJumpIsDroppedAndFlagged) {
    FeatureBuilder b;
    Sample s;
    for (int t = 0; t < 10; ++t) {
        s.time_s = t;
        s.lat_deg = 45.0 + t * 0.00003;
        s.lon_deg = t == 5 ? 60.0 : 7.0;
        b.add(s);
    }
    const StreamFeatures f = b.finish();
    EXPECT_TRUE(f.gps_jumps);
    EXPECT_LT(*f.haversine_m, 100.0);
}

TEST(Features, ApplyFillsOnlyWhatTheSummaryLeftOpen) {
    FeatureBuilder b;
    for (int t = 0; t <= 100; ++t) {
        b.add(at(t, 3.0 * t, Sample::none, 140));
    }
    ActivityFeatures a;
    a.distance_m = 333.0;
    apply_stream_features(a, b.finish());
    EXPECT_DOUBLE_EQ(*a.distance_m, 333.0);
    EXPECT_DOUBLE_EQ(*a.elapsed_s, 100.0);
    EXPECT_EQ(a.records, 101U);
    EXPECT_TRUE(a.has(Flag::no_altitude));
    EXPECT_TRUE(a.has(Flag::no_position));
    EXPECT_FALSE(a.has(Flag::no_heart_rate));
    EXPECT_EQ(*a.start_utc, 1600000000);
}
