// De-duplication rule (dedupe.hpp). Activities are built here because the
// rule only looks at their features; tests/corpus checks it on real files.
#include "converters/dedupe.hpp"

#include <gtest/gtest.h>

namespace ultrastrength {
namespace {

ActivityFeatures make(std::string source, Format format, Sport sport, std::int64_t start,
                      std::optional<double> distance_m, double elapsed_s, std::uint64_t records) {
    ActivityFeatures a;
    a.source = std::move(source);
    a.format = format;
    a.sport = sport;
    a.start_utc = start;
    a.distance_m = distance_m;
    a.elapsed_s = elapsed_s;
    a.records = records;
    return a;
}

InputOutcome outcome_of(ActivityFeatures a) {
    InputOutcome o;
    o.source = a.source;
    o.kind = InputOutcome::Kind::read;
    o.activities.push_back(std::move(a));
    return o;
}

constexpr std::int64_t t0 = 1700000000;

TEST(SameActivity, StartAndDistanceWindow) {
    const auto fit = make("a.fit", Format::fit, Sport::running, t0, 10000, 3600, 3600);
    EXPECT_TRUE(same_activity(
        fit, make("a.gpx", Format::gpx, Sport::trail_running, t0 + 60, 10290, 600, 10)));
    // 61 s apart and the spans overlap by 9 s of a 70 s shorter one: not the same.
    EXPECT_FALSE(
        same_activity(fit, make("b.gpx", Format::gpx, Sport::running, t0 + 3591, 10000, 70, 10)));
    // Within 60 s but 4 % longer and only 10 % of the shorter overlapping... no:
    // both spans nearly coincide, so overlap decides.
    EXPECT_TRUE(
        same_activity(fit, make("c.gpx", Format::gpx, Sport::running, t0 + 30, 10400, 3600, 10)));
    // Distance off by 4 % and short overlap: different.
    EXPECT_FALSE(same_activity(make("d.fit", Format::fit, Sport::running, t0, 10000, 100, 1),
                               make("e.fit", Format::fit, Sport::running, t0 + 60, 10400, 100, 1)));
    // Another sport family at the same time: different (a ride to the race).
    EXPECT_FALSE(
        same_activity(fit, make("f.fit", Format::fit, Sport::cycling, t0, 10000, 3600, 1)));
    // Hiking and walking are one family.
    EXPECT_TRUE(same_activity(make("g.fit", Format::fit, Sport::hiking, t0, std::nullopt, 3600, 1),
                              make("h.gpx", Format::gpx, Sport::walking, t0 + 20, 5000, 3600, 1)));
}

TEST(SameActivity, OverlapOfMoreThanHalfTheShorter) {
    const auto watch = make("w.fit", Format::fit, Sport::running, t0, 20000, 7200, 7200);
    // Phone started 5 minutes late and measured 8 % more: still one run.
    EXPECT_TRUE(same_activity(
        watch, make("p.gpx", Format::gpx, Sport::running, t0 + 300, 21600, 6600, 6600)));
    // Overlapping by exactly half of the shorter: not enough.
    EXPECT_FALSE(same_activity(
        watch, make("q.gpx", Format::gpx, Sport::running, t0 + 6600, 2000, 1200, 10)));
}

TEST(Dedupe, KeepsFitOverTcxOverGpxAndReportsTheOthers) {
    std::vector<InputOutcome> outcomes;
    auto gpx = make("run.gpx", Format::gpx, Sport::running, t0 + 1, 10100, 3590, 5000);
    gpx.name = "Morning run";
    outcomes.push_back(outcome_of(gpx));
    outcomes.push_back(
        outcome_of(make("run.tcx", Format::tcx, Sport::running, t0, 10000, 3600, 4000)));
    outcomes.push_back(
        outcome_of(make("x.zip!run.fit", Format::fit, Sport::running, t0, 10000, 3600, 3000)));
    outcomes.push_back(
        outcome_of(make("other.fit", Format::fit, Sport::running, t0 + 86400, 10000, 3600, 3000)));
    EXPECT_EQ(mark_duplicates(outcomes), 2U);
    EXPECT_EQ(outcomes[0].kind, InputOutcome::Kind::duplicate);
    EXPECT_TRUE(outcomes[0].activities.empty());
    ASSERT_EQ(outcomes[0].duplicates.size(), 1U);
    EXPECT_EQ(outcomes[0].duplicates[0].activity.source, "run.gpx");
    EXPECT_EQ(outcomes[0].duplicates[0].duplicate_of, "x.zip!run.fit");
    EXPECT_EQ(outcomes[1].duplicates.at(0).duplicate_of, "x.zip!run.fit");
    EXPECT_EQ(outcomes[2].kind, InputOutcome::Kind::read);
    ASSERT_EQ(outcomes[2].activities.size(), 1U);
    EXPECT_EQ(outcomes[2].activities[0].name, "Morning run");
    EXPECT_EQ(outcomes[3].activities.size(), 1U);
}

TEST(Dedupe, SameFormatKeepsMoreRecordsThenSmallerName) {
    std::vector<InputOutcome> outcomes;
    outcomes.push_back(
        outcome_of(make("b.fit", Format::fit, Sport::running, t0, 10000, 3600, 100)));
    outcomes.push_back(
        outcome_of(make("a.fit", Format::fit, Sport::running, t0, 10000, 3600, 100)));
    outcomes.push_back(outcome_of(make("c.fit", Format::fit, Sport::running, t0, 10000, 3600, 99)));
    EXPECT_EQ(mark_duplicates(outcomes), 2U);
    EXPECT_EQ(outcomes[1].activities.size(), 1U);
    EXPECT_EQ(outcomes[0].duplicates.at(0).duplicate_of, "a.fit");
    EXPECT_EQ(outcomes[2].duplicates.at(0).duplicate_of, "a.fit");
}

TEST(Dedupe, IntactCopyBeatsADamagedOne) {
    std::vector<InputOutcome> outcomes;
    auto bad = make("a_bad.fit", Format::fit, Sport::running, t0, 10000, 3600, 100);
    bad.set(Flag::crc_mismatch);
    outcomes.push_back(outcome_of(bad));
    outcomes.push_back(
        outcome_of(make("b_ok.fit", Format::fit, Sport::running, t0, 10000, 3600, 90)));
    EXPECT_EQ(mark_duplicates(outcomes), 1U);
    EXPECT_EQ(outcomes[0].duplicates.at(0).duplicate_of, "b_ok.fit");
}

TEST(Dedupe, OnlyTheDuplicateLegOfAMultiActivityInputMoves) {
    std::vector<InputOutcome> outcomes;
    InputOutcome chained;
    chained.source = "chained.fit";
    chained.kind = InputOutcome::Kind::read;
    chained.activities.push_back(
        make("chained.fit", Format::fit, Sport::running, t0, 5000, 1800, 1800));
    chained.activities.push_back(
        make("chained.fit", Format::fit, Sport::cycling, t0 + 4000, 30000, 3600, 3600));
    outcomes.push_back(std::move(chained));
    outcomes.push_back(
        outcome_of(make("ride.fit", Format::fit, Sport::cycling, t0 + 4010, 30100, 3600, 7200)));
    EXPECT_EQ(mark_duplicates(outcomes), 1U);
    EXPECT_EQ(outcomes[0].kind, InputOutcome::Kind::read);
    ASSERT_EQ(outcomes[0].activities.size(), 1U);
    EXPECT_EQ(outcomes[0].activities[0].sport, Sport::running);
    EXPECT_EQ(outcomes[0].duplicates.at(0).duplicate_of, "ride.fit");
}

TEST(Dedupe, ActivitiesWithoutStartAreLeftAlone) {
    std::vector<InputOutcome> outcomes;
    auto a = make("a.gpx", Format::gpx, Sport::running, t0, 10000, 3600, 10);
    a.start_utc.reset();
    outcomes.push_back(outcome_of(a));
    outcomes.push_back(outcome_of(a));
    EXPECT_EQ(mark_duplicates(outcomes), 0U);
}

} // namespace
} // namespace ultrastrength
