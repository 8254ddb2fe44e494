// Plans written by hand for the writer tests: realistic sessions of each kind
// the planner makes (analysis.md §4), with the FIT numbers and Connect keys of
// output-formats.md §1.5 and fit-exercise-names.csv.
#ifndef ULTRASTRENGTH_TESTS_SAMPLE_PLANS_HPP
#define ULTRASTRENGTH_TESTS_SAMPLE_PLANS_HPP

#include "model/plan.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ultrastrength::test {

struct StepSpec {
    std::string id;
    std::string name;
    std::optional<std::uint16_t> category;
    std::optional<std::uint16_t> exercise;
    std::string connect_category;
    std::string connect_name;
    std::string title; ///< fit_title, when Garmin has no exact exercise
};

inline PlanStep reps_step(const StepSpec& spec, int reps, bool per_side, int rest_s,
                          std::string cue = {}) {
    PlanStep step;
    step.exercise_id = spec.id;
    step.name = spec.name;
    step.cue = std::move(cue);
    step.fit_category = spec.category;
    step.fit_name = spec.exercise;
    step.fit_title = spec.title;
    step.connect_category = spec.connect_category;
    step.connect_name = spec.connect_name;
    step.reps = reps;
    step.per_side = per_side;
    step.rest_s = rest_s;
    return step;
}

inline PlanStep timed_step(const StepSpec& spec, int seconds, bool per_side, int rest_s,
                           std::string cue = {}) {
    auto step = reps_step(spec, 0, per_side, rest_s, std::move(cue));
    step.reps.reset();
    step.seconds = seconds;
    return step;
}

inline PlanStep with_load(PlanStep step, std::optional<double> kg, std::optional<double> pct,
                          std::optional<int> rir) {
    step.load_kg = kg;
    step.percent_1rm = pct;
    step.reps_in_reserve = rir;
    return step;
}

inline const StepSpec king_deadlift{"king-deadlift",
                                    "King deadlift",
                                    8,
                                    14,
                                    "DEADLIFT",
                                    "SINGLE_LEG_ROMANIAN_DEADLIFT_WITH_DUMBBELL",
                                    "King Deadlift"};
inline const StepSpec goblet_squat{"goblet-squat", "Goblet squat", 28, 37,
                                   "SQUAT",        "GOBLET_SQUAT", ""};
inline const StepSpec band_walk{"lateral-band-walk", "Lateral band walk",  37, 24,
                                "BANDED_EXERCISES",  "LATERAL_BAND_WALKS", ""};
inline const StepSpec sl_bridge{
    "banded-single-leg-bridge", "Banded single-leg bridge", 10, 30, "HIP_RAISE",
    "SINGLE_LEG_HIP_RAISE",     "Banded SL Bridge"};
inline const StepSpec dead_bug{"dead-bug", "Dead bug", 11, 1, "HIP_STABILITY", "DEAD_BUG", ""};
inline const StepSpec box_jump{"box-jump", "Box jump", 20, 33, "PLYO", "BOX_JUMP", ""};
inline const StepSpec pogo_hops{"pogo-hops", "Pogo hops", 20,         std::nullopt,
                                "PLYO",      "PLYO",      "Pogo Hops"};
inline const StepSpec jump_squat{"jump-squat", "Jump squat", 20, 37, "PLYO", "JUMP_SQUAT", ""};
inline const StepSpec lateral_hops{"lateral-hops",         "Lateral hops", 20, 17, "PLYO",
                                   "LATERAL_LEAP_AND_HOP", "Lateral Hops"};
inline const StepSpec split_squat{"bulgarian-split-squat",
                                  "Bulgarian split squat",
                                  17,
                                  18,
                                  "LUNGE",
                                  "DUMBBELL_BULGARIAN_SPLIT_SQUAT",
                                  ""};
inline const StepSpec jump_lunge{
    "jump-lunge", "Jump lunge", 20, 0, "PLYO", "ALTERNATING_JUMP_LUNGE", ""};
inline const StepSpec side_plank{"side-plank", "Side plank", 19, 66, "PLANK", "SIDE_PLANK", ""};
inline const StepSpec suitcase_carry{"suitcase-carry", "Suitcase carry", 3, 1, "CARRY",
                                     "FARMERS_WALK",   "Suitcase Carry"};
