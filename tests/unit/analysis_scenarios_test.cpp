// Whole-pipeline scenarios built in code: history -> races -> phases.
#include "history/history.hpp"
#include "history/races.hpp"
#include "model/time.hpp"
#include "phase/phase.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace ultrastrength {
namespace {

const std::int64_t monday0 = days_from_civil({2025, 1, 6}); // a Monday

struct RunSpec {
    double km = 10;
    double speed_mps = 3.0; ///< 5:33/km
    double hr = 145;
    double ascent_m = 100;
    bool heart_rate = true;
    bool altitude = true;
};

ActivityFeatures make_run(std::int64_t day, const RunSpec& spec) {
    ActivityFeatures a;
    a.source = "run-" + format_date(civil_from_days(day)) + ".fit";
    a.sport = Sport::running;
    a.start_utc = day * 86400 + 7 * 3600;
    a.utc_offset_s = 0;
    const double t = spec.km * 1000 / spec.speed_mps;
    a.elapsed_s = t + 60;
    a.timer_s = t;
    a.moving_s = t;
    a.distance_m = spec.km * 1000;
    if (spec.altitude) {
        a.ascent_m = spec.ascent_m;
        a.descent_m = spec.ascent_m;
        a.ngp_speed_mps = spec.speed_mps;
        if (t >= 3600) {
            a.best60_gap_speed_mps = spec.speed_mps;
        }
    } else {
        a.set(Flag::no_altitude);
    }
    if (spec.heart_rate) {
        a.avg_hr = spec.hr;
        a.has_hr_histogram = true;
        a.hr_histogram[static_cast<std::size_t>(spec.hr)] = static_cast<std::uint32_t>(t);
        a.hr_histogram[185] = 2; // a short top to estimate HRmax from
    } else {
        a.set(Flag::no_heart_rate);
    }
    a.records = static_cast<std::uint64_t>(t);
    return a;
}

/// A week of `km` in four runs (Tue, Thu, Sat long, Sun), long run 40 %,
/// run 7 % slower than the rest as long runs are.
void add_week(std::vector<ActivityFeatures>& acts, std::int64_t monday, double km,
              RunSpec spec = {}) {
    if (km <= 0) {
        return;
    }
    const std::map<int, double> share = {{1, 0.2}, {3, 0.2}, {5, 0.4}, {6, 0.2}};
    for (const auto& [offset, fraction] : share) {
        RunSpec s = spec;
        s.km = km * fraction;
        if (offset == 5) {
            s.speed_mps *= 0.93;
        }
        acts.push_back(make_run(monday + offset, s));
    }
}

struct Result {
    History history;
    std::vector<DetectedRace> races;
    PhaseResult phases;
};

Result analyse(std::vector<ActivityFeatures> acts, std::vector<Race> races = {},
               std::optional<std::int64_t> today = std::nullopt) {
    HistoryInput input;
    input.activities = std::move(acts);
    input.utc_offset_s = 0;
    input.today = today;
    Result r;
    r.history = build_history(input);
    r.races = detect_races(r.history);
    r.phases = classify_phases(r.history, races, r.races);
    return r;
}

TEST(Scenario, SteadyBaseBlockIsStableAndFitnessConverges) {
    std::vector<ActivityFeatures> acts;
    for (int w = 0; w < 30; ++w) {
        add_week(acts, monday0 + 7 * w, 40);
    }
    const auto r = analyse(acts, {}, monday0 + 7 * 30 - 1);
    ASSERT_EQ(r.history.weeks.size(), 30U);
    // Daily mean load = weekly load / 7; CTL converges to it (±5 % ripple).
    const double daily = r.history.weeks[20].load / 7.0;
    EXPECT_NEAR(r.history.days.back().ctl, daily, 0.05 * daily);
    EXPECT_NEAR(r.history.weeks[29].effort_km, 44.0, 1e-9); // 40 km + 4 x 100 m / 100
    // Everything scored by pace, the steady block keeps one phase, no spikes.
    for (const auto& s : r.history.sessions) {
        EXPECT_EQ(s.rung, LoadRung::gap_pace);
    }
    for (std::size_t w = 10; w < 30; ++w) {
        EXPECT_EQ(r.phases.weeks[w].phase, r.phases.weeks[29].phase) << w;
        EXPECT_TRUE(r.history.weeks[w].flags.empty());
    }
    EXPECT_TRUE(r.races.empty());
    EXPECT_EQ(r.phases.weeks.back().confidence, Confidence::medium); // no race date: not high
}

std::vector<ActivityFeatures> build_to_marathon(std::int64_t& race_day) {
    std::vector<ActivityFeatures> acts;
    int w = 0;
    for (; w < 18; ++w) {
        add_week(acts, monday0 + 7 * w, 30 + 2.0 * w); // 30 -> 64 km
    }
    add_week(acts, monday0 + 7 * w++, 40); // taper
    add_week(acts, monday0 + 7 * w++, 25);
    race_day = monday0 + 7 * w + 6; // Sunday of the race week
    RunSpec shake;
    shake.km = 5;
    acts.push_back(make_run(race_day - 4, shake));
    RunSpec race;
    race.km = 42.2;
    race.speed_mps = 3.3;
    race.hr = 165;
    race.ascent_m = 150;
    acts.push_back(make_run(race_day, race));
    ++w;
    add_week(acts, monday0 + 7 * w++, 10); // recovery
    add_week(acts, monday0 + 7 * w++, 30);
    return acts;
}

TEST(Scenario, BuildToARaceWithTaperFollowsTheRaceDateSchedule) {
    std::int64_t race_day = 0;
    auto acts = build_to_marathon(race_day);
    Race race;
    race.date = civil_from_days(race_day);
    race.name = "Marathon";
    race.distance_km = 42.2;
    const auto r = analyse(acts, {race}, race_day + 14);
    const auto week_of = [&](std::int64_t day) {
        return static_cast<std::size_t>((monday_of(day) - r.history.weeks.front().start_day) / 7);
    };
    const std::size_t rw = week_of(race_day);
    EXPECT_EQ(r.phases.weeks[rw].phase, Phase::race);
    EXPECT_EQ(r.phases.weeks[rw - 1].phase, Phase::taper);
    EXPECT_EQ(r.phases.weeks[rw - 2].phase, Phase::late); // 42 effort-km: one taper week
    EXPECT_EQ(r.phases.weeks[rw - 3].phase, Phase::late);
    EXPECT_EQ(r.phases.weeks[rw - 8].phase, Phase::late);
    EXPECT_EQ(r.phases.weeks[rw - 9].phase, Phase::mid);
    EXPECT_EQ(r.phases.weeks[rw - 17].phase, Phase::early);
    EXPECT_EQ(r.phases.weeks[rw + 1].phase, Phase::recovery);
    EXPECT_EQ(r.phases.weeks[rw - 3].rule, "race-date schedule");
    EXPECT_EQ(*r.phases.weeks[rw - 3].weeks_to_race, 3);
    EXPECT_EQ(r.phases.weeks[rw - 3].confidence, Confidence::medium); // 18 weeks < 26
}

TEST(Scenario, BuildToARaceWithoutADateDetectsTheMarathon) {
    std::int64_t race_day = 0;
    const auto r = analyse(build_to_marathon(race_day));
    ASSERT_FALSE(r.races.empty());
    const auto& found = r.races.back();
    EXPECT_EQ(found.day, race_day);
    EXPECT_TRUE(found.likely);
    EXPECT_NEAR(*found.standard_km, 42.195, 1e-9);
    EXPECT_GE(found.reasons.size(), 3U);
    const std::size_t rw =
        static_cast<std::size_t>((monday_of(race_day) - r.history.weeks.front().start_day) / 7);
    EXPECT_EQ(r.phases.weeks[rw].phase, Phase::race);
    EXPECT_EQ(r.phases.weeks[rw + 1].phase, Phase::recovery);
    // The volume drop before a detected race is a taper.
    EXPECT_EQ(r.phases.weeks[rw - 1].phase, Phase::taper);
}

TEST(Scenario, DetectedRaceSchedulesTheWeeksBeforeIt) {
    std::int64_t race_day = 0;
    const auto r = analyse(build_to_marathon(race_day));
    const std::size_t rw =
        static_cast<std::size_t>((monday_of(race_day) - r.history.weeks.front().start_day) / 7);
    // In hindsight the build is counted back from the race found in the data,
    // as with --race (42 effort-km: one taper week), where the series agrees.
    EXPECT_EQ(r.phases.weeks[rw - 2].phase, Phase::late);
    EXPECT_EQ(r.phases.weeks[rw - 8].phase, Phase::late);
    EXPECT_EQ(r.phases.weeks[rw - 9].phase, Phase::mid);
    EXPECT_EQ(r.phases.weeks[rw - 3].rule, "race-date schedule, detected race");
    // The current week never depends on a race date found later: it is
    // judged by the series rules.
    EXPECT_NE(r.phases.weeks.back().rule.find("race-date schedule"), 0U);
    // Without the hindsight schedule the series alone still names the
    // build's end Late and the drop before the race a taper.
    PhaseSettings series_only;
    series_only.detected_race_schedule = false;
    const auto s = classify_phases(r.history, {}, r.races, series_only);
    EXPECT_EQ(s.weeks[rw - 1].phase, Phase::taper);
    EXPECT_EQ(s.weeks[rw - 3].phase, Phase::late);
}

TEST(Scenario, TuneUpRaceKeepsThePhase) {
    std::int64_t race_day = 0;
    auto acts = build_to_marathon(race_day);
    // A flat, fast 10K race on a Saturday nine weeks before the marathon.
    const std::int64_t ten_k = race_day - 9 * 7 - 1;
    acts.erase(std::remove_if(acts.begin(), acts.end(),
                              [&](const ActivityFeatures& a) {
                                  const auto day = *a.start_utc / 86400;
                                  return day >= ten_k - 2 && day <= ten_k;
                              }),
               acts.end());
    RunSpec fast;
    fast.km = 10.0;
    fast.speed_mps = 4.0;
    fast.hr = 178;
    fast.ascent_m = 20;
    acts.push_back(make_run(ten_k, fast));
    const auto r = analyse(acts);
    bool found = false;
    for (const auto& d : r.races) {
        found = found || (d.day == ten_k && d.likely);
    }
    ASSERT_TRUE(found);
    const std::size_t tw =
        static_cast<std::size_t>((monday_of(ten_k) - r.history.weeks.front().start_day) / 7);
    EXPECT_EQ(r.phases.weeks[tw].phase, Phase::mid); // 9 weeks before the marathon
    EXPECT_EQ(r.phases.weeks[tw + 1].phase, Phase::late);
    bool reported = false;
    for (const auto& reason : r.phases.weeks[tw].reasons) {
        reported = reported || reason.find("tune-up") != std::string::npos;
    }
    EXPECT_TRUE(reported);
    // Before the marathon is run, nothing bigger follows: the 10K is a race
    // week, then a recovery week.
    std::vector<ActivityFeatures> before;
    for (const auto& a : acts) {
        if (*a.start_utc / 86400 <= ten_k + 14) {
            before.push_back(a);
        }
    }
    const auto b = analyse(before, {}, ten_k + 14);
    EXPECT_EQ(b.phases.weeks[tw].phase, Phase::race);
    EXPECT_EQ(b.phases.weeks[tw + 1].phase, Phase::recovery);
}

TEST(Scenario, FirstWeeksOfAShortHistoryAreNotItsPeak) {
    // Twenty weeks rebuilding from 15 to 72 km, no race: the first weeks are
    // measured against the peak the history reaches, not against themselves.
    std::vector<ActivityFeatures> acts;
    for (int w = 0; w < 20; ++w) {
        add_week(acts, monday0 + 7 * w, w < 3 ? 15 : 15 + 3.0 * w);
    }
    const auto r = analyse(acts, {}, monday0 + 7 * 20 - 1);
    EXPECT_EQ(r.phases.weeks[0].phase, Phase::off_season);
    EXPECT_EQ(r.phases.weeks[1].phase, Phase::off_season);
    EXPECT_LT(*r.phases.weeks[0].features.r, 0.35);
    for (std::size_t w = 0; w < 12; ++w) {
        EXPECT_NE(r.phases.weeks[w].phase, Phase::late) << w;
    }
    // The last week's peak is the trailing one: the same as without hindsight.
    EXPECT_NEAR(r.phases.weeks.back().features.peak4_effort_km,
                (r.history.weeks[16].effort_km + r.history.weeks[17].effort_km +
                 r.history.weeks[18].effort_km + r.history.weeks[19].effort_km) /
                    4.0,
                1e-9);
}

TEST(Scenario, InjuryBreakIsAGapAndLeadsToOffSeason) {
    std::vector<ActivityFeatures> acts;
    int w = 0;
    for (; w < 14; ++w) {
        add_week(acts, monday0 + 7 * w, 50);
    }
    w += 5; // five weeks without running
    for (int k = 0; k < 3; ++k, ++w) {
        add_week(acts, monday0 + 7 * w, 15 + 5.0 * k);
    }
    const auto r = analyse(acts, {}, monday0 + 7 * w - 1);
    ASSERT_EQ(r.history.weeks.size(), static_cast<std::size_t>(w));
    for (int k = 14; k < 19; ++k) {
        EXPECT_EQ(r.history.weeks[static_cast<std::size_t>(k)].status, WeekStatus::gap) << k;
    }
    EXPECT_EQ(r.phases.weeks[17].phase, Phase::off_season);
    // Five weeks without load: CTL x e^(-35/42) ~ 0.43.
    EXPECT_LT(r.history.weeks[18].ctl, 0.5 * r.history.weeks[13].ctl);
}

TEST(Scenario, OneRecoveryWeekInsideABlockDoesNotChangePhase) {
    std::vector<ActivityFeatures> acts;
    for (int w = 0; w < 20; ++w) {
        add_week(acts, monday0 + 7 * w, w == 14 ? 0 : 50);
    }
    const auto r = analyse(acts, {}, monday0 + 7 * 20 - 1);
    EXPECT_EQ(r.history.weeks[14].status, WeekStatus::recovery_week);
    // The empty week itself is not a build week (§3.3 stable labels) ...
    ASSERT_TRUE(r.phases.weeks[13].phase == Phase::mid || r.phases.weeks[13].phase == Phase::late);
    EXPECT_EQ(r.phases.weeks[14].phase, Phase::early);
    EXPECT_EQ(r.phases.weeks[14].rule, "stable phases: a week without activity is not Mid or Late");
    // ... and the season carries on after it as before.
    EXPECT_EQ(r.phases.weeks[15].phase, r.phases.weeks[13].phase);
    EXPECT_EQ(r.phases.weeks[16].phase, r.phases.weeks[13].phase);
}

TEST(Scenario, HysteresisNeedsTwoWeeksAndDatesTheChangeFromTheFirst) {
    // Twelve weeks of 60 km, then 12 km a week: the series points to
    // Off-season from week 14 (4-week mean under 50 % of the peak, falling).
    std::vector<ActivityFeatures> acts;
    for (int w = 0; w < 20; ++w) {
        add_week(acts, monday0 + 7 * w, w < 12 ? 60 : 12);
    }
    const auto r = analyse(acts, {}, monday0 + 7 * 20 - 1);
    ASSERT_EQ(r.phases.weeks[14].candidate, Phase::off_season);
    ASSERT_NE(r.phases.weeks[13].candidate, Phase::off_season);
    EXPECT_NE(r.phases.weeks[13].phase, Phase::off_season);
    // Confirmed in week 15, dated from week 14 in hindsight.
    EXPECT_EQ(r.phases.weeks[14].phase, Phase::off_season);
    EXPECT_EQ(r.phases.weeks[15].phase, Phase::off_season);
    EXPECT_NE(r.phases.weeks[14].reasons.back().find("in hindsight"), std::string::npos);
    // As it was decided week by week: one week is not enough.
    PhaseSettings live;
    live.backdate_changes = false;
    const auto l = classify_phases(r.history, {}, r.races, live);
    EXPECT_EQ(l.weeks[14].phase, r.phases.weeks[13].phase);
    EXPECT_EQ(l.weeks[15].phase, Phase::off_season);
}

TEST(Scenario, ThreeWeeksOfHistoryIsLowConfidenceAndWarmingUp) {
    std::vector<ActivityFeatures> acts;
    for (int w = 0; w < 3; ++w) {
        add_week(acts, monday0 + 7 * w, 30);
    }
    const auto r = analyse(acts);
    EXPECT_EQ(r.history.weeks.size(), 3U);
    EXPECT_TRUE(r.history.pmc_warming_up);
    // Seeded with the mean daily load of the available days, not zero.
    EXPECT_GT(r.history.days.front().ctl, 0.5 * r.history.weeks[0].load / 7.0);
    for (const auto& w : r.phases.weeks) {
        EXPECT_EQ(w.confidence, Confidence::low);
    }
    EXPECT_NE(r.phases.explanation.find("confidence low"), std::string::npos);
}

TEST(Scenario, WithoutHeartRatePaceScoresEverything) {
    std::vector<ActivityFeatures> acts;
    RunSpec spec;
    spec.heart_rate = false;
    for (int w = 0; w < 8; ++w) {
        add_week(acts, monday0 + 7 * w, 30, spec);
    }
    const auto r = analyse(acts);
    EXPECT_TRUE(r.history.athlete.hr_max.estimated);
    EXPECT_EQ(r.history.athlete.hr_max.how, "no heart-rate data: default");
    for (const auto& s : r.history.sessions) {
        EXPECT_EQ(s.rung, LoadRung::gap_pace);
        EXPECT_FALSE(s.trimp);
        EXPECT_GT(s.load, 0);
    }
}

TEST(Scenario, WithoutAltitudeHeartRateScoresEverything) {
    std::vector<ActivityFeatures> acts;
    RunSpec spec;
    spec.altitude = false;
    for (int w = 0; w < 8; ++w) {
        add_week(acts, monday0 + 7 * w, 30, spec);
    }
    const auto r = analyse(acts);
    for (const auto& s : r.history.sessions) {
        EXPECT_EQ(s.rung, LoadRung::heart_rate);
        EXPECT_NEAR(s.effort_km, s.distance_m / 1000, 1e-9);
    }
    // HRmax from the 99.5th percentile of the samples: the 185-bpm tops
    // are 2 s of every run, too few to count.
    EXPECT_EQ(*r.history.athlete.hr_max.value, 145);
}

TEST(Scenario, WithoutHeartRateOrAltitudeFallsBackToTheDefaultRate) {
    std::vector<ActivityFeatures> acts;
    RunSpec spec;
    spec.altitude = false;
    spec.heart_rate = false;
    for (int w = 0; w < 2; ++w) {
        add_week(acts, monday0 + 7 * w, 30, spec);
    }
    const auto r = analyse(acts);
    for (const auto& s : r.history.sessions) {
        EXPECT_EQ(s.rung, LoadRung::default_rate);
        EXPECT_NEAR(s.load, 50.0 * s.moving_s / 3600.0, 1e-9);
    }
}

TEST(Scenario, HikesCountInLoadAndTimeButEffortKmOnlyWhenSteep) {
    std::vector<ActivityFeatures> acts;
    add_week(acts, monday0, 30);
    auto hike = make_run(monday0 + 2, RunSpec{8, 1.2, 120, 200});
    hike.sport = Sport::hiking;
    auto steep = make_run(monday0 + 4, RunSpec{8, 1.0, 125, 900});
    steep.sport = Sport::hiking;
    acts.push_back(hike);
    acts.push_back(steep);
    auto ride = make_run(monday0 + 2, RunSpec{40, 8, 130, 300});
    ride.sport = Sport::cycling;
    acts.push_back(ride);
    const auto r = analyse(acts);
    const Week& w = r.history.weeks[0];
    EXPECT_EQ(w.runs, 4);
    EXPECT_EQ(w.sessions, 6);
    EXPECT_NEAR(w.running_km, 30, 1e-9);
    EXPECT_NEAR(w.km, 38, 1e-9); // the steep hike only
    EXPECT_NEAR(w.effort_km, 30 + 4 + 8 + 9, 1e-9);
    ASSERT_EQ(r.history.excluded.size(), 1U);
    EXPECT_EQ(r.history.excluded[0].reason, "not a running, hiking or walking activity");
}

ActivityFeatures make_strength(std::int64_t day, double minutes) {
    ActivityFeatures a;
    a.source = "strength-" + format_date(civil_from_days(day)) + ".fit";
    a.sport = Sport::strength;
    a.start_utc = day * 86400 + 18 * 3600;
    a.utc_offset_s = 0;
    a.elapsed_s = minutes * 60;
    a.timer_s = minutes * 60;
    a.set(Flag::no_heart_rate);
    return a;
}

History history_with(std::vector<ActivityFeatures> acts) {
    HistoryInput input;
    input.activities = std::move(acts);
    input.utc_offset_s = 0;
    input.athlete.hr_max = 190;
    input.athlete.hr_rest = 50;
    input.athlete.lthr = 170;
    input.athlete.sex = Sex::male;
    return build_history(input);
}

// §4.6, §4.7: completed strength counts in the daily load by session-RPE (its RPE,
// else RPE 6, the planned scale; heart rate under-reads lifting); never in km, effort-km, weeks'
// runs or phases.
TEST(Scenario, StrengthCountsInTheLoadButNotInVolume) {
    std::vector<ActivityFeatures> runs;
    for (int w = 0; w < 8; ++w) {
        add_week(runs, monday0 + 7 * w, 40);
    }
    std::vector<ActivityFeatures> acts = runs;
    auto hr = make_strength(monday0 + 7 * 6, 40); // Monday, 40 min at 110 bpm
    hr.flags = 0;
    hr.has_hr_histogram = true;
    hr.hr_histogram[110] = 40 * 60;
    acts.push_back(hr);
    auto rpe = make_strength(monday0 + 7 * 6 + 2, 30); // Wednesday, RPE 7
    rpe.rpe = 7;
    acts.push_back(rpe);
    acts.push_back(make_strength(monday0 + 7 * 7 + 4, 45)); // Friday, nothing recorded
    const History with = history_with(acts);
    const History without = history_with(runs);

    ASSERT_EQ(with.strength.size(), 3U);
    // §4.7 one scale: heart rate is kept for display (HRr = (110 - 50)/140; TRIMP =
    // 40 x HRr x 0.64 e^(1.92 HRr) = 24.98; hrTSS 14.6, which under-reads lifting);
    // the load is session-RPE at the planned session's RPE 6: 6 x 40 min x 100/420.
    EXPECT_EQ(with.strength[0].rung, LoadRung::default_rate);
    EXPECT_NEAR(*with.strength[0].trimp, 24.982, 1e-3);
    EXPECT_NEAR(*with.strength[0].hr_load, 14.639, 1e-3);
    EXPECT_NEAR(with.strength[0].load, 6 * 40 * 100.0 / 420, 1e-9);
    // 7 x 30 min x c, c = 100/420 (no activity has both RPE and pace or HR load).
    EXPECT_EQ(with.strength[1].rung, LoadRung::rpe);
    EXPECT_NEAR(with.strength[1].load, 50.0, 1e-9);
    // No HR, no RPE: 6 x 45 min x 100/420.
    EXPECT_EQ(with.strength[2].rung, LoadRung::default_rate);
    EXPECT_NEAR(with.strength[2].load, 6 * 45 * 100.0 / 420, 1e-9);

    // The daily load grows by exactly the strength load on its day, nothing else.
    ASSERT_EQ(with.days.size(), without.days.size());
    double added = 0;
    for (std::size_t d = 0; d < with.days.size(); ++d) {
        const double diff = with.days[d].load - without.days[d].load;
        EXPECT_NEAR(diff, with.days[d].strength_load, 1e-9);
        added += diff;
    }
    EXPECT_NEAR(added, 6 * 40 * 100.0 / 420 + 50.0 + 6 * 45 * 100.0 / 420, 1e-3);
    EXPECT_GT(with.days.back().ctl, without.days.back().ctl);
    // Volume, sessions and weeks' running untouched.
    ASSERT_EQ(with.weeks.size(), without.weeks.size());
    for (std::size_t w = 0; w < with.weeks.size(); ++w) {
        EXPECT_EQ(with.weeks[w].runs, without.weeks[w].runs);
        EXPECT_EQ(with.weeks[w].sessions, without.weeks[w].sessions);
        EXPECT_DOUBLE_EQ(with.weeks[w].km, without.weeks[w].km);
        EXPECT_DOUBLE_EQ(with.weeks[w].effort_km, without.weeks[w].effort_km);
        EXPECT_DOUBLE_EQ(with.weeks[w].time_h, without.weeks[w].time_h);
        EXPECT_NEAR(with.weeks[w].load - with.weeks[w].strength_load, without.weeks[w].load, 1e-9);
    }
    EXPECT_EQ(with.weeks[6].strength_sessions, 2);
    EXPECT_EQ(with.weeks[7].strength_sessions, 1);
    EXPECT_EQ(with.sessions.size(), without.sessions.size());
    const PhaseResult pa = classify_phases(with, {}, detect_races(with));
    const PhaseResult pb = classify_phases(without, {}, detect_races(without));
    ASSERT_EQ(pa.weeks.size(), pb.weeks.size());
    for (std::size_t w = 0; w < pa.weeks.size(); ++w) {
        EXPECT_EQ(pa.weeks[w].phase, pb.weeks[w].phase);
    }
}

// §1.4: form for a day is CTL - ATL at the end of the day before, over that CTL;
// the day after the history is defined from the last day's end state.
TEST(Scenario, FormOfTheDayAfterTheHistoryUsesTheLastDaysEnd) {
    std::vector<ActivityFeatures> acts;
    for (int w = 0; w < 3; ++w) {
        add_week(acts, monday0 + 7 * w, 40);
    }
    const History h = history_with(acts);
    const Day& last = h.days.back();
    EXPECT_EQ(form_fraction_on(h, last.day), last.form_pct);
    ASSERT_TRUE(form_fraction_on(h, last.day + 1).has_value());
    EXPECT_DOUBLE_EQ(*form_fraction_on(h, last.day + 1), (last.ctl - last.atl) / last.ctl);
    EXPECT_FALSE(form_fraction_on(h, last.day + 2).has_value());
    EXPECT_FALSE(form_fraction_on(h, h.days.front().day - 1).has_value());
}

TEST(Scenario, DuplicateRecordingsKeepTheRicherFile) {
    std::vector<ActivityFeatures> acts;
    auto fit = make_run(monday0, RunSpec{});
    auto gpx = fit;
    gpx.format = Format::gpx;
    gpx.source = "same-run.gpx";
    gpx.start_utc = *fit.start_utc + 30;
    acts.push_back(gpx);
    acts.push_back(fit);
    const auto r = analyse(acts);
    ASSERT_EQ(r.history.sessions.size(), 1U);
    EXPECT_EQ(r.history.sessions[0].source, fit.source);
    ASSERT_EQ(r.history.excluded.size(), 1U);
    EXPECT_EQ(r.history.excluded[0].reason, "duplicate of " + fit.source);
}

TEST(Scenario, LocalDatesUseTheFileOffsetThenTheGivenZone) {
    auto a = make_run(monday0, RunSpec{});
    a.start_utc = monday0 * 86400 - 3600; // Sunday 23:00 UTC
    a.utc_offset_s.reset();
    HistoryInput input;
    input.activities = {a};
    input.utc_offset_s = 2 * 3600;
    EXPECT_EQ(build_history(input).sessions[0].local_day, monday0);
    input.utc_offset_s = 0;
    EXPECT_EQ(build_history(input).sessions[0].local_day, monday0 - 1);
    input.activities[0].utc_offset_s = 3600;
    EXPECT_EQ(build_history(input).sessions[0].local_day, monday0);
}

TEST(Scenario, EmptyHistoryDoesNotCrash) {
    const auto r = analyse({});
    EXPECT_TRUE(r.history.weeks.empty());
    EXPECT_TRUE(r.phases.weeks.empty());
    EXPECT_FALSE(r.phases.explanation.empty());
}

} // namespace
} // namespace ultrastrength
