#include "plan/planner.hpp"

#include "model/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>
#include <stdexcept>

namespace ultrastrength {

namespace {

int round_int(double value) {
    return static_cast<int>(std::lround(value));
}

constexpr std::array<ExerciseGroup, 4> block_order = {
    ExerciseGroup::plyometric, ExerciseGroup::heavy, ExerciseGroup::eccentric,
    ExerciseGroup::corrective};

/// The training phases, where sets and contacts build and unload.
bool loading_phase(Phase phase) {
    return phase == Phase::off_season || phase == Phase::early || phase == Phase::mid ||
           phase == Phase::late;
}

bool contains(const SessionGroups& groups, ExerciseGroup group) {
    return std::find(groups.begin(), groups.end(), group) != groups.end();
}

bool contains(const std::vector<int>& days, int weekday) {
    return std::find(days.begin(), days.end(), weekday) != days.end();
}

const PlanBlock* block_of(const PlanSession& session, ExerciseGroup group) {
    for (const PlanBlock& block : session.blocks) {
        if (block.group == group) {
            return &block;
        }
    }
    return nullptr;
}

std::string capitalized(std::string_view text) {
    std::string out(text);
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') {
        out[0] = static_cast<char>(out[0] - 'a' + 'A');
    }
    return out;
}

/// The sets and each drill's reps of a plyometric block.
struct JumpDose {
    int sets = 1;
    std::vector<int> reps; ///< per drill, per side for a single-leg drill
    int contacts = 0;      ///< in the whole block
};

// §4.7: 2-3 drills of 8-15 contacts a set, the block's contacts inside
// `allowed` where the set sizes allow, then as near the week's target as they
// can be in as few sets (at or above it on a tie, then the more even drills). `units` holds each
// drill's contacts per rep (both sides of a single-leg drill). Searched exhaustively: at most 5
// sets and a few reps per drill, no formula gets the rounding right by hand
// (a "8/side" set is 16 contacts, over the 15).
JumpDose jump_dose(int target, const Range& allowed, const std::vector<int>& units,
                   const Range& per_set, int max_sets) {
    JumpDose best;
    long best_score = std::numeric_limits<long>::max();
    const int lowest = std::min(per_set.low, std::max(1, target));
    std::vector<int> reps(units.size(), 1);
    for (int sets = 1; sets <= max_sets; ++sets) {
        // Every reps combination, drill by drill (an odometer over each range).
        std::vector<int> low(units.size());
        std::vector<int> high(units.size());
        for (std::size_t i = 0; i < units.size(); ++i) {
            const int unit = std::max(1, units[i]);
            low[i] = std::max(1, (lowest + unit - 1) / unit);
            high[i] = std::max(low[i], per_set.high / unit);
            reps[i] = low[i];
        }
        for (;;) {
            int per = 0;
            int most = 0;
            int least = std::numeric_limits<int>::max();
            for (std::size_t i = 0; i < units.size(); ++i) {
                const int c = reps[i] * std::max(1, units[i]);
                per += c;
                most = std::max(most, c);
                least = std::min(least, c);
            }
            const int total = per * sets;
            const int outside = std::max({0, allowed.low - total, total - allowed.high});
            // A set more costs as much as 3 contacts off the target: 3 sets of
            // 7/side before 5 sets of 4-5/side.
            const long score = 10000000L * outside + 100000L * std::abs(total - target) +
                               300000L * sets + 10000L * (total < target) + 100L * (most - least);
            if (score < best_score) {
                best_score = score;
                best = JumpDose{sets, reps, total};
            }
            std::size_t i = 0;
            while (i < units.size() && reps[i] == high[i]) {
                reps[i] = low[i];
                ++i;
            }
            if (i == units.size()) {
                break;
            }
            ++reps[i];
        }
    }
    return best;
}

// A race the plan must respect: before it (taper spacing) and after it (recovery).
struct RaceMark {
    std::int64_t day = 0;
    int recovery_days = 14;
    int last_heavy_days = 10;  ///< §4.4: 10-14 days before an ultra, 7-10 before shorter races
    int heavy_window_days = 0; ///< the window's far end (14, 10); 0 for a race behind the plan
};

// What a plan week holds, for the weekly rules of analysis.md §4.7.
struct WeekTotals {
    Phase phase = Phase::early;
    int sessions = 0;
    int minutes = 0;
    int sets = 0;
    int contacts = 0;
    int eccentric_sets = 0;
    double load = 0;
    bool full = false; ///< all seven days inside the plan
    bool lighter = false;
};

// The weekly caps one week must fit; each with the rule that set it.
struct WeekTargets {
    double minutes = 1e9;
    double sets = 1e9;
    double contacts = 1e9;
    double load = 1e9;
    int eccentric_sets = 1000000;
    /// The contacts of the power block's last loading week with jumps, which this
    /// week's rise 10-20 from (§4.7); none in the block's first week.
    std::optional<int> jumps_before;
    std::vector<std::string> why;
};

/// What a session's plan week says, worked out once for each session built.
struct SessionFacts {
    const PlanWeekPhase& wp;
    const PhasePrescription& p;   ///< the table the volumes come from (Mid's at low confidence)
    const PhasePrescription& own; ///< the phase's own table (its technique weeks, its top)
    const LevelRule& level_rule;
    int week = 0;
    int k = 0;     ///< weeks of the phase's block before this one
    int cycle = 4; ///< a lighter week every `cycle` weeks
    bool low_confidence = false;
    bool progresses = false;        ///< a training phase: sets and contacts build
    bool intro = false;             ///< new to strength: the introductory block
    bool run_in = false;            ///< new to strength: the last weeks before the race
    bool run_in_bodyweight = false; ///< ... and not yet 4 weeks of lifting: body weight only
    bool deload = false;            ///< a lighter week
    bool technique = false;         ///< a technique week of the off-season/Early block
    bool two_footed = false;        ///< jumps two-footed only
    int build_index = 0;
    int build_weeks_done = 0;
    int heavy_step = 0; ///< loading weeks of heavy work after the technique weeks
};

/// A step naming exercise `e`, its cue and its FIT and Connect names.
PlanStep step_for(const Exercise& e) {
    PlanStep step;
    step.exercise_id = e.id;
    step.name = e.name;
    step.cue = e.cues.front();
    step.fit_category = e.fit_category;
    step.fit_name = e.fit_name;
    step.fit_title = e.fit_title;
    step.connect_category = e.connect_category;
    step.connect_name = e.connect_name;
    return step;
}

struct Slot {
    std::int64_t day = 0;
    SessionGroups intended;
    SessionGroups groups;
    std::vector<std::string> reasons;
};

/// One day's projection of fitness and fatigue (analysis.md §1.4): the
/// day's running at the recent mean plus `strength_load`, from the state at
/// the end of the day before. Gives (CTL, ATL), ρ = ATL/CTL and the CTL ramp
/// over the last 7 days.
struct Projection {
    double run_load = 0;
    double ctl_prev = 0;
    double atl_prev = 0;
    double decay_ctl = 0;
    double decay_atl = 0;
    double ctl_week_ago = 0;

    std::pair<double, double> operator()(double strength_load, double* rho, double* ramp) const {
        const double daily = run_load + strength_load;
        const double ctl = ctl_prev + (daily - ctl_prev) * decay_ctl;
        const double atl = atl_prev + (daily - atl_prev) * decay_atl;
        *rho = ctl >= 1 ? atl / ctl : 1.0;
        *ramp = ctl - ctl_week_ago;
        return {ctl, atl};
    }
};

class Planner {
public:
    Planner(const PlanContext& context, const ExerciseLibrary& library, const Prescriptions& rx,
            std::vector<SessionTrace>* trace)
        : m_ctx(context), m_lib(library), m_rx(rx), m_trace(trace),
          m_start(days_from_civil(context.start)), m_monday(m_start - weekday_of(context.start)) {}

    Plan run();

private:
    /// A plan day with a slot: its index from the start, its plan week, the
    /// week's caps and slots.
    struct PlanDay {
        std::int64_t index;
        int week;
        const WeekTargets& targets;
        const std::vector<Slot>& week_slots;
    };

    // The steps of run(), in order.
    void check_context() const;
    void mark_races();
    void read_hard_weekdays();
    void mark_unrecorded_races();
    Plan plan_header() const;
    void check_open_days(Plan& plan);
    void add_projection_notes(Plan& plan) const;
    void plan_days(Plan& plan, std::vector<SessionTrace>& traces);
    double place_session(Plan& plan, std::vector<SessionTrace>& traces, const Slot& slot,
                         const PlanDay& when, const Projection& project, int& rotation,
                         std::optional<std::int64_t>& last_session) const;

    bool day_open(std::int64_t day) const;
    bool in_heavy_window(std::int64_t day) const;
    bool group_allowed(ExerciseGroup group, std::int64_t day, std::string* why) const;
    std::vector<SessionGroups> week_template(int week, std::string* why) const;
    std::vector<SessionGroups> phase_template(int week, std::string* why) const;
    bool intro_week(int week) const;
    bool technique_week(int week) const;
    bool beginner_race_run_in(std::int64_t day) const;
    std::vector<Slot> schedule_week(int week, std::optional<std::int64_t> last_session) const;
    int phase_week(int week) const;
    const PhasePrescription& table(int week, bool* low_confidence) const;
    /// How much a pick holds to exercises the plan has already given.
    enum class Familiar : std::uint8_t { any, prefer, only };
    const Exercise* pick(const GroupPrescription& gp, ExerciseGroup group,
                         const std::string& pattern, int rotation, bool two_footed,
                         Familiar familiar) const;
    bool familiar_group(ExerciseGroup group) const;
    bool mountain_race() const;
    bool in_downhill_window(std::int64_t day) const;
    PlanSession build(const Slot& slot, int week, const WeekTargets& targets,
                      const VolumeTier& tier, double m_effective, int rotation,
                      SessionTrace* trace) const;
    // The steps of build(), in order.
    SessionFacts session_facts(const Slot& slot, int week) const;
    const GroupPrescription& technique_prescription(const SessionFacts& f) const;
    void add_week_reasons(PlanSession& session, const Slot& slot, const SessionFacts& f,
                          const VolumeTier& tier) const;
    std::optional<PlanBlock> make_block(ExerciseGroup group, const SessionFacts& f,
                                        const WeekTargets& targets, const VolumeTier& tier,
                                        double m_effective, int rotation, PlanSession& session,
                                        SessionTrace* trace) const;
    int block_base_sets(ExerciseGroup group, const GroupPrescription& gp, const SessionFacts& f,
                        PlanSession& session) const;
    JumpDose plan_jumps(const GroupPrescription& gp, const std::vector<const Exercise*>& exercises,
                        const SessionFacts& f, const WeekTargets& targets, const VolumeTier& tier,
                        PlanSession& session, SessionTrace* trace) const;
    PlanStep make_step(const Exercise& e, ExerciseGroup group, const GroupPrescription& gp,
                       const SessionFacts& f, const VolumeTier& tier,
                       std::optional<int> jump_reps) const;
    void add_isometric_hold(PlanSession& session, const SessionFacts& f, double m_effective,
                            SessionTrace* trace) const;
    void cap_session_minutes(PlanSession& session, const SessionFacts& f,
                             const WeekTargets& targets, const VolumeTier& tier,
                             SessionTrace* trace) const;
    void hold_recorded_effort(PlanSession& session, const SessionFacts& f) const;
    double session_minutes(const PlanSession& session) const;
    double session_load(const PlanSession& session) const;
    double recorded_rpe_cap() const;
    bool lighter_week(int week) const;
    void plan_lighter_weeks();
    void finish_session(PlanSession& session) const;
    WeekTotals week_totals(const Plan& plan, int week) const;
    WeekTargets week_targets(const std::vector<WeekTotals>& done, int week) const;
    void trim_week(Plan& plan, std::vector<SessionTrace>& traces, int week,
                   const WeekTargets& targets, std::size_t only) const;
    int session_contacts(const PlanSession& session) const;
    std::vector<PlanWeek> weeks_overview(const Plan& plan) const;

    // Projected fitness/fatigue (analysis.md §1.4), index 0 = the day before the plan.
    double ctl_on(std::int64_t index) const;

