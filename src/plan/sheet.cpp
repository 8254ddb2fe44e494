#include "plan/sheet.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace ultrastrength {

namespace {

std::string whole(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
}

bool has_group(const PlanSession& session, ExerciseGroup group) {
    return std::any_of(session.blocks.begin(), session.blocks.end(),
                       [&](const PlanBlock& b) { return b.group == group; });
}

bool needs(const Exercise& e, const char* item) {
    return std::find(e.equipment.begin(), e.equipment.end(), item) != e.equipment.end();
}

/// Heavy work is lifted under control and driven up fast; eccentrics are the
/// slow lowering itself, 3-4 s (analysis.md §4.2 D).
std::string tempo_for(ExerciseGroup group) {
    switch (group) {
    case ExerciseGroup::heavy:
        return "2 s down, no bounce, up with intent";
    case ExerciseGroup::eccentric:
        return "4 s down (count it), then back up the easy way";
    case ExerciseGroup::plyometric:
    case ExerciseGroup::corrective:
        break;
    }
    return "";
}

std::string reps_left(int rir) {
    return rir == 1 ? std::string("1 rep") : std::to_string(rir) + " reps";
}

/// The effort target in words: reps in reserve for lifting (Helms et al. 2016,
/// analysis.md §4.7: never to failure), contact quality for jumps.
std::string effort_for(const PlanStep& step, ExerciseGroup group) {
    switch (group) {
    case ExerciseGroup::plyometric:
        return "short, quiet contacts; stop the set when they slow or get loud";
    case ExerciseGroup::heavy:
        if (step.reps_in_reserve) {
            return "stop with " + reps_left(*step.reps_in_reserve) + " left in you (RIR " +
                   std::to_string(*step.reps_in_reserve) + "); the last rep slows but stays clean";
        }
        return "hard but clean: the last rep slows, none grind";
    case ExerciseGroup::eccentric:
        return "controlled all the way down; stop when you can no longer slow the lowering";
    case ExerciseGroup::corrective:
        if (step.seconds) {
            return "steady breathing, good position; stop before the form breaks";
        }
        if (step.reps_in_reserve) {
            return "easy to moderate: finish with " + reps_left(*step.reps_in_reserve) +
                   " or more left";
        }
        return "easy to moderate, perfect form";
    }
    return "";
}

/// How to choose the load when the plan has no kilograms for it. A lighter week
/// keeps the weight of the week before and takes sets away (analysis.md §4.7), so
/// its cue names that weight, not one chosen from its reps in reserve.
std::string load_rule_for(const PlanStep& step, const Exercise* e, ExerciseGroup group,
                          bool lighter_week) {
    if (step.load_kg) {
        return lighter_week ? "from your 1RM, as last week: the lighter week keeps the weight"
                            : "from your 1RM; add 2.5 % next time when every set felt easier "
                              "than the target";
    }
    if (group != ExerciseGroup::heavy && group != ExerciseGroup::eccentric) {
        return "";
    }
    if (lighter_week && group == ExerciseGroup::heavy && e != nullptr && !e->equipment.empty()) {
        return "the same weight as last week, one rep fewer a set, so every set ends with one "
               "more rep left";
    }
    const int rir = step.reps_in_reserve.value_or(group == ExerciseGroup::heavy ? 2 : 3);
    const int reps = step.reps.value_or(0);
    const std::string target =
        reps > 0 ? "you could do " + std::to_string(reps + rir) + " reps with, not more"
                 : "you could hold " + std::to_string(rir) + " more breaths with";
    if (e != nullptr && e->equipment.empty() && e->max_reps > 0 && group == ExerciseGroup::heavy) {
        // Body-weight variants are made hard by the tempo and the variant, not a weight.
        return "body weight at the tempo below; when every set ends with more than " +
               reps_left(rir) + " left, add a rep (up to " + std::to_string(e->max_reps) +
               "), then take the harder variant";
    }
    if (e == nullptr || e->equipment.empty()) {
        return group == ExerciseGroup::eccentric
                   ? "body weight; hold a dumbbell when 4 s down feels easy on every rep"
                   : "body weight; hold a dumbbell or wear a loaded pack when every set ends with "
                     "more than " +
                         reps_left(rir) + " left";
    }
    if (needs(*e, "band") && e->equipment.size() == 1) {
        return "a band " + target + "; a stronger band or a shorter grip when it gets easy";
    }
    return "a weight " + target + "; add 1-2 kg next session when every set felt easier than that";
}

/// Warm-up: general (walk or jog, leg swings) then specific to the session's
/// groups: a lighter ramp-up set before heavy work, easy hops before jumps.
std::string warmup_for(const PlanSession& session, int minutes, const ExerciseLibrary& library) {
    const bool heavy = has_group(session, ExerciseGroup::heavy);
    // Body-weight heavy work has no weight to halve: an easy set of the first exercise.
    bool loaded = false;
    for (const PlanBlock& block : session.blocks) {
        for (const PlanStep& step : block.steps) {
            const Exercise* e = library.find(step.exercise_id);
            loaded = loaded || (block.group == ExerciseGroup::heavy &&
                                (e == nullptr || !e->equipment.empty() || step.load_kg));
        }
    }
    const bool jumps = has_group(session, ExerciseGroup::plyometric);
    const bool eccentric = has_group(session, ExerciseGroup::eccentric);
    std::string out = "2 min brisk walk or easy jog, 10 leg swings forward and sideways each "
                      "leg, 10 body-weight squats, 10 glute bridges";
    if (jumps) {
        out += ", 2 × 10 small pogo hops on the spot";
    }
    if (heavy && loaded) {
        out += "; before the first heavy exercise one set of 5 at about half the weight";
    } else if (heavy) {
        out += "; before the first heavy exercise one easy set of 5, no pause";
    } else if (eccentric) {
        out += "; 5 slow step-downs from a low step before the first eccentric exercise";
    }
    return out + " (" + std::to_string(minutes) + " min in all)";
}

std::string cooldown_for(const PlanSession& session) {
    if (has_group(session, ExerciseGroup::heavy) || has_group(session, ExerciseGroup::eccentric)) {
        return "3-5 min easy walking, then calves and hip flexors gently, 30 s each side; "
               "some muscle soreness over the next two days is normal";
    }
    return "2-3 min easy walking; nothing else needed";
}

/// The harder swap when the library has no harder exercise: the same one, dosed up.
std::string harder_same(const PlanStep& step, const Exercise* e, ExerciseGroup group) {
    switch (group) {
    case ExerciseGroup::plyometric:
        return "the same, a little higher and still quiet";
    case ExerciseGroup::eccentric:
        return e != nullptr && needs(*e, "dumbbell") ? "the same, a heavier dumbbell"
                                                     : "the same, holding a dumbbell";
    case ExerciseGroup::heavy:
        return "the same, with a 2 s pause at the bottom";
    case ExerciseGroup::corrective:
        break;
    }
    return step.seconds ? "the same, held 15 s longer" : "the same, slower, with a 2 s hold";
}

std::string phase_reason(Phase phase) {
    switch (phase) {
    case Phase::off_season:
        return "Off-season: running is low, so this is the time to build strength and spring.";
    case Phase::early:
        return "Early season: building strength and spring while running volume is still "
               "moderate.";
    case Phase::mid:
        return "Build phase: strength and spring keep growing beside the running, two sessions "
               "a week.";
    case Phase::late:
        return "Race-specific phase: running comes first; one session a week keeps the strength "
               "you built.";
    case Phase::taper:
        return "Taper: less volume, the same weights, so you arrive at the race fresh and strong.";
    case Phase::race:
        return "Race week: a short activation only, nothing that leaves you sore.";
    case Phase::recovery:
        return "After the race: gentle work only until easy running feels normal again.";
    }
    return "";
}

/// The state that set the volume, in words: fatigue above fitness (ATL over
/// CTL, or -form, as a percentage), a run much longer than the month's
/// longest, or a fast rise of the training load.
std::string load_cause(const SessionTrace& t) {
    const double fatigue_pct = std::max(100 * (t.rho - 1), -t.form_pct);
    const double spike_pct = 100 * (t.spike - 1);
    if (t.spike > 1 && spike_pct > fatigue_pct) {
        return "one run in the last week was " + whole(spike_pct) +
               " % longer than your longest of the month before";
    }
    if (fatigue_pct >= 1) {
        return "you are carrying more fatigue than fitness (fatigue " + whole(fatigue_pct) +
               " % above fitness)";
    }
    return "your training load has been rising fast";
}

bool is_training_phase(Phase phase) {
    return phase == Phase::off_season || phase == Phase::early || phase == Phase::mid ||
           phase == Phase::late;
}

/// The corrective exercises done in the rests of the heavy sets (analysis.md §4.7),
/// laid out as the athlete does them: each round of heavy work carries after each
/// lift its share of the corrective exercises, and the lift's rest is what is left
/// of it; the rounds one block has more of than the other follow on their own. The
/// session's minutes already count the work this way.
void pair_into_heavy_rests(PlanSession& session) {
    const auto find = [&](ExerciseGroup group) {
        return std::find_if(session.blocks.begin(), session.blocks.end(),
                            [&](const PlanBlock& b) { return b.group == group; });
    };
    const auto heavy_at = find(ExerciseGroup::heavy);
    const auto corrective_at = find(ExerciseGroup::corrective);
    if (!session.corrective_in_heavy_rests || heavy_at == session.blocks.end() ||
        corrective_at == session.blocks.end() || heavy_at->steps.empty()) {
        return;
    }
    const PlanBlock heavy = *heavy_at;
    const PlanBlock corrective = *corrective_at;
    const int rounds = std::min(heavy.sets, corrective.sets);
    PlanBlock paired;
    paired.group = ExerciseGroup::heavy;
    paired.sets = rounds;
    paired.corrective_in_rests = true;
    constexpr int changeover_s = 15;
    constexpr int least_rest_s = 30;
    const std::size_t lifts = heavy.steps.size();
    for (std::size_t i = 0; i < lifts; ++i) {
        PlanStep lift = heavy.steps[i];
        std::vector<PlanStep> share;
        for (std::size_t j = i; j < corrective.steps.size(); j += lifts) {
            share.push_back(corrective.steps[j]);
        }
        if (share.empty()) {
            paired.steps.push_back(std::move(lift));
            continue;
        }
        int work_s = 0;
        for (const PlanStep& c : share) {
            work_s += (c.seconds ? *c.seconds : c.reps.value_or(0) * 3) * (c.per_side ? 2 : 1) +
                      changeover_s;
        }
        const int rest_s = lift.rest_s;
        lift.rest_s = changeover_s;
        paired.steps.push_back(std::move(lift));
        for (std::size_t k = 0; k < share.size(); ++k) {
            // What is left of the lift's rest, to the next 5 s.
            const int left_s = (std::max(least_rest_s, rest_s - work_s - changeover_s) + 4) / 5 * 5;
            share[k].rest_s = k + 1 < share.size() ? 0 : left_s;
            paired.steps.push_back(std::move(share[k]));
        }
    }
    std::vector<PlanBlock> blocks;
    for (auto it = session.blocks.begin(); it != session.blocks.end(); ++it) {
        if (it == heavy_at) {
            blocks.push_back(paired);
            if (heavy.sets > rounds) {
                blocks.push_back(heavy);
                blocks.back().sets = heavy.sets - rounds;
            }
        } else if (it == corrective_at) {
            if (corrective.sets > rounds) {
                blocks.push_back(corrective);
                blocks.back().sets = corrective.sets - rounds;
            }
        } else {
            blocks.push_back(*it);
        }
    }
    session.blocks = std::move(blocks);
}

} // namespace

