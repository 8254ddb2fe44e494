// The session sheet as an athlete reads it: every exercise with its cue and
// swaps, every heavy exercise with a load or a load rule, the reasons in
// plain words; plan.txt free of formulas outside --verbose; the step notes
// within each platform's limit; plan.html self-contained with one sheet per
// week; the batch summary's first look at an athlete. Plans come from the
// planner on hand-built and generated contexts.
#include "plan/planner.hpp"
#include "plan/sheet.hpp"
#include "plan_test_support.hpp"
#include "plugins/plan_html/plan_html.hpp"
#include "plugins/plan_text/plan_text.hpp"
#include "plugins/prescription.hpp"
#include "plugins/report/summary_report.hpp"

#include <gtest/gtest.h>

#include <set>

#include <regex>
#include <string>
#include <vector>

namespace ultrastrength {
namespace {

Plan sheeted_plan(const PlanContext& ctx) {
    std::vector<SessionTrace> trace;
    Plan plan = build_plan(ctx, builtin_library(), builtin_prescriptions(), &trace);
    fill_session_sheets(plan, builtin_library(), builtin_prescriptions(), trace);
    return plan;
}

/// What must not reach an athlete outside --verbose: Greek letters (UTF-8 lead
/// bytes 0xCE/0xCF cover U+0380-U+03FF), section signs and document references,
/// the load model's abbreviations, multipliers and two-decimal ratios.
std::vector<std::string> formula_marks(const std::string& text) {
    std::vector<std::string> found;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == 0xCE || c == 0xCF) {
            found.push_back("Greek letter at byte " + std::to_string(i));
        }
    }
    for (const char* mark :
         {"\u00a7", "analysis.md", "ATL", "CTL", "TSB", "ACWR", " ratio", "rho "}) {
        if (text.find(mark) != std::string::npos) {
            found.emplace_back(mark);
        }
    }
    static const std::regex multiplier("\u00d7 ?[01]\\.[0-9]");
    static const std::regex two_decimals("[0-9]\\.[0-9][0-9]");
    std::smatch m;
    if (std::regex_search(text, m, multiplier)) {
        found.push_back("multiplier " + m.str());
    }
    if (std::regex_search(text, m, two_decimals)) {
        found.push_back("ratio " + m.str());
    }
    return found;
}

/// The contexts the checks run on: each phase of a steady runner, a tired
/// runner, and generated athletes of every kind.
std::vector<PlanContext> contexts() {
    std::vector<PlanContext> out;
    for (int p = 0; p <= static_cast<int>(Phase::recovery); ++p) {
        out.push_back(test::steady_context(static_cast<Phase>(p), 4));
    }
    PlanContext tired = test::steady_context(Phase::mid, 3);
    tired.load.atl = 75; // fatigue 25 % above fitness
    tired.load.form_pct = -25;
    out.push_back(tired);
    PlanContext novice = test::steady_context(Phase::early, 6);
    novice.equipment = {"band"};
    novice.level = Level::novice;
    out.push_back(novice);
    test::Rng rng(14);
    for (int i = 0; i < 60; ++i) {
        out.push_back(test::random_context(rng, i));
    }
    return out;
}

TEST(SessionSheet, EveryExerciseHasItsCueSwapsAndEveryHeavyOneALoad) {
    std::size_t steps = 0;
    for (const PlanContext& ctx : contexts()) {
        const Plan plan = sheeted_plan(ctx);
        for (const PlanSession& s : plan.sessions) {
            SCOPED_TRACE(ctx.athlete_id + " " + s.id);
            EXPECT_FALSE(s.warmup.empty());
            EXPECT_FALSE(s.cooldown.empty());
            ASSERT_FALSE(s.why.empty());
            for (const PlanBlock& block : s.blocks) {
                for (const PlanStep& step : block.steps) {
                    // The exercise's own group: a heavy block may carry the corrective
                    // exercises in its rests.
                    const PlanBlock b{builtin_library().find(step.exercise_id)->group, 1, {}};
                    ++steps;
                    EXPECT_FALSE(step.cue.empty()) << step.exercise_id;
                    EXPECT_FALSE(step.easier.empty()) << step.exercise_id;
                    EXPECT_FALSE(step.harder.empty()) << step.exercise_id;
                    EXPECT_FALSE(step.effort.empty()) << step.exercise_id;
                    if (b.group == ExerciseGroup::heavy) {
                        EXPECT_TRUE(step.load_kg || !step.load_rule.empty()) << step.exercise_id;
                        EXPECT_FALSE(step.tempo.empty()) << step.exercise_id;
                    }
                    if (b.group == ExerciseGroup::eccentric) {
                        EXPECT_NE(step.tempo.find("4 s down"), std::string::npos);
                    }
                    if (b.group == ExerciseGroup::plyometric) {
                        EXPECT_NE(step.effort.find("quiet"), std::string::npos);
                    }
                    if (step.reps_in_reserve && b.group == ExerciseGroup::heavy) {
                        EXPECT_NE(step.effort.find("RIR " + std::to_string(*step.reps_in_reserve)),
                                  std::string::npos)
                            << step.effort;
                    }
                }
            }
        }
    }
    EXPECT_GT(steps, 500U);
}