    const PlanContext& m_ctx;
    const ExerciseLibrary& m_lib;
    const Prescriptions& m_rx;
    std::vector<SessionTrace>* m_trace;
    std::int64_t m_start;
    std::int64_t m_monday; // plan weeks are calendar weeks (Monday-Sunday) from this day
    std::vector<RaceMark> m_races;
    std::vector<int> m_hard_weekdays; // the pattern's, or the default week when unreadable
    // §4.4 rule 2 gives the long run 24-48 h: 48 h when the week leaves a day
    // for heavy work that way, 24 h when only that leaves one.
    bool m_long_run_24h = false;
    int m_intro_weeks = 0;            // plan weeks of the introductory block (new to strength)
    int m_technique_weeks = 2;        // at the start of the off-season/Early block
    std::vector<bool> m_week_lighter; // per plan week: a lighter (deload) week
    std::vector<int>
        m_since_lighter; // loading weeks since the block began or its last lighter week
    std::vector<int> m_loading_before; // loading (not lighter) weeks of the block before this one
    std::set<std::string> m_familiar;  // exercise ids of the sessions planned so far
    std::set<int> m_lifting_weeks;     // plan weeks after the intro block with heavy work
    std::vector<double> m_ctl;         // m_ctl[i] = CTL at the end of plan day i - 1
    std::vector<double> m_atl;
};

double Planner::ctl_on(std::int64_t index) const {
    if (index >= 0) {
        return m_ctl[static_cast<std::size_t>(index)];
    }
    // Before the plan only today's CTL and its weekly ramp are known: back-fill linearly.
    return m_ctx.load.ctl + m_ctx.load.ramp_ctl_per_week * static_cast<double>(index) / 7.0;
}

bool Planner::day_open(std::int64_t day) const {
    const int weekday = weekday_of(civil_from_days(day));
    const WeeklyPattern& pattern = m_ctx.pattern;
    if (contains(pattern.rest_weekdays, weekday)) {
        return false;
    }
    if (!pattern.strength_weekdays.empty() && !contains(pattern.strength_weekdays, weekday)) {
        return false;
    }
    // [choice] the long-run day is kept for the long run alone.
    if (weekday == pattern.long_run_weekday) {
        return false;
    }
    for (const RaceMark& race : m_races) {
        if (day <= race.day && race.day - day < m_rx.rules.last_session_days_before_race) {
            return false; // §4.3 race week: nothing in the last 48 h
        }
        if (day > race.day && day - race.day < m_rx.rules.first_session_days_after_race) {
            return false; // §4.3 recovery: gentle C from about day 3
        }
    }
    return true;
}

// §4.4: the days the last heavy session before the goal race belongs on (10-14
// days before an ultra, 7-10 before a shorter race).
bool Planner::in_heavy_window(std::int64_t day) const {
    return std::any_of(m_races.begin(), m_races.end(), [&](const RaceMark& race) {
        return race.heavy_window_days > 0 && race.day - day >= race.last_heavy_days &&
               race.day - day <= race.heavy_window_days;
    });
}

bool Planner::group_allowed(ExerciseGroup group, std::int64_t day, std::string* why) const {
    if (group == ExerciseGroup::corrective) {
        return true; // §4.4 rules 2 and 3 exempt C-only work
    }
    const int weekday = weekday_of(civil_from_days(day));
    const int long_run = m_ctx.pattern.long_run_weekday;
    const std::string name(to_string(group));
    // §4.7 new to strength: the introductory block's lifting is light (1-2 sets of
    // 10-15 at RIR 3-4), so the day before a hard run and the 48 h before the long
    // run may hold it; never the day before or after the long run, as a first
    // exposure is the one that makes legs sore.
    const bool light_intro =
        group == ExerciseGroup::heavy && intro_week(static_cast<int>((day - m_monday) / 7));
    if (weekday == (long_run + 1) % 7) {
        *why = name + " not on " + std::string(weekday_name(weekday)) +
               ", the day after the long run (analysis.md §4.4 rule 3)";
        return false;
    }
    const int plan_week = static_cast<int>((day - m_monday) / 7);
    // The introductory block's lifting (1-2 sets of 10-15 at RIR 3-4, §4.7) is
    // light: it keeps the 24 h every hard run gets, not a novice's 48 h for
    // heavy work, so its 4-8 sessions fit the block.
    const bool novice_48h = m_ctx.level == Level::novice &&
                            plan_week < m_rx.rules.novice_careful_weeks &&
                            !(group == ExerciseGroup::heavy && intro_week(plan_week));
    // Eccentric work and a novice's first weeks keep the full 48 h before the long
    // run even when the week allows only 24 h for the rest (§4.4 rule 2).
    const bool full_48h = !m_long_run_24h || group == ExerciseGroup::eccentric || novice_48h;
    if (weekday == (long_run + 6) % 7 ||
        (weekday == (long_run + 5) % 7 && full_48h && !light_intro)) {
        *why = name + " not within " + (full_48h ? "48" : "24") + " h before the " +
               std::string(weekday_name(long_run)) + " long run (analysis.md §4.4 rule 2)";
        return false;
    }
    const auto hard_in = [&](int days) {
        const int next = (weekday + days) % 7;
        return contains(m_hard_weekdays, next) ? next : -1;
    };
    if (const int next = light_intro ? -1 : hard_in(1); next >= 0) {
        *why = name + " not in the 24 h before the " + std::string(weekday_name(next)) +
               " hard run (analysis.md §4.4 rule 2)";
        return false;
    }
    if (const int next = hard_in(2); next >= 0) {
        if (group == ExerciseGroup::eccentric) {
            *why = "eccentric work not in the 48 h before the " + std::string(weekday_name(next)) +
                   " hard run: the soreness peaks a day or two later (analysis.md §4.4 rule 2)";
            return false;
        }
        if (novice_48h) {
            *why = name + " not in the 48 h before the " + std::string(weekday_name(next)) +
                   " hard run in a novice's first " +
                   std::to_string(m_rx.rules.novice_careful_weeks) +
                   " weeks (analysis.md §4.4 rule 2)";
            return false;
        }
    }
    for (const RaceMark& race : m_races) {
        if (day <= race.day) {
            const std::int64_t to_race = race.day - day;
            const int limit = group == ExerciseGroup::heavy ? race.last_heavy_days
                              : group == ExerciseGroup::plyometric
                                  ? m_rx.rules.last_plyometric_days_before_race
                                  : m_rx.rules.last_eccentric_days_before_race;
            if (to_race < limit) {
                *why = name + " dropped: " + std::to_string(to_race) +
                       " days before the race, last allowed " + std::to_string(limit) +
                       " days before (analysis.md §4.3 taper/race week)";
                return false;
            }
        } else {
            const std::int64_t since = day - race.day;
            const int limit =
                group == ExerciseGroup::heavy ? race.recovery_days / 2 : race.recovery_days;
            if (since < limit) {
                *why = name + " dropped: day " + std::to_string(since) +
                       " after the race, recovery R = " + std::to_string(race.recovery_days) +
                       " days (analysis.md §4.3 recovery)";
                return false;
            }
        }
    }
    return true;
}

// Weeks since the block began: the off-season and Early are one strength-and-power
// block, so heavy work keeps progressing across the change (analysis.md §4.7).
int Planner::phase_week(int week) const {
    const auto family = [&](int w) {
        const Phase p = m_ctx.week_phases[static_cast<std::size_t>(w)].phase;
        return p == Phase::off_season ? Phase::early : p;
    };
    // After an introductory block the phase's weeks count from its end: the
    // technique weeks and the progression follow the block (§4.7 new to strength).
    const int first = week >= m_intro_weeks ? m_intro_weeks : 0;
    int k = 0;
    for (int w = week - 1; w >= first && family(w) == family(week); --w) {
        ++k;
    }
    return k;
}

bool Planner::intro_week(int week) const {
    const Phase phase = m_ctx.week_phases[static_cast<std::size_t>(week)].phase;
    return week < m_intro_weeks && (phase == Phase::off_season || phase == Phase::early ||
                                    phase == Phase::mid || phase == Phase::late);
}

// A body-weight exercise of `group` the plan has already given (a band counts as
// body weight): the run-in to a race keeps such work (§4.7).
// Rule 6: the days the last downhill session before the goal race belongs on.
bool Planner::in_downhill_window(std::int64_t day) const {
    if (!m_ctx.race) {
        return false;
    }
    const std::int64_t to_race = days_from_civil(m_ctx.race->date) - day;
    return to_race >= m_rx.rules.last_eccentric_days_before_race &&
           to_race <= m_rx.rules.heavy_window_days_before_race;
}

// Rule 6: a race that descends 40 m/km or more.
bool Planner::mountain_race() const {
    return m_ctx.race && m_ctx.race_descent_m && m_ctx.race->distance_km &&
           *m_ctx.race->distance_km > 0 &&
           *m_ctx.race_descent_m / *m_ctx.race->distance_km >= m_rx.dose.mountain_descent_m_per_km;
}

bool Planner::familiar_group(ExerciseGroup group) const {
    return std::any_of(m_familiar.begin(), m_familiar.end(), [&](const std::string& id) {
        const Exercise* e = m_lib.find(id);
        return e != nullptr && e->group == group &&
               std::all_of(e->equipment.begin(), e->equipment.end(),
                           [](const std::string& item) { return item == "band"; });
    });
}

// §4.7: the first weeks of the off-season/Early block are technique weeks (8-10
// reps at RIR 3-4); after an introductory block they follow it in any training
// phase, so no one goes from a 15-rep weight to a 7-rep one in a week.
bool Planner::technique_week(int week) const {
    const Phase phase = m_ctx.week_phases[static_cast<std::size_t>(week)].phase;
    if (intro_week(week)) {
        return false;
    }
    if (m_intro_weeks > 0 && week >= m_intro_weeks && week - m_intro_weeks < m_technique_weeks &&
        loading_phase(phase)) {
        return true;
    }
    return m_rx.phases[static_cast<std::size_t>(phase)].heavy_technique &&
           phase_week(week) < m_technique_weeks;
}

// New to strength: in the last weeks before the race, corrective and body-weight work only.
bool Planner::beginner_race_run_in(std::int64_t day) const {
    if (m_ctx.strength_history != StrengthHistory::none || !m_ctx.race) {
        return false;
    }
    const std::int64_t to_race = days_from_civil(m_ctx.race->date) - day;
    return to_race >= 0 && to_race <= m_rx.new_to_strength.bodyweight_only_days_before_race;
}

const PhasePrescription& Planner::table(int week, bool* low_confidence) const {
    const PlanWeekPhase& wp = m_ctx.week_phases[static_cast<std::size_t>(week)];
    *low_confidence = wp.confidence == PlanConfidence::low;
    // §3.4: low confidence uses the conservative Mid values (× 0.8) in the build phases.
    if (*low_confidence &&
        (wp.phase == Phase::off_season || wp.phase == Phase::early || wp.phase == Phase::mid)) {
        return m_rx.phases[static_cast<std::size_t>(Phase::mid)];
    }
    return m_rx.phases[static_cast<std::size_t>(wp.phase)];
}

std::vector<SessionGroups> Planner::week_template(int week, std::string* why) const {
    std::vector<SessionGroups> sessions = phase_template(week, why);
    const std::int64_t monday = m_monday + 7 * week;
    // §4.4: the last heavy session belongs 10-14 days before an ultra (7-10 before a
    // shorter race); a later taper week without heavy work that holds an open day
    // of that window takes one there.
    const bool heavy_planned = std::any_of(sessions.begin(), sessions.end(), [](const auto& g) {
        return contains(g, ExerciseGroup::heavy);
    });
    const bool taper = m_ctx.week_phases[static_cast<std::size_t>(week)].phase == Phase::taper;
    // Rule 6: before a mountain race the last downhill (eccentric) session falls 10-14
    // days out; a taper week that holds an open day for it there takes it.
    const bool eccentric_planned = std::any_of(sessions.begin(), sessions.end(), [](const auto& g) {
        return contains(g, ExerciseGroup::eccentric);
    });
    if (taper && mountain_race() && m_ctx.race && !eccentric_planned && !sessions.empty()) {
        for (std::int64_t day = std::max(m_start, monday); day < monday + 7; ++day) {
            std::string unused;
            if (day_open(day) && in_downhill_window(day) &&
                group_allowed(ExerciseGroup::eccentric, day, &unused)) {
                sessions.front().push_back(ExerciseGroup::eccentric);
                *why += "; the last downhill session 10-14 days before a mountain race "
                        "(analysis.md §4.7)";
                break;
            }
        }
    }
    if (!heavy_planned && !sessions.empty() && taper) {
        for (std::int64_t day = std::max(m_start, monday); day < monday + 7; ++day) {
            std::string unused;
            if (day_open(day) && in_heavy_window(day) &&
                group_allowed(ExerciseGroup::heavy, day, &unused)) {
                sessions.front().insert(sessions.front().begin(), ExerciseGroup::heavy);
                *why += "; the last heavy session 10-14 days before an ultra, 7-10 before a "
                        "shorter race (analysis.md §4.4)";
                break;
            }
        }
    }
    if (!intro_week(week) && !beginner_race_run_in(monday) && !beginner_race_run_in(monday + 6)) {
        return sessions;
    }
    // §4.7 new to strength: every session of the introductory block is lifting at
    // the block's dose and corrective work, at most two a week (4-8 in the block).
    // The run-in to a race keeps the body-weight jumps and eccentric work the
    // plan has already given (nothing new to get sore from), else lifts instead.
    const bool intro = intro_week(week);
    if (sessions.size() > 2) {
        sessions.resize(2);
    }
    // The block itself is two sessions a week whatever the phase's template
    // (a low-volume week's one session would leave 3 in 3 weeks, under 4).
    if (intro_week(week) && sessions.size() < 2) {
        sessions.resize(2, SessionGroups{ExerciseGroup::heavy, ExerciseGroup::corrective});
    }
    const bool jumps_kept = !intro && familiar_group(ExerciseGroup::plyometric);
    const bool eccentric_kept = !intro && familiar_group(ExerciseGroup::eccentric);
    for (SessionGroups& groups : sessions) {
        SessionGroups out;
        for (ExerciseGroup group : groups) {
            if (group == ExerciseGroup::plyometric && !jumps_kept) {
                group = ExerciseGroup::heavy;
            }
            if ((group != ExerciseGroup::eccentric || eccentric_kept) && !contains(out, group)) {
                out.push_back(group);
            }
        }
        std::sort(out.begin(), out.end(), [](ExerciseGroup a, ExerciseGroup b) {
            return (a == ExerciseGroup::heavy ? 0 : 1) < (b == ExerciseGroup::heavy ? 0 : 1);
        });
        groups = std::move(out);
    }
    return sessions;
}

std::vector<SessionGroups> Planner::phase_template(int week, std::string* why) const {
    const Phase phase = m_ctx.week_phases[static_cast<std::size_t>(week)].phase;
    bool low_confidence = false;
    const PhasePrescription& p = table(week, &low_confidence);
    const double r = m_ctx.load.volume_ratio;
    if (p.low_volume_r_below && r < *p.low_volume_r_below && !p.sessions_low_volume.empty()) {
        *why = "r = " + format_fixed(r, 2) + " < " + format_fixed(*p.low_volume_r_below, 2) + ": " +
               std::to_string(p.sessions_low_volume.size()) + " sessions/week";
        return p.sessions_low_volume;
    }
    if (phase == Phase::taper && !p.sessions_later_weeks.empty() && week > 0 &&
        m_ctx.week_phases[static_cast<std::size_t>(week - 1)].phase == Phase::taper) {
        *why =
            "later taper week: " + std::to_string(p.sessions_later_weeks.size()) + " short session";
        return p.sessions_later_weeks;
    }
    if (phase == Phase::recovery && !p.sessions_first_half.empty()) {
        const std::int64_t week_start = m_monday + 7 * week;
        for (auto it = m_races.rbegin(); it != m_races.rend(); ++it) {
            if (it->day < week_start) {
                if (week_start - it->day < it->recovery_days / 2) {
                    *why = "first half of the recovery (R = " + std::to_string(it->recovery_days) +
                           " days): gentle corrective work only";
                    return p.sessions_first_half;
                }
                break;
            }
        }
    }
    *why = std::to_string(p.sessions.size()) + " session" + (p.sessions.size() == 1 ? "" : "s") +
           "/week";
    return p.sessions;
}

std::vector<Slot> Planner::schedule_week(int week, std::optional<std::int64_t> last_session) const {
    std::string template_why;
    const std::vector<SessionGroups> sessions = week_template(week, &template_why);
    const std::int64_t monday = m_monday + 7 * week;
    const std::int64_t first = std::max(m_start, monday);
    const int min_gap = m_rx.rules.min_days_between_sessions;
    std::vector<std::int64_t> open;
    for (std::int64_t day = first; day < monday + 7; ++day) {
        if (day_open(day) && (!last_session || day - *last_session >= min_gap)) {
            open.push_back(day);
        }
    }
    const bool has_hard_days = !m_hard_weekdays.empty();

    // The best week over every session count: fewer sessions win when more would
    // drop the heavy or plyometric work the template asked for (§4.4).
    std::vector<Slot> best;
    double best_score = -1e300;
    for (std::size_t n = std::min(sessions.size(), open.size()); n > 0; --n) {
        // All n-day subsets of the open days, in date order; then every order of the sessions.
        std::vector<int> pick(open.size(), 0);
        std::fill(pick.begin(), pick.begin() + static_cast<std::ptrdiff_t>(n), 1);
        do {
            std::vector<std::int64_t> days;
            for (std::size_t i = 0; i < open.size(); ++i) {
                if (pick[i] != 0) {
                    days.push_back(open[i]);
                }
            }
            bool spaced = true;
            int smallest_gap = 7;
            for (std::size_t i = 1; i < days.size(); ++i) {
                spaced = spaced && days[i] - days[i - 1] >= min_gap;
                smallest_gap = std::min(smallest_gap, static_cast<int>(days[i] - days[i - 1]));
            }
            if (!spaced) {
                continue;
            }
            std::vector<std::size_t> order(sessions.size());
            std::iota(order.begin(), order.end(), std::size_t{0});
            do {
                std::vector<Slot> slots;
                double score = std::min(smallest_gap, 3);
                for (std::size_t i = 0; i < n; ++i) {
                    Slot slot;
                    slot.day = days[i];
                    slot.intended = sessions[order[i]];
                    for (const ExerciseGroup group : slot.intended) {
                        std::string why;
                        if (group_allowed(group, slot.day, &why)) {
                            slot.groups.push_back(group);
                            score += 10;
                        } else {
                            slot.reasons.push_back(why);
                            score -= group == ExerciseGroup::corrective ? 12 : 30;
                        }
                    }
                    const int weekday = weekday_of(civil_from_days(slot.day));
                    const bool hard_work = contains(slot.groups, ExerciseGroup::heavy) ||
                                           contains(slot.groups, ExerciseGroup::plyometric);
                    if (hard_work && contains(m_hard_weekdays, weekday)) {
                        score += 3; // §4.4 rule 1: hard day hard
                    }
                    if (contains(m_ctx.usual_strength_weekdays, weekday)) {
                        score += 2; // the athlete's own strength day, where it fits
                    }
                    if (contains(slot.groups, ExerciseGroup::heavy) && in_heavy_window(slot.day)) {
                        score += 6; // §4.4 the last heavy session 10-14 (7-10) days out
                    }
                    if (contains(slot.groups, ExerciseGroup::eccentric) && mountain_race() &&
                        in_downhill_window(slot.day)) {
                        score += 6; // rule 6: the last downhill session 10-14 days out
                    }
                    slots.push_back(std::move(slot));
                }
                if (score > best_score) {
                    best_score = score;
                    best = std::move(slots);
                }
            } while (std::next_permutation(order.begin(), order.end()));
        } while (std::prev_permutation(pick.begin(), pick.end()));
    }
    {
        if (!best.empty()) {
            // Fewer days than sessions fit the rules (hard runs and the long run
            // close together): the work of the sessions left out goes into the
            // ones placed, where their day allows it (§4.4), as in Late's
            // single session; the time caps then trim it.
            if (best.size() < sessions.size()) {
                for (const SessionGroups& groups : sessions) {
                    for (const ExerciseGroup group : groups) {
                        const bool placed =
                            std::any_of(best.begin(), best.end(),
                                        [&](const Slot& x) { return contains(x.groups, group); });
                        if (placed) {
                            continue;
                        }
                        for (Slot& slot : best) {
                            std::string why;
                            if (group_allowed(group, slot.day, &why)) {
                                slot.intended.push_back(group);
                                slot.groups.push_back(group);
                                slot.reasons.push_back(
                                    "only " + std::to_string(best.size()) + " of " +
                                    std::to_string(sessions.size()) +
                                    " sessions fit between this week's hard runs and the long "
                                    "run: the " +
                                    std::string(to_string(group)) +
                                    " work goes in this one (analysis.md §4.4)");
                                break;
                            }
                        }
                    }
                }
            }
            const std::string placed =
                best.size() < sessions.size()
                    ? template_why + " (" + std::to_string(best.size()) + " fit this week's days)"
                    : template_why;
            for (Slot& slot : best) {
                slot.reasons.insert(slot.reasons.begin(), placed);
                const int weekday = weekday_of(civil_from_days(slot.day));
                const bool hard_work = contains(slot.groups, ExerciseGroup::heavy) ||
                                       contains(slot.groups, ExerciseGroup::plyometric);
                if (contains(m_ctx.usual_strength_weekdays, weekday)) {
                    slot.reasons.push_back(std::string(weekday_name(weekday)) +
                                           " is one of your usual strength days (analysis.md "
                                           "§4.4)");
                }
                if (hard_work && contains(m_hard_weekdays, weekday)) {
                    slot.reasons.push_back(std::string(weekday_name(weekday)) +
                                           " is a hard run day: run first, strength at least 6 h "
                                           "later (analysis.md §4.4 rule 1)");
                } else if (hard_work && !has_hard_days) {
                    slot.reasons.push_back("no hard run day in the week: strength on an easy-run "
                                           "day, run first (analysis.md §4.4 rule 5)");
                }
            }
            return best;
        }
    }
    return {};
}

const Exercise* Planner::pick(const GroupPrescription& gp, ExerciseGroup group,
                              const std::string& pattern, int rotation, bool two_footed,
                              Familiar familiar) const {
    const auto fits = [&](const Exercise& e) {
        if (e.group != group || e.pattern != pattern || e.level > m_ctx.level) {
            return false;
        }
        // §4.7: two-footed jumps before single-leg ones.
        if (two_footed && group == ExerciseGroup::plyometric && e.unilateral) {
            return false;
        }
        // A variant whose own rep range ends below the block's reps cannot be dosed
        // by it (a Nordic lowering is no set of 12).
        if (e.max_reps > 0 && e.max_reps < gp.reps.low) {
            return false;
        }
        if (!has_equipment(e, m_ctx.equipment)) {
            return false;
        }
        if (gp.low_amplitude_only && !e.low_amplitude) {
            return false;
        }
        if (gp.bodyweight_only &&
            std::any_of(e.equipment.begin(), e.equipment.end(),
                        [](const std::string& item) { return item != "band"; })) {
            return false;
        }
        return true;
    };
    std::vector<const Exercise*> candidates;
    for (const Exercise& e : m_lib.exercises()) {
        if (fits(e)) {
            candidates.push_back(&e);
        }
    }
    // Close to the race nothing new (§4.7): the exercises already done, where any fit.
    if (familiar != Familiar::any) {
        std::vector<const Exercise*> known;
        for (const Exercise* e : candidates) {
            if (m_familiar.contains(e->id)) {
                known.push_back(e);
            }
        }
        if (!known.empty() || familiar == Familiar::only) {
            candidates = std::move(known);
        }
    }
    if (candidates.empty()) {
        return two_footed ? pick(gp, group, pattern, rotation, false, familiar) : nullptr;
    }
    // Heavy work takes the library's first (heaviest) option the athlete can load;
    // the other groups rotate through their options so the whole set gets taught.
    const Exercise* chosen =
        group == ExerciseGroup::heavy
            ? candidates.front()
            : candidates[static_cast<std::size_t>(rotation) % candidates.size()];
    if (m_rx.levels[static_cast<std::size_t>(m_ctx.level)].harder_variants &&
        !chosen->harder.empty()) {
        const Exercise* harder = m_lib.find(chosen->harder);
        if (harder != nullptr && harder->group == group && harder->pattern == pattern &&
            fits(*harder) && (familiar == Familiar::any || m_familiar.contains(harder->id))) {
            chosen = harder;
        }
    }
    return chosen;
}

double Planner::session_minutes(const PlanSession& session) const {
    double seconds = 60.0 * m_rx.rules.warmup_minutes;
    for (const PlanBlock& block : session.blocks) {
        // Seconds per rep: controlled heavy reps, quick contacts, 3-4 s eccentrics.
        const double tempo_s = block.group == ExerciseGroup::heavy        ? 4
                               : block.group == ExerciseGroup::plyometric ? 2
                               : block.group == ExerciseGroup::eccentric  ? 5
                                                                          : 3;
        double per_set = 0;
        for (const PlanStep& step : block.steps) {
            const double sides = step.per_side ? 2 : 1;
            const double work =
                step.seconds ? *step.seconds * sides : step.reps.value_or(0) * tempo_s * sides;
            per_set += work + step.rest_s + 15; // 15 s to set up the next exercise
        }
        seconds += per_set * block.sets;
    }
    if (session.corrective_in_heavy_rests) {
        double heavy_rest = 0;
        double corrective = 0;
        for (const PlanBlock& block : session.blocks) {
            for (const PlanStep& step : block.steps) {
                const double sides = step.per_side ? 2 : 1;
                if (block.group == ExerciseGroup::heavy) {
                    heavy_rest += step.rest_s * block.sets;
                } else if (block.group == ExerciseGroup::corrective) {
                    const double work =
                        step.seconds ? *step.seconds * sides : step.reps.value_or(0) * 3 * sides;
                    corrective += (work + step.rest_s + 15) * block.sets;
                }
            }
        }
        seconds -= std::min(corrective, heavy_rest);
    }
    return seconds / 60.0;
}

// §4.7 one load scale: an athlete with a recorded routine (10 or more sessions)
// is planned at most 1.6x the load per minute of the recorded sessions; the
// session-RPE that allows, or none (infinity).
double Planner::recorded_rpe_cap() const {
    const RecordedStrength& rec = m_ctx.recorded_strength;
    if (rec.sessions < m_rx.dose.recorded_min_sessions || rec.load_per_minute <= 0 ||
        m_ctx.strength_history == StrengthHistory::none) {
        return std::numeric_limits<double>::infinity();
    }
    return m_rx.dose.recorded_load_per_minute_ratio * rec.load_per_minute /
           m_rx.rules.session_rpe_to_load;
}

double Planner::session_load(const PlanSession& session) const {
    // §4.6: session-RPE × minutes × c; A/B sessions RPE 6, C-only RPE 3.
    double rpe = m_rx.rules.session_rpe_corrective;
    for (const PlanBlock& block : session.blocks) {
        if (block.group == ExerciseGroup::heavy || block.group == ExerciseGroup::plyometric) {
            rpe = m_rx.rules.session_rpe_heavy_or_plyometric;
        } else if (block.group == ExerciseGroup::eccentric) {
            rpe = std::max(rpe, m_rx.rules.session_rpe_eccentric);
        }
    }
    rpe = std::min(rpe, recorded_rpe_cap());
    return session.estimated_minutes * rpe * m_rx.rules.session_rpe_to_load;
}

int progressed_sets(const Range& sets, int build_index, int build_weeks, bool deload) {
    if (deload) {
        return std::max(1, sets.low - 1);
    }
    const int span = sets.high - sets.low + 1;
    return std::min(sets.high, sets.low + span * build_index / std::max(1, build_weeks));
}

void Planner::finish_session(PlanSession& session) const {
    session.kind.clear();
    SessionGroups kept;
    for (const ExerciseGroup group : {ExerciseGroup::heavy, ExerciseGroup::plyometric,
                                      ExerciseGroup::corrective, ExerciseGroup::eccentric}) {
        for (const PlanBlock& block : session.blocks) {
            if (block.group == group) {
                kept.push_back(group);
                break;
            }
        }
    }
    for (const ExerciseGroup group : kept) {
        if (!session.kind.empty()) {
            session.kind += '+';
        }
        session.kind += to_string(group);
    }
    std::string words = session.kind;
    std::replace(words.begin(), words.end(), '+', ' ');
    std::string title;
    for (std::size_t i = 0; i < kept.size(); ++i) {
        title += i == 0 ? capitalized(to_string(kept[i])) : std::string(to_string(kept[i]));
        title += i + 2 < kept.size() ? ", " : i + 2 == kept.size() ? " and " : "";
    }
    session.title = capitalized(to_string(session.phase)) + " strength: " + title;
    session.estimated_minutes = static_cast<int>(std::ceil(session_minutes(session)));
    session.estimated_load = std::round(session_load(session) * 10) / 10;
    session.id = (m_ctx.athlete_id.empty() ? std::string("athlete") : m_ctx.athlete_id) + "-" +
                 format_date(session.date) + "-" + session.kind;
}

SessionFacts Planner::session_facts(const Slot& slot, int week) const {
    const PlanWeekPhase& wp = m_ctx.week_phases[static_cast<std::size_t>(week)];
    bool low_confidence = false;
    const PhasePrescription& p = table(week, &low_confidence);
    const int k = phase_week(week);
    const int cycle = m_rx.rules.deload_every_weeks;
    // Sets and contacts build (and unload every `cycle` weeks) only in the training
    // phases; taper, race week and recovery have fixed volumes (§4.3).
    const bool progresses = loading_phase(wp.phase);
    const bool intro = intro_week(week);
    const bool deload = lighter_week(week);
    const int build_weeks_done = progresses ? m_loading_before[static_cast<std::size_t>(week)] : 0;
    // The phase's own technique weeks, whatever the confidence: an uncertain phase
    // is no reason to start heavier (§4.7).
    const PhasePrescription& own = m_rx.phases[static_cast<std::size_t>(wp.phase)];
    return SessionFacts{
        .wp = wp,
        .p = p,
        .own = own,
        .level_rule = m_rx.levels[static_cast<std::size_t>(m_ctx.level)],
        .week = week,
        .k = k,
        .cycle = cycle,
        .low_confidence = low_confidence,
        .progresses = progresses,
        .intro = intro,
        .run_in = !intro && beginner_race_run_in(slot.day),
        // Four weeks of lifting in the plan make the lifts familiar: the run-in
        // keeps them rather than swap in body-weight ones (nothing new).
        .run_in_bodyweight =
            !intro && beginner_race_run_in(slot.day) &&
            m_lifting_weeks.size() <
                static_cast<std::size_t>(m_rx.new_to_strength.familiar_after_weeks),
        .deload = deload,
        .technique = technique_week(week),
        // §4.7: two-footed drills before single-leg ones, in a block's first week
        // and a novice's first three.
        .two_footed = k < (m_ctx.level == Level::novice ? 3 : 1),
        .build_index =
            progresses ? std::min(m_since_lighter[static_cast<std::size_t>(week)], cycle - 1) : 0,
        .build_weeks_done = build_weeks_done,
        // Loading weeks of heavy work after the technique weeks (a lighter week
        // repeats the last one): each moves reps in reserve down a step (§4.7,
        // Helms et al. 2016).
        .heavy_step = std::max(0, build_weeks_done - (deload ? 1 : 0) -
                                      (own.heavy_technique ? std::min(k, m_technique_weeks) : 0)),
    };
}

/// The session's reasons from its week: phase, confidence, behind plan, the
/// block it is in (introductory, run-in, technique, lighter or build week),
/// the volume row and the level.
void Planner::add_week_reasons(PlanSession& session, const Slot& slot, const SessionFacts& f,
                               const VolumeTier& tier) const {
    const PlanRules& rules = m_rx.rules;
    session.reasons = slot.reasons;
    session.reasons.insert(session.reasons.begin(),
                           capitalized(to_string(f.wp.phase)) + " phase (confidence " +
                               std::string(to_string(f.wp.confidence)) +
                               "): " + session.reasons.front() + " (analysis.md §4.3)");
    session.reasons.erase(session.reasons.begin() + 1);
    if (f.low_confidence) {
        session.reasons.push_back("low phase confidence: conservative values, sets ×" +
                                  format_fixed(rules.low_confidence_factor, 1) +
                                  " (analysis.md §3.4)");
    }
    if (f.wp.behind_plan) {
        session.reasons.push_back(
            "behind plan: the race date asks for " + std::string(to_string(f.wp.phase)) +
            " work before the history supports it; its content at the low end of its sets, "
            "within the budget of your current training (analysis.md §3.1)");
    }
    const NewToStrength& fresh = m_rx.new_to_strength;
    if (f.intro) {
        session.reasons.push_back(
            "new to strength (" + m_ctx.strength_history_source + "): introductory block, week " +
            std::to_string(f.week + 1) + " of " + std::to_string(m_intro_weeks) + ": " +
            std::to_string(fresh.intro.sets.low) + "-" + std::to_string(fresh.intro.sets.high) +
            " sets of " + std::to_string(fresh.intro.reps.low) + "-" +
            std::to_string(fresh.intro.reps.high) + " at RIR " +
            std::to_string(fresh.intro.rir->low) + "-" + std::to_string(fresh.intro.rir->high) +
            ", no jumps or eccentric work yet (analysis.md §4.7)");
    } else if (f.run_in) {
        session.reasons.push_back(
            "new to strength (" + m_ctx.strength_history_source + ") and the race " +
            std::to_string(days_from_civil(m_ctx.race->date) - slot.day) + " days away: " +
            (f.run_in_bodyweight ? "corrective and body-weight work only, nothing new to get "
                                   "sore from (analysis.md §4.7)"
                                 : "the lifts of the last weeks kept, nothing new to get sore "
                                   "from (analysis.md §4.7)"));
    } else if (f.technique) {
        session.reasons.push_back("technique week " + std::to_string(f.k + 1) + " of " +
                                  std::to_string(m_technique_weeks) +
                                  " at the start of the phase: heavy 3 × 8-10 @ RIR 3-4 "
                                  "(analysis.md §4.3)");
    } else if (f.deload) {
        session.reasons.push_back(
            (contains(m_ctx.running_recovery_weeks, f.week)
                 ? std::string("lighter week, with your running recovery week")
                 : "lighter week (every " + std::to_string(f.cycle) + "th week)") +
            ": sets at the low end minus one, contacts ×" +
            format_fixed(rules.deload_contacts_factor, 1) + " (analysis.md §4.7)");
    } else if (f.progresses) {
        session.reasons.push_back(
            f.build_index + 1 < f.cycle
                ? "build week " + std::to_string(f.build_index + 1) + " of " +
                      std::to_string(f.cycle - 1) + " in the phase: sets and contacts progress"
                : "build week " + std::to_string(f.build_index + 1) +
                      ": the lighter week waits a week to go with your running recovery week "
                      "(analysis.md §4.7)");
    }
    session.reasons.push_back(tier.reason);
    if (f.level_rule.set_delta != 0) {
        session.reasons.push_back(std::string(to_string(m_ctx.level)) + ": " +
                                  std::to_string(f.level_rule.set_delta) +
                                  " set per block, novice variants, no drop jumps");
    }
}

/// The sets a block of `group` starts from, before the volume row: the
/// table's, progressed through the block; the low end behind plan; the
/// introductory block's; one more eccentric set for a long descent.
int Planner::block_base_sets(ExerciseGroup group, const GroupPrescription& gp,
                             const SessionFacts& f, PlanSession& session) const {
    const PlanRules& rules = m_rx.rules;
    const bool beginner_lift = f.intro && group == ExerciseGroup::heavy;
    int base_sets =
        progressed_sets(gp.sets, f.technique ? 0 : f.build_index, f.cycle - 1, f.deload);
    base_sets = std::max(1, base_sets + f.level_rule.set_delta);
    if (f.wp.behind_plan && !beginner_lift) {
        // §3.1 behind plan: the phase's work at the volume the athlete takes now (its
        // technique weeks no more sets than the phase's own low end).
        const auto& phase_gp = f.p.groups[static_cast<std::size_t>(group)];
        const int low = phase_gp ? std::min(gp.sets.low, phase_gp->sets.low) : gp.sets.low;
        base_sets = std::max(1, low + f.level_rule.set_delta);
    }
    if (beginner_lift) {
        // 1 set in the block's first week, then 2.
        base_sets = f.intro && f.week == 0 ? gp.sets.low : gp.sets.high;
    }
    if (group == ExerciseGroup::heavy && f.wp.phase == Phase::late && !f.deload && !f.intro) {
        // §4.7 Late maintenance keeps 2 working sets a lift: the novice's set fewer
        // and behind plan's low end do not take it to a single set.
        const auto& late_heavy = f.own.groups[static_cast<std::size_t>(ExerciseGroup::heavy)];
        base_sets = std::max(base_sets, late_heavy ? late_heavy->sets.low : 1);
    }
    // Rule 6: a long descent (total D- over the bonus, or a mountain race by D- per
    // km) that the runner does not descend in training gets one more eccentric set
    // a week, from Early on, so the downhill progression starts earlier; behind
    // plan keeps it too, as the most race-specific work.
    const bool mountain =
        m_ctx.race && m_ctx.race_descent_m && m_ctx.race->distance_km &&
        *m_ctx.race->distance_km > 0 &&
        *m_ctx.race_descent_m / *m_ctx.race->distance_km >= m_rx.dose.mountain_descent_m_per_km;
    if (group == ExerciseGroup::eccentric &&
        (f.wp.phase == Phase::early || f.wp.phase == Phase::mid || f.wp.phase == Phase::late) &&
        m_ctx.race_descent_m && (*m_ctx.race_descent_m > rules.race_descent_bonus_m || mountain) &&
        m_ctx.recent_weekly_descent_m <
            rules.race_descent_bonus_recent_fraction * *m_ctx.race_descent_m) {
        ++base_sets;
        session.reasons.push_back(
            "race D- " + format_fixed(*m_ctx.race_descent_m, 0) + " m" +
            (mountain ? std::string(" (a mountain race by D- per km)")
                      : " > " + format_fixed(rules.race_descent_bonus_m, 0) + " m") +
            " and recent weekly D- " + format_fixed(m_ctx.recent_weekly_descent_m, 0) + " m < " +
            format_fixed(100 * rules.race_descent_bonus_recent_fraction, 0) +
            " % of it: one more eccentric set, from Early on (analysis.md §4.7)");
    }
    if (group == ExerciseGroup::eccentric && f.wp.phase == Phase::late && !f.deload &&
        mountain_race()) {
        // Rule 6: a mountain race keeps 2 downhill sets a week through Late.
        base_sets = std::max(base_sets, 2);
    }
    return base_sets;
}

/// The week's jumps for a plyometric block of `exercises` (§4.7 power block,
/// §4.5 brake), as sets and reps per drill.
JumpDose Planner::plan_jumps(const GroupPrescription& gp,
                             const std::vector<const Exercise*>& exercises, const SessionFacts& f,
                             const WeekTargets& targets, const VolumeTier& tier,
                             PlanSession& session, SessionTrace* trace) const {
    const PlanRules& rules = m_rx.rules;
    // §4.7: Early and the off-season start at the level's weekly floor (60, a
    // novice to jumping 40) and rise 10-20 contacts a loading week, up to the
    // phase's top; low confidence rises more slowly to a lower top.
    const bool builds_power = f.wp.phase == Phase::off_season || f.wp.phase == Phase::early;
    const int loading_weeks_before = std::max(0, f.build_weeks_done - (f.deload ? 1 : 0));
    const int top = std::min(gp.contacts->high, m_rx.dose.week_max_contacts);
    int contacts = 0;
    int low = gp.contacts->low;
    Range allowed{0, std::numeric_limits<int>::max()};
    if (builds_power) {
        // Each loading week rises from the last one's contacts as planned (not
        // from a formula), so rounding to whole sets never adds up.
        const double careful = f.low_confidence ? rules.low_confidence_factor : 1.0;
        const Range& rise = m_rx.dose.contacts_rise_per_week;
        low = f.level_rule.early_contacts_start;
        const int step =
            std::max(rise.low, round_int(f.level_rule.contacts_step_per_week * careful));
        // The phase's own top (low confidence reads the Mid table), lowered.
        const auto& own_jumps = f.own.groups[static_cast<std::size_t>(ExerciseGroup::plyometric)];
        const int own_top = own_jumps && own_jumps->contacts
                                ? std::min(own_jumps->contacts->high, m_rx.dose.week_max_contacts)
                                : top;
        const int most = std::max(low, round_int(own_top * careful));
        contacts = low;
        allowed = Range{low, low + rise.high};
        if (targets.jumps_before && f.deload) {
            contacts = *targets.jumps_before; // 70 % of last week's, below
        } else if (targets.jumps_before) {
            const int before = *targets.jumps_before;
            contacts = std::min(most, before + step);
            allowed = before + rise.low <= most ? Range{before + rise.low, before + rise.high}
                                                : Range{std::min(before, most), most};
        }
    } else {
        contacts = std::min(top, low + f.level_rule.contacts_step_per_week *
                                           (f.technique ? 0 : loading_weeks_before));
    }
    if (f.deload) {
        contacts = round_int(contacts * rules.deload_contacts_factor);
        allowed = Range{0, targets.contacts < 1e8 ? static_cast<int>(targets.contacts)
                                                  : std::numeric_limits<int>::max()};
    }
    trace->base_contacts = contacts;
    // Low confidence: the power block rises more slowly (above), the other
    // phases take the conservative factor here.
    const double careful = f.low_confidence && !builds_power ? rules.low_confidence_factor : 1.0;
    int target = std::max(1, round_int(contacts * tier.plyometric_contacts * careful));
    if (tier.plyometric_contacts < 1.0) {
        allowed = Range{0, std::numeric_limits<int>::max()};
    }
    if (builds_power && !f.deload && target < low) {
        // §4.7: contacts are the point of the power block; the §4.5 brake halves
        // them only down to the level's floor (60, novice 40).
        target = low;
        allowed = Range{low, low + m_rx.dose.contacts_rise_per_week.high};
        session.reasons.push_back("plyometric contacts kept at the floor of " +
                                  std::to_string(low) + " for the power block (analysis.md §4.7)");
    }
    std::vector<int> units;
    units.reserve(exercises.size());
    for (const Exercise* e : exercises) {
        units.push_back(std::max(1, e->contacts_per_rep) * (e->unilateral ? 2 : 1));
    }
    if (tier.plyometric_contacts < 1.0) {
        session.reasons.push_back("plyometric contacts " + std::to_string(contacts) + " -> " +
                                  std::to_string(target) + " (-50 %, analysis.md §4.5)");
    }
    return jump_dose(target, allowed, units, m_rx.dose.contacts_per_set, 5);
}

/// One exercise of a block at its dose: reps or seconds, rest, reps in reserve
/// or %1RM and kilograms.
PlanStep Planner::make_step(const Exercise& e, ExerciseGroup group, const GroupPrescription& gp,
                            const SessionFacts& f, const VolumeTier& tier,
                            std::optional<int> jump_reps) const {
    const bool beginner_lift = f.intro && group == ExerciseGroup::heavy;
    PlanStep step = step_for(e);
    step.per_side = e.unilateral;
    step.rest_s = gp.rest_s;
    if (group == ExerciseGroup::heavy && e.equipment.empty() && e.max_reps > 0) {
        // §4.7 body-weight heavy work is made hard by its variant and tempo, at
        // 6-15 reps: 60-90 s between sets, not a loaded lift's 2-3 min.
        step.rest_s = std::min(step.rest_s, m_rx.dose.bodyweight_heavy_rest_s);
    }
    if (e.timed) {
        const Range seconds = gp.seconds.value_or(Range{30, 30});
        step.seconds = (seconds.low + (seconds.high - seconds.low) / 2) / 5 * 5;
    } else if (group == ExerciseGroup::plyometric) {
        step.reps = jump_reps.value_or(1);
    } else if (group == ExerciseGroup::heavy && !beginner_lift && !f.technique &&
               f.own.heavy_technique) {
        // §4.7 progression: reps fall from the top of the range as RIR falls.
        step.reps = std::max(gp.reps.low, gp.reps.high - f.heavy_step);
    } else {
        step.reps = gp.reps.low + (gp.reps.high - gp.reps.low) / 2;
    }
    if (group == ExerciseGroup::heavy && f.deload && f.wp.phase != Phase::late && !beginner_lift &&
        step.reps) {
        // §4.7 lighter week: last week's weight for one rep fewer, which is what
        // leaves the one more rep in reserve below.
        step.reps = std::max(1, *step.reps - 1);
    }
    if (group == ExerciseGroup::heavy && e.max_reps > 0 && step.reps) {
        // §4.7 body-weight heavy work: the variant's own range, where the stated
        // reps in reserve can be reached (slow lowering, pauses).
        step.reps = std::clamp(*step.reps, e.min_reps, e.max_reps);
    }
    if (group != ExerciseGroup::heavy && group != ExerciseGroup::corrective) {
        return step;
    }
    const auto one_rm = m_ctx.one_rep_max_kg.find(e.id);
    if (beginner_lift) {
        // RIR 4 in the block's first week, then 3.
        step.reps_in_reserve = f.intro && f.week == 0 ? gp.rir->high : gp.rir->low;
    } else if (group == ExerciseGroup::heavy && one_rm != m_ctx.one_rep_max_kg.end() &&
               gp.percent_1rm) {
        const double percent =
            std::min<double>(gp.percent_1rm->high, gp.percent_1rm->low + 2.5 * f.heavy_step);
        step.percent_1rm = percent;
        step.load_kg = std::round(one_rm->second * percent / 100.0 * 2) / 2;
    } else if (gp.rir && !e.timed) {
        step.reps_in_reserve = group == ExerciseGroup::heavy
                                   ? std::max(gp.rir->low, gp.rir->high - f.heavy_step)
                                   : gp.rir->high;
    }
    if (group == ExerciseGroup::heavy && f.deload && f.wp.phase != Phase::late &&
        step.reps_in_reserve) {
        // §4.7 lighter week: the weight kept, one more rep in reserve.
        step.reps_in_reserve = std::min(4, *step.reps_in_reserve + 1);
    }
    if (group == ExerciseGroup::heavy && tier.min_heavy_rir > 0) {
        step.reps_in_reserve = std::max(step.reps_in_reserve.value_or(0), tier.min_heavy_rir);
    }
    return step;
}

/// The technique weeks' heavy work: the phase's own, else the off-season/Early
/// block's (after an introductory block that ends in Mid or Late).
const GroupPrescription& Planner::technique_prescription(const SessionFacts& f) const {
    return f.own.heavy_technique
               ? *f.own.heavy_technique
               : *m_rx.phases[static_cast<std::size_t>(Phase::early)].heavy_technique;
}

/// The block of `group` for the session, or nothing when no exercise fits.
std::optional<PlanBlock> Planner::make_block(ExerciseGroup group, const SessionFacts& f,
                                             const WeekTargets& targets, const VolumeTier& tier,
                                             double m_effective, int rotation, PlanSession& session,
                                             SessionTrace* trace) const {
    const bool beginner_lift = f.intro && group == ExerciseGroup::heavy;
    const GroupPrescription* table_gp = beginner_lift ? &m_rx.new_to_strength.intro
                                        : group == ExerciseGroup::heavy && f.technique
                                            ? &technique_prescription(f)
                                            : &*f.p.groups[static_cast<std::size_t>(group)];
    // The run-in to a race: the phase's dose in body-weight variants, no load.
    GroupPrescription run_in_gp;
    if (f.run_in_bodyweight && group != ExerciseGroup::corrective) {
        run_in_gp = *table_gp;
        run_in_gp.bodyweight_only = true;
        run_in_gp.percent_1rm.reset();
        table_gp = &run_in_gp;
    }
    const GroupPrescription& gp = *table_gp;
    const int base_sets = block_base_sets(group, gp, f, session);
    PlanBlock block;
    block.group = group;
    block.sets = std::max(1, round_int(base_sets * m_effective));

    // Close to the race nothing new (§4.7): the run-in's jumps and eccentric work
    // only as already done, the run-in's lifts and the taper's work as already
    // done where they can be.
    const Familiar familiar =
        f.run_in && group != ExerciseGroup::heavy && group != ExerciseGroup::corrective
            ? Familiar::only
        : f.run_in || f.wp.phase == Phase::taper || f.wp.phase == Phase::race ? Familiar::prefer
                                                                              : Familiar::any;
    std::vector<const Exercise*> exercises;
    for (const std::string& pattern : gp.patterns) {
        const Exercise* e = pick(gp, group, pattern, rotation, f.two_footed, familiar);
        if (e == nullptr) {
            session.reasons.push_back("no " + pattern +
                                      " exercise for this equipment and level: slot left out");
            continue;
        }
        exercises.push_back(e);
    }
    if (exercises.empty()) {
        return std::nullopt;
    }
    JumpDose jumps;
    if (group == ExerciseGroup::plyometric && f.two_footed) {
        session.reasons.push_back(
            std::string(f.k == 0 ? "the phase's first week" : "a novice's first weeks of jumping") +
            ": two-footed jumps only, single-leg ones later (analysis.md §4.7)");
    }
    if (group == ExerciseGroup::plyometric && gp.contacts) {
        jumps = plan_jumps(gp, exercises, f, targets, tier, session, trace);
        block.sets = jumps.sets;
    }
    for (std::size_t drill = 0; drill < exercises.size(); ++drill) {
        block.steps.push_back(make_step(
            *exercises[drill], group, gp, f, tier,
            drill < jumps.reps.size() ? std::optional<int>(jumps.reps[drill]) : std::nullopt));
    }
    trace->base_sets.push_back(base_sets);
    trace->trimmed.push_back(false);
    return block;
}

/// §4.7 --no-jumps: the jumps' tendon loading as an isometric hold, its own kind
/// (not eccentric work), done with the corrective exercises.
void Planner::add_isometric_hold(PlanSession& session, const SessionFacts& f, double m_effective,
                                 SessionTrace* trace) const {
    const Exercise* hold = m_lib.find("wall_sit");
    const auto& corrective_gp = f.p.groups[static_cast<std::size_t>(ExerciseGroup::corrective)];
    if (hold == nullptr || !hold->isometric || !corrective_gp ||
        !has_equipment(*hold, m_ctx.equipment)) {
        return;
    }
    auto it = std::find_if(session.blocks.begin(), session.blocks.end(),
                           [](const PlanBlock& b) { return b.group == ExerciseGroup::corrective; });
    if (it == session.blocks.end()) {
        PlanBlock block;
        block.group = ExerciseGroup::corrective;
        block.sets = std::max(1, round_int(corrective_gp->sets.low * m_effective));
        session.blocks.push_back(std::move(block));
        trace->base_sets.push_back(corrective_gp->sets.low);
        trace->trimmed.push_back(false);
        it = session.blocks.end() - 1;
    }
    PlanStep step = step_for(*hold);
    step.rest_s = corrective_gp->rest_s;
    const Range seconds = corrective_gp->seconds.value_or(Range{30, 30});
    step.seconds = (seconds.low + (seconds.high - seconds.low) / 2) / 5 * 5;
    it->steps.push_back(std::move(step));
}

/// Time caps: a group's own (taper activation 10-15 min), the phase's, C-only <= 20 min.
void Planner::cap_session_minutes(PlanSession& session, const SessionFacts& f,
                                  const WeekTargets& targets, const VolumeTier& tier,
                                  SessionTrace* trace) const {
    const PlanRules& rules = m_rx.rules;
    const PhasePrescription& p = f.p;
    const auto block_minutes = [&](const PlanBlock& block) {
        PlanSession one;
        one.blocks.push_back(block);
        return session_minutes(one) - rules.warmup_minutes;
    };
    for (std::size_t b = 0; b < session.blocks.size(); ++b) {
        PlanBlock& block = session.blocks[b];
        const auto& gp = p.groups[static_cast<std::size_t>(block.group)];
        if (gp && gp->max_minutes) {
            while (block_minutes(block) > *gp->max_minutes &&
                   (block.sets > 1 || block.steps.size() > 1)) {
                if (block.sets > 1) {
                    --block.sets;
                } else {
                    block.steps.pop_back();
                }
                trace->trimmed[b] = true;
            }
        }
    }
    std::optional<int> cap = p.max_minutes;
    if (tier.corrective_only) {
        cap = std::min(cap.value_or(rules.c_only_max_minutes), rules.c_only_max_minutes);
    }
    if (!cap) {
        return;
    }
    // One set at a time: first from the supporting blocks (corrective, eccentric)
    // down to the low end of their §4.3 range, so the heavy and plyometric sets of
    // the table go last; then from the block with the most sets (on a tie the
    // later one). In the power block the jumps are the point (§4.7): a session
    // with jumps takes its supporting blocks down to one set before any jump goes.
    const bool power = f.wp.phase == Phase::off_season || f.wp.phase == Phase::early;
    const bool jumps = block_of(session, ExerciseGroup::plyometric) != nullptr;
    const auto table_low = [&](const PlanBlock& block) {
        const auto& gp = p.groups[static_cast<std::size_t>(block.group)];
        return gp && !(power && jumps) ? gp->sets.low : 1;
    };
    // Rule 6: before a mountain race Late keeps 2 eccentric sets; its low-amplitude
    // jumps go first when the session has no time for both.
    const bool downhill = mountain_race() && f.wp.phase == Phase::late;
    const auto floor_of = [&](const PlanBlock& block) {
        return downhill && block.group == ExerciseGroup::eccentric ? 2 : 1;
    };
    // In the power block the jumps keep the level's weekly floor (§4.7), nor fall
    // below last week's (the rise holds before it falls back): other blocks give
    // their sets first.
    const auto keeps_floor = [&](const PlanBlock& block) {
        if (!power || block.group != ExerciseGroup::plyometric || f.deload) {
            return false;
        }
        PlanSession one;
        one.blocks.push_back(block);
        const int contacts = session_contacts(one);
        const int keep =
            std::max(f.level_rule.early_contacts_start, targets.jumps_before.value_or(0));
        return contacts * (block.sets - 1) / block.sets < keep;
    };
    while (session_minutes(session) > *cap) {
        // Rule 1: the corrective exercises go into the rests of the heavy sets
        // before any set is cut.
        if (!session.corrective_in_heavy_rests &&
            block_of(session, ExerciseGroup::heavy) != nullptr &&
            block_of(session, ExerciseGroup::corrective) != nullptr) {
            session.corrective_in_heavy_rests = true;
            session.reasons.push_back("corrective exercises done in the rests of the heavy sets "
                                      "to fit the session's " +
                                      std::to_string(*cap) + " min (analysis.md §4.7)");
            continue;
        }
        std::size_t largest = session.blocks.size();
        for (std::size_t b = 0; b < session.blocks.size(); ++b) {
            const PlanBlock& block = session.blocks[b];
            if ((block.group == ExerciseGroup::corrective ||
                 block.group == ExerciseGroup::eccentric) &&
                block.sets > std::max(floor_of(block), table_low(block)) &&
                (largest == session.blocks.size() || block.sets >= session.blocks[largest].sets)) {
                largest = b;
            }
        }
        // Outside it the jumps go before the heavy sets, so a session never carries
        // more heavy work at a lower volume row (§4.5) than at full.
        for (std::size_t b = 0; !power && b < session.blocks.size(); ++b) {
            if (session.blocks[b].group == ExerciseGroup::plyometric &&
                session.blocks[b].sets > 1) {
                largest = b;
            }
        }
        // Before a mountain race Late's jumps go before the heavy and downhill sets.
        if (const PlanBlock* hops = block_of(session, ExerciseGroup::plyometric);
            downhill && hops != nullptr && largest == session.blocks.size()) {
            const auto at = hops - session.blocks.data();
            session.blocks.erase(session.blocks.begin() + at);
            trace->base_sets.erase(trace->base_sets.begin() + at);
            trace->trimmed.erase(trace->trimmed.begin() + at);
            session.reasons.push_back("jumps left out: before a mountain race the heavy and "
                                      "downhill (eccentric) sets come first in a full session "
                                      "(analysis.md §4.7)");
            continue;
        }
        for (int pass = 0; pass < 2 && largest == session.blocks.size(); ++pass) {
            for (std::size_t b = 0; b < session.blocks.size(); ++b) {
                if (session.blocks[b].sets > floor_of(session.blocks[b]) &&
                    (pass == 1 || !keeps_floor(session.blocks[b])) &&
                    (largest == session.blocks.size() ||
                     session.blocks[b].sets >= session.blocks[largest].sets)) {
                    largest = b;
                }
            }
        }
        if (largest == session.blocks.size()) {
            break;
        }
        --session.blocks[largest].sets;
        trace->trimmed[largest] = true;
    }
    const PlanBlock* jump_block = block_of(session, ExerciseGroup::plyometric);
    if (power && jump_block != nullptr && !f.deload &&
        trace->trimmed[static_cast<std::size_t>(jump_block - session.blocks.data())]) {
        PlanSession one;
        one.blocks.push_back(*jump_block);
        session.reasons.push_back("plyometric contacts held at " +
                                  std::to_string(session_contacts(one)) + ": the session's " +
                                  std::to_string(*cap) +
                                  " min leave no time for this week's rise (analysis.md §4.7)");
    }
}

/// §4.7 one load scale: held to 1.6x the recorded load per minute by effort, the
/// heavy sets a rep further from failure for each session-RPE point over it.
void Planner::hold_recorded_effort(PlanSession& session, const SessionFacts& f) const {
    const PlanRules& rules = m_rx.rules;
    const double rpe_cap = recorded_rpe_cap();
    const bool hard_session =
        std::any_of(session.blocks.begin(), session.blocks.end(), [](const PlanBlock& b) {
            return b.group == ExerciseGroup::heavy || b.group == ExerciseGroup::plyometric;
        });
    if (!hard_session || rpe_cap >= rules.session_rpe_heavy_or_plyometric) {
        return;
    }
    const int extra =
        static_cast<int>(std::ceil(rules.session_rpe_heavy_or_plyometric - rpe_cap - 1e-9));
    const int max_rir = f.wp.phase == Phase::late ? 3 : 4;
    for (PlanBlock& block : session.blocks) {
        for (PlanStep& step : block.steps) {
            if (block.group == ExerciseGroup::heavy && step.reps_in_reserve) {
                step.reps_in_reserve = std::max(*step.reps_in_reserve,
                                                std::min(max_rir, *step.reps_in_reserve + extra));
            }
        }
    }
    session.reasons.push_back("your recorded strength sessions score " +
                              format_fixed(m_ctx.recorded_strength.load_per_minute, 2) +
                              " load a minute: planned at most " +
                              format_fixed(m_rx.dose.recorded_load_per_minute_ratio, 1) +
                              "x that, session-RPE " + format_fixed(rpe_cap, 1) + " instead of " +
                              format_fixed(rules.session_rpe_heavy_or_plyometric, 0) +
                              ", heavy sets up to " + std::to_string(extra) + " more rep" +
                              (extra == 1 ? "" : "s") + " in reserve (analysis.md §4.7)");
}

/// One session for `slot`: its blocks from the week's table at the volume row
/// `tier` (sets × `m_effective`), then the time caps and the recorded effort.
PlanSession Planner::build(const Slot& slot, int week, const WeekTargets& targets,
                           const VolumeTier& tier, double m_effective, int rotation,
                           SessionTrace* trace) const {
    const SessionFacts f = session_facts(slot, week);
    trace->phase_week = f.k;
    trace->deload = f.deload;
    trace->technique = f.technique;

    PlanSession session;
    session.date = civil_from_days(slot.day);
    session.phase = f.wp.phase;
    add_week_reasons(session, slot, f, tier);

    bool jumps_replaced = false;
    for (const ExerciseGroup group : block_order) {
        if (!contains(slot.groups, group)) {
            continue;
        }
        if (tier.corrective_only && group != ExerciseGroup::corrective) {
            continue;
        }
        if (tier.drop_plyometric && group == ExerciseGroup::plyometric) {
            continue;
        }
        if (m_ctx.no_jumps && group == ExerciseGroup::plyometric) {
            session.reasons.push_back("--no-jumps (Achilles or bone-stress history): no "
                                      "plyometric work; an isometric wall-sit hold instead "
                                      "(analysis.md §4.7)");
            jumps_replaced = true;
            continue;
        }
        if (f.intro && group != ExerciseGroup::heavy && group != ExerciseGroup::corrective) {
            continue; // the template has none; a slot from elsewhere is dropped too
        }
        if (auto block =
                make_block(group, f, targets, tier, m_effective, rotation, session, trace)) {
            session.blocks.push_back(std::move(*block));
        }
    }
    if (jumps_replaced) {
        add_isometric_hold(session, f, m_effective, trace);
    }
    cap_session_minutes(session, f, targets, tier, trace);
    hold_recorded_effort(session, f);
    trace->contacts = session_contacts(session); // after the time caps
    finish_session(session);
    return session;
}

bool Planner::lighter_week(int week) const {
    return m_week_lighter[static_cast<std::size_t>(week)];
}

// §4.7 lighter weeks: after 3 loading weeks of a block, or with the athlete's running
// recovery week once 2 loading weeks are done (a running recovery week a week away
// holds the lighter week for it).
void Planner::plan_lighter_weeks() {
    const int cycle = m_rx.rules.deload_every_weeks;
    const auto n = static_cast<std::size_t>(m_ctx.weeks);
    m_week_lighter.assign(n, false);
    m_since_lighter.assign(n, 0);
    m_loading_before.assign(n, 0);
    int since = 0;
    int loading = 0;
    for (int w = 0; w < m_ctx.weeks; ++w) {
        const auto i = static_cast<std::size_t>(w);
        const Phase phase = m_ctx.week_phases[i].phase;
        const bool progresses = phase == Phase::off_season || phase == Phase::early ||
                                phase == Phase::mid || phase == Phase::late;
        if (phase_week(w) == 0) {
            since = 0;
            loading = 0;
        }
        m_since_lighter[i] = since;
        m_loading_before[i] = loading;
        if (!progresses || intro_week(w)) {
            ++since;
            ++loading;
            continue;
        }
        // Technique weeks are light: they do not count towards the lighter week.
        if (technique_week(w)) {
            ++loading;
            continue;
        }
        const bool running_recovery = contains(m_ctx.running_recovery_weeks, w);
        const bool recovery_next = contains(m_ctx.running_recovery_weeks, w + 1) &&
                                   w + 1 < m_ctx.weeks && phase_week(w + 1) > 0;
        const bool lighter = (running_recovery && since >= 2) ||
                             (since >= cycle - 1 && !(recovery_next && since < cycle));
        m_week_lighter[i] = lighter;
        if (lighter) {
            since = 0;
        } else {
            ++since;
            ++loading;
        }
    }
}

int Planner::session_contacts(const PlanSession& session) const {
    int contacts = 0;
    for (const PlanBlock& block : session.blocks) {
        if (block.group != ExerciseGroup::plyometric) {
            continue;
        }
        for (const PlanStep& step : block.steps) {
            const Exercise* e = m_lib.find(step.exercise_id);
            const int per_rep = e != nullptr ? e->contacts_per_rep : 1;
            contacts += step.reps.value_or(0) * per_rep * (step.per_side ? 2 : 1) * block.sets;
        }
    }
    return contacts;
}

// One entry per calendar week (Monday-Sunday): what plan.txt's overview and
// plan.json's `weeks` show.
std::vector<PlanWeek> Planner::weeks_overview(const Plan& plan) const {
    std::vector<PlanWeek> weeks;
    for (int w = 0; w < m_ctx.weeks; ++w) {
        const PlanWeekPhase& wp = m_ctx.week_phases[static_cast<std::size_t>(w)];
        const std::int64_t monday = m_monday + 7 * w;
        const std::int64_t planned_days = monday + 7 - std::max(m_start, monday);
        PlanWeek week;
        week.start = civil_from_days(monday);
        week.phase = wp.phase;
        week.running_load =
            std::round(m_ctx.load.mean_daily_run_load * static_cast<double>(planned_days) * 10) /
            10;
        week.lighter = lighter_week(w);
        week.behind_plan = wp.behind_plan;
        for (const PlanSession& session : plan.sessions) {
            const std::int64_t day = days_from_civil(session.date);
            if (day < monday || day > monday + 6) {
                continue;
            }
            ++week.sessions;
            week.minutes += session.estimated_minutes;
            week.strength_load += session.estimated_load;
            week.plyometric_contacts += session_contacts(session);
            for (const PlanBlock& block : session.blocks) {
                if (block.group == ExerciseGroup::heavy) {
                    week.heavy_sets += block.sets;
                } else if (block.group == ExerciseGroup::eccentric) {
                    week.eccentric_sets += block.sets;
                }
            }
        }
        week.strength_load = std::round(week.strength_load * 10) / 10;
        std::vector<std::string> notes;
        if (planned_days < 7) {
            notes.push_back("plan starts " + std::string(weekday_name(weekday_of(m_ctx.start))));
        }
        if (week.lighter) {
            notes.push_back("lighter week");
        }
        if (week.behind_plan) {
            notes.push_back("behind plan");
        }
        if (week.sessions == 0) {
            notes.push_back("no strength session");
        }
        for (std::size_t i = 0; i < notes.size(); ++i) {
            week.note += (i == 0 ? "" : ", ") + notes[i];
        }
        weeks.push_back(std::move(week));
    }
    return weeks;
}

WeekTotals Planner::week_totals(const Plan& plan, int week) const {
    const PlanWeekPhase& wp = m_ctx.week_phases[static_cast<std::size_t>(week)];
    const std::int64_t monday = m_monday + 7 * week;
    WeekTotals t;
    t.phase = wp.phase;
    t.full = monday >= m_start;
    t.lighter = lighter_week(week);
    for (const PlanSession& session : plan.sessions) {
        const std::int64_t day = days_from_civil(session.date);
        if (day < monday || day > monday + 6) {
            continue;
        }
        ++t.sessions;
        t.minutes += session.estimated_minutes;
        t.load += session.estimated_load;
        t.contacts += session_contacts(session);
        for (const PlanBlock& block : session.blocks) {
            t.sets += block.sets;
            if (block.group == ExerciseGroup::eccentric) {
                t.eccentric_sets += block.sets;
            }
        }
    }
    return t;
}

WeekTargets Planner::week_targets(const std::vector<WeekTotals>& done, int week) const {
    const PlanWeekPhase& wp = m_ctx.week_phases[static_cast<std::size_t>(week)];
    const DoseRules& dose = m_rx.dose;
    const PhasePrescription& p = m_rx.phases[static_cast<std::size_t>(wp.phase)];
    WeekTargets t;
    // §4.7 weekly budget: the larger of 75 min and 25 % of the athlete's training
    // time, capped by phase (the off-season is the strength phase: low running
    // volume does not shrink it below the floor).
    if (p.week_max_minutes) {
        const double own = dose.week_training_fraction * m_ctx.mean_weekly_training_min;
        const double budget =
            std::min<double>(*p.week_max_minutes, std::max<double>(dose.week_min_minutes, own));
        t.minutes = budget;
        t.why.push_back("week budget " + format_fixed(budget, 0) + " min: the larger of " +
                        std::to_string(dose.week_min_minutes) + " min and " +
                        format_fixed(100 * dose.week_training_fraction, 0) + " % of your " +
                        format_fixed(m_ctx.mean_weekly_training_min, 0) +
                        " min of weekly training, at most " + std::to_string(*p.week_max_minutes) +
                        " in this phase (analysis.md §4.7)");
    }
    // §4.7 one load scale: an athlete with a recorded routine is held near it.
    const RecordedStrength& rec = m_ctx.recorded_strength;
    // A runner new to strength (given or inferred) has no routine to be held near:
    // the introductory block and the novice dose hold the load instead.
    if (rec.sessions >= dose.recorded_min_sessions && rec.weekly_load_4w > 0 &&
        loading_phase(wp.phase) && m_ctx.strength_history != StrengthHistory::none) {
        const double cap = dose.recorded_week_load_ratio * rec.weekly_load_4w;
        t.load = cap;
        t.why.push_back("strength load at most " + format_fixed(dose.recorded_week_load_ratio, 1) +
                        "x your recorded 4-week mean of " + format_fixed(rec.weekly_load_4w, 0) +
                        " a week (analysis.md §4.7)");
    }
    // §4.7 Late is maintenance: at most 70 % of the last 3 full Mid weeks' minutes,
    // or no more than the first Late week.
    if (wp.phase == Phase::late) {
        std::vector<int> mid;
        int first_late = -1;
        for (int w = week - 1; w >= 0; --w) {
            const WeekTotals& d = done[static_cast<std::size_t>(w)];
            if (d.phase == Phase::mid && d.full && !d.lighter && d.sessions > 0 && mid.size() < 3) {
                mid.push_back(d.minutes);
            }
        }
        for (int w = 0; w < week; ++w) {
            // A part week, a lighter week or one cut to nothing says nothing of
            // what Late maintenance holds: the first full loading Late week does.
            const WeekTotals& d = done[static_cast<std::size_t>(w)];
            if (d.phase == Phase::late && d.full && !d.lighter && d.sessions > 0) {
                first_late = d.minutes;
                break;
            }
        }
        if (!mid.empty()) {
            const double mean =
                std::accumulate(mid.begin(), mid.end(), 0.0) / static_cast<double>(mid.size());
            const double cap = dose.late_fraction_of_mid * mean;
            if (cap < t.minutes) {
                t.minutes = cap;
                t.why.push_back("Late is maintenance: at most " +
                                format_fixed(100 * dose.late_fraction_of_mid, 0) + " % of the " +
                                format_fixed(mean, 0) +
                                " min of the last full Mid weeks (analysis.md "
                                "§4.7)");
            }
        } else if (first_late >= 0 && first_late < t.minutes) {
            t.minutes = first_late;
            t.why.push_back("Late is maintenance: no more than the first Late week's " +
                            std::to_string(first_late) + " min (analysis.md §4.7)");
        }
        // §4.7 terrain: a flat race needs little eccentric work late.
        if (m_ctx.race && m_ctx.race_descent_m && m_ctx.race->distance_km &&
            *m_ctx.race->distance_km > 0) {
            const double per_km = *m_ctx.race_descent_m / *m_ctx.race->distance_km;
            if (per_km < dose.mountain_descent_m_per_km) {
                const double x =
                    std::clamp((per_km - dose.flat_descent_m_per_km) /
                                   (dose.mountain_descent_m_per_km - dose.flat_descent_m_per_km),
                               0.0, 1.0);
                // Rule 6: the recent weekly descent shapes the dose: a runner who
                // already descends a race's worth each week needs less build-up.
                const double used = std::clamp(
                    m_ctx.recent_weekly_descent_m / std::max(1.0, *m_ctx.race_descent_m), 0.0, 1.0);
                t.eccentric_sets =
                    dose.flat_eccentric_sets_per_week + static_cast<int>(2 * x * (1 - used));
                t.why.push_back("race descent " + format_fixed(per_km, 0) +
                                " m/km, recent weekly D- " +
                                format_fixed(m_ctx.recent_weekly_descent_m, 0) + " m (" +
                                format_fixed(100 * used, 0) + " % of the race's): at most " +
                                std::to_string(t.eccentric_sets) +
                                " eccentric sets a week late (analysis.md §4.7)");
            }
        }
    }
    // §4.7 the taper unloads: at most 70 % of the minutes and sets of the last 3
    // loading weeks, and never more than the week before it.
    if (wp.phase == Phase::taper) {
        double minutes = 0;
        double sets = 0;
        int n = 0;
        std::optional<int> week_before;
        for (int w = week - 1; w >= 0; --w) {
            const WeekTotals& d = done[static_cast<std::size_t>(w)];
            if (!week_before && d.full && d.sessions > 0) {
                week_before = d.minutes;
            }
            if (n < 3 && d.full && !d.lighter && d.sessions > 0 && loading_phase(d.phase)) {
                minutes += d.minutes;
                sets += d.sets;
                ++n;
            }
        }
        const double f = dose.lighter_week_fraction;
        if (n > 0 && f * minutes / n < t.minutes) {
            t.minutes = f * minutes / n;
            t.sets = std::min(t.sets, f * sets / n);
            t.why.push_back("the taper unloads: at most " + format_fixed(100 * f, 0) +
                            " % of the minutes and sets of the " + std::to_string(n) +
                            " loading weeks before it (analysis.md §4.7)");
        }
        if (week_before && *week_before < t.minutes) {
            t.minutes = *week_before;
            t.why.push_back("the taper unloads: no more than the week before it (" +
                            std::to_string(*week_before) + " min, analysis.md §4.7)");
        }
    }
    // §4.7 the power block's jumps rise from its last loading week that had them
    // (a lighter week or one without jumps is passed over).
    if (wp.phase == Phase::off_season || wp.phase == Phase::early) {
        for (int w = week - 1; w >= 0; --w) {
            const WeekTotals& d = done[static_cast<std::size_t>(w)];
            if (d.phase != Phase::off_season && d.phase != Phase::early) {
                break;
            }
            if (!d.lighter && d.contacts > 0) {
                t.jumps_before = d.contacts;
                break;
            }
        }
    }
    // §4.7 lighter week: sets, contacts and minutes each at most 70 % of the mean of
    // the 3 loading weeks before it.
    if (lighter_week(week)) {
        double minutes = 0;
        double sets = 0;
        double contacts = 0;
        double eccentric = 0;
        int n = 0;
        for (int w = week - 1; w >= 0 && n < 3; --w) {
            const WeekTotals& d = done[static_cast<std::size_t>(w)];
            if (!d.lighter && d.sessions > 0 && loading_phase(d.phase)) {
                minutes += d.minutes;
                sets += d.sets;
                contacts += d.contacts;
                eccentric += d.eccentric_sets;
                ++n;
            }
        }
        if (n > 0) {
            const double f = dose.lighter_week_fraction;
            t.minutes = std::min(t.minutes, f * minutes / n);
            t.sets = f * sets / n;
            t.contacts = f * contacts / n;
            // Nor more eccentric sets than the loading weeks had (one at least, where
            // they had any: the downhill work keeps its thread).
            if (eccentric > 0) {
                t.eccentric_sets = std::min(
                    t.eccentric_sets, std::max(1, static_cast<int>(std::floor(f * eccentric / n))));
            }
            t.why.push_back("lighter week: sets, contacts and minutes at most " +
                            format_fixed(100 * f, 0) + " % of the " + std::to_string(n) +
                            " loading weeks before, weight kept (analysis.md §4.7)");
        }
    }
    return t;
}

// Cuts sets, then blocks, then the session itself until the week fits `targets`;
// only session `only` is cut (the others of the week are already projected).
void Planner::trim_week(Plan& plan, std::vector<SessionTrace>& traces, int week,
                        const WeekTargets& targets, std::size_t only) const {
    const std::int64_t monday = m_monday + 7 * week;
    const auto in_week = [&](const PlanSession& s) {
        const std::int64_t day = days_from_civil(s.date);
        return day >= monday && day <= monday + 6;
    };
    bool trimmed = false;
    // Another session of the week holds corrective work: this one's may go.
    bool corrective_elsewhere = false;
    for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
        corrective_elsewhere = corrective_elsewhere ||
                               (i != only && in_week(plan.sessions[i]) &&
                                block_of(plan.sessions[i], ExerciseGroup::corrective) != nullptr);
    }
    // The last heavy session before the race, in its window (§4.4): its one heavy set
    // stays whatever a taper or lighter week's cap leaves.
    const bool heavy_touch = in_heavy_window(days_from_civil(plan.sessions[only].date));
    const bool downhill_touch =
        mountain_race() && in_downhill_window(days_from_civil(plan.sessions[only].date));
    for (int guard = 0; guard < 1000; ++guard) {
        const WeekTotals t = week_totals(plan, week);
        const bool over_contacts = t.contacts > targets.contacts + 1e-9;
        const bool over_eccentric = t.eccentric_sets > targets.eccentric_sets;
        const bool over_volume = t.minutes > targets.minutes + 1e-9 ||
                                 t.sets > targets.sets + 1e-9 || t.load > targets.load + 1e-9;
        if (!over_contacts && !over_eccentric && !over_volume) {
            break;
        }
        trimmed = true;
        // The block to cut: only the group that is over, or (for volume) the
        // supporting work first, heavy last; within a group the most sets.
        std::size_t best_s = plan.sessions.size();
        std::size_t best_b = 0;
        int best_rank = -1;
        const auto rank_of = [&](const PlanBlock& block, std::size_t blocks_in_session) {
            if (over_contacts) {
                return block.group == ExerciseGroup::plyometric ? 10 + block.sets : -1;
            }
            if (over_eccentric) {
                return block.group == ExerciseGroup::eccentric ? 10 + block.sets : -1;
            }
            // In the power block (Off-season, Early) the jumps are cut last (§4.7).
            const bool power = plan.sessions[only].phase == Phase::early ||
                               plan.sessions[only].phase == Phase::off_season;
            const int plyo_rank = power ? 0 : 100;
            const int heavy_rank = power ? 100 : 0;
            // Rule 6: before a mountain race the downhill work goes after the jumps.
            const int eccentric_rank = mountain_race() && !power ? 50 : 200;
            const int group_rank = block.group == ExerciseGroup::corrective   ? 300
                                   : block.group == ExerciseGroup::eccentric  ? eccentric_rank
                                   : block.group == ExerciseGroup::plyometric ? plyo_rank
                                                                              : heavy_rank;
            if (block.sets > 1) {
                return 1000 + group_rank + block.sets;
            }
            // The corrective set runs all year (§4.2): the week's last round stays.
            if (block.group == ExerciseGroup::corrective && !corrective_elsewhere) {
                return -1;
            }
            // So does the last heavy touch in its window before the race (§4.4), one set,
            // and before a mountain race the last downhill set (rule 6).
            if ((block.group == ExerciseGroup::heavy && heavy_touch) ||
                (block.group == ExerciseGroup::eccentric && downhill_touch)) {
                return -1;
            }
            return blocks_in_session > 1 ? group_rank : -1;
        };
        for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
            if (i != only) {
                continue;
            }
            const auto& blocks = plan.sessions[i].blocks;
            for (std::size_t b = 0; b < blocks.size(); ++b) {
                const int rank = rank_of(blocks[b], blocks.size());
                if (rank > best_rank) {
                    best_rank = rank;
                    best_s = i;
                    best_b = b;
                }
            }
        }
        if (best_s == plan.sessions.size()) {
            // Down to one round of corrective work: kept, the floor of every
            // week (§4.2: the corrective set runs all year), a few minutes
            // over the budget at most.
            if (over_volume && !over_contacts && !over_eccentric && !corrective_elsewhere &&
                block_of(plan.sessions[only], ExerciseGroup::corrective) != nullptr) {
                plan.sessions[only].reasons.push_back(
                    "one round of the corrective exercises kept: they run all year, whatever "
                    "the week's budget (analysis.md §4.2)");
                break;
            }
            if (over_volume && !over_contacts && !over_eccentric &&
                ((heavy_touch && block_of(plan.sessions[only], ExerciseGroup::heavy) != nullptr) ||
                 (downhill_touch &&
                  block_of(plan.sessions[only], ExerciseGroup::eccentric) != nullptr))) {
                plan.sessions[only].reasons.push_back(
                    "one heavy or downhill set kept: the last such session before the race, "
                    "whatever the week's budget (analysis.md §4.4, §4.7)");
                break;
            }
            // Nothing left to cut inside it: the session goes.
            plan.sessions.erase(plan.sessions.begin() + static_cast<std::ptrdiff_t>(only));
            traces.erase(traces.begin() + static_cast<std::ptrdiff_t>(only));
            break;
        }
        PlanSession& session = plan.sessions[best_s];
        SessionTrace& trace = traces[best_s];
        if (over_volume && !session.corrective_in_heavy_rests &&
            block_of(session, ExerciseGroup::heavy) != nullptr &&
            block_of(session, ExerciseGroup::corrective) != nullptr) {
            // §4.7: pair the corrective work into the heavy rests before cutting sets.
            session.corrective_in_heavy_rests = true;
            session.reasons.push_back("corrective exercises done in the rests of the heavy "
                                      "sets to fit the week's time budget (analysis.md §4.7)");
            finish_session(session);
            continue;
        }
        PlanBlock& block = session.blocks[best_b];
        if (block.sets > 1) {
            --block.sets;
            trace.trimmed[best_b] = true;
        } else {
            session.blocks.erase(session.blocks.begin() + static_cast<std::ptrdiff_t>(best_b));
            trace.base_sets.erase(trace.base_sets.begin() + static_cast<std::ptrdiff_t>(best_b));
            trace.trimmed.erase(trace.trimmed.begin() + static_cast<std::ptrdiff_t>(best_b));
        }
        trace.contacts = session_contacts(session);
        finish_session(session);
    }
    if (trimmed && only < plan.sessions.size() && in_week(plan.sessions[only])) {
        for (const std::string& why : targets.why) {
            plan.sessions[only].reasons.push_back(why + ": sets trimmed to fit");
        }
    }
}