std::vector<std::string> plain_reasons(const PlanSession& session, const SessionTrace* trace) {
    std::vector<std::string> why;
    why.push_back(phase_reason(session.phase));
    if (trace == nullptr) {
        return why;
    }
    const SessionTrace& t = *trace;
    // Jumps are only worth a word when the week's template asked for them.
    const bool jumps_planned = std::find(t.intended.begin(), t.intended.end(),
                                         ExerciseGroup::plyometric) != t.intended.end();
    if (t.technique) {
        why.push_back("Technique week: lighter weights and more reps to learn the movements "
                      "before the heavy work.");
    } else if (t.deload) {
        why.push_back("Lighter week: fewer sets and jumps so the work of the last weeks can sink "
                      "in.");
    } else if (is_training_phase(session.phase) && t.phase_week > 0) {
        why.push_back("Build week: a little more than the week before.");
    }
    if (t.table_m >= 1) {
        const double fatigue_pct = 100 * (t.rho - 1);
        why.push_back(fatigue_pct >= 1
                          ? "Full session: your fatigue is only " + whole(fatigue_pct) +
                                " % above your fitness, within the normal range."
                          : "Full session: your fatigue is in line with your "
                            "fitness.");
    } else if (t.table_m > 0.7) {
        why.push_back(std::string("Lighter than usual (fewer sets") +
                      (jumps_planned ? ", half the jumps" : "") + "): " + load_cause(t) + ".");
    } else if (t.table_m > 0) {
        why.push_back(std::string("Much lighter (fewer sets") +
                      (jumps_planned ? ", no jumps" : "") +
                      ", heavy work kept easy): " + load_cause(t) + ".");
    } else {
        why.push_back("Corrective exercises only, 20 minutes at most: " + load_cause(t) + ".");
    }
    if (t.tier_m < t.table_m) {
        why.push_back("Cut once more so that this week's total training load does not rise too "
                      "fast.");
    }
    if (t.effective_m < t.tier_m) {
        why.push_back("Kept on the safe side: the running history is too short or patchy to be "
                      "sure of your phase.");
    }
    if (has_group(session, ExerciseGroup::heavy) || has_group(session, ExerciseGroup::plyometric) ||
        has_group(session, ExerciseGroup::eccentric)) {
        why.push_back("Not the day before or after your long run, so it does not take from it; "
                      "on a run day, run first and lift at least 6 hours later.");
    }
    return why;
}