// analysis.md §4.7: a lighter week keeps the weight and cuts sets. Its cue names
// last week's weight; choosing one from its higher reps in reserve would lower it.
TEST(SessionSheet, LighterWeekKeepsTheWeightOfTheWeekBefore) {
    // Two technique weeks, three loading weeks, then the lighter week.
    const PlanContext ctx = test::steady_context(Phase::early, 7);
    std::vector<SessionTrace> trace;
    Plan plan = build_plan(ctx, builtin_library(), builtin_prescriptions(), &trace);
    fill_session_sheets(plan, builtin_library(), builtin_prescriptions(), trace);
    int lighter = 0;
    int loading = 0;
    for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
        for (const PlanBlock& b : plan.sessions[i].blocks) {
            for (const PlanStep& step : b.steps) {
                const Exercise* e = builtin_library().find(step.exercise_id);
                if (e->group != ExerciseGroup::heavy || e->equipment.empty() || step.load_kg) {
                    continue;
                }
                SCOPED_TRACE(plan.sessions[i].id + " " + step.exercise_id);
                const bool same = step.load_rule.starts_with("the same weight as last week");
                EXPECT_EQ(same, trace[i].deload) << step.load_rule;
                (trace[i].deload ? lighter : loading) += 1;
            }
        }
    }
    EXPECT_GT(lighter, 0);
    EXPECT_GT(loading, 0);
}

// Swaps stay the same kind of work (an eccentric exercise is never eased into an
// isometric hold), dosed-up swaps do not ask for what the exercise already has,
// and a body-weight session's warm-up has no weight to halve.
TEST(SessionSheet, SwapsAndWarmUpFitTheExercise) {
    std::set<std::string> holds;
    for (const Exercise& e : builtin_library().exercises()) {
        if (e.isometric) {
            holds.insert(e.name);
        }
    }
    int eccentric = 0;
    int bodyweight_sessions = 0;
    for (const PlanContext& ctx : contexts()) {
        const Plan plan = sheeted_plan(ctx);
        for (const PlanSession& s : plan.sessions) {
            SCOPED_TRACE(ctx.athlete_id + " " + s.id);
            bool loaded = false;
            for (const PlanBlock& b : s.blocks) {
                for (const PlanStep& step : b.steps) {
                    const Exercise* e = builtin_library().find(step.exercise_id);
                    loaded = loaded || (b.group == ExerciseGroup::heavy && !e->equipment.empty());
                    if (b.group != ExerciseGroup::eccentric) {
                        continue;
                    }
                    ++eccentric;
                    EXPECT_FALSE(holds.contains(step.easier)) << step.exercise_id;
                    if (std::find(e->equipment.begin(), e->equipment.end(), "dumbbell") !=
                        e->equipment.end()) {
                        EXPECT_EQ(step.harder.find("holding a dumbbell"), std::string::npos);
                    }
                }
            }
            const bool heavy =
                std::any_of(s.blocks.begin(), s.blocks.end(),
                            [](const PlanBlock& b) { return b.group == ExerciseGroup::heavy; });
            if (heavy && !loaded) {
                ++bodyweight_sessions;
                EXPECT_EQ(s.warmup.find("half the weight"), std::string::npos) << s.warmup;
            }
        }
    }
    EXPECT_GT(eccentric, 50);
    EXPECT_GT(bodyweight_sessions, 5);
}

