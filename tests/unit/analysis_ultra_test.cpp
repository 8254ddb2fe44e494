// An ultrarunner's year built in code: weekly long runs of 25-40 km and
// back-to-back weekends, mountain runs and long hikes as training, rides,
// swims and strength mixed in, a 24-hour loop race and a 100-mile mountain
// race. The races must be found on their dates with evidence, the mountain
// days and long runs must not be, weekly running km must be what was run,
// and the phases must follow the races.
#include "history/history.hpp"
#include "history/races.hpp"
#include "model/time.hpp"
#include "phase/phase.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace ultrastrength {
namespace {

const std::int64_t monday0 = days_from_civil({2025, 1, 6}); // a Monday
constexpr int year_weeks = 52;

struct Outing {
    Sport sport = Sport::running;
    double km = 10;
    double ascent_m = 100;
    double flat_speed_mps = 3.0; ///< speed on the flat; climbs slow it
    double hr = 140;
    double start_h = 7;
    double stopped_s = 120; ///< elapsed - moving (aid stations, summits)
    std::string name;
};

/// A foot session with altitude and heart rate. Time follows effort-km
/// (100 m of climbing costs about one flat km), so the pace slows on hilly
/// ground while the grade-adjusted pace stays the runner's flat pace.
ActivityFeatures make_outing(std::int64_t day, const Outing& o) {
    ActivityFeatures a;
    a.source = std::string(to_string(o.sport)) + "-" + format_date(civil_from_days(day)) + ".fit";
    a.name = o.name;
    a.sport = o.sport;
    a.start_utc = day * 86400 + static_cast<std::int64_t>(o.start_h * 3600);
    a.utc_offset_s = 0;
    const double effort_km = o.km + o.ascent_m / 100.0;
    const double t = effort_km * 1000 / o.flat_speed_mps;
    a.timer_s = t;
    a.moving_s = t;
    a.elapsed_s = t + o.stopped_s;
    a.distance_m = o.km * 1000;
    a.ascent_m = o.ascent_m;
    a.descent_m = o.ascent_m;
    a.ngp_speed_mps = o.flat_speed_mps;
    if (t >= 3600) {
        a.best60_gap_speed_mps = o.flat_speed_mps;
    }
    a.avg_hr = o.hr;
    a.has_hr_histogram = true;
    a.hr_histogram[static_cast<std::size_t>(o.hr)] = static_cast<std::uint32_t>(t);
    a.hr_histogram[182] = 120; // strides and steep pitches
    a.records = static_cast<std::uint64_t>(t);
    return a;
}

/// A ride, swim or strength session: never running volume, never a race.
ActivityFeatures make_cross(std::int64_t day, Sport sport, double minutes, double km, double hr) {
    ActivityFeatures a;
    a.source = std::string(to_string(sport)) + "-" + format_date(civil_from_days(day)) + ".fit";
    a.sport = sport;
    a.start_utc = day * 86400 + 17 * 3600;
    a.utc_offset_s = 0;
    a.elapsed_s = minutes * 60 + 60;
    a.timer_s = minutes * 60;
    a.moving_s = minutes * 60;
    if (km > 0) {
        a.distance_m = km * 1000;
    }
    a.avg_hr = hr;
    a.has_hr_histogram = true;
    a.hr_histogram[static_cast<std::size_t>(hr)] = static_cast<std::uint32_t>(minutes * 60);
    a.records = static_cast<std::uint64_t>(minutes * 60);
    return a;
}

struct Year {
    std::vector<ActivityFeatures> acts;
    std::map<std::int64_t, double> running_km; ///< by Monday
    std::map<std::int64_t, double> hike_km;    ///< steep hikes (in km, not running km)
    std::vector<std::int64_t> mountain_days;   ///< mountain runs and long hikes
    std::vector<std::int64_t> long_runs;       ///< long runs >= 30 km
    std::vector<std::int64_t> hill_days;       ///< the weekly hill session, at the same HR
    std::int64_t day_24h = 0;
    std::int64_t day_100mi = 0;
    int cross_sessions = 0;