/// The context's settings in range (programming errors of a caller, not the user's).
void Planner::check_context() const {
    if (m_ctx.weeks < 1 || m_ctx.weeks > 52) {
        throw std::invalid_argument("plan weeks must be 1-52, got " + std::to_string(m_ctx.weeks));
    }
    if (m_ctx.week_phases.size() != static_cast<std::size_t>(m_ctx.weeks)) {
        throw std::invalid_argument("the context has " + std::to_string(m_ctx.week_phases.size()) +
                                    " week phases for " + std::to_string(m_ctx.weeks) + " weeks");
    }
    for (const std::string& item : m_ctx.equipment) {
        if (!is_equipment_name(item)) {
            throw std::invalid_argument("unknown equipment \"" + item +
                                        "\" (none, band, dumbbell, barbell, box, gym)");
        }
    }
    const WeeklyPattern& pattern = m_ctx.pattern;
    for (const auto* days :
         {&pattern.hard_weekdays, &pattern.rest_weekdays, &pattern.strength_weekdays}) {
        for (const int day : *days) {
            if (day < 0 || day > 6) {
                throw std::invalid_argument("weekday out of range 0-6: " + std::to_string(day));
            }
        }
    }
    if (pattern.long_run_weekday < 0 || pattern.long_run_weekday > 6) {
        throw std::invalid_argument("long-run weekday out of range 0-6");
    }
}

