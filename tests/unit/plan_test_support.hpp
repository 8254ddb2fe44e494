// Planner contexts shared by the plan and interop tests: hand-built ones and
// the generator of the property tests.
#ifndef ULTRASTRENGTH_TESTS_PLAN_TEST_SUPPORT_HPP
#define ULTRASTRENGTH_TESTS_PLAN_TEST_SUPPORT_HPP

#include "plan/context.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace ultrastrength::test {

/// A settled intermediate runner with full kit, Sunday long run, Tuesday and
/// Thursday intervals, Friday off, CTL = ATL = daily run load (ρ = 1).
/// The session's first block of `group`, or null.
inline const PlanBlock* block_of(const PlanSession& session, ExerciseGroup group) {
    for (const PlanBlock& block : session.blocks) {
        if (block.group == group) {
            return &block;
        }
    }
    return nullptr;
}

inline PlanContext steady_context(Phase phase, int weeks = 4) {
    PlanContext ctx;
    ctx.athlete_id = "a1";
    ctx.athlete_name = "Test Runner";
    ctx.start = CivilDate{2026, 3, 2}; // a Monday
    ctx.weeks = weeks;
    ctx.week_phases.assign(static_cast<std::size_t>(weeks),
                           PlanWeekPhase{phase, PlanConfidence::high});
    ctx.load.ctl = 60;
    ctx.load.atl = 60;
    ctx.load.form_pct = 0;
    ctx.load.ramp_ctl_per_week = 0;
    ctx.load.mean_daily_run_load = 60;
    ctx.load.volume_ratio = 0.6;
    ctx.pattern.long_run_weekday = 6;
    ctx.pattern.hard_weekdays = {1, 3};
    ctx.pattern.rest_weekdays = {4};
    ctx.equipment = {"band", "dumbbell", "barbell", "box", "gym"};
    ctx.level = Level::intermediate;
    return ctx;
}

// SplitMix64: a fixed generator, so the generated contexts are the same everywhere.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    int between(int low, int high) { // inclusive
        return low + static_cast<int>(next() % static_cast<std::uint64_t>(high - low + 1));
    }
    double uniform(double low, double high) {
        return low + (high - low) * static_cast<double>(next() >> 11) / 9007199254740992.0;
    }
    bool chance(double p) { return uniform(0, 1) < p; }

private:
    std::uint64_t m_state;
};

inline Phase phase_for_weeks_to_race(std::int64_t days_to_race, int recovery) {
    // analysis.md §3.1 table, by whole weeks to race day.
    if (days_to_race < 0) {
        return -days_to_race <= recovery ? Phase::recovery : Phase::early;
    }
    const std::int64_t w = days_to_race / 7;
    if (w == 0) {
        return Phase::race;
    }
    if (w <= 2) {
        return Phase::taper;
    }
    if (w <= 8) {
        return Phase::late;
    }
    if (w <= 16) {
        return Phase::mid;
    }
    return Phase::early;
}

/// One generated athlete: start, weeks, race (or none), phases, load state,
/// weekly pattern, kit and level drawn from `rng` (the property tests' histories).
inline PlanContext random_context(Rng& rng, int index) {
    PlanContext ctx;
    ctx.athlete_id = "p" + std::to_string(index);
    ctx.start = civil_from_days(days_from_civil(CivilDate{2026, 1, 1}) + rng.between(0, 365));
    ctx.weeks = rng.between(1, 16);
    const std::int64_t start = days_from_civil(ctx.start);
    if (rng.chance(0.6)) {
        Race race;
        race.date = civil_from_days(start + rng.between(-20, ctx.weeks * 7 + 10));
        race.name = "Race";
        race.distance_km = rng.uniform(20, 170);
        race.ascent_m = rng.uniform(0, 10000);
        ctx.race = race;
        ctx.race_descent_m = rng.uniform(0, 10000);
        const int recovery = recovery_days(*race.distance_km + *race.ascent_m / 100);
        for (int w = 0; w < ctx.weeks; ++w) {
            ctx.week_phases.push_back(PlanWeekPhase{
                phase_for_weeks_to_race(days_from_civil(race.date) - (start + 7 * w), recovery),
                static_cast<PlanConfidence>(rng.between(0, 2))});
        }
    } else {
        Phase phase = static_cast<Phase>(rng.between(0, 6));
        for (int w = 0; w < ctx.weeks; ++w) {
            if (rng.chance(0.2)) {
                phase = static_cast<Phase>(rng.between(0, 6));
            }
            ctx.week_phases.push_back(
                PlanWeekPhase{phase, static_cast<PlanConfidence>(rng.between(0, 2))});
        }
    }
    if (rng.chance(0.2)) {
        ctx.last_race_date = civil_from_days(start - rng.between(1, 25));
        ctx.last_race_effort_km = rng.uniform(20, 250);
    }
    LoadState& load = ctx.load;
    load.ctl = rng.chance(0.05) ? 0 : rng.uniform(10, 120);
    load.atl = load.ctl * rng.uniform(0.5, 1.8);
    load.form_pct = load.ctl > 0 ? 100 * (load.ctl - load.atl) / load.ctl : 0;
    load.ramp_ctl_per_week = rng.uniform(-6, 14);
    load.spike_ratio_7d = rng.chance(0.5) ? 0 : rng.uniform(0.8, 2.2);
    load.mean_daily_run_load = load.ctl * rng.uniform(0.5, 1.6);
    load.volume_ratio = rng.uniform(0.1, 1.2);
    ctx.recent_weekly_descent_m = rng.uniform(0, 5000);

    WeeklyPattern& pattern = ctx.pattern;
    pattern.long_run_weekday = rng.between(0, 6);
    for (int d = 0; d < 7; ++d) {
        if (d == pattern.long_run_weekday) {
            continue;
        }
        const double roll = rng.uniform(0, 1);
        if (roll < 0.25) {
            pattern.hard_weekdays.push_back(d);
        } else if (roll < 0.4) {
            pattern.rest_weekdays.push_back(d);
        }
    }
    if (rng.chance(0.2)) {
        for (int d = 0; d < 7; ++d) {
            if (rng.chance(0.5)) {
                pattern.strength_weekdays.push_back(d);
            }
        }
    }
    for (const std::string_view item : equipment_names) {
        if (item != "none" && rng.chance(0.5)) {
            ctx.equipment.insert(std::string(item));
        }
    }
    ctx.level = static_cast<Level>(rng.between(0, 2));
    if (rng.chance(0.3)) {
        ctx.one_rep_max_kg["trap_bar_deadlift"] = rng.uniform(60, 200);
        ctx.one_rep_max_kg["goblet_squat"] = rng.uniform(20, 60);
    }
    return ctx;
}

} // namespace ultrastrength::test

#endif
