#include "plan/plan_json.hpp"

#include "model/text.hpp"
#include "plan/context.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <sstream>

namespace ultrastrength {

namespace {

using ordered_json = nlohmann::ordered_json;

// One decimal: the output stays byte-identical across platforms and runs.
double tenth(double value) {
    return std::round(value * 10) / 10;
}

ordered_json step_json(const PlanStep& step) {
    ordered_json out;
    out["exercise_id"] = step.exercise_id;
    out["name"] = step.name;
    out["cue"] = step.cue;
    ordered_json fit;
    fit["category"] = step.fit_category ? ordered_json(*step.fit_category) : ordered_json();
    fit["name"] = step.fit_name ? ordered_json(*step.fit_name) : ordered_json();
    fit["title"] = step.fit_title;
    out["fit"] = fit;
    out["connect"] = {{"category", step.connect_category}, {"name", step.connect_name}};
    if (step.reps) {
        out["reps"] = *step.reps;
    }
    if (step.seconds) {
        out["seconds"] = *step.seconds;
    }
    out["per_side"] = step.per_side;
    out["rest_s"] = step.rest_s;
    if (step.percent_1rm) {
        out["percent_1rm"] = tenth(*step.percent_1rm);
    }
    if (step.reps_in_reserve) {
        out["reps_in_reserve"] = *step.reps_in_reserve;
    }
    if (step.load_kg) {
        out["load_kg"] = tenth(*step.load_kg);
    }
    return out;
}

std::string step_text(const PlanStep& step) {
    std::ostringstream text;
    if (step.reps) {
        text << *step.reps;
    } else if (step.seconds) {
        text << *step.seconds << " s";
    }
    if (step.per_side) {
        text << " per side";
    }
    text << ' ' << step.name;
    if (step.load_kg) {
        text << " @ " << format_fixed(*step.load_kg, 1) << " kg";
    }
    if (step.percent_1rm) {
        text << " (" << format_fixed(*step.percent_1rm, 0) << " % 1RM)";
    }
    if (step.reps_in_reserve) {
        text << " @ RIR " << *step.reps_in_reserve;
    }
    text << ", rest " << step.rest_s << " s";
    return text.str();
}

} // namespace

std::string plan_to_json(const Plan& plan) {
    ordered_json out;
    out["format"] = "ultrastrength-plan";
    out["version"] = 1;
    out["athlete"] = {{"id", plan.athlete_id}, {"name", plan.athlete_name}};
    out["start"] = format_date(plan.start);
    out["start_note"] = plan.start_note;
    out["strength_history"] = {{"value", plan.strength_history},
                               {"source", plan.strength_history_source}};
    out["behind_plan"] = plan.behind_plan;
    out["attention"] = plan.attention;
    out["weeks"] = plan.weeks;
    if (plan.race) {
        ordered_json race;
        race["date"] = format_date(plan.race->date);
        race["name"] = plan.race->name;
        race["distance_km"] =
            plan.race->distance_km ? ordered_json(tenth(*plan.race->distance_km)) : ordered_json();
        race["ascent_m"] =
            plan.race->ascent_m ? ordered_json(tenth(*plan.race->ascent_m)) : ordered_json();
        out["race"] = race;
    } else {
        out["race"] = nullptr;
    }
    out["notes"] = plan.notes;
    ordered_json sessions = ordered_json::array();
    for (const PlanSession& session : plan.sessions) {
        ordered_json s;
        s["id"] = session.id;
        s["date"] = format_date(session.date);
        s["weekday"] = weekday_name(weekday_of(session.date));
        s["phase"] = to_string(session.phase);
        s["kind"] = session.kind;
        s["title"] = session.title;
        s["estimated_minutes"] = session.estimated_minutes;
        s["estimated_load"] = tenth(session.estimated_load);
        s["reasons"] = session.reasons;
        ordered_json blocks = ordered_json::array();
        for (const PlanBlock& block : session.blocks) {
            ordered_json b;
            b["group"] = to_string(block.group);
            b["sets"] = block.sets;
            ordered_json steps = ordered_json::array();
            for (const PlanStep& step : block.steps) {
                steps.push_back(step_json(step));
            }
            b["steps"] = steps;
            if (block.corrective_in_rests) {
                b["corrective_in_rests"] = true;
            }
            blocks.push_back(b);
        }
        s["blocks"] = blocks;
        sessions.push_back(s);
    }
    out["sessions"] = sessions;
    ordered_json weeks = ordered_json::array();
    for (const PlanWeek& week : plan.weeks_overview) {
        ordered_json w;
        w["start"] = format_date(week.start);
        w["phase"] = to_string(week.phase);
        w["sessions"] = week.sessions;
        w["minutes"] = week.minutes;
        w["strength_load"] = tenth(week.strength_load);
        w["running_load"] = tenth(week.running_load);
        w["plyometric_contacts"] = week.plyometric_contacts;
        w["heavy_sets"] = week.heavy_sets;
        w["eccentric_sets"] = week.eccentric_sets;
        w["lighter"] = week.lighter;
        w["behind_plan"] = week.behind_plan;
        w["note"] = week.note;
        weeks.push_back(w);
    }
    out["weeks_overview"] = weeks;
    make_valid_utf8(out);
    return out.dump(2) + "\n";
}

std::string plan_to_text(const Plan& plan) {
    std::ostringstream text;
    text << "Strength plan";
    if (!plan.athlete_name.empty() || !plan.athlete_id.empty()) {
        text << " for " << (plan.athlete_name.empty() ? plan.athlete_id : plan.athlete_name);
    }
    text << ": " << plan.weeks << (plan.weeks == 1 ? " week" : " weeks") << " from "
         << format_date(plan.start) << '\n';
    if (plan.race) {
        text << "Race: " << (plan.race->name.empty() ? std::string("A race") : plan.race->name)
             << " on " << format_date(plan.race->date);
        if (plan.race->distance_km) {
            text << ", " << format_fixed(*plan.race->distance_km, 0) << " km";
        }
        if (plan.race->ascent_m) {
            text << ", " << format_fixed(*plan.race->ascent_m, 0) << " m D+";
        }
        text << '\n';
    }
    for (const std::string& note : plan.notes) {
        text << "  " << note << '\n';
    }
    for (const PlanSession& session : plan.sessions) {
        text << '\n'
             << format_date(session.date) << ' ' << weekday_name(weekday_of(session.date)) << " - "
             << session.title << " (about " << session.estimated_minutes << " min, load "
             << format_fixed(session.estimated_load, 0) << ")\n";
        for (const PlanBlock& block : session.blocks) {
            text << "  " << to_string(block.group) << ", " << block.sets
                 << (block.sets == 1 ? " set:\n" : " sets:\n");
            for (const PlanStep& step : block.steps) {
                text << "    - " << step_text(step) << '\n';
            }
        }
        text << "  Why:\n";
        for (const std::string& reason : session.reasons) {
            text << "    * " << reason << '\n';
        }
    }
    return text.str();
}

} // namespace ultrastrength
