// The session sheet: what an athlete reads to do a session and a coach hands
// over. A pass after planning fills the sheet fields of the plan (PlanStep:
// tempo, effort, load rule, easier and harder swap; PlanSession: warm-up,
// cool-down, why; Plan: the rules for real life) from the exercise library,
// the prescription rules and what the planner decided for each session. The
// words carry no formulas and no section references: those stay in the
// sessions' `reasons` (plan.json, plan.txt with --verbose).
#ifndef ULTRASTRENGTH_PLAN_SHEET_HPP
#define ULTRASTRENGTH_PLAN_SHEET_HPP

#include "model/plan.hpp"
#include "plan/library.hpp"
#include "plan/planner.hpp"
#include "plan/prescription.hpp"

#include <vector>

namespace ultrastrength {

/// Fills the sheet fields of every session of `plan`. `trace` is what
/// build_plan reported, one entry per session in plan order; when its size
/// differs from the sessions' the "why" is told from the sessions alone.
void fill_session_sheets(Plan& plan, const ExerciseLibrary& library,
                         const Prescriptions& prescriptions,
                         const std::vector<SessionTrace>& trace);

/// The plain-words reasons for one session (PlanSession::why), from the
/// planner's trace of it: the phase, the week's place in the block and the
/// load rule that set the volume, told as fatigue above fitness in percent.
std::vector<std::string> plain_reasons(const PlanSession& session, const SessionTrace* trace);

} // namespace ultrastrength

#endif
