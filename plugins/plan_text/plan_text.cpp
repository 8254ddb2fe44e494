#include "plugins/plan_text/plan_text.hpp"

#include "plugins/prescription.hpp"

#include <cmath>
#include <cstdio>

namespace ultrastrength {

namespace detail {

std::vector<const PlanSession*> sessions_in_week(const Plan& plan, CivilDate week_start) {
    const auto first = days_from_civil(week_start);
    std::vector<const PlanSession*> out;
    for (const PlanSession& s : plan.sessions) {
        const auto day = days_from_civil(s.date);
        if (day >= first && day < first + 7) {
            out.push_back(&s);
        }
    }
    return out;
}

std::string week_note(const Plan& plan, const PlanWeek& week) {
    std::string note = week.note;
    if (plan.race) {
        const auto race = days_from_civil(plan.race->date);
        const auto first = days_from_civil(week.start);
        if (race >= first && race < first + 7) {
            note += (note.empty() ? "" : ", ") + std::string("race week: ") +
                    (plan.race->name.empty() ? std::string("the race") : plan.race->name) + " on " +
                    std::string(weekday_text(plan.race->date));
        }
    }
    return note;
}

CivilDate plan_end(const Plan& plan) {
    // Plan weeks are calendar weeks: the first runs from the start to its Sunday.
    const auto start = days_from_civil(plan.start);
    const auto monday = start - (((start % 7) + 7 + 3) % 7);
    return civil_from_days(monday + 7 * std::int64_t{plan.weeks} - 1);
}

} // namespace detail

namespace {

std::string whole(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
}

/// `text` right-aligned in `width` columns (ASCII only).
std::string right(const std::string& text, std::size_t width) {
    return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string left(const std::string& text, std::size_t width) {
    return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

std::string athlete_label(const Plan& plan) {
    return plan.athlete_name.empty() ? plan.athlete_id : plan.athlete_name;
}

std::string overview(const Plan& plan) {
    std::string out = "Week by week\n";
    out += "  " + left("Week of", 12) + left("Phase", 12) + right("Sessions", 8) +
           right("Strength", 10) + right("Strength load", 15) + right("Running load", 14) +
           right("Jumps", 7) + "  Note\n";
    for (const PlanWeek& w : plan.weeks_overview) {
        out += "  " + left(format_date(w.start), 12) + left(std::string(to_string(w.phase)), 12) +
               right(std::to_string(w.sessions), 8) +
               right(std::to_string(w.minutes) + " min", 10) + right(whole(w.strength_load), 15) +
               right(whole(w.running_load), 14) + right(std::to_string(w.plyometric_contacts), 7);
        if (const auto note = detail::week_note(plan, w); !note.empty()) {
            out += "  " + note;
        }
        out += '\n';
    }
    out += "  Loads are training-load points, the same scale for strength and running (about "
           "100 for an hour at the pace you could race for an hour); running is projected from "
           "your last three "
           "weeks. Jumps are foot contacts.\n";
    return out;
}

std::string session_text(const PlanSession& session, const PlanDocumentOptions& options) {
    return "\n" + session.title + "\n" +
           detail::session_sheet(session, options.weight_unit, options.verbose);
}

} // namespace

std::string plan_text(const Plan& plan, const PlanDocumentOptions& options) {
    std::string out = "Strength plan";
    if (const auto who = athlete_label(plan); !who.empty()) {
        out += " for " + who;
    }
    out += ": " + std::to_string(plan.weeks) + (plan.weeks == 1 ? " week" : " weeks") + " from " +
           format_date(plan.start) + " to " + format_date(detail::plan_end(plan)) + '\n';
    if (!plan.start_note.empty()) {
        out += "Start: " + plan.start_note + '\n';
    }
    if (!plan.strength_history.empty()) {
        out += "Strength history: " + plan.strength_history + " (" + plan.strength_history_source +
               ")\n";
    }
    for (const std::string& line : plan.attention) {
        out += "Note: " + line + '\n';
    }
    if (plan.behind_plan) {
        out += "Behind plan: the race date asks for a later phase than your training so far "
               "supports; those weeks keep that phase's work at the volume you can take now "
               "(marked in the overview)\n";
    }
    if (plan.race) {
        out += "Race: " + (plan.race->name.empty() ? std::string("A race") : plan.race->name) +
               " on " + format_date(plan.race->date);
        if (plan.race->distance_km) {
            out += ", " + whole(*plan.race->distance_km) + " km";
        }
        if (plan.race->ascent_m) {
            out += ", " + whole(*plan.race->ascent_m) + " m D+";
        }
        out += '\n';
    }
    if (options.verbose) {
        if (!options.analysis.empty()) {
            out += "\nAnalysis\n  " + options.analysis + '\n';
        }
        if (!plan.notes.empty()) {
            out += "\nHow the plan was built\n";
            for (const std::string& note : plan.notes) {
                out += "  " + note + '\n';
            }
        }
    }
    if (!plan.weeks_overview.empty()) {
        out += '\n' + overview(plan);
    }
    if (!plan.guidance.empty()) {
        out += "\nRules for real life\n";
        for (const std::string& rule : plan.guidance) {
            out += "- " + rule + '\n';
        }
    }
    if (plan.sessions.empty()) {
        out += "\nNo strength session in this period.\n";
        return out;
    }
    if (plan.weeks_overview.empty()) {
        for (const PlanSession& session : plan.sessions) {
            out += session_text(session, options);
        }
        return out;
    }
    // Sessions grouped by calendar week, under the week's overview line.
    std::size_t shown = 0;
    for (const PlanWeek& w : plan.weeks_overview) {
        const auto sessions = detail::sessions_in_week(plan, w.start);
        out += "\n==== Week of " + format_date(w.start) + " \u00b7 " +
               std::string(to_string(w.phase)) + " \u00b7 " + std::to_string(sessions.size()) +
               (sessions.size() == 1 ? " session" : " sessions");
        if (const auto note = detail::week_note(plan, w); !note.empty()) {
            out += " \u00b7 " + note;
        }
        out += " ====\n";
        for (const PlanSession* session : sessions) {
            out += session_text(*session, options);
            ++shown;
        }
    }
    // A session outside every overview week would otherwise be lost.
    if (shown != plan.sessions.size()) {
        out += "\n==== Other sessions ====\n";
        for (const PlanSession& session : plan.sessions) {
            bool in_week = false;
            for (const PlanWeek& w : plan.weeks_overview) {
                const auto first = days_from_civil(w.start);
                const auto day = days_from_civil(session.date);
                in_week = in_week || (day >= first && day < first + 7);
            }
            if (!in_week) {
                out += session_text(session, options);
            }
        }
    }
    return out;
}

} // namespace ultrastrength
