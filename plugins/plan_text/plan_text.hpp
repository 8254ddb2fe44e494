// plan.txt: the plan as an athlete trains from it and a coach hands it over.
// A weekly overview first, then the rules for real life once, then a session
// sheet per session, all in plain words. The analysis, the planner's notes
// and each session's rule trace with formulas and section references are
// added only on request (`--verbose`); plan.json always carries them.
#ifndef ULTRASTRENGTH_PLUGINS_PLAN_TEXT_PLAN_TEXT_HPP
#define ULTRASTRENGTH_PLUGINS_PLAN_TEXT_PLAN_TEXT_HPP

#include "model/plan.hpp"
#include "plugins/writer.hpp"

#include <string>
#include <vector>

namespace ultrastrength {

/// What plan.txt and plan.html show beside the plan.
struct PlanDocumentOptions {
    WeightUnit weight_unit = WeightUnit::kilogram;
    bool verbose = false; ///< add the analysis, the notes and the rule trace
    std::string analysis; ///< the analysis paragraph, shown when verbose
};

/// plan.txt ('\n' line ends, UTF-8).
std::string plan_text(const Plan& plan, const PlanDocumentOptions& options);

namespace detail {
/// The sessions of `plan` in the calendar week starting on `week_start` (a Monday).
std::vector<const PlanSession*> sessions_in_week(const Plan& plan, CivilDate week_start);
/// A week's note as shown: the planner's note, and "race week: NAME" when the
/// plan's race falls in the week.
std::string week_note(const Plan& plan, const PlanWeek& week);
/// The plan's last day: the Sunday of its last calendar week.
CivilDate plan_end(const Plan& plan);
} // namespace detail

} // namespace ultrastrength

#endif
