// The coaching rules of analysis.md §4.7 checked on generated athletes: 2-12 h of
// training a week, every level, equipment set, with and without --no-jumps and a
// recorded strength routine, flat, net-downhill and mountain races of 10-170 km from
// 0 to 52 weeks away. Every plan is checked against the rules, including where they
// meet (a lighter first Late week, a lighter week inside a Late window).
#include "pipeline/plan_athlete.hpp"
#include "plan/plan_json.hpp"
#include "plan/planner.hpp"

#include "plan_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>
#include <set>

namespace ultrastrength::test {
namespace {

std::int64_t day_of(CivilDate date) {
    return days_from_civil(date);
}

// Built with += (g++ 12 warns falsely on operator+ chains with -Wrestrict).
std::string label(const std::string& head, const char* middle, long number) {
    std::string out = head;
    out += middle;
    out += std::to_string(number);
    return out;
}

bool has_group(const PlanSession& s, ExerciseGroup group) {
    return std::any_of(s.blocks.begin(), s.blocks.end(),
                       [&](const PlanBlock& b) { return b.group == group; });
}

bool contains(const std::vector<int>& days, int day) {
    return std::find(days.begin(), days.end(), day) != days.end();
}

bool loading(Phase phase) {
    return phase == Phase::off_season || phase == Phase::early || phase == Phase::mid ||
           phase == Phase::late;
}

// §3.1 by calendar weeks to the race week.
Phase scheduled_phase(std::int64_t monday, std::int64_t race_day, double effort_km) {
    const std::int64_t to_race = race_day - monday;
    if (to_race < 0) {
        return to_race >= -recovery_days(effort_km) ? Phase::recovery : Phase::off_season;
    }
    const std::int64_t weeks = to_race / 7;
    if (weeks == 0) {
        return Phase::race;
    }
    if (weeks <= (effort_km >= 75 ? 2 : 1)) {
        return Phase::taper;
    }
    if (weeks <= 8) {
        return Phase::late;
    }
    if (weeks <= 16) {
        return Phase::mid;
    }
    return weeks <= 28 ? Phase::early : Phase::off_season;
}

struct Athlete {
    PlanContext ctx;
    double hours = 0;
};

Athlete generated_athlete(Rng& rng, int index) {
    Athlete a;
    PlanContext& ctx = a.ctx;
    ctx.athlete_id = label("g", "", index);
    ctx.start = civil_from_days(day_of(CivilDate{2026, 1, 1}) + rng.between(0, 365));
    const std::int64_t start = day_of(ctx.start);
    const std::int64_t monday = start - weekday_of(ctx.start);
    a.hours = rng.uniform(2, 12);
    ctx.mean_weekly_training_min = 60 * a.hours;
    // Races: flat, net-downhill or mountain, 10-170 km, 0-52 weeks away.
    Race race;
    race.date = civil_from_days(start + rng.between(0, 52 * 7));
    race.name = "Race";
    race.distance_km = rng.uniform(10, 170);
    const int terrain = rng.between(0, 2);
    const double per_km = terrain == 0 ? rng.uniform(0, 9) : rng.uniform(10, 80);
    race.ascent_m = terrain == 1 ? per_km * *race.distance_km * 0.3 : per_km * *race.distance_km;
    ctx.race_descent_m = per_km * *race.distance_km;
    ctx.race = race;
    const double effort = *race.distance_km + *race.ascent_m / 100;
    const std::int64_t race_day = day_of(race.date);
    ctx.weeks = static_cast<int>(std::clamp<std::int64_t>((race_day - monday + 7) / 7, 1, 52));
    // One confidence for the plan, as the analysis gives it (low, medium or high).
    const auto confidence = static_cast<PlanConfidence>(rng.between(0, 2));
    for (int w = 0; w < ctx.weeks; ++w) {
        ctx.week_phases.push_back(
            PlanWeekPhase{scheduled_phase(monday + 7 * w, race_day, effort), confidence});
    }
    // Behind plan: the race asks for Mid or Late before the history supports it.
    const bool behind = rng.chance(0.2);
    for (PlanWeekPhase& wp : ctx.week_phases) {
        wp.behind_plan = behind && (wp.phase == Phase::mid || wp.phase == Phase::late);
    }
    LoadState& load = ctx.load;
    load.mean_daily_run_load = a.hours * 60 / 7; // ~60 TSS-eq an hour
    load.ctl = load.mean_daily_run_load * rng.uniform(0.8, 1.1);
    load.atl = load.ctl * rng.uniform(0.8, 1.3);
    load.form_pct = 100 * (load.ctl - load.atl) / load.ctl;
    load.ramp_ctl_per_week = rng.uniform(-3, 6);
    load.volume_ratio = rng.uniform(0.3, 1.0);
    ctx.recent_weekly_descent_m = rng.uniform(0, 3000);
    ctx.pattern.long_run_weekday = rng.between(5, 6);
    // One to five hard weekdays: more than three is an unreadable week (every run
    // at IF >= 0.8) that the planner replaces by a default week.
    const int hard_days = rng.chance(0.15) ? rng.between(4, 5) : rng.between(1, 3);
    for (int d = 0; d < 7 && static_cast<int>(ctx.pattern.hard_weekdays.size()) < hard_days; ++d) {
        if (d != ctx.pattern.long_run_weekday && (rng.chance(0.5) || 7 - d <= hard_days)) {
            ctx.pattern.hard_weekdays.push_back(d);
        }
    }
    if (rng.chance(0.3)) {
        ctx.usual_strength_weekdays = {rng.between(0, 6)};
    }
    if (rng.chance(0.4)) {
        // A running rhythm with a recovery week every 3-5 weeks.
        const int period = rng.between(3, 5);
        for (int w = rng.between(0, period - 1); w < ctx.weeks; w += period) {
            ctx.running_recovery_weeks.push_back(w);
        }
    }
    for (const std::string_view item : equipment_names) {
        if (item != "none" && rng.chance(0.5)) {
            ctx.equipment.insert(std::string(item));
        }
    }
    ctx.level = static_cast<Level>(rng.between(0, 2));
    ctx.strength_history = static_cast<StrengthHistory>(rng.between(0, 2));
    ctx.no_jumps = rng.chance(0.1);
    if (rng.chance(0.4)) {
        ctx.recorded_strength.sessions = rng.between(0, 80);
        // Recorded sessions from light circuits to heavy lifting (session-RPE 2-7),
        // drawn from the session count so the other athletes stay as they were.
        ctx.recorded_strength.load_per_minute =
            (2 + 5 * static_cast<double>(ctx.recorded_strength.sessions % 11) / 10) * 0.238;
        ctx.recorded_strength.weekly_load_4w = rng.uniform(0, 150);
    }
    if (rng.chance(0.3)) {
        ctx.one_rep_max_kg["trap_bar_deadlift"] = rng.uniform(60, 200);
    }
    return a;
}

struct Week {
    Phase phase = Phase::early;
    bool full = false;
    bool lighter = false;
    bool braked = false;
    bool halved = false;         ///< the §4.5 brake halved the jumps (rho > 1.10) or dropped them
    bool technique = false;      ///< a technique week (light: not counted towards a lighter week)
    bool low_confidence = false; ///< the phase is uncertain: jumps rise to 80, not 100
    bool jumps_held = false;     ///< the session's time cap cut the jumps (they hold, not rise)
    bool jumps_cut = false;      ///< the week's caps (rules 1, 2, 5) cut the jumps
    bool eccentric_cut = false;  ///< the week's caps (rules 1, 2, 4, 5) cut the eccentric sets
    /// The last heavy session in its window, cut to one heavy set (and a corrective
    /// round): kept whatever a taper or lighter week's budget (rule 8 before 4 and 5).
    bool heavy_touch = false;
    bool beginner = false;   ///< new to strength: introductory block or race run-in
    bool corrective = false; ///< a session with the corrective exercises
    /// One session of one corrective round only: the floor the week keeps
    /// (corrective work runs all year) when its caps leave nothing else.
    bool floor_only = false;
    int sessions = 0;
    int minutes = 0;
    int sets = 0;
    int contacts = 0;
    int eccentric_sets = 0;
    std::optional<int> heavy_reps;
    int heavy_min_reps = 0; ///< the variant's own lowest reps (body weight), else 0
    std::optional<int> heavy_rir;
    std::optional<double> heavy_percent;
};

// Counts checks and, per rule, the plans that broke it (the first example kept).
class RuleCounter {
public:
    void check(bool ok, const char* rule, const std::string& what) {
        ++m_checks;
        ++m_per_rule[rule];
        if (!ok) {
            auto& [count, example] = m_broken[rule];
            if (count++ == 0) {
                example = what;
            }
        }
    }
    long checks() const { return m_checks; }
    const std::map<std::string, long>& per_rule() const { return m_per_rule; }
    const std::map<std::string, std::pair<int, std::string>>& broken() const { return m_broken; }

private:
    long m_checks = 0;
    std::map<std::string, long> m_per_rule;
    std::map<std::string, std::pair<int, std::string>> m_broken;
};

int session_cap(Phase phase) {
    switch (phase) {
    case Phase::off_season:
    case Phase::early:
        return 60;
    case Phase::mid:
    case Phase::recovery:
        return 45;
    case Phase::late:
        return 40;
    case Phase::taper:
        return 30;
    case Phase::race:
        return 15;
    }
    return 60;
}

void check_rules(const Athlete& a, const Plan& plan, const std::vector<SessionTrace>& trace,
                 RuleCounter& rules) {
    const PlanContext& ctx = a.ctx;
    const ExerciseLibrary& library = builtin_library();
    const std::int64_t start = day_of(ctx.start);
    const std::int64_t monday = start - weekday_of(ctx.start);
    const std::int64_t race_day = day_of(ctx.race->date);
    const bool ultra = *ctx.race->distance_km > 42.2;
    // Where the two meet, a small recorded routine wins over the contact floor and
    // the heavy window: the week is held to 1.5x what the athlete already lifts
    // (rule 2), so a routine under about 70 min a week of planned-scale load is exempt.
    const bool routine_caps = ctx.recorded_strength.sessions >= 10 &&
                              ctx.strength_history != StrengthHistory::none &&
                              ctx.recorded_strength.weekly_load_4w > 0 &&
                              1.5 * ctx.recorded_strength.weekly_load_4w < 100;
    std::vector<Week> weeks(static_cast<std::size_t>(ctx.weeks));
    for (std::size_t w = 0; w < weeks.size(); ++w) {
        weeks[w].phase = ctx.week_phases[w].phase;
        weeks[w].full = monday + 7 * static_cast<std::int64_t>(w) >= start;
        weeks[w].lighter = plan.weeks_overview[w].lighter;
        weeks[w].low_confidence = ctx.week_phases[w].confidence == PlanConfidence::low;
    }
    // The hard days the rules see: the athlete's, or a default week when most look hard.
    std::vector<int> hard_weekdays = ctx.pattern.hard_weekdays;
    if (hard_weekdays.size() > 3) {
        const int long_run = ctx.pattern.long_run_weekday;
        hard_weekdays = {(long_run + 2) % 7, (long_run + 4) % 7};
        rules.check(std::any_of(plan.attention.begin(), plan.attention.end(),
                                [](const std::string& n) {
                                    return n.starts_with("your running week could not be read");
                                }),
                    "8 unreadable week said", ctx.athlete_id);
    }
    const int intro_weeks =
        ctx.strength_history == StrengthHistory::none ? 3 + (monday + 7 - start < 4 ? 1 : 0) : 0;
    int intro_sessions = 0;
    std::set<std::string> given; // the exercises of the sessions before this one
    std::set<int> lifting_weeks; // weeks after the introductory block with heavy work
    std::optional<std::int64_t> last_hard_day;
    for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
        const PlanSession& s = plan.sessions[i];
        const std::int64_t day = day_of(s.date);
        const auto w = static_cast<int>((day - monday) / 7);
        Week& week = weeks[static_cast<std::size_t>(w)];
        // The §4.5 brake (ρ > 1.30, form < -30 %) drops jumps for the week: the
        // athlete's state, not the plan, decides there.
        week.braked = week.braked || trace[i].tier_m <= 0.6;
        week.halved = week.halved || trace[i].tier_m < 0.95;
        week.technique = week.technique || trace[i].technique;
        const bool week_capped = std::any_of(s.reasons.begin(), s.reasons.end(), [](const auto& r) {
            return r.ends_with("sets trimmed to fit");
        });
        for (std::size_t b = 0; b < s.blocks.size(); ++b) {
            const bool cut = s.blocks[b].group == ExerciseGroup::plyometric && trace[i].trimmed[b];
            week.jumps_held = week.jumps_held || cut;
            week.jumps_cut = week.jumps_cut || (cut && week_capped);
            week.eccentric_cut =
                week.eccentric_cut || (s.blocks[b].group == ExerciseGroup::eccentric &&
                                       trace[i].trimmed[b] && week_capped);
        }
        const std::string where = s.id;
        // Rule 9: calendar weeks, the session's phase is its week's.
        rules.check(s.phase == week.phase, "9 calendar weeks", where);
        // Rule 1: session caps by phase.
        rules.check(s.estimated_minutes <= session_cap(s.phase), "1 session cap", where);
        // Rule 8: 48 h between sessions with heavy, plyometric or eccentric work.
        // Rule 11: the introductory block's lifting is light (1-2 sets of 10-15 at
        // RIR 3-4) and is placed like corrective work.
        const bool intro_lift =
            ctx.strength_history == StrengthHistory::none && w < intro_weeks && loading(s.phase);
        const bool hard = (has_group(s, ExerciseGroup::heavy) && !intro_lift) ||
                          has_group(s, ExerciseGroup::plyometric) ||
                          has_group(s, ExerciseGroup::eccentric);
        if (intro_lift && has_group(s, ExerciseGroup::heavy)) {
            // Rule 8 for a first exposure: never the day before or after the long run.
            const int weekday = weekday_of(s.date);
            rules.check(weekday != (ctx.pattern.long_run_weekday + 1) % 7 &&
                            weekday != (ctx.pattern.long_run_weekday + 6) % 7,
                        "8 intro lifting clear of the long run", where);
        }
        if (hard) {
            rules.check(!last_hard_day || day - *last_hard_day >= 2, "8 48 h apart", where);
            last_hard_day = day;
            // Rule 8: nothing heavy, plyometric or eccentric in the 24 h before any hard
            // run, 48 h after an eccentric session and in a novice's first 3 weeks.
            const int weekday = weekday_of(s.date);
            const auto hard_run = [&](int days) {
                const int next = (weekday + days) % 7;
                return next == ctx.pattern.long_run_weekday || contains(hard_weekdays, next);
            };
            rules.check(!hard_run(1), "8 not 24 h before a hard run", where);
            rules.check(weekday != (ctx.pattern.long_run_weekday + 1) % 7,
                        "8 not the day after the long run", where);
            if (has_group(s, ExerciseGroup::eccentric)) {
                rules.check(!hard_run(2), "8 eccentric 48 h before a hard run", where);
            }
            // The introductory block's light lifting keeps the 24 h every hard
            // run gets, not the novice's 48 h for heavy work (rule 11 before 8).
            const bool intro_lifting = ctx.strength_history == StrengthHistory::none &&
                                       w < intro_weeks && loading(s.phase);
            if (ctx.level == Level::novice && day - monday < 21 && !intro_lifting) {
                rules.check(!hard_run(2), "8 novice 48 h before a hard run", where);
            }
        }
        if (day <= race_day) {
            if (has_group(s, ExerciseGroup::heavy)) {
                rules.check(race_day - day >= (ultra ? 10 : 7), "8 last heavy", where);
            }
            if (has_group(s, ExerciseGroup::eccentric)) {
                rules.check(race_day - day >= 10, "6 last eccentric exposure", where);
            }
        }
        // Rule 4: --no-jumps.
        if (ctx.no_jumps) {
            rules.check(!has_group(s, ExerciseGroup::plyometric), "4 no jumps", where);
            // The jumps a session would have had become an isometric hold (rule 6: its
            // own kind), done with the corrective work unless a time cap cut that block.
            const bool replaced =
                std::any_of(s.reasons.begin(), s.reasons.end(), [](const auto& r) {
                    return r.find("an isometric wall-sit hold instead") != std::string::npos;
                });
            if (replaced && has_group(s, ExerciseGroup::corrective)) {
                bool hold = false;
                for (const PlanBlock& block : s.blocks) {
                    for (const PlanStep& step : block.steps) {
                        const Exercise* e = library.find(step.exercise_id);
                        hold = hold || (e->isometric && block.group == ExerciseGroup::corrective);
                    }
                }
                rules.check(hold, "4 no jumps: an isometric hold instead", where);
            }
        }
        for (const PlanBlock& block : s.blocks) {
            for (const PlanStep& step : block.steps) {
                const Exercise* e = library.find(step.exercise_id);
                // Rule 7: the level's variants only (a novice gets easier jumps); body-weight
                // heavy work in the variant's own rep range, where the RIR can be reached.
                rules.check(e->level <= ctx.level, "7 the level's variants", where);
                if (block.group == ExerciseGroup::heavy && e->equipment.empty()) {
                    rules.check(e->max_reps > 0 && step.reps.value_or(0) >= e->min_reps &&
                                    step.reps.value_or(0) <= e->max_reps && step.rest_s <= 90,
                                "7 body-weight heavy in its rep range", where);
                }
                if (block.group == ExerciseGroup::eccentric) {
                    rules.check(!library.find(step.exercise_id)->isometric,
                                "6 isometric holds are not eccentric work", where);
                }
            }
        }
        // Rule 11: new to strength, an introductory block of 1-2 sets of 10-15 at
        // RIR 3-4 before anything heavier; corrective and body-weight work only in
        // the last 6 weeks before the race.
        const bool beginner = ctx.strength_history == StrengthHistory::none;
        const bool intro = beginner && w < intro_weeks && loading(s.phase);
        const bool run_in = beginner && !intro && race_day - day >= 0 && race_day - day <= 42;
        week.beginner = week.beginner || intro || run_in;
        if (intro) {
            ++intro_sessions;
        }
        if (intro) {
            rules.check(!has_group(s, ExerciseGroup::plyometric) &&
                            !has_group(s, ExerciseGroup::eccentric),
                        "11 intro: no jumps or eccentrics", where);
        }
        // Four weeks of lifting after the block make the lifts familiar: the run-in
        // keeps them; before that it is body weight only.
        const bool run_in_bodyweight = run_in && lifting_weeks.size() < 4;
        if (run_in) {
            // Nothing new to get sore from: jumps and eccentric work only as the plan
            // has already given them (and in body weight, a band counting as body
            // weight, before the lifts are familiar); lifts already given where the
            // lifts are familiar.
            for (const PlanBlock& block : s.blocks) {
                if (block.group != ExerciseGroup::plyometric &&
                    block.group != ExerciseGroup::eccentric) {
                    continue;
                }
                for (const PlanStep& step : block.steps) {
                    const Exercise* e = library.find(step.exercise_id);
                    rules.check(
                        given.contains(step.exercise_id) &&
                            (!run_in_bodyweight ||
                             std::all_of(e->equipment.begin(), e->equipment.end(),
                                         [](const std::string& item) { return item == "band"; })),
                        "11 run-in jumps, eccentrics as given", where + " " + step.exercise_id);
                }
            }
        }
        // Rule 11 before rule 5: the 2 weeks after the introductory block are technique
        // weeks (8-10 at RIR 3-4) in any training phase: no 15-rep weight to a 7-rep
        // one in a week.
        if (beginner && !intro && !run_in && w >= intro_weeks && w < intro_weeks + 2 &&
            loading(s.phase)) {
            for (const PlanBlock& block : s.blocks) {
                for (const PlanStep& step : block.steps) {
                    if (block.group == ExerciseGroup::heavy && step.reps_in_reserve) {
                        rules.check(step.reps.value_or(0) >= 8 && *step.reps_in_reserve >= 3,
                                    "11 technique weeks after the intro", where);
                    }
                }
            }
        }
        if (intro || run_in) {
            for (const PlanBlock& block : s.blocks) {
                if (block.group != ExerciseGroup::heavy) {
                    continue;
                }
                for (const PlanStep& step : block.steps) {
                    const Exercise* e = library.find(step.exercise_id);
                    if (intro) {
                        rules.check(block.sets <= 2 && step.reps.value_or(0) >= 10 &&
                                        step.reps.value_or(0) <= 15 &&
                                        step.reps_in_reserve.value_or(0) >= 3 &&
                                        step.reps_in_reserve.value_or(0) <= 4 && !step.load_kg,
                                    "11 intro dose", where);
                    } else if (run_in_bodyweight) {
                        rules.check(
                            std::all_of(e->equipment.begin(), e->equipment.end(),
                                        [](const std::string& item) { return item == "band"; }),
                            "11 run-in body weight", where);
                    } else {
                        rules.check(given.contains(step.exercise_id), "11 run-in lifts as given",
                                    where + " " + step.exercise_id);
                    }
                }
            }
        }
        for (const PlanBlock& block : s.blocks) {
            for (const PlanStep& step : block.steps) {
                given.insert(step.exercise_id);
            }
            if (block.group == ExerciseGroup::heavy && !intro) {
                lifting_weeks.insert(w);
            }
        }
        ++week.sessions;
        week.minutes += s.estimated_minutes;
        week.corrective = week.corrective || has_group(s, ExerciseGroup::corrective);
        week.floor_only = week.sessions == 1 && s.blocks.size() == 1 &&
                          s.blocks[0].group == ExerciseGroup::corrective && s.blocks[0].sets == 1;
        // ... and before a mountain race the last downhill set 10-14 days out (rule 6).
        const bool downhill_window = *ctx.race_descent_m / *ctx.race->distance_km >= 40 &&
                                     race_day - day >= 10 && race_day - day <= 14;
        week.heavy_touch =
            week.heavy_touch ||
            ((downhill_window ||
              (race_day - day >= (ultra ? 10 : 7) && race_day - day <= (ultra ? 14 : 10))) &&
             std::all_of(s.blocks.begin(), s.blocks.end(), [&](const PlanBlock& b) {
                 return b.sets == 1 &&
                        (b.group == ExerciseGroup::heavy || b.group == ExerciseGroup::corrective ||
                         (downhill_window && b.group == ExerciseGroup::eccentric));
             }));
        for (const PlanBlock& block : s.blocks) {
            week.sets += block.sets;
            if (block.group == ExerciseGroup::eccentric) {
                week.eccentric_sets += block.sets;
            }
            for (const PlanStep& step : block.steps) {
                if (block.group == ExerciseGroup::plyometric) {
                    const Exercise* e = library.find(step.exercise_id);
                    const int per_set =
                        step.reps.value_or(0) * e->contacts_per_rep * (step.per_side ? 2 : 1);
                    week.contacts += per_set * block.sets;
                    rules.check(per_set <= 15, "4 contacts per set", where);
                }
                if (block.group == ExerciseGroup::heavy && step.reps) {
                    week.heavy_reps = *step.reps;
                    week.heavy_min_reps = library.find(step.exercise_id)->min_reps;
                    week.heavy_rir = step.reps_in_reserve;
                    week.heavy_percent = step.percent_1rm;
                    if (s.phase == Phase::late && step.reps_in_reserve && !intro &&
                        !trace[i].technique) {
                        rules.check(*step.reps_in_reserve >= 2 && *step.reps_in_reserve <= 3,
                                    "4 Late kept heavy", where);
                    }
                    if (step.reps_in_reserve) {
                        rules.check(*step.reps_in_reserve >= 1, "5 never to failure", where);
                    }
                }
            }
        }
    }
    // Rule 8: the last heavy session 10-14 days before an ultra, 7-10 before a shorter race.
    {
        std::optional<std::int64_t> last_heavy;
        bool last_heavy_eccentric = false;
        for (const PlanSession& s : plan.sessions) {
            if (day_of(s.date) <= race_day && has_group(s, ExerciseGroup::heavy)) {
                last_heavy = day_of(s.date);
                last_heavy_eccentric = has_group(s, ExerciseGroup::eccentric);
            }
        }
        const int latest = ultra ? 14 : 10;
        const int earliest = ultra ? 10 : 7;
        // Only where the athlete's week has a day in the window that heavy work may
        // take (not the long run, the day after it or the 48 h before it, nor the
        // day before a hard run) and a runner new to strength is not in the run-in.
        const bool long_run_24h =
            std::any_of(plan.notes.begin(), plan.notes.end(), [](const std::string& n) {
                return n.find("is used with 24 h before it") != std::string::npos;
            });
        const int lr = ctx.pattern.long_run_weekday;
        // Where it meets the eccentric spacing (48 h before any hard run): a session
        // that keeps its eccentric work may stay outside a window whose open days
        // cannot take it.
        bool open_day = false;
        bool eccentric_day = false;
        for (std::int64_t d = race_day - latest; d <= race_day - earliest; ++d) {
            const int wd = weekday_of(civil_from_days(d));
            const bool open = d >= start && wd != lr && wd != (lr + 1) % 7 && wd != (lr + 6) % 7 &&
                              (long_run_24h || wd != (lr + 5) % 7) &&
                              !contains(hard_weekdays, (wd + 1) % 7);
            open_day = open_day || open;
            eccentric_day = eccentric_day ||
                            (open && wd != (lr + 5) % 7 && !contains(hard_weekdays, (wd + 2) % 7));
        }
        // Rule 6: before a mountain race the last downhill session falls 10-14 days
        // out where a day there may take eccentric work (48 h clear of hard runs).
        std::optional<std::int64_t> last_eccentric;
        for (const PlanSession& s : plan.sessions) {
            if (day_of(s.date) <= race_day && has_group(s, ExerciseGroup::eccentric)) {
                last_eccentric = day_of(s.date);
            }
        }
        bool downhill_day = false;
        for (std::int64_t d = race_day - 14; d <= race_day - 10; ++d) {
            const int wd = weekday_of(civil_from_days(d));
            downhill_day = downhill_day ||
                           (d >= start && wd != lr && wd != (lr + 1) % 7 && wd != (lr + 6) % 7 &&
                            wd != (lr + 5) % 7 && !contains(hard_weekdays, (wd + 1) % 7) &&
                            !contains(hard_weekdays, (wd + 2) % 7));
        }
        if (*ctx.race_descent_m / *ctx.race->distance_km >= 40 && last_eccentric && downhill_day &&
            !routine_caps && ctx.strength_history != StrengthHistory::none) {
            rules.check(race_day - *last_eccentric <= 14, "6 last downhill session 10-14 days out",
                        label(ctx.athlete_id, " days before ", race_day - *last_eccentric));
        }
        // A small recorded routine caps the week's load (rule 2) and wins here too.
        if (last_heavy && open_day && (eccentric_day || !last_heavy_eccentric) &&
            ctx.strength_history != StrengthHistory::none && !routine_caps) {
            rules.check(race_day - *last_heavy <= latest, "8 last heavy in its window",
                        label(ctx.athlete_id, " days before ", race_day - *last_heavy));
        }
    }
    // Rule 10: behind plan is flagged per week and for the plan, and those weeks
    // hold their phase's sets at the low end of the table.
    const bool any_behind = std::any_of(ctx.week_phases.begin(), ctx.week_phases.end(),
                                        [](const PlanWeekPhase& wp) { return wp.behind_plan; });
    rules.check(plan.behind_plan == any_behind, "10 behind plan flagged", ctx.athlete_id);
    for (std::size_t w = 0; w < weeks.size(); ++w) {
        rules.check(plan.weeks_overview[w].behind_plan == ctx.week_phases[w].behind_plan,
                    "10 behind plan week flagged", ctx.athlete_id);
    }
    for (const PlanSession& s : plan.sessions) {
        const auto w = static_cast<std::size_t>((day_of(s.date) - monday) / 7);
        if (!ctx.week_phases[w].behind_plan || weeks[w].beginner) {
            continue;
        }
        const PhasePrescription& table =
            builtin_prescriptions().phases[static_cast<std::size_t>(s.phase)];
        // Rule 6 before rule 10: the extra eccentric set for a long descent the runner
        // does not train for is kept behind plan.
        const bool descent_set =
            (*ctx.race_descent_m > 3000 || *ctx.race_descent_m / *ctx.race->distance_km >= 40) &&
            ctx.recent_weekly_descent_m < 0.3 * *ctx.race_descent_m;
        for (const PlanBlock& block : s.blocks) {
            const auto& gp = table.groups[static_cast<std::size_t>(block.group)];
            if (gp && block.group != ExerciseGroup::plyometric) {
                const int extra = block.group == ExerciseGroup::eccentric && descent_set ? 1 : 0;
                // Rule 6 before rule 10: a mountain race keeps 2 downhill sets in Late.
                const int least = block.group == ExerciseGroup::eccentric &&
                                          s.phase == Phase::late &&
                                          *ctx.race_descent_m / *ctx.race->distance_km >= 40
                                      ? 2
                                      : 0;
                rules.check(
                    block.sets <= std::max(std::max(1, gp->sets.low) + extra, least),
                    "10 behind plan at low sets",
                    label(s.id + " " + std::string(to_string(block.group)), " sets ", block.sets));
            }
        }
    }
    // Rule 2: with 10 or more recorded strength sessions, a planned session's load per
    // minute is at most 1.6x the recorded one, and a week's load at most 1.5x the
    // recorded 4-week mean (the corrective floor excepted).
    const RecordedStrength& rec = ctx.recorded_strength;
    if (rec.sessions >= 10 && ctx.strength_history != StrengthHistory::none) {
        for (const PlanSession& s : plan.sessions) {
            if (rec.load_per_minute > 0 && s.estimated_minutes > 0) {
                // The load is given to 0.1.
                rules.check((s.estimated_load - 0.05) / s.estimated_minutes <=
                                1.6 * rec.load_per_minute + 1e-9,
                            "2 load per minute at most 1.6x recorded", s.id);
            }
        }
        for (std::size_t w = 0; w < weeks.size(); ++w) {
            if (rec.weekly_load_4w > 0 && loading(weeks[w].phase) && !weeks[w].floor_only &&
                !weeks[w].heavy_touch) {
                rules.check(plan.weeks_overview[w].strength_load <= 1.5 * rec.weekly_load_4w + 0.05,
                            "2 week load at most 1.5x recorded",
                            label(ctx.athlete_id, " week ", static_cast<int>(w)));
            }
        }
    }
    // Rule 6: a mountain race (40 m/km or more) with no eccentric set in the whole
    // plan is said, so the coach can move a hard run or a strength day.
    const bool any_loading =
        std::any_of(weeks.begin(), weeks.end(), [](const Week& w) { return loading(w.phase); });
    const bool any_eccentric =
        std::any_of(weeks.begin(), weeks.end(), [](const Week& w) { return w.eccentric_sets > 0; });
    if (*ctx.race_descent_m / *ctx.race->distance_km >= 40 && any_loading && !any_eccentric &&
        ctx.strength_history != StrengthHistory::none) {
        rules.check(std::any_of(plan.attention.begin(), plan.attention.end(),
                                [](const std::string& n) {
                                    return n.find("no downhill (eccentric) work fits") !=
                                           std::string::npos;
                                }),
                    "6 no downhill slot said", ctx.athlete_id);
    }
    // The 4-8 floor holds where the block's weeks are all in the plan and loading.
    bool whole_intro = intro_weeks > 0 && static_cast<int>(weeks.size()) >= intro_weeks;
    for (int w = 0; whole_intro && w < intro_weeks; ++w) {
        whole_intro = loading(weeks[static_cast<std::size_t>(w)].phase);
    }
    if (whole_intro) {
        rules.check(intro_sessions >= 4 && intro_sessions <= 8, "11 intro 4-8 sessions",
                    label(ctx.athlete_id, " intro sessions ", intro_sessions));
    }
    // Weekly rules.
    const double budget_base = std::max(75.0, 0.25 * ctx.mean_weekly_training_min);
    int early_full = 0;
    int early_enough = 0;
    const int floor = ctx.level == Level::novice ? 40 : 60;
    // Rule 4: the last Early/off-season loading week with jumps, for the weekly rise.
    const Week* last_jumps = nullptr;
    for (std::size_t w = 0; w < weeks.size(); ++w) {
        const Week& week = weeks[w];
        const std::string where = label(ctx.athlete_id, " week ", static_cast<long>(w));
        // Rule 9: the overview is Monday-based and sums the week.
        const PlanWeek& overview = plan.weeks_overview[w];
        // The corrective exercises run all year: every full week before race
        // week that holds any session holds them (analysis.md §4.2).
        if (week.full && week.phase != Phase::race && week.phase != Phase::recovery) {
            rules.check(week.corrective, "corrective all year", where);
        }
        rules.check(weekday_of(overview.start) == 0 && overview.minutes == week.minutes &&
                        overview.sessions == week.sessions,
                    "9 overview per calendar week", where);
        // Rule 1: the weekly budget.
        const double phase_cap = week.phase == Phase::off_season || week.phase == Phase::early ? 150
                                 : week.phase == Phase::mid                                    ? 120
                                 : week.phase == Phase::late                                   ? 80
                                                             : 1e9;
        rules.check(week.minutes <= std::min(phase_cap, budget_base) + 0.5, "1 week budget",
                    label(where, " minutes ", week.minutes));
        rules.check(week.contacts <= 150, "4 at most 150 contacts", where);
        if ((week.phase == Phase::early || week.phase == Phase::off_season) && week.full &&
            !ctx.no_jumps && !week.braked && !week.beginner && !week.lighter) {
            // A lighter week holds 70 % of the contacts before it (rule 5): not counted.
            ++early_full;
            early_enough += week.contacts >= floor ? 1 : 0;
        }
        // Rule 4: contacts rise 10-20 from one loading week of the power block to the
        // next (a lighter week between them is skipped), and hold at the phase's top
        // of 100 (80 when the phase is uncertain). A braked week (the §4.5 brake halves
        // them) starts the count again.
        const bool power = week.phase == Phase::early || week.phase == Phase::off_season;
        if (!power || !week.full || week.halved || week.beginner || ctx.no_jumps) {
            last_jumps = nullptr;
        } else if (!week.lighter && week.contacts > 0) {
            if (last_jumps != nullptr && !routine_caps) {
                const int rise = week.contacts - last_jumps->contacts;
                // Where rule 1 meets rule 4: a session at its time cap holds its
                // jumps at last week's (or a little over), it does not cut them;
                // the week's caps (budget, recorded load) win, the jumps cut last.
                rules.check(
                    (rise >= 10 && rise <= 20) ||
                        ((week.contacts >= (week.low_confidence ? 78 : 98) || week.jumps_held) &&
                         rise >= 0 && rise <= 20) ||
                        (week.jumps_cut && rise <= 20),
                    "4 Early contacts rise 10-20 a week",
                    label(label(where, " contacts ", last_jumps->contacts), " -> ", week.contacts));
            }
            last_jumps = &week;
        }
        // Rule 4: Late at most 70 % of the last 3 full Mid weeks, or the first Late week.
        if (week.phase == Phase::late && !week.floor_only && !week.heavy_touch) {
            std::vector<int> mid;
            for (std::size_t v = w; v-- > 0 && mid.size() < 3;) {
                if (weeks[v].phase == Phase::mid && weeks[v].full && !weeks[v].lighter &&
                    weeks[v].sessions > 0) {
                    mid.push_back(weeks[v].minutes);
                }
            }
            if (!mid.empty()) {
                const double mean =
                    std::accumulate(mid.begin(), mid.end(), 0.0) / static_cast<double>(mid.size());
                rules.check(week.minutes <= 0.7 * mean + 0.5, "4 Late below Mid", where);
            } else {
                // The first full loading Late week (a part week or a lighter one
                // says nothing of what maintenance holds).
                for (std::size_t v = 0; v < w; ++v) {
                    if (weeks[v].phase == Phase::late && weeks[v].full && !weeks[v].lighter &&
                        weeks[v].sessions > 0) {
                        rules.check(week.minutes <= weeks[v].minutes, "4 Late not building", where);
                        break;
                    }
                }
            }
            // Rule 6: a flat race gets at most 2 eccentric sets a week late.
            const double per_km = *ctx.race_descent_m / *ctx.race->distance_km;
            // Rule 6: a mountain race keeps 2 downhill sets a week through Late where
            // the week has any (its jumps go first when a session is full); the week's
            // caps (its budget, Late's 70 % of Mid, a recorded routine) and the §4.5
            // brake win over it.
            if (per_km >= 40 && week.eccentric_sets > 0 && !week.lighter && !week.halved &&
                !week.beginner && !week.heavy_touch && !week.eccentric_cut) {
                rules.check(week.eccentric_sets >= 2, "6 mountain race: 2 downhill sets in Late",
                            label(where, " eccentric sets ", week.eccentric_sets));
            }
            if (per_km < 10) {
                rules.check(week.eccentric_sets <= 2, "6 flat race eccentrics", where);
            }
            // Rule 6: between flat and mountain the Late dose rises with the race's
            // descent and falls with how much of it the runner already descends a week.
            if (per_km < 40) {
                const double x = std::clamp((per_km - 10) / 30, 0.0, 1.0);
                const double used = std::clamp(
                    ctx.recent_weekly_descent_m / std::max(1.0, *ctx.race_descent_m), 0.0, 1.0);
                rules.check(week.eccentric_sets <= 2 + static_cast<int>(2 * x * (1 - used)),
                            "6 descent dose by race and recent D-", where);
            }
        }
        // Rule 4: the taper unloads: at most 70 % of the last 3 loading weeks'
        // minutes and sets, and no more minutes than the full week before it.
        if (week.phase == Phase::taper && week.full && !week.floor_only && !week.heavy_touch &&
            week.sessions > 0) {
            double minutes = 0;
            double sets = 0;
            int n = 0;
            std::optional<int> before;
            for (std::size_t v = w; v-- > 0;) {
                if (!before && weeks[v].full && weeks[v].sessions > 0) {
                    before = weeks[v].minutes;
                }
                if (n < 3 && weeks[v].full && !weeks[v].lighter && weeks[v].sessions > 0 &&
                    loading(weeks[v].phase)) {
                    minutes += weeks[v].minutes;
                    sets += weeks[v].sets;
                    ++n;
                }
            }
            if (n > 0) {
                rules.check(
                    week.minutes <= 0.7 * minutes / n + 0.5 && week.sets <= 0.7 * sets / n + 1e-9,
                    "4 taper below the loading weeks", label(where, " minutes ", week.minutes));
            }
            if (before) {
                rules.check(week.minutes <= *before, "4 taper not building",
                            label(where, " minutes ", week.minutes));
            }
        }
        // Rule 5: a lighter week is lighter in every measure, except the one
        // corrective round every week keeps.
        if (week.lighter && !week.floor_only && !week.heavy_touch) {
            double minutes = 0;
            double sets = 0;
            double contacts = 0;
            int n = 0;
            for (std::size_t v = w; v-- > 0 && n < 3;) {
                if (!weeks[v].lighter && weeks[v].sessions > 0 && loading(weeks[v].phase)) {
                    minutes += weeks[v].minutes;
                    sets += weeks[v].sets;
                    contacts += weeks[v].contacts;
                    ++n;
                }
            }
            if (n > 0) {
                rules.check(week.minutes <= 0.7 * minutes / n + 0.5 &&
                                week.sets <= 0.7 * sets / n + 1e-9 &&
                                week.contacts <= 0.7 * contacts / n + 1e-9,
                            "5 lighter week", where);
            }
        }
        // Rule 5: a lighter week keeps the weight: at last loading week's weight, reps
        // plus reps in reserve (the reps that weight allows) stay as they were.
        if (week.lighter && week.phase != Phase::late && week.heavy_reps && week.heavy_rir &&
            !week.beginner && !week.heavy_percent) {
            for (std::size_t v = w; v-- > 0;) {
                const Week& before = weeks[v];
                if (before.lighter || !before.heavy_reps || !before.heavy_rir) {
                    continue;
                }
                if (before.phase == week.phase && !before.technique && !before.beginner &&
                    week.heavy_min_reps == 0) {
                    rules.check(*week.heavy_reps + *week.heavy_rir <=
                                    *before.heavy_reps + *before.heavy_rir,
                                "5 lighter week keeps the weight", where);
                }
                break;
            }
        }
        // Rule 5: a lighter week goes with the running recovery week once the block has 2
        // loading weeks since the last lighter one.
        // Technique weeks are light and do not count.
        if (contains(ctx.running_recovery_weeks, static_cast<int>(w)) && loading(week.phase) &&
            !week.beginner && !week.lighter && !week.technique &&
            static_cast<int>(w) >= intro_weeks) {
            int loading_since = 0;
            for (std::size_t v = w; v-- > 0;) {
                if (weeks[v].lighter || weeks[v].phase != week.phase || weeks[v].beginner ||
                    static_cast<int>(v) < intro_weeks) {
                    break;
                }
                loading_since += weeks[v].technique || weeks[v].sessions == 0 ? 0 : 1;
            }
            rules.check(loading_since < 2, "5 lighter with the running recovery week",
                        label(where, " loading weeks before ", loading_since));
        }
        // Rule 5: heavy work progresses over 3 loading weeks of Off-season or Early,
        // until it reaches 3-6 reps at RIR 1-2.
        if (w >= 2) {
            std::vector<const Week*> run;
            for (std::size_t v = w + 1; v-- > 0 && run.size() < 3;) {
                const Week& x = weeks[v];
                if (x.lighter) {
                    continue;
                }
                if ((x.phase != Phase::early && x.phase != Phase::off_season) || !x.heavy_reps ||
                    !x.heavy_rir || x.beginner) {
                    break;
                }
                run.push_back(&x);
            }
            if (run.size() == 3) {
                const Week& last = *run.front();
                const Week& first = *run.back();
                const bool harder =
                    *last.heavy_rir < *first.heavy_rir || *last.heavy_reps < *first.heavy_reps ||
                    last.heavy_percent.value_or(0) > first.heavy_percent.value_or(0);
                // A body-weight variant has its own rep range (rule 7): at its low end.
                const bool at_target =
                    (*last.heavy_reps <= 6 || *last.heavy_reps <= last.heavy_min_reps) &&
                    *last.heavy_rir <= 2;
                // Rule 2 before rule 5: effort held below a light recorded routine's
                // load per minute keeps the heavy sets further from failure.
                const bool effort_capped =
                    ctx.recorded_strength.sessions >= 10 &&
                    ctx.strength_history != StrengthHistory::none &&
                    1.6 * ctx.recorded_strength.load_per_minute < 6 * 0.238 - 1e-9;
                rules.check(harder || at_target || effort_capped, "5 progression", where);
            }
        }
    }
    // Rule 8 before rule 4: a week whose hard runs leave no day for jumps (each
    // needs the day before it free, the long run 48 h) has none, and the plan says so.
    // The long run keeps 48 h where the week allows it, else 24 h (and says so).
    bool jump_day = false;
    bool jump_day_24h = false;
    for (int d = 0; d < 7; ++d) {
        const int lr = ctx.pattern.long_run_weekday;
        const bool open = d != lr && d != (lr + 1) % 7 && d != (lr + 6) % 7 &&
                          !contains(hard_weekdays, (d + 1) % 7);
        jump_day = jump_day || (open && d != (lr + 5) % 7);
        jump_day_24h = jump_day_24h || open;
    }
    if (!jump_day && jump_day_24h) {
        rules.check(std::any_of(plan.notes.begin(), plan.notes.end(),
                                [](const std::string& n) {
                                    return n.find("is used with 24 h before it") !=
                                           std::string::npos;
                                }),
                    "8 24 h before the long run said", ctx.athlete_id);
    }
    if (!jump_day_24h) {
        rules.check(std::any_of(plan.attention.begin(), plan.attention.end(),
                                [](const std::string& n) {
                                    return n.starts_with("your week leaves no day");
                                }),
                    "8 no day for hard work said", ctx.athlete_id);
    }
    if (early_full >= 2 && !routine_caps && jump_day_24h) {
        rules.check(2 * early_enough >= early_full, "4 Early contacts",
                    label(label(ctx.athlete_id, " weeks with enough contacts ", early_enough),
                          " of ", early_full));
    }
}

TEST(PlanRules, GeneratedAthletesNeverBreakACoachingRule) {
    Rng rng(20261202);
    RuleCounter rules;
    int plans = 0;
    for (int i = 0; i < 1000; ++i) {
        const Athlete a = generated_athlete(rng, i);
        SCOPED_TRACE(label("athlete ", "", i));
        std::vector<SessionTrace> trace;
        const Plan plan = build_plan(a.ctx, builtin_library(), builtin_prescriptions(), &trace);
        ASSERT_EQ(plan.weeks_overview.size(), static_cast<std::size_t>(a.ctx.weeks));
        check_rules(a, plan, trace, rules);
        if (std::getenv("US_DUMP_ATHLETE") != nullptr &&
            std::atoi(std::getenv("US_DUMP_ATHLETE")) == i) {
            std::printf("%s", plan_to_json(plan).c_str());
        }
        ++plans;
    }
    for (const auto& [rule, broken] : rules.broken()) {
        ADD_FAILURE() << "rule " << rule << " broken " << broken.first
                      << " times, first: " << broken.second;
    }
    std::printf("plans: %d, rule checks: %ld\n", plans, rules.checks());
    for (const auto& [rule, count] : rules.per_rule()) {
        std::printf("  rule %-40s %7ld checks\n", rule.c_str(), count);
    }
    EXPECT_GT(rules.checks(), 20000);
}

// The same rules on a real history (tests/data/history/qjw-coros: 25 months of one
// runner, no recorded strength) planned through the whole pipeline at its last day
// for flat, rolling and mountain races 3 to 50 weeks away, every strength history,
// level and kit.
TEST(PlanRules, RealHistoryNeverBreaksACoachingRule) {
    pipeline::PlanRequest base;
    base.inputs = {std::string(US_CORPUS_DIR) + "/history/qjw-coros"};
    base.today = days_from_civil(CivilDate{2025, 12, 31});
    // Scanned once, handed to every plan.
    const std::vector<InputOutcome> scanned = pipeline::scan_athlete(base);
    base.scan = [&](const std::vector<std::string>&) { return scanned; };
    const std::vector<Race> races = {Race{CivilDate{2026, 1, 24}, "Flat 10K", 10.0, 40.0},
                                     Race{CivilDate{2026, 3, 22}, "City Half", 21.1, 80.0},
                                     Race{CivilDate{2026, 5, 17}, "Road 42", 42.2, 300.0},
                                     Race{CivilDate{2026, 7, 4}, "Hilly 50", 50.0, 2500.0},
                                     Race{CivilDate{2026, 10, 3}, "Mountain 100", 100.0, 6500.0},
                                     Race{CivilDate{2026, 12, 12}, "Long 170", 170.0, 9000.0}};
    const std::vector<std::set<std::string>> kits = {
        {}, pipeline::default_equipment(), {"gym", "box", "band"}};
    RuleCounter rules;
    int plans = 0;
    for (const Race& race : races) {
        for (int history = 0; history <= 2; ++history) {
            for (int level = 0; level <= 2; ++level) {
                pipeline::PlanRequest request = base;
                request.races = {race};
                request.strength_history = static_cast<StrengthHistory>(history);
                request.level = static_cast<Level>(level);
                request.equipment = kits[static_cast<std::size_t>(plans) % kits.size()];
                request.no_jumps = plans % 7 == 3;
                SCOPED_TRACE(race.name + " history " + std::to_string(history) + " level " +
                             std::to_string(level));
                const pipeline::PlanOutcome o = pipeline::plan_athlete(request);
                ASSERT_EQ(o.exit_code, 0) << o.error;
                // The planner again, for its trace: the same plan.
                std::vector<SessionTrace> trace;
                const Plan plan =
                    build_plan(o.context, builtin_library(), builtin_prescriptions(), &trace);
                ASSERT_EQ(plan.sessions.size(), o.plan.sessions.size());
                Athlete a;
                a.ctx = o.context;
                a.ctx.athlete_id =
                    race.name + "/" + std::to_string(history) + "/" + std::to_string(level);
                check_rules(a, plan, trace, rules);
                ++plans;
            }
        }
    }
    for (const auto& [rule, broken] : rules.broken()) {
        ADD_FAILURE() << "rule " << rule << " broken " << broken.first
                      << " times, first: " << broken.second;
    }
    std::printf("qjw-coros: plans: %d, rule checks: %ld\n", plans, rules.checks());
    EXPECT_EQ(plans, 54);
    EXPECT_GT(rules.checks(), 5000);
}

} // namespace
} // namespace ultrastrength::test
