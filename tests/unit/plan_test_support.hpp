// Hand-built planner contexts shared by the plan tests.
#ifndef ULTRASTRENGTH_TESTS_PLAN_TEST_SUPPORT_HPP
#define ULTRASTRENGTH_TESTS_PLAN_TEST_SUPPORT_HPP

#include "plan/context.hpp"

namespace ultrastrength::test {

/// A settled intermediate runner with full kit, Sunday long run, Tuesday and
/// Thursday intervals, Friday off, CTL = ATL = daily run load (ρ = 1).
inline PlanContext steady_context(Phase phase, int weeks = 4) {
    PlanContext ctx;
    ctx.athlete_id = "a1";
    ctx.athlete_name = "Test Runner";
    ctx.start = CivilDate{2026, 3, 2}; // a Monday
    ctx.weeks = weeks;
    ctx.week_phases.assign(static_cast<std::size_t>(weeks), PlanWeekPhase{phase, PlanConfidence::high});
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

} // namespace ultrastrength::test

#endif