// analysis.md §4.7: corrective work in the heavy rests is laid out as done: each
// round is a lift, then its share of the corrective exercises, the last of them
// with what is left of the rest; no separate corrective block unless it has more
// rounds than the heavy sets.
TEST(SessionSheet, CorrectiveWorkInTheHeavyRestsIsLaidOutAsDone) {
    int paired = 0;
    for (const PlanContext& ctx : contexts()) {
        std::vector<SessionTrace> trace;
        const Plan raw = build_plan(ctx, builtin_library(), builtin_prescriptions(), &trace);
        const Plan plan = sheeted_plan(ctx);
        ASSERT_EQ(raw.sessions.size(), plan.sessions.size());
        for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
            const PlanSession& before = raw.sessions[i];
            const PlanSession& s = plan.sessions[i];
            if (!before.corrective_in_heavy_rests ||
                test::block_of(before, ExerciseGroup::heavy) == nullptr ||
                test::block_of(before, ExerciseGroup::corrective) == nullptr) {
                continue;
            }
            SCOPED_TRACE(ctx.athlete_id + " " + s.id);
            ++paired;
            const PlanBlock& heavy = *test::block_of(before, ExerciseGroup::heavy);
            const PlanBlock& corrective = *test::block_of(before, ExerciseGroup::corrective);
            const auto block =
                std::find_if(s.blocks.begin(), s.blocks.end(),
                             [](const PlanBlock& b) { return b.corrective_in_rests; });
            ASSERT_NE(block, s.blocks.end());
            EXPECT_EQ(block->sets, std::min(heavy.sets, corrective.sets));
            EXPECT_EQ(block->steps.size(), heavy.steps.size() + corrective.steps.size());
            EXPECT_EQ(block->steps.front().exercise_id, heavy.steps.front().exercise_id);
            int lifts = 0;
            for (std::size_t k = 0; k < block->steps.size(); ++k) {
                const Exercise* e = builtin_library().find(block->steps[k].exercise_id);
                if (e->group == ExerciseGroup::heavy) {
                    ++lifts;
                    // Straight from the lift to its corrective exercises.
                    EXPECT_LE(block->steps[k].rest_s, 15);
                }
            }
            EXPECT_EQ(lifts, static_cast<int>(heavy.steps.size()));
            EXPECT_GE(block->steps.back().rest_s, 30);
            const bool separate =
                std::any_of(s.blocks.begin(), s.blocks.end(), [](const PlanBlock& b) {
                    return b.group == ExerciseGroup::corrective;
                });
            EXPECT_EQ(separate, corrective.sets > heavy.sets);
            EXPECT_EQ(s.estimated_minutes, before.estimated_minutes);
        }
    }
    EXPECT_GT(paired, 10);
}

TEST(SessionSheet, KnownOneRepMaxGivesKilograms) {
    PlanContext ctx = test::steady_context(Phase::mid, 2);
    for (const Exercise& e : builtin_library().exercises()) {
        if (e.group == ExerciseGroup::heavy) {
            ctx.one_rep_max_kg[e.id] = 100;
        }
    }
    const Plan plan = sheeted_plan(ctx);
    const std::string text = plan_text(plan, {});
    bool kilos = false;
    for (const PlanSession& s : plan.sessions) {
        for (const PlanBlock& b : s.blocks) {
            for (const PlanStep& step : b.steps) {
                if (step.load_kg) {
                    kilos = true;
                    EXPECT_NE(text.find("Load: " +
                                        detail::format_load(*step.load_kg, WeightUnit::kilogram)),
                              std::string::npos);
                }
            }
        }
    }
    EXPECT_TRUE(kilos);
}

TEST(SessionSheet, WhyTellsFatigueInPlainWords) {
    PlanContext tired = test::steady_context(Phase::mid, 1);
    tired.load.atl = 75;
    tired.load.form_pct = -25;
    const Plan plan = sheeted_plan(tired);
    ASSERT_FALSE(plan.sessions.empty());
    std::string why;
    for (const auto& line : plan.sessions.front().why) {
        why += line + "\n";
    }
    EXPECT_NE(why.find("Lighter than usual"), std::string::npos) << why;
    EXPECT_NE(why.find("% above fitness"), std::string::npos) << why;
    EXPECT_TRUE(formula_marks(why).empty()) << why;
    // The rule trace stays as it was, with its formula and reference.
    bool traced = false;
    for (const auto& reason : plan.sessions.front().reasons) {
        traced = traced || reason.find("analysis.md \u00a74.5") != std::string::npos;
    }
    EXPECT_TRUE(traced);
}