/// The races the plan works around: the last one raced and the goal race, with
/// their recovery and heavy-free run-in days.
void Planner::mark_races() {
    if (m_ctx.last_race_date) {
        m_races.push_back(RaceMark{days_from_civil(*m_ctx.last_race_date),
                                   recovery_days(m_ctx.last_race_effort_km)});
    }
    if (m_ctx.race) {
        const double effort_km =
            m_ctx.race->distance_km.value_or(0) + m_ctx.race->ascent_m.value_or(0) / 100.0;
        // A race of unknown distance counts as an ultra: the longer heavy-free run-in.
        const bool shorter =
            m_ctx.race->distance_km && *m_ctx.race->distance_km <= m_rx.rules.ultra_above_km;
        m_races.push_back(RaceMark{days_from_civil(m_ctx.race->date),
                                   recovery_days(m_ctx.race->distance_km ? effort_km : 50),
                                   shorter ? m_rx.rules.last_heavy_days_before_shorter_race
                                           : m_rx.rules.last_heavy_days_before_race,
                                   shorter ? m_rx.rules.heavy_window_days_before_shorter_race
                                           : m_rx.rules.heavy_window_days_before_race});
    }
}

/// The hard weekdays the plan protects: the pattern's, or a default week when
/// the pattern cannot be read.
void Planner::read_hard_weekdays() {
    const WeeklyPattern& pattern = m_ctx.pattern;
    // §4.4: a week where most days look hard (every run at IF >= 0.8, say) says
    // nothing about which days are hard: a default week instead, and said so.
    m_hard_weekdays = pattern.hard_weekdays;
    if (static_cast<int>(m_hard_weekdays.size()) > m_rx.rules.max_readable_hard_days) {
        const int long_run = pattern.long_run_weekday;
        m_hard_weekdays = {(long_run + 2) % 7, (long_run + 4) % 7};
        std::sort(m_hard_weekdays.begin(), m_hard_weekdays.end());
    }
}