void fill_session_sheets(Plan& plan, const ExerciseLibrary& library,
                         const Prescriptions& prescriptions,
                         const std::vector<SessionTrace>& trace) {
    const PlanRules& rules = prescriptions.rules;
    const bool traced = trace.size() == plan.sessions.size();
    for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
        PlanSession& session = plan.sessions[i];
        for (PlanBlock& block : session.blocks) {
            for (PlanStep& step : block.steps) {
                const Exercise* e = library.find(step.exercise_id);
                step.tempo = e != nullptr && !e->tempo.empty() ? e->tempo : tempo_for(block.group);
                step.effort = effort_for(step, block.group);
                step.load_rule = load_rule_for(step, e, block.group, traced && trace[i].deload);
                const Exercise* easier = e != nullptr ? library.find(e->easier) : nullptr;
                const Exercise* harder = e != nullptr ? library.find(e->harder) : nullptr;
                // No easier or harder entry in the library: the same exercise, dosed down or up.
                // An eccentric exercise is eased as eccentric work (less deep, a lower
                // step), never by an isometric hold (analysis.md §4.7).
                step.easier = easier != nullptr ? easier->name
                              : step.seconds    ? std::string("the same, held half as long")
                              : block.group == ExerciseGroup::eccentric
                                  ? std::string("the same, less deep (a lower step), still slow")
                                  : std::string("the same, half the reps");
                step.harder = harder != nullptr ? harder->name : harder_same(step, e, block.group);
            }
        }
        session.warmup = warmup_for(session, rules.warmup_minutes, library);
        session.cooldown = cooldown_for(session);
        session.why = plain_reasons(session, traced ? &trace[i] : nullptr);
        pair_into_heavy_rests(session);
    }

    plan.guidance = {
        "Missed a session: let it go, do not double up. Do the next session as written; after a "
        "missed week, repeat the last week you completed.",
        "Sore legs the day before a long run or a key run: do the warm-up and the corrective "
        "exercises only, or rest. The run comes first.",
        "The long run moves: keep heavy, jump and downhill work off the day before it and the "
        "day after it. Move the session with it, or do the corrective exercises only on those "
        "days.",
        "A race is added: plan again with the race (--race DATE,NAME,KM,D+). Heavy and downhill "
        "work stop " +
            std::to_string(std::max(rules.last_heavy_days_before_race,
                                    rules.last_eccentric_days_before_race)) +
            " days before it (heavy " + std::to_string(rules.last_heavy_days_before_shorter_race) +
            " days before a race up to the marathon), jumps " +
            std::to_string(rules.last_plyometric_days_before_race) +
            " days before, and strength resumes gently " +
            std::to_string(rules.first_session_days_after_race) + " days after it.",
        "Pain that changes how you move (not ordinary muscle soreness): skip that exercise and "
        "take the easier swap, or stop and get it checked.",
        "Next run of the plan: run it again after new runs are recorded (a nightly run does "
        "it). It reads what you actually ran, makes the coming sessions lighter when fatigue "
        "builds up and lets them grow when you absorb the work.",
    };
}

} // namespace ultrastrength