TEST(PlanText, NoFormulasOutsideVerboseAndEveryExerciseWithCueAndSwap) {
    for (const PlanContext& ctx : contexts()) {
        SCOPED_TRACE(ctx.athlete_id);
        Plan plan = sheeted_plan(ctx);
        plan.notes.push_back("projection (analysis.md \u00a74.6): \u03c1 = ATL/CTL 1.13");
        PlanDocumentOptions options;
        options.analysis = "Fitness (CTL) 62.5, fatigue (ATL) 83.6 (\u00a73.1)";
        const std::string text = plan_text(plan, options);
        const auto marks = formula_marks(text);
        EXPECT_TRUE(marks.empty()) << marks.front() << "\n" << text;
        for (const PlanSession& s : plan.sessions) {
            EXPECT_NE(text.find(s.title), std::string::npos);
            for (const PlanBlock& b : s.blocks) {
                for (const PlanStep& step : b.steps) {
                    EXPECT_NE(text.find(step.name + " \u2013 "), std::string::npos) << step.name;
                    EXPECT_NE(text.find("Cue: " + step.cue), std::string::npos) << step.name;
                    EXPECT_NE(text.find("Easier: " + step.easier), std::string::npos);
                }
            }
        }
        EXPECT_NE(text.find("Rules for real life"), std::string::npos);
        // Printed once.
        EXPECT_EQ(text.find("Rules for real life"), text.rfind("Rules for real life"));

        options.verbose = true;
        const std::string verbose = plan_text(plan, options);
        EXPECT_NE(verbose.find("Fitness (CTL) 62.5"), std::string::npos);
        EXPECT_NE(verbose.find("\u03c1 = ATL/CTL 1.13"), std::string::npos);
        if (!plan.sessions.empty()) {
            EXPECT_NE(verbose.find("Rules applied:\n- "), std::string::npos);
        }
    }
}