/// Recovery weeks with no race on record: the race is taken to have ended the
/// day before they began.
void Planner::mark_unrecorded_races() {
    // A recovery phase with no race on record: assume the race ended the day before it began.
    for (int w = 0; w < m_ctx.weeks; ++w) {
        if (m_ctx.week_phases[static_cast<std::size_t>(w)].phase == Phase::recovery) {
            const std::int64_t begin = std::max(m_start, m_monday + 7 * w);
            const bool known = std::any_of(m_races.begin(), m_races.end(), [&](const RaceMark& r) {
                return r.day < begin && begin - r.day <= 28;
            });
            if (!known) {
                m_races.push_back(RaceMark{begin - 1, 14});
            }
        }
    }
    std::sort(m_races.begin(), m_races.end(),
              [](const RaceMark& a, const RaceMark& b) { return a.day < b.day; });
}

/// The plan's identity, its start and the notes on the athlete's load, kit and week.
Plan Planner::plan_header() const {
    const WeeklyPattern& pattern = m_ctx.pattern;
    Plan plan;
    plan.athlete_id = m_ctx.athlete_id;
    plan.athlete_name = m_ctx.athlete_name;
    plan.start = m_ctx.start;
    plan.start_note = m_ctx.start_note;
    plan.strength_history = to_string(m_ctx.strength_history);
    plan.strength_history_source = m_ctx.strength_history_source;
    plan.behind_plan = std::any_of(m_ctx.week_phases.begin(), m_ctx.week_phases.end(),
                                   [](const PlanWeekPhase& wp) { return wp.behind_plan; });
    plan.weeks = m_ctx.weeks;
    plan.race = m_ctx.race;
    const LoadState& load = m_ctx.load;
    plan.notes.push_back(
        "load at the start: CTL " + format_fixed(load.ctl, 1) + ", ATL " +
        format_fixed(load.atl, 1) + ", form " + format_fixed(load.form_pct, 0) + " % on " +
        format_date(m_ctx.start) + " (CTL - ATL at the end of the day before), ramp " +
        format_fixed(load.ramp_ctl_per_week, 1) +
        " CTL/week, r = " + format_fixed(load.volume_ratio, 2) + " (analysis.md §1.4, §3.2)");
    std::string kit;
    for (const std::string& item : m_ctx.equipment) {
        kit += (kit.empty() ? "" : ", ") + item;
    }
    plan.notes.push_back("level " + std::string(to_string(m_ctx.level)) + ", equipment: " +
                         (kit.empty() ? std::string("body weight only") : kit) + ", long run on " +
                         std::string(weekday_name(m_ctx.pattern.long_run_weekday)));
    if (m_hard_weekdays != pattern.hard_weekdays) {
        std::string days;
        for (const int d : m_hard_weekdays) {
            days += (days.empty() ? "" : " and ") + std::string(weekday_name(d));
        }
        plan.attention.push_back("your running week could not be read (" +
                                 std::to_string(pattern.hard_weekdays.size()) +
                                 " of 7 days look hard): a default week is used, hard runs on " +
                                 days + "; give --long-run-day and --days to place it yourself");
        plan.notes.push_back(
            "weekly pattern unreadable: " + std::to_string(pattern.hard_weekdays.size()) +
            " of 7 days look hard, so a default week is used: hard runs on " + days +
            ", the long run on " + std::string(weekday_name(pattern.long_run_weekday)) +
            " (analysis.md §4.4); give --long-run-day and --days to place it yourself");
    }
    return plan;
}