inline const StepSpec clamshell{"clamshell",        "Clamshell",   37, 6,
                                "BANDED_EXERCISES", "CLAM_SHELLS", ""};
inline const StepSpec bird_dog{
    "bird-dog", "Bird dog", 11, 19, "HIP_STABILITY", "QUADRUPED_WITH_LEG_LIFT", "Bird Dog"};
inline const StepSpec copenhagen{
    "copenhagen-plank", "Copenhagen plank", 19, std::nullopt, "PLANK", "", "Copenhagen Plank"};
inline const StepSpec calf_raise{"single-leg-calf-raise",
                                 "Single-leg calf raise",
                                 1,
                                 15,
                                 "CALF_RAISE",
                                 "SINGLE_LEG_STANDING_CALF_RAISE",
                                 ""};
inline const StepSpec band_squat{"banded-squat", "Banded squat",     28, 63,
                                 "SQUAT",        "SQUATS_WITH_BAND", ""};
inline const StepSpec band_bridge{"banded-glute-bridge", "Banded glute bridge", 37, 17,
                                  "BANDED_EXERCISES",    "GLUTE_BRIDGE",        ""};
inline const StepSpec band_hip_ext{"banded-hip-extension",
                                   "Banded hip extension (standing, band at ankle)",
                                   37,
                                   20,
                                   "BANDED_EXERCISES",
                                   "HIP_EXTENSION",
                                   ""};

inline PlanBlock block(ExerciseGroup group, int sets, std::vector<PlanStep> steps) {
    PlanBlock out;
    out.group = group;
    out.sets = sets;
    out.steps = std::move(steps);
    return out;
}

inline PlanSession session(std::string id, CivilDate date, Phase phase, std::string kind,
                           std::string title, int minutes, double load,
                           std::vector<std::string> reasons, std::vector<PlanBlock> blocks) {
    PlanSession out;
    out.id = std::move(id);
    out.date = date;
    out.phase = phase;
    out.kind = std::move(kind);
    out.title = std::move(title);
    out.estimated_minutes = minutes;
    out.estimated_load = load;
    out.reasons = std::move(reasons);
    out.blocks = std::move(blocks);
    return out;
}

/// A trail runner's block: early heavy+corrective, plyometric, late combined
/// and corrective-only sessions, with loads, %1RM, RIR, per-side and timed work.
inline Plan runner_plan() {
    Plan plan;
    plan.athlete_id = "ana-garcia";
    plan.athlete_name = "Ana Garc\u00eda";
    plan.start = {2026, 11, 30};
    plan.weeks = 12;
    plan.race = Race{{2027, 2, 20}, "Transvulcania", 74.0, 4350.0};
    plan.notes = {"early phase: weekly volume rising, 48 km/week"};
    using G = ExerciseGroup;
    plan.sessions.push_back(session(
        "ana-garcia-2026-12-01-heavy", {2026, 12, 1}, Phase::early, "heavy+corrective",
        "W01 Strength A \u2013 heavy & hips", 50, 38.5,
        {"early phase: two heavy sessions a week (analysis.md §4.3)", "no long run within 48 h"},
        {block(G::heavy, 3,
               {with_load(reps_step(king_deadlift, 6, true, 90, "Hinge, knee soft, hips square"),
                          12.0, std::nullopt, 2)}),
         block(G::heavy, 3,
               {with_load(reps_step(goblet_squat, 8, false, 90, "Chest up"), 16.0, 70.0, 2)}),
         block(G::corrective, 2,
               {reps_step(band_walk, 12, true, 15, "Band above knees, toes forward"),
                reps_step(sl_bridge, 10, true, 15),
                reps_step(dead_bug, 8, true, 45, "Low back down")})}));
    plan.sessions.push_back(session(
        "ana-garcia-2026-12-03-plyo", {2026, 12, 3}, Phase::early, "plyometric+corrective",
        "W01 Strength B \u2013 plyometrics", 35, 25.0, {"plyometrics while run volume is low"},
        {block(G::plyometric, 3,
               {reps_step(box_jump, 5, false, 90, "Step down, do not jump down")}),
         block(G::plyometric, 3,
               {timed_step(pogo_hops, 20, false, 60, "Stiff ankles, quick contacts")}),
         block(G::plyometric, 2, {reps_step(jump_squat, 6, false, 60)}),
         block(G::plyometric, 2, {reps_step(lateral_hops, 10, true, 60)})}));
    plan.sessions.push_back(session(
        "ana-garcia-2027-01-26-combined", {2027, 1, 26}, Phase::late, "heavy+plyometric+corrective",
        "W09 Strength \u2013 maintain", 40, 30.0, {"late phase: low volume, keep intensity"},
        {block(G::heavy, 2,
               {with_load(reps_step(split_squat, 5, true, 120), 20.0, 80.0, std::nullopt)}),
         block(G::plyometric, 2, {reps_step(jump_lunge, 6, true, 60)}),
         block(G::corrective, 2,
               {timed_step(side_plank, 30, true, 30),
                with_load(timed_step(suitcase_carry, 40, true, 45, "Switch hands each set"), 16.0,
                          std::nullopt, std::nullopt)})}));
    plan.sessions.push_back(session(
        "ana-garcia-2027-02-10-corrective", {2027, 2, 10}, Phase::taper, "corrective",
        "Taper \u2013 corrective only", 20, 10.0, {"taper: corrective work only, 10 days out"},
        {block(G::corrective, 2,
               {reps_step(clamshell, 15, true, 0), reps_step(bird_dog, 8, true, 0),
                timed_step(copenhagen, 20, true, 30, "Short lever; stop if the groin hurts")}),
         block(G::eccentric, 3,
               {reps_step(
                   calf_raise, 15, true, 45,
                   "Knee straight; 3 s down, \"quiet\" heel; don't bounce, \u00fcber slow")})}));
    return plan;
}

