// The strength planner: phase table (analysis.md §4.3) × load modifier
// (§4.5, §4.6) × scheduling rules (§4.4) -> dated sessions with reasons.
#ifndef ULTRASTRENGTH_PLAN_PLANNER_HPP
#define ULTRASTRENGTH_PLAN_PLANNER_HPP

#include "model/plan.hpp"
#include "plan/context.hpp"
#include "plan/library.hpp"
#include "plan/prescription.hpp"

#include <string>
#include <vector>

namespace ultrastrength {

/// One row of the §4.5 volume table.
struct VolumeTier {
    double m = 1.0;                   ///< multiplier on sets (and contacts, see below)
    double plyometric_contacts = 1.0; ///< factor on plyometric contacts (0.5 at m 0.8)
    bool drop_plyometric = false;     ///< m 0.6: no plyometric block
    int min_heavy_rir = 0;            ///< m 0.6: heavy at RIR >= 3
    bool corrective_only = false;     ///< m 0: C-only session (<= 20 min)
    std::string reason;               ///< the condition that fired, with its numbers
};

/// The §4.5 table: ρ = ATL/CTL (projected), spike ratio, CTL ramp per week, form % (TSB/CTL).
VolumeTier volume_tier(double rho, double spike, double ramp, double form_pct);
/// The next row down (1.0 -> 0.8 -> 0.6 -> 0); used by the §4.6 ramp ceiling.
VolumeTier step_down(const VolumeTier& tier);

/// What the planner decided for one session and why, for tests and reports.
struct SessionTrace {
    /// Projected ATL/CTL on the session day as the athlete arrives at the
    /// session: the day's assumed running and every earlier planned strength
    /// session counted, this session not (its own load is the §4.6 ramp check).
    double rho = 1;
    double rho_with_session = 1; ///< the same with this session at full volume (shown, not used)
    double spike = 0;
    double ramp = 0;           ///< projected CTL ramp with the session, per week (§4.6)
    double ramp_runs_only = 0; ///< the same without this session: the §4.5 table's ramp
    double form_pct = 0;
    double table_m = 1;         ///< §4.5 table row
    double tier_m = 1;          ///< after the §4.6 ramp step-down
    double effective_m = 1;     ///< × the low-confidence factor (§3.4)
    SessionGroups intended;     ///< groups the week's template asked for
    std::vector<int> base_sets; ///< per block, before the multiplier
    std::vector<bool> trimmed;  ///< per block: cut further to fit a time cap
    int base_contacts = 0;      ///< plyometric contacts before the multiplier
    int contacts = 0;           ///< plyometric contacts prescribed
    int phase_week = 0;         ///< weeks since this phase began in the plan
    bool deload = false;
    bool technique = false;
};

/// Builds the plan. Throws std::invalid_argument when the context is unusable
/// (weeks outside 1-52, phases missing, unknown equipment).
Plan build_plan(const PlanContext& context, const ExerciseLibrary& library,
                const Prescriptions& prescriptions, std::vector<SessionTrace>* trace = nullptr);

} // namespace ultrastrength

#endif