/// §4.4 rules 2-3 against the athlete's week: is any day left for hard work?
void Planner::check_open_days(Plan& plan) {
    const WeeklyPattern& pattern = m_ctx.pattern;
    {
        // §4.4 rules 2-3 against the athlete's week: is any day left for hard work?
        // The long run keeps 48 h when the week allows it, else 24 h (the floor
        // every hard run gets).
        const auto open_day = [&](int long_run_buffer_days) {
            const int lr = pattern.long_run_weekday;
            for (int d = 0; d < 7; ++d) {
                const bool near_long_run = d == lr || d == (lr + 1) % 7 || d == (lr + 6) % 7 ||
                                           (long_run_buffer_days >= 2 && d == (lr + 5) % 7);
                if (!near_long_run && !contains(m_hard_weekdays, (d + 1) % 7) &&
                    !contains(pattern.rest_weekdays, d) &&
                    (pattern.strength_weekdays.empty() || contains(pattern.strength_weekdays, d))) {
                    return true;
                }
            }
            return false;
        };
        if (!open_day(2) && open_day(1)) {
            m_long_run_24h = true;
            const std::string before(weekday_name((pattern.long_run_weekday + 5) % 7));
            plan.notes.push_back(
                "your days leave no day for heavy work 48 h before the long run, so " + before +
                " is used with 24 h before it, the least any hard run gets (analysis.md §4.4 "
                "rule 2); keep that session's legs work short and stop it well short of "
                "failure");
        }
        if (!open_day(1)) {
            plan.attention.push_back(
                "your week leaves no day for heavy, jump or downhill work (each hard run needs "
                "the day before it free of them, and the day after the long run is for "
                "recovery): corrective work only; move a hard run or give --days and "
                "--long-run-day");
            plan.notes.push_back(
                "your week leaves no day for heavy, jump or downhill work: each hard run and the "
                "long run needs the day before it free of them and the day after the long run is "
                "for recovery; corrective work only until a hard run moves (analysis.md §4.4); "
                "--days and --long-run-day place the week yourself");
        }
    }
}