TEST(PlanText, OverviewLineForEveryWeekWithItsSessions) {
    Plan plan = sheeted_plan(test::steady_context(Phase::early, 2));
    PlanWeek a;
    a.start = CivilDate{2026, 3, 2};
    a.phase = Phase::early;
    a.sessions = 2;
    a.minutes = 95;
    a.strength_load = 120.4;
    a.running_load = 420;
    a.plyometric_contacts = 80;
    PlanWeek b = a;
    b.start = CivilDate{2026, 3, 9};
    b.note = "lighter week";
    plan.weeks_overview = {a, b};
    const std::string text = plan_text(plan, {});
    const auto overview = text.find("Week by week");
    ASSERT_NE(overview, std::string::npos);
    EXPECT_LT(overview, text.find("Rules for real life"));
    EXPECT_NE(text.find("  2026-03-02  early              2    95 min            120           "
                        "420     80\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("420     80  lighter week\n"), std::string::npos) << text;
    // Each session under the heading of its week.
    for (const PlanSession& s : plan.sessions) {
        const auto at = text.find(s.title + "\n" + std::string(detail::weekday_text(s.date)) + " " +
                                  format_date(s.date));
        ASSERT_NE(at, std::string::npos) << s.id;
        const bool second = days_from_civil(s.date) >= days_from_civil(b.start);
        EXPECT_EQ(at > text.find("==== Week of 2026-03-09"), second) << s.id;
    }
}

TEST(StepNote, FitsTheLimitWithTheDoseFirstAndTheCueWhenThereIsRoom) {
    const Plan plan = sheeted_plan(test::steady_context(Phase::early, 2));
    for (const PlanSession& s : plan.sessions) {
        for (const PlanBlock& b : s.blocks) {
            for (const PlanStep& step : b.steps) {
                for (const std::size_t limit :
                     {std::size_t{40}, std::size_t{127}, std::size_t{1024}}) {
                    const auto note = detail::step_note(step, WeightUnit::kilogram, limit);
                    EXPECT_LE(note.size(), limit);
                    EXPECT_TRUE(note.starts_with(detail::set_dose(step).substr(0, limit))) << note;
                }
                const auto watch = detail::step_note(step, WeightUnit::kilogram, 127);
                EXPECT_NE(watch.find(step.cue.substr(0, 12)), std::string::npos) << watch;
                const auto app =
                    detail::step_note(step, WeightUnit::kilogram, 1024, detail::NoteName::first);
                EXPECT_TRUE(app.starts_with(step.name + ": ")) << app;
                EXPECT_NE(app.find(step.cue), std::string::npos);
                EXPECT_NE(app.find("Effort: " + step.effort), std::string::npos) << app;
                EXPECT_NE(app.find("Easier: " + step.easier), std::string::npos) << app;
            }
        }
    }
}

TEST(PlanHtml, SelfContainedWithOneSheetPerWeekAndTheChart) {
    for (const PlanContext& ctx : contexts()) {
        SCOPED_TRACE(ctx.athlete_id);
        const Plan plan = sheeted_plan(ctx);
        const std::string html = plan_html(plan, {});
        for (const char* external : {"<script", "<link", "src=", "url(", "@import", "href="}) {
            EXPECT_EQ(html.find(external), std::string::npos) << external;
        }
        // The only URL is the SVG namespace, which is a name, not a fetch.
        std::size_t urls = 0;
        for (auto at = html.find("http"); at != std::string::npos; at = html.find("http", at + 1)) {
            EXPECT_EQ(html.compare(at, 26, "http://www.w3.org/2000/svg"), 0);
            ++urls;
        }
        EXPECT_EQ(urls, 1U);
        // One sheet per calendar week of the plan.
        ASSERT_EQ(plan.weeks_overview.size(), static_cast<std::size_t>(plan.weeks));
        const auto weeks = plan.weeks_overview.size();
        std::size_t sections = 0;
        for (auto at = html.find("<section class=\"week\""); at != std::string::npos;
             at = html.find("<section class=\"week\"", at + 1)) {
            ++sections;
        }
        EXPECT_EQ(sections, weeks);
        EXPECT_EQ(html.find("<svg"), html.rfind("<svg")); // one chart, on the first sheet
        for (const PlanSession& s : plan.sessions) {
            EXPECT_NE(html.find(format_date(s.date)), std::string::npos);
        }
    }
}

TEST(BatchAttention, NextSessionMinutesAndNotes) {
    Plan plan = sheeted_plan(test::steady_context(Phase::mid, 3));
    ASSERT_GE(plan.sessions.size(), 3U);
    PlanWeek first;
    first.start = plan.start;
    first.behind_plan = true;
    PlanWeek second;
    second.start = civil_from_days(days_from_civil(plan.start) + 7);
    second.lighter = true;
    plan.weeks_overview = {first, second};
    AthleteReport report;
    attention_of(plan, {"monotony", "spike"}, report);
    const PlanSession& next = plan.sessions.front();
    EXPECT_TRUE(report.next_session.ends_with(format_date(next.date) + ": " + next.title + " (" +
                                              std::to_string(next.estimated_minutes) + " min)"))
        << report.next_session;
    int this_week = 0;
    int next_week = 0;
    for (const PlanSession& s : plan.sessions) {
        const auto week = (days_from_civil(s.date) - days_from_civil(plan.start)) / 7;
        if (week == 0) {
            this_week += s.estimated_minutes;
        } else if (week == 1) {
            next_week += s.estimated_minutes;
        }
    }
    EXPECT_GT(this_week, 0);
    EXPECT_EQ(report.this_week_minutes, this_week);
    EXPECT_EQ(report.next_week_minutes, next_week);
    EXPECT_EQ(report.attention, "behind plan; load spike; lighter week ahead");
    // The plan's own attention items reach the summary by their first clause.
    Plan mountain = plan;
    mountain.attention = {"race descent 45 m/km and no downhill (eccentric) work fits your "
                          "week: it needs 48 h before any hard run"};
    AthleteReport downhill;
    attention_of(mountain, {}, downhill);
    EXPECT_EQ(downhill.attention, "behind plan; lighter week ahead; race descent 45 m/km and no "
                                  "downhill (eccentric) work fits your week");

    AthleteReport calm;
    plan.weeks_overview.clear();
    attention_of(plan, {"monotony"}, calm);
    EXPECT_EQ(calm.attention, "");
    const std::string csv = summary_csv({report, calm});
    EXPECT_NE(csv.find(",behind plan; load spike; lighter week ahead,"), std::string::npos) << csv;
    const std::string html = summary_html({report, calm}, "roster.csv");
    EXPECT_NE(html.find("Look first at: "), std::string::npos);
}

} // namespace
} // namespace ultrastrength