/// An athlete with only a resistance band at home: no loads, RIR only.
inline Plan band_only_plan() {
    Plan plan;
    plan.athlete_id = "band-only";
    plan.athlete_name = "Sam Lee";
    plan.start = {2026, 12, 7};
    plan.weeks = 4;
    using G = ExerciseGroup;
    auto rir = [](PlanStep step, int value) {
        return with_load(std::move(step), std::nullopt, std::nullopt, value);
    };
    plan.sessions.push_back(session("band-only-2026-12-08-corrective", {2026, 12, 8},
                                    Phase::off_season, "corrective", "Band circuit", 25, 12.0,
                                    {"no equipment beyond a band"},
                                    {block(G::corrective, 3,
                                           {rir(reps_step(band_walk, 15, true, 20), 3),
                                            rir(reps_step(band_squat, 15, false, 20), 3),
                                            rir(reps_step(band_bridge, 15, false, 20), 3),
                                            rir(reps_step(band_hip_ext, 12, true, 60), 3)})}));
    plan.sessions.push_back(session("band-only-2026-12-10-corrective", {2026, 12, 10},
                                    Phase::off_season, "corrective", "Band circuit", 25, 12.0,
                                    {"no equipment beyond a band"},
                                    {block(G::corrective, 3,
                                           {rir(reps_step(band_walk, 15, true, 20), 2),
                                            rir(reps_step(band_squat, 15, false, 60), 2)})}));
    return plan;
}

/// More exercises than a Garmin workout holds (50 steps): 12 blocks of 3
/// exercises with rests, 3 sets each.
inline Plan oversized_plan() {
    Plan plan;
    plan.athlete_id = "big";
    plan.start = {2026, 12, 1};
    std::vector<PlanBlock> blocks;
    for (int b = 0; b < 12; ++b) {
        blocks.push_back(
            block(ExerciseGroup::corrective, 3,
                  {reps_step(band_walk, 10 + b, true, 15), reps_step(dead_bug, 8, true, 15),
                   reps_step(clamshell, 12, true, 45)}));
    }
    plan.sessions.push_back(session("big-2026-12-01", {2026, 12, 1}, Phase::early, "corrective",
                                    "Everything", 90, 60.0, {}, std::move(blocks)));
    return plan;
}

} // namespace ultrastrength::test

#endif