/// How the projection the volume rules read is made.
void Planner::add_projection_notes(Plan& plan) const {
    const LoadState& load = m_ctx.load;
    plan.notes.push_back("projection: runs at the last 3 weeks' mean of " +
                         format_fixed(load.mean_daily_run_load, 1) +
                         " TSS-eq/day plus the planned strength sessions (analysis.md §4.6)");
    plan.notes.push_back(
        "ρ of a session: ATL/CTL projected for its day with that day's running and "
        "the strength planned before it, the session itself not counted; its own "
        "load is checked against the CTL ramp ceiling of " +
        format_fixed(m_rx.rules.ramp_ceiling_ctl_per_week, 0) + "/week (analysis.md §4.5, §4.6)");
}

/// Day by day from the start: each planned slot's session sized by the
/// projected load (§4.5, §4.6) and the week's caps (§4.7), and the projection
/// carried on with the session's load.
void Planner::plan_days(Plan& plan, std::vector<SessionTrace>& traces) {
    const LoadState& load = m_ctx.load;
    const double decay_ctl = 1 - std::exp(-1.0 / 42);
    const double decay_atl = 1 - std::exp(-1.0 / 7);
    // Calendar weeks: the first one runs from the start day to its Sunday.
    const std::int64_t days = m_monday + 7 * static_cast<std::int64_t>(m_ctx.weeks) - m_start;
    m_ctl.assign(1, load.ctl);
    m_atl.assign(1, load.atl);
    std::optional<std::int64_t> last_session;
    std::vector<WeekTotals> done;
    WeekTargets targets;
    std::vector<Slot> week_slots;
    int rotation = 0;
    for (std::int64_t i = 0; i < days; ++i) {
        const std::int64_t day = m_start + i;
        const int week = static_cast<int>((day - m_monday) / 7);
        if (i == 0 || (day - m_monday) % 7 == 0) {
            week_slots = schedule_week(week, last_session);
            // The weekly caps (§4.7) from the weeks already planned.
            if (week > 0) {
                done.push_back(week_totals(plan, week - 1));
            }
            targets = week_targets(done, week);
        }
        const Projection project{load.mean_daily_run_load,
                                 m_ctl.back(),
                                 m_atl.back(),
                                 decay_ctl,
                                 decay_atl,
                                 ctl_on(i - 6)};
        double strength_load = 0;
        const auto slot = std::find_if(week_slots.begin(), week_slots.end(),
                                       [&](const Slot& s) { return s.day == day; });
        if (slot != week_slots.end()) {
            strength_load = place_session(plan, traces, *slot, {i, week, targets, week_slots},
                                          project, rotation, last_session);
            if (!plan.sessions.empty() && days_from_civil(plan.sessions.back().date) == day) {
                for (const PlanBlock& block : plan.sessions.back().blocks) {
                    for (const PlanStep& step : block.steps) {
                        m_familiar.insert(step.exercise_id);
                    }
                    if (block.group == ExerciseGroup::heavy && !intro_week(week)) {
                        m_lifting_weeks.insert(week);
                    }
                }
            }
        }
        const auto [ctl, atl] = [&] {
            double rho = 0;
            double ramp = 0;
            return project(strength_load, &rho, &ramp);
        }();
        m_ctl.push_back(ctl);
        m_atl.push_back(atl);
    }
}