    void run(std::int64_t day, const Outing& o) {
        acts.push_back(make_outing(day, o));
        if (is_running(o.sport)) {
            running_km[monday_of(day)] += o.km;
        } else if (o.ascent_m >= 300) {
            hike_km[monday_of(day)] += o.km;
        }
    }
    void cross(std::int64_t day, Sport sport, double minutes, double km, double hr) {
        acts.push_back(make_cross(day, sport, minutes, km, hr));
        ++cross_sessions;
    }
};

Outing easy(double km, double ascent_m) {
    return Outing{Sport::running, km, ascent_m, 3.05, 138, 7, 60, "Easy run"};
}

/// A training week: two midweek runs, a ride, a swim and a strength
/// session, a long trail run on Saturday and a back-to-back on Sunday.
void training_week(Year& y, std::int64_t monday, double long_km, double b2b_km,
                   double midweek_km = 12) {
    y.cross(monday + 0, Sport::strength, 45, 0, 105);
    y.run(monday + 1, easy(midweek_km, 120));
    y.cross(monday + 2, Sport::cycling, 90, 38, 128);
    y.run(monday + 3, Outing{Sport::trail_running, midweek_km, 450, 3.2, 150, 18, 60, "Hill reps"});
    y.hill_days.push_back(monday + 3);
    y.cross(monday + 4, Sport::swimming, 45, 2.0, 125);
    if (long_km > 0) {
        const Outing lr{Sport::trail_running, long_km, 30 * long_km, 2.85, 141, 7, 900, "Long run"};
        y.run(monday + 5, lr);
        if (long_km >= 30) {
            y.long_runs.push_back(monday + 5);
        }
    }
    if (b2b_km > 0) {
        y.run(monday + 6,
              Outing{Sport::trail_running, b2b_km, 25 * b2b_km, 2.9, 136, 8, 300, "Back-to-back"});
    }
}

/// A summer mountain weekend: a mountain run on Saturday, a long hike on
/// Sunday (6-9 h, 1,500-2,500 m D+), both training.
void mountain_week(Year& y, std::int64_t monday, int k) {
    y.cross(monday + 0, Sport::strength, 40, 0, 105);
    y.run(monday + 1, easy(12, 150));
    y.cross(monday + 2, Sport::cycling, 120, 55, 130);
    y.run(monday + 3, Outing{Sport::trail_running, 14, 600, 3.2, 150, 18, 60, "Hill reps"});
    y.hill_days.push_back(monday + 3);
    const double run_km = k % 2 == 0 ? 28 : 24;
    const double run_dplus = k % 2 == 0 ? 1900 : 1600;
    y.run(monday + 5,
          Outing{Sport::trail_running, run_km, run_dplus, 2.8, 139, 6, 1800, "Mountain run"});
    y.mountain_days.push_back(monday + 5);
    // 18-24 km with 1,500-2,500 m D+ at a hiker's flat pace: 6-9 h.
    const double hike_km = 18 + 2.0 * (k % 4);
    const double hike_dplus = 1500 + 330.0 * (k % 4);
    y.run(monday + 6, Outing{Sport::hiking, hike_km, hike_dplus, 1.25, 112, 7, 3600, "Hike"});
    y.mountain_days.push_back(monday + 6);
}

Year ultra_year() {
    Year y;
    int w = 0;
    // Winter base: long runs build from 25 to 35 km, every fourth week lighter.
    for (; w < 16; ++w) {
        const bool light = w % 4 == 3;
        const double lr = light ? 20 : std::min(35.0, 25 + 1.0 * w);
        training_week(y, monday0 + 7 * w, lr, light ? 12 : 15 + 0.5 * w);
    }
    // Peak weeks: 38-40 km long runs with 22-25 km back-to-backs.
    training_week(y, monday0 + 7 * w++, 38, 22, 14);
    training_week(y, monday0 + 7 * w++, 40, 25, 14);
    // Taper to the 24-hour race: lower volume, shorter long runs.
    training_week(y, monday0 + 7 * w++, 28, 14, 12);
    training_week(y, monday0 + 7 * w++, 20, 0, 10);
    {
        // Race week: two short runs, a shake-out, the race from Saturday
        // 10:00 to Sunday 10:00 on a 1.4 km loop: 164 km, 21.5 h moving.
        const std::int64_t m = monday0 + 7 * w++;
        y.run(m + 1, easy(8, 60));
        y.run(m + 3, easy(5, 30));
        y.day_24h = m + 5;
        y.run(y.day_24h, Outing{Sport::running, 164, 900, (164 + 9) * 1000 / (21.5 * 3600), 128, 10,
                                2.5 * 3600, "24 Stunden"});
    }
    // Easy days after, then rebuild.
    {
        const std::int64_t m = monday0 + 7 * w++;
        y.cross(m + 2, Sport::swimming, 30, 1.2, 110);
        y.run(m + 3, easy(6, 40));
        y.cross(m + 4, Sport::cycling, 60, 22, 115);
        y.run(m + 6, easy(10, 80));
    }
    training_week(y, monday0 + 7 * w++, 20, 0, 10);
    training_week(y, monday0 + 7 * w++, 28, 15, 12);
    // Summer: mountain weekends as training.
    for (int k = 0; k < 9; ++k) {
        mountain_week(y, monday0 + 7 * w++, k);
    }
    // Taper to the 100-mile mountain race.
    training_week(y, monday0 + 7 * w++, 30, 15, 12);
    training_week(y, monday0 + 7 * w++, 20, 0, 10);
    {
        // Race week: the race starts Friday 18:00 and ends Sunday early
        // morning: 171 km, 10,000 m D+, about 30 h with 2 h at aid stations.
        const std::int64_t m = monday0 + 7 * w++;
        y.run(m + 1, easy(8, 100));
        y.run(m + 2, easy(5, 50));
        y.day_100mi = m + 4;
        y.run(y.day_100mi,
              Outing{Sport::trail_running, 171, 10000, (171 + 100) * 1000 / (28.0 * 3600), 126, 18,
                     2 * 3600, "Tour du massif"});
    }
    {
        const std::int64_t m = monday0 + 7 * w++;
        y.cross(m + 3, Sport::cycling, 45, 15, 110);
        y.run(m + 4, Outing{Sport::walking, 6, 50, 1.4, 95, 10, 300, "Walk"});
        y.run(m + 6, easy(8, 60));
    }
    // Autumn: easier training weeks to the end of the year.
    for (int k = 0; w < year_weeks; ++w, ++k) {
        training_week(y, monday0 + 7 * w, k % 3 == 2 ? 18 : 25, k % 3 == 2 ? 0 : 12, 10);
    }
    return y;
}

struct Analysed {
    History history;
    std::vector<DetectedRace> races;
    PhaseResult phases;
};

Analysed analyse(const Year& y, const std::vector<Race>& named = {}) {
    HistoryInput input;
    input.activities = y.acts;
    input.utc_offset_s = 0;
    input.today = monday0 + 7 * year_weeks - 1;
    Analysed r;
    r.history = build_history(input);
    r.races = detect_races(r.history);
    r.phases = classify_phases(r.history, named, r.races);
    return r;
}

std::size_t week_of(const History& h, std::int64_t day) {
    return static_cast<std::size_t>((monday_of(day) - h.weeks.front().start_day) / 7);
}

const DetectedRace* race_on(const std::vector<DetectedRace>& races, std::int64_t day) {
    for (const auto& r : races) {
        if (r.day == day) {
            return &r;
        }
    }
    return nullptr;
}

std::string describe(const std::vector<DetectedRace>& races) {
    std::string text;
    for (const auto& r : races) {
        text += format_date(civil_from_days(r.day)) + (r.likely ? " race" : " possible") +
                " score " + std::to_string(r.score) + ":";
        for (const auto& reason : r.reasons) {
            text += " [" + reason + "]";
        }
        text += "\n";
    }
    return text;
}

TEST(UltraYear, WeeklyRunningKmIsWhatWasRunWhateverElseWasDone) {
    const Year y = ultra_year();
    const auto r = analyse(y);
    ASSERT_EQ(r.history.weeks.size(), static_cast<std::size_t>(year_weeks));
    for (const Week& w : r.history.weeks) {
        const auto run = y.running_km.find(w.start_day);
        const auto hike = y.hike_km.find(w.start_day);
        const double running = run == y.running_km.end() ? 0.0 : run->second;
        const double hiking = hike == y.hike_km.end() ? 0.0 : hike->second;
        const auto label = format_date(civil_from_days(w.start_day));
        EXPECT_NEAR(w.running_km, running, 1e-9) << label;
        EXPECT_NEAR(w.km, running + hiking, 1e-9) << label; // steep hikes count in km
    }
    // Rides and swims stay out of the history, strength only in the load.
    std::size_t rides_and_swims = 0;
    for (const auto& a : y.acts) {
        rides_and_swims += a.sport == Sport::cycling || a.sport == Sport::swimming ? 1 : 0;
    }
    EXPECT_EQ(r.history.excluded.size(), rides_and_swims);
    EXPECT_EQ(r.history.strength.size(),
              static_cast<std::size_t>(y.cross_sessions) - rides_and_swims);
    for (const auto& d : r.races) {
        EXPECT_TRUE(r.history.sessions[d.session].running) << r.history.sessions[d.session].source;
    }
}

TEST(UltraYear, BothRacesAreFoundOnTheirDatesWithEvidence) {
    const Year y = ultra_year();
    const auto r = analyse(y);
    const std::string found = describe(r.races);
    for (const std::int64_t day : {y.day_24h, y.day_100mi}) {
        const DetectedRace* d = race_on(r.races, day);
        ASSERT_NE(d, nullptr) << format_date(civil_from_days(day)) << "\n" << found;
        EXPECT_TRUE(d->likely) << found;
        EXPECT_GE(d->reasons.size(), 3U) << found;
        EXPECT_GE(d->confidence, 0.6) << found;
        bool spike = false;
        for (const auto& reason : d->reasons) {
            spike = spike || reason.find("x the longest of the previous") != std::string::npos;
        }
        EXPECT_TRUE(spike) << found;
    }
}

TEST(UltraYear, MountainDaysAndLongRunsAreTrainingNotRaces) {
    const Year y = ultra_year();
    const auto r = analyse(y);
    const std::string found = describe(r.races);
    int likely = 0;
    int possible = 0;
    for (const auto& d : r.races) {
        (d.likely ? likely : possible) += 1;
    }
    EXPECT_EQ(likely, 2) << found;
    EXPECT_LE(possible, 3) << found; // "at most a few a year"
    for (const std::int64_t day : y.mountain_days) {
        const DetectedRace* d = race_on(r.races, day);
        EXPECT_TRUE(d == nullptr || !d->likely) << format_date(civil_from_days(day)) << "\n"
                                                << found;
    }
    // Its heart rate is the year's highest for its length, but it is
    // reached every week: no race, not even a possible one.
    for (const std::int64_t day : y.hill_days) {
        EXPECT_EQ(race_on(r.races, day), nullptr) << format_date(civil_from_days(day)) << "\n"
                                                  << found;
    }
    for (const std::int64_t day : y.long_runs) {
        const DetectedRace* d = race_on(r.races, day);
        EXPECT_TRUE(d == nullptr || !d->likely) << format_date(civil_from_days(day)) << "\n"
                                                << found;
    }
}

void expect_phases_follow(const Analysed& r, std::int64_t race_day, const std::string& what) {
    const std::size_t rw = week_of(r.history, race_day);
    std::string around;
    for (std::size_t w = rw - 3; w <= rw + 2; ++w) {
        around +=
            std::string(to_string(r.phases.weeks[w].phase)) + " (" + r.phases.weeks[w].rule + ") ";
    }
    EXPECT_EQ(r.phases.weeks[rw].phase, Phase::race) << what << ": " << around;
    EXPECT_EQ(r.phases.weeks[rw - 1].phase, Phase::taper) << what << ": " << around;
    EXPECT_EQ(r.phases.weeks[rw + 1].phase, Phase::recovery) << what << ": " << around;
    EXPECT_NE(r.phases.weeks[rw - 3].phase, Phase::off_season) << what << ": " << around;
    EXPECT_NE(r.phases.weeks[rw - 3].phase, Phase::recovery) << what << ": " << around;
}

TEST(UltraYear, PhasesFollowTheDetectedRaces) {
    const Year y = ultra_year();
    const auto r = analyse(y);
    expect_phases_follow(r, y.day_24h, "24-hour race, detected");
    expect_phases_follow(r, y.day_100mi, "100-mile race, detected");
}

TEST(UltraYear, PhasesFollowTheNamedRaces) {
    const Year y = ultra_year();
    Race a;
    a.date = civil_from_days(y.day_100mi);
    a.name = "Tour du massif";
    a.distance_km = 171;
    a.ascent_m = 10000;
    Race b;
    b.date = civil_from_days(y.day_24h);
    b.name = "24 h";
    b.distance_km = 164;
    const auto r = analyse(y, {b, a});
    expect_phases_follow(r, y.day_24h, "24-hour race, named");
    expect_phases_follow(r, y.day_100mi, "100-mile race, named");
}

} // namespace
} // namespace ultrastrength