/// The session of `slot` on plan day `day.index`: sized by the projected load,
/// then cut to its share of the week's caps. Returns its load (0 when none
/// was placed).
double Planner::place_session(Plan& plan, std::vector<SessionTrace>& traces, const Slot& slot,
                              const PlanDay& when, const Projection& project, int& rotation,
                              std::optional<std::int64_t>& last_session) const {
    const std::int64_t i = when.index;
    const std::int64_t day = slot.day;
    const int week = when.week;
    const WeekTargets& targets = when.targets;
    const std::vector<Slot>& week_slots = when.week_slots;
    const LoadState& load = m_ctx.load;
    const double ctl_prev = project.ctl_prev;
    const double atl_prev = project.atl_prev;
    double strength_load = 0;
    SessionTrace trace;
    trace.intended = slot.intended;
    bool low_confidence = false;
    table(week, &low_confidence);
    const double confidence_factor = low_confidence ? m_rx.rules.low_confidence_factor : 1.0;
    // §4.5: the spike ratio describes the last 7 days of history only.
    trace.spike = i < 7 ? load.spike_ratio_7d : 0;
    trace.form_pct = ctl_prev >= 1 ? 100 * (ctl_prev - atl_prev) / ctl_prev : load.form_pct;
    if (i == 0) {
        trace.form_pct = load.form_pct;
    }
    // §4.5 reads ρ "projected for the session day, including planned
    // strength load": the state the athlete brings to the session, with
    // the day's running (run first, §4.4) and the strength planned
    // before it counted. The session's own load is not part of it:
    // counting it would make every full session on a low-CTL athlete
    // cut itself (one 60-TSS session adds ~0.2 to ρ at CTL 40), so it is
    // checked where §4.6 puts it, against the CTL ramp ceiling below.
    VolumeTier full = volume_tier(0, 0, 0, 0);
    SessionTrace scratch;
    PlanSession candidate = build(slot, week, targets, full, confidence_factor, rotation, &scratch);
    project(candidate.estimated_load, &trace.rho_with_session, &trace.ramp);
    project(0, &trace.rho, &trace.ramp_runs_only);
    VolumeTier tier = volume_tier(trace.rho, trace.spike, trace.ramp_runs_only, trace.form_pct);
    trace.table_m = tier.m;
    const double ceiling = m_rx.rules.ramp_ceiling_ctl_per_week;
    std::string ramp_reason;
    for (;;) {
        SessionTrace probe;
        PlanSession at_tier =
            build(slot, week, targets, tier, tier.m * confidence_factor, rotation, &probe);
        double rho_tier = 0;
        double ramp_tier = 0;
        project(at_tier.estimated_load, &rho_tier, &ramp_tier);
        if (ramp_tier <= ceiling || tier.corrective_only) {
            break;
        }
        // Runs alone over the ceiling: strength is not the cause; keep maintenance.
        if (trace.ramp_runs_only > ceiling && tier.m <= 0.6) {
            ramp_reason = "projected CTL ramp " + format_fixed(trace.ramp_runs_only, 1) +
                          "/week from running alone is above " + format_fixed(ceiling, 0) +
                          ": strength kept at maintenance volume (analysis.md §4.6)";
            break;
        }
        tier = step_down(tier);
        ramp_reason = "projected CTL ramp " + format_fixed(ramp_tier, 1) + "/week > " +
                      format_fixed(ceiling, 0) +
                      " with this session: strength volume stepped "
                      "down to ×" +
                      format_fixed(tier.m, 1) + " (analysis.md §4.6)";
    }
    if (!ramp_reason.empty()) {
        tier.reason += "; " + ramp_reason;
    }
    trace.tier_m = tier.m;
    trace.effective_m = tier.m * confidence_factor;
    PlanSession session = build(slot, week, targets, tier, trace.effective_m, rotation, &trace);
    if (!session.blocks.empty()) {
        // This session's share of what the week's caps leave (§4.7), cut
        // before its load enters the projection.
        const WeekTotals before = week_totals(plan, week);
        // The share follows what each session left in the week holds at full
        // volume, so a short corrective session does not take half the minutes
        // of the one with the heavy sets (§4.7 Late maintenance keeps them).
        const auto measures = [&](const PlanSession& s) {
            PlanSession counted = s;
            counted.estimated_minutes = static_cast<int>(std::ceil(session_minutes(s)));
            int sets = 0;
            for (const PlanBlock& block : s.blocks) {
                sets += block.sets;
            }
            return std::array<double, 4>{
                static_cast<double>(counted.estimated_minutes), static_cast<double>(sets),
                static_cast<double>(session_contacts(s)), session_load(counted)};
        };
        const std::array<double, 4> own = measures(session);
        std::array<double, 4> all = own;
        int ahead = 0;
        for (const Slot& other : week_slots) {
            if (other.day > day) {
                SessionTrace unused;
                const std::array<double, 4> m = measures(build(
                    other, week, targets, tier, trace.effective_m, rotation + ++ahead, &unused));
                for (std::size_t k = 0; k < all.size(); ++k) {
                    all[k] += m[k];
                }
            }
        }
        const auto share = [&](double cap, double used, std::size_t k) {
            const double fraction = all[k] > 0 ? own[k] / all[k] : 1.0;
            return cap >= 1e8 ? cap : used + std::max(0.0, cap - used) * fraction;
        };
        WeekTargets mine = targets;
        mine.minutes = share(targets.minutes, before.minutes, 0);
        mine.sets = share(targets.sets, before.sets, 1);
        mine.contacts = share(targets.contacts, before.contacts, 2);
        mine.load = share(targets.load, before.load, 3);
        plan.sessions.push_back(std::move(session));
        traces.push_back(std::move(trace));
        trim_week(plan, traces, week, mine, plan.sessions.size() - 1);
        if (!plan.sessions.empty() && days_from_civil(plan.sessions.back().date) == day) {
            strength_load = plan.sessions.back().estimated_load;
            last_session = day;
            ++rotation;
        }
    }
    return strength_load;
}

Plan Planner::run() {
    check_context();
    mark_races();
    // §4.7 new to strength: an introductory block of whole weeks first (a first
    // week of under 4 days does not count as one).
    if (m_ctx.strength_history == StrengthHistory::none) {
        m_intro_weeks = m_rx.new_to_strength.intro_weeks + (m_monday + 7 - m_start < 4 ? 1 : 0);
    }
    // §4.7: two technique weeks; one for an experienced lifter who lifted in the
    // last 4 weeks (no gap to come back from).
    m_technique_weeks = m_ctx.strength_history == StrengthHistory::experienced &&
                                m_ctx.recorded_strength.weekly_load_4w > 0
                            ? std::min(1, m_rx.rules.technique_weeks)
                            : m_rx.rules.technique_weeks;
    plan_lighter_weeks();
    read_hard_weekdays();
    mark_unrecorded_races();
    Plan plan = plan_header();
    check_open_days(plan);
    add_projection_notes(plan);
    std::vector<SessionTrace> traces;
    plan_days(plan, traces);
    if (m_trace != nullptr) {
        m_trace->insert(m_trace->end(), traces.begin(), traces.end());
    }
    plan.weeks_overview = weeks_overview(plan);
    // Rule 6: a race that descends 40 m/km or more asks for downhill work; when the
    // week's spacing leaves it no day in the whole plan, the coach is told.
    if (m_ctx.race && m_ctx.race_descent_m && m_ctx.race->distance_km &&
        *m_ctx.race->distance_km > 0 && days_from_civil(m_ctx.race->date) > m_start) {
        const double per_km = *m_ctx.race_descent_m / *m_ctx.race->distance_km;
        const bool loading_weeks =
            std::any_of(plan.weeks_overview.begin(), plan.weeks_overview.end(),
                        [](const PlanWeek& w) { return loading_phase(w.phase); });
        const bool any_eccentric =
            std::any_of(plan.weeks_overview.begin(), plan.weeks_overview.end(),
                        [](const PlanWeek& w) { return w.eccentric_sets > 0; });
        if (per_km >= m_rx.dose.mountain_descent_m_per_km && loading_weeks && !any_eccentric &&
            m_ctx.strength_history != StrengthHistory::none) {
            plan.attention.push_back(
                "race descent " + format_fixed(per_km, 0) +
                " m/km and no downhill (eccentric) work fits your week: it needs 48 h before "
                "any hard run and the long run; move a hard run or a strength day");
        }
    }
    if (plan.sessions.empty()) {
        plan.notes.push_back("no strength session fits this period (race, recovery, rest days "
                             "and long-run spacing leave no day)");
    }
    return plan;
}

} // namespace

VolumeTier volume_tier(double rho, double spike, double ramp, double form_pct) {
    VolumeTier tier;
    const std::string rho_text = "ρ = ATL/CTL " + format_fixed(rho, 2) + " before the session";
    if (rho > 1.50 || ramp > 10 || form_pct < -40) {
        tier.m = 0;
        tier.corrective_only = true;
        tier.drop_plyometric = true;
        tier.plyometric_contacts = 0;
        const std::string why = rho > 1.50  ? rho_text + " > 1.50"
                                : ramp > 10 ? "CTL ramp " + format_fixed(ramp, 1) + "/week > 10"
                                            : "form " + format_fixed(form_pct, 0) + " % < -40 %";
        tier.reason = why + ": no heavy, plyometric or eccentric work, corrective-only session "
                            "of at most 20 min (analysis.md §4.5)";
    } else if (rho > 1.30 || spike > 1.30 || form_pct < -30) {
        tier.m = 0.6;
        tier.drop_plyometric = true;
        tier.plyometric_contacts = 0;
        tier.min_heavy_rir = 3;
        const std::string why = rho > 1.30 ? rho_text + " > 1.30"
                                : spike > 1.30
                                    ? "session spike " + format_fixed(spike, 2) + " > 1.30"
                                    : "form " + format_fixed(form_pct, 0) + " % < -30 %";
        tier.reason = why + ": sets ×0.6, no plyometrics, heavy at RIR >= 3 (analysis.md §4.5)";
    } else if (rho > 1.10 || spike > 1.10) {
        tier.m = 0.8;
        tier.plyometric_contacts = 0.5;
        const std::string why = rho > 1.10 ? rho_text + " > 1.10"
                                           : "session spike " + format_fixed(spike, 2) + " > 1.10";
        tier.reason = why + ": sets ×0.8, plyometric contacts -50 % (analysis.md §4.5)";
    } else {
        tier.reason = rho_text + " <= 1.10, no session spike above 1.10: full volume "
                                 "(analysis.md §4.5)";
    }
    return tier;
}

VolumeTier step_down(const VolumeTier& tier) {
    // The row below keeps the reason that put the session where it was.
    VolumeTier lower = tier.m > 0.9   ? volume_tier(1.2, 0, 0, 0)
                       : tier.m > 0.7 ? volume_tier(1.4, 0, 0, 0)
                                      : volume_tier(2.0, 0, 0, 0);
    lower.reason = tier.reason;
    return lower;
}

Plan build_plan(const PlanContext& context, const ExerciseLibrary& library,
                const Prescriptions& prescriptions, std::vector<SessionTrace>* trace) {
    Planner planner(context, library, prescriptions, trace);
    return planner.run();
}

} // namespace ultrastrength
